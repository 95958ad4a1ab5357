import RuleBase

// The account's working orders (issue 10; domain.md §3.2, §3.10, §4.2, R-21).
//
// An accepted order that carries an `id` is *working* until fills that name it use up its
// quantity, a `cancel` event names it, or the rules cancel it (auto-liquidation, admin
// `LiquidateImmediately`, `flatten_at`, the start of the risk time period, a category switch).
// A limit or stop order rests in the book; a market order with an id is working only until its
// fills arrive (usually at once). An order without an id is checked and forgotten, as before.
//
// Working quantities count toward the position and group limits on their own side: the
// book keeps, per product, the open quantity of working buys and of working sells, so the
// pre-trade check reads them in O(1).
//
// The book also remembers the last `OrderBook.endedCapacity` orders that ended (filled,
// cancelled or rejected) so that a late fill or cancel is told apart from an unknown id; memory
// stays bounded by the working orders, never by the length of the history.

/// How an order executes: at market, at a limit price or better, or when a stop price trades.
public enum OrderType: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case market = 0, limit = 1, stop = 2
    public var description: String { ["market", "limit", "stop"][Int(rawValue)] }
    /// Limit and stop orders rest and need a price.
    @inlinable public var rests: Bool { self != .market }
}

/// An order in the book: what was placed and what is still open.
public struct WorkingOrder: Sendable, Hashable {
    public var id: String
    /// Product index of the rule graph.
    public var product: Int32
    public var side: OrderSide
    public var type: OrderType
    /// The limit or stop price; nil for a market order.
    public var price: Price?
    /// Contracts as placed (≥ 1).
    public var quantity: Int64
    /// Contracts still open (1 ... quantity).
    public var remaining: Int64
    public var placedAt: Instant

    public init(id: String, product: Int32, side: OrderSide, type: OrderType, price: Price?, quantity: Int64,
                remaining: Int64? = nil, placedAt: Instant) {
        self.id = id
        self.product = product
        self.side = side
        self.type = type
        self.price = price
        self.quantity = quantity
        self.remaining = remaining ?? quantity
        self.placedAt = placedAt
    }

    /// +remaining for a buy, −remaining for a sell.
    @inlinable public var signedRemaining: Int64 { side == .buy ? remaining : 0 &- remaining }
}

/// Why a working order was cancelled.
public enum CancelCause: Sendable, Hashable {
    /// A `cancel` event in the history (the trader or the desk).
    case request
    /// An auto-liquidate tier (index in `RuleGraph.tests`) flattened the account.
    case autoLiquidate(Int32)
    /// Admin `LiquidateImmediately`.
    case admin
    /// The rulebook's one-time `flatten_at`.
    case flattenAt
    /// The template's risk time period started.
    case timePeriod
    /// `switchRiskCategory` to the named category.
    case categorySwitch(String)
    /// A firm rule closed the order's product (news window, flat-by, max position loss).
    case firm(FirmFlatten)

    public var name: String {
        switch self {
        case .request: return "request"
        case .autoLiquidate: return "auto_liquidate"
        case .admin: return "admin"
        case .flattenAt: return "flatten_at"
        case .timePeriod: return "time_period"
        case .categorySwitch: return "category_switch"
        case .firm(let f): return f.name
        }
    }

    init(_ f: FlattenCause) {
        switch f {
        case .autoLiquidate(let i): self = .autoLiquidate(i)
        case .admin: self = .admin
        case .flattenAt: self = .flattenAt
        case .timePeriod: self = .timePeriod
        case .firm(let c): self = .firm(c)
        }
    }
}

/// A working order taken out of the book by a cancel: the order as it stood (its `remaining`
/// is the quantity cancelled) and the cause.
public struct Cancellation: Sendable, Hashable {
    public var order: WorkingOrder
    public var cause: CancelCause
}

/// How an order left the book (or never entered it).
public enum OrderEnding: Sendable, Hashable {
    case filled
    case cancelled(CancelCause)
    /// The pre-trade check rejected it.
    case rejected(RejectionKind)
}

/// An order that ended, kept for telling a late fill or cancel apart from an unknown id.
public struct EndedOrder: Sendable, Hashable {
    public var id: String
    public var product: Int32
    public var ending: OrderEnding
    public var at: Instant
}

/// Input that contradicts the order lifecycle. The event changes nothing; the caller reports it
/// with the event's line (or skips and counts it).
public enum LifecycleError: Error, Sendable, Hashable, CustomStringConvertible {
    /// An order whose id is already working.
    case duplicateOrder(id: String, placedAt: Instant)
    /// A limit or stop order without an id (it could never be filled or cancelled by name).
    case missingID(type: OrderType)
    /// A limit or stop order without a price.
    case missingPrice(type: OrderType)
    /// A fill or cancel naming an id the account has never had (or no longer remembers).
    case unknownOrder(id: String)
    /// A fill or cancel naming an order that was completely filled.
    case alreadyFilled(id: String, at: Instant)
    /// A cancel naming an order that a cancel event already took out.
    case alreadyCancelled(id: String, at: Instant)
    /// A fill for more contracts than the order has open.
    case overfill(id: String, remaining: Int64, quantity: Int64)
    /// A fill naming an order of another product or side.
    case fillMismatch(id: String, order: WorkingOrder)

    public var description: String { message { "#\($0)" } }

    /// The message, with products named by `symbol` (a product index to its symbol).
    public func message(symbol: (Int32) -> String) -> String {
        switch self {
        case let .duplicateOrder(id, at): return "order `\(id)` is already working (placed at \(at)); order ids must be unique among working orders"
        case let .missingID(type): return "a \(type) order needs an `id` (it rests until filled or cancelled by name)"
        case let .missingPrice(type): return "a \(type) order needs a `price`"
        case let .unknownOrder(id): return "no order `\(id)` on this account"
        case let .alreadyFilled(id, at): return "order `\(id)` was already filled completely (at \(at))"
        case let .alreadyCancelled(id, at): return "order `\(id)` was already cancelled (at \(at))"
        case let .overfill(id, remaining, quantity):
            return "fill of \(quantity) for order `\(id)`, which has \(remaining) open"
        case let .fillMismatch(id, order):
            return "fill does not match order `\(id)` (\(order.side) \(order.remaining) \(symbol(order.product)) open)"
        }
    }
}

/// The working orders of one account, with per-product working quantities by side.
public struct OrderBook: Sendable, Hashable {
    /// How many ended orders are remembered.
    public static let endedCapacity = 16

    /// Working orders in the order they were placed.
    public private(set) var orders: [WorkingOrder] = []
    /// Open quantity of working buys / sells, by product index.
    public private(set) var buys: [Int64]
    public private(set) var sells: [Int64]
    /// A ring of the last ended orders; `endedNext` is where the next one goes.
    private var ended: [EndedOrder] = []
    private var endedNext = 0

    public init(productCount: Int) {
        buys = Array(repeating: 0, count: productCount)
        sells = Array(repeating: 0, count: productCount)
    }

    @inlinable public var isEmpty: Bool { orders.isEmpty }
    @inlinable public var count: Int { orders.count }

    @inline(__always) public func workingBuy(_ p: Int) -> Int64 { p >= 0 && p < buys.count ? buys[p] : 0 }
    @inline(__always) public func workingSell(_ p: Int) -> Int64 { p >= 0 && p < sells.count ? sells[p] : 0 }

    public func index(of id: String) -> Int? { orders.firstIndex { $0.id == id } }

    public func working(_ id: String) -> WorkingOrder? { index(of: id).map { orders[$0] } }

    /// The most recent ending of `id`, when it is still remembered.
    public func ending(of id: String) -> EndedOrder? {
        // Newest first: the slot before `endedNext`, backwards around the ring.
        let n = ended.count
        for k in 0..<n {
            let e = ended[(endedNext - 1 - k + 2 * n) % n]
            if e.id == id { return e }
        }
        return nil
    }

    /// Puts an order in the book (the caller checked that the id is free and the product known).
    public mutating func add(_ o: WorkingOrder) {
        orders.append(o)
        move(o.product, o.side, by: o.remaining)
    }

    /// Takes `quantity` contracts off a working order; returns the order as it now stands, and
    /// removes it (remembering it as filled) when nothing is left.
    @discardableResult
    mutating func fill(at index: Int, quantity: Int64, at t: Instant) -> WorkingOrder {
        var o = orders[index]
        o.remaining -= quantity
        move(o.product, o.side, by: 0 &- quantity)
        if o.remaining <= 0 {
            orders.remove(at: index)
            remember(EndedOrder(id: o.id, product: o.product, ending: .filled, at: t))
        } else {
            orders[index] = o
        }
        return o
    }

    /// Removes one working order and returns it.
    mutating func cancel(at index: Int, cause: CancelCause, at t: Instant) -> WorkingOrder {
        let o = orders.remove(at: index)
        move(o.product, o.side, by: 0 &- o.remaining)
        remember(EndedOrder(id: o.id, product: o.product, ending: .cancelled(cause), at: t))
        return o
    }

    /// Removes every working order, oldest first, calling `each` with it.
    mutating func cancelAll(cause: CancelCause, at t: Instant, _ each: (WorkingOrder) -> Void) {
        guard !orders.isEmpty else { return }
        for o in orders {
            remember(EndedOrder(id: o.id, product: o.product, ending: .cancelled(cause), at: t))
            each(o)
        }
        orders.removeAll(keepingCapacity: true)
        for i in buys.indices { buys[i] = 0; sells[i] = 0 }
    }

    /// Remembers an order the check rejected, so that its fills are recognised.
    mutating func rejected(id: String, product: Int32, kind: RejectionKind, at t: Instant) {
        remember(EndedOrder(id: id, product: product, ending: .rejected(kind), at: t))
    }

    private mutating func remember(_ e: EndedOrder) {
        if ended.count < OrderBook.endedCapacity {
            ended.append(e)
        } else {
            ended[endedNext] = e
        }
        endedNext = (endedNext + 1) % OrderBook.endedCapacity
    }

    @inline(__always) private mutating func move(_ product: Int32, _ side: OrderSide, by q: Int64) {
        let p = Int(product)
        guard p >= 0 && p < buys.count else { return }
        if side == .buy { buys[p] &+= q } else { sells[p] &+= q }
    }
}
