import RuleBase

// The values a pre-trade check reads and returns. All are small `Sendable` structs and enums
// without references, so building, copying and returning them never allocates.

/// Buy or sell.
public enum OrderSide: UInt8, Sendable, Hashable, CustomStringConvertible {
    case buy = 0, sell = 1
    public var description: String { self == .buy ? "buy" : "sell" }
}

/// An order to check: a product of the rule graph, a side and a whole number of contracts.
public struct Order: Sendable, Hashable {
    /// Index into `RuleGraph.products`. Any other value (`Order.unknownProduct`) is a product the
    /// rulebook does not know, which the check rejects.
    public let product: Int32
    public let side: OrderSide
    /// Contracts, 1 through `Order.maxQuantity`.
    public let quantity: Int64

    /// The product index for a symbol the rulebook does not know.
    public static let unknownProduct: Int32 = -1
    /// The largest order size accepted as input, far above any exchange's maximum order size; it
    /// keeps every position computation of the check far from Int64 overflow.
    public static let maxQuantity: Int64 = 1_000_000_000

    /// nil when the quantity is not in 1...`maxQuantity`.
    public init?(product: Int32, side: OrderSide, quantity: Int64) {
        guard quantity >= 1, quantity <= Order.maxQuantity else { return nil }
        self.product = product
        self.side = side
        self.quantity = quantity
    }

    /// The order's effect on the net position: +quantity for a buy, −quantity for a sell.
    @inlinable public var signedQuantity: Int64 { side == .buy ? quantity : 0 &- quantity }
}

/// What put an account into liquidate-only or locked.
public enum RestrictionCause: Sendable, Hashable {
    /// A post-trade threshold (or the trailing drawdown): its index in `RuleGraph.tests`.
    case threshold(Int32)
    /// An admin action (`setAdminAutoLiqAction`); no rulebook line.
    case admin
}

/// When a restriction ends (domain.md §2.2).
public enum RestrictionEnd: Sendable, Hashable {
    /// At an instant on the clock (next market open, next week start).
    case at(Instant)
    /// As soon as the condition clears (margin tiers, R-9).
    case whenCleared
    /// Only an admin `Normal` (do_not_unlock, admin restrictions).
    case manual
    /// Never (trailing drawdown).
    case permanent
}

/// The account's effective mode (domain.md §2.1): the strongest active cause, with its end.
public enum AccountMode: Sendable, Hashable {
    case normal
    /// Only orders that reduce an existing position are accepted.
    case liquidateOnly(cause: RestrictionCause, until: RestrictionEnd)
    /// Every order is rejected, closing orders included.
    case locked(cause: RestrictionCause, until: RestrictionEnd)
}

/// What a pre-trade check reads of an account. The account model can conform its own state to it
/// (no copying into `PreTradeAccount`); `check` is generic and specialized for each conformance.
/// Quantities are contract counts; working quantities are ≥ 0.
public protocol PreTradeState {
    /// The effective mode (strongest active cause).
    var mode: AccountMode { get }
    /// Signed net position in a product (long > 0); 0 for products the account does not hold.
    func position(_ product: Int) -> Int64
    /// Open quantity of working buy orders in a product; 0 when the state carries none.
    func workingBuy(_ product: Int) -> Int64
    /// Open quantity of working sell orders in a product; 0 when the state carries none.
    func workingSell(_ product: Int) -> Int64
}

/// An account that holds (at most) one product: the state an order ticket for one product carries,
/// and workload B's input. Other products' positions are zero.
public struct SingleProductState: PreTradeState, Sendable, Hashable {
    public var mode: AccountMode
    public var product: Int32
    public var netPosition: Int64
    public var workingBuys: Int64
    public var workingSells: Int64

    public init(mode: AccountMode = .normal, product: Int32, position: Int64, workingBuys: Int64 = 0, workingSells: Int64 = 0) {
        self.mode = mode
        self.product = product
        self.netPosition = position
        self.workingBuys = workingBuys
        self.workingSells = workingSells
    }

    @inlinable public func position(_ p: Int) -> Int64 { p == Int(product) ? netPosition : 0 }
    @inlinable public func workingBuy(_ p: Int) -> Int64 { p == Int(product) ? max(workingBuys, 0) : 0 }
    @inlinable public func workingSell(_ p: Int) -> Int64 { p == Int(product) ? max(workingSells, 0) : 0 }
}

/// The part of an account a pre-trade check reads, as plain arrays.
///
/// Arrays are indexed by product index (`RuleGraph.products`); a shorter array means zero for the
/// products past its end, so an empty array is a flat account. Working orders are optional in the
/// same way: leave them empty when the state does not carry them. When present they count
/// conservatively: working buys are added to the long side and working sells to the short
/// side, as if every working order on the order's side filled.
public struct PreTradeAccount: PreTradeState, Sendable, Hashable {
    public var mode: AccountMode
    /// Signed net position per product, in contracts (long > 0).
    public var positions: [Int64]
    /// Open quantity of working buy orders per product (≥ 0).
    public var workingBuys: [Int64]
    /// Open quantity of working sell orders per product (≥ 0).
    public var workingSells: [Int64]

    public init(mode: AccountMode = .normal, positions: [Int64] = [], workingBuys: [Int64] = [], workingSells: [Int64] = []) {
        self.mode = mode
        self.positions = positions
        self.workingBuys = workingBuys
        self.workingSells = workingSells
    }

    @inlinable public func position(_ product: Int) -> Int64 {
        product >= 0 && product < positions.count ? positions[product] : 0
    }
    @inlinable public func workingBuy(_ product: Int) -> Int64 {
        product >= 0 && product < workingBuys.count ? max(workingBuys[product], 0) : 0
    }
    @inlinable public func workingSell(_ product: Int) -> Int64 {
        product >= 0 && product < workingSells.count ? max(workingSells[product], 0) : 0
    }
}

/// The kinds of rejection, each a separate check. Their order of precedence is a `PreTradePolicy`.
public enum RejectionKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case accountLocked = 0
    case unknownProduct = 1
    case riskTimePeriod = 2
    case liquidateOnly = 3
    case restrictedProduct = 4
    case positionLimit = 5
    case groupLimit = 6
    /// Firm rules (issue 13), checked after every broker check accepted the order.
    case newsWindow = 7
    case scalingPlan = 8

    /// Stable upper-case code, as domain.md R-28 spells them.
    public var code: String {
        ["ACCOUNT_LOCKED", "UNKNOWN_PRODUCT", "RISK_TIME_PERIOD", "LIQUIDATE_ONLY", "RESTRICTED_PRODUCT",
         "POSITION_LIMIT", "GROUP_LIMIT", "NEWS_WINDOW", "SCALING_PLAN"][Int(rawValue)]
    }
    /// Kebab name for JSON.
    public var description: String {
        ["account-locked", "unknown-product", "risk-time-period", "liquidate-only", "restricted-product",
         "position-limit", "group-limit", "news-window", "scaling-plan"][Int(rawValue)]
    }
}

/// Which side of a position a limit caps.
public enum PositionSide: UInt8, Sendable, Hashable, CustomStringConvertible {
    case long, short
    public var description: String { self == .long ? "long" : "short" }
}

/// Why an order was rejected, with the numbers a trader needs.
public enum RejectionReason: Sendable, Hashable {
    /// Every order is rejected until the lock ends.
    case accountLocked(cause: RestrictionCause, until: RestrictionEnd)
    /// The order's product is not in the rulebook's catalog.
    case unknownProduct(product: Int32)
    /// Inside the risk time period; orders are accepted again at `until`.
    case riskTimePeriod(until: Instant)
    /// Liquidate-only and the order does not reduce the position: net `position` would become `after`
    /// (worst case, working orders on the order's side included).
    case liquidateOnly(product: Int32, position: Int64, after: Int64, cause: RestrictionCause, until: RestrictionEnd)
    /// Every order in this product is rejected.
    case restrictedProduct(product: Int32)
    /// The `side` position in `product` would become `after` contracts, above `limit`.
    case positionLimit(product: Int32, side: PositionSide, after: Int64, limit: Int64)
    /// Σ weight × |position| of group `group` (index in the category's groups) would become
    /// `after`/`denominator`, above `limit`/`denominator`.
    case groupLimit(group: Int32, after: Int64, limit: Int64, denominator: Int64)
    /// Inside the window of news `news` (index in `NewsWindowsNode.events`), which affects the
    /// product; orders in it are accepted again at `until`.
    case newsWindow(product: Int32, news: Int32, until: Instant)
    /// The scaling tier `tier` in force allows `limit`/`denominator` weighted contracts; the order
    /// would make `after`/`denominator`.
    case scalingPlan(tier: Int32, after: Int64, limit: Int64, denominator: Int64)

    public var kind: RejectionKind {
        switch self {
        case .accountLocked: return .accountLocked
        case .unknownProduct: return .unknownProduct
        case .riskTimePeriod: return .riskTimePeriod
        case .liquidateOnly: return .liquidateOnly
        case .restrictedProduct: return .restrictedProduct
        case .positionLimit: return .positionLimit
        case .groupLimit: return .groupLimit
        case .newsWindow: return .newsWindow
        case .scalingPlan: return .scalingPlan
        }
    }
}

/// A rejection and the rulebook line behind it (nil for admin causes and unknown products).
public struct OrderRejection: Sendable, Hashable {
    public var reason: RejectionReason
    public var span: Span?
    public init(reason: RejectionReason, span: Span?) {
        self.reason = reason
        self.span = span
    }
    @inlinable public var kind: RejectionKind { reason.kind }
}

/// The outcome of a pre-trade check. Orders are accepted or rejected whole.
public enum OrderDecision: Sendable, Hashable {
    case accepted
    case rejected(OrderRejection)

    @inlinable public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }
    @inlinable public var rejection: OrderRejection? {
        if case let .rejected(r) = self { return r }
        return nil
    }
    /// nil when accepted.
    @inlinable public var kind: RejectionKind? { rejection?.kind }
}

/// How the check orders its rejection reasons and reads reversals. See README "Pre-trade checks".
public struct PreTradePolicy: Sendable, Hashable {
    /// How an order that flips the position (long 2, sell 3) counts.
    public enum Reversal: UInt8, Sendable, Hashable {
        /// domain.md R-18 and §4.2 (the default): a flip closes the position and opens a new one on
        /// the other side. Liquidate-only rejects it whole; the lot check caps the new side.
        case opensNewPosition
        /// Workload B's reference: only the absolute position counts. Liquidate-only accepts a flip
        /// that shrinks |position| (long 2, sell 3 → short 1); the lot check rejects only when
        /// |position after| exceeds the limit of its side and is larger than |position before|.
        case absolutePosition
    }

    /// Every kind exactly once, highest precedence first.
    public let precedence: [RejectionKind]
    public let reversal: Reversal

    /// Kinds missing from `precedence` are appended in the standard order; repeats are dropped.
    public init(precedence: [RejectionKind], reversal: Reversal = .opensNewPosition) {
        var seen = Set<RejectionKind>()
        var list: [RejectionKind] = []
        for k in precedence + PreTradePolicy.standardOrder where seen.insert(k).inserted { list.append(k) }
        self.precedence = list
        self.reversal = reversal
    }

    static let standardOrder: [RejectionKind] = [.accountLocked, .unknownProduct, .riskTimePeriod, .liquidateOnly,
                                                 .restrictedProduct, .positionLimit, .groupLimit, .newsWindow, .scalingPlan]

    /// The default: domain.md R-28 (locked > risk time period > liquidate-only > restricted > position
    /// limit) and R-18 reversals. An unknown product ranks right after a lock; the group limit right
    /// after the product limit.
    public static let standard = PreTradePolicy(precedence: standardOrder, reversal: .opensNewPosition)

    /// Workload B's reference semantics (shared/bench/src/ref.h): locked > restricted > halt >
    /// liquidate-only > position limit, absolute-position reversals.
    public static let workloadB = PreTradePolicy(
        precedence: [.accountLocked, .unknownProduct, .restrictedProduct, .riskTimePeriod, .liquidateOnly, .positionLimit, .groupLimit],
        reversal: .absolutePosition)
}
