import RuleBase

/// One input to the post-trade state machine: something that happened to the account at an
/// instant. The clock's own boundaries (end of day, session open, week start, time period,
/// flatten_at) are not events: the engine derives them from the calendar between events.
public struct Event: Sendable, Hashable {
    public var at: Instant
    public var kind: Kind

    public init(at: Instant, _ kind: Kind) {
        self.at = at
        self.kind = kind
    }

    public enum Kind: Sendable, Hashable {
        /// An execution: signed quantity (buy > 0) at a price, with its commission (nil: the
        /// account's per-contract commission).
        case fill(Fill)
        /// A new price for one product.
        case mark(Mark)
        /// `setAdminAutoLiqAction`.
        case admin(AdminAction)
        /// Only advances the clock (and so fires every boundary up to `at`).
        case clock
        /// Cash in or out (fees, deposits, withdrawals, balance adjustments).
        case cash(Money)
        /// An order to check before it can fill: the engine runs the pre-trade check against the
        /// account as it stands (working orders included) and reports `DecisionItem.order`.
        /// Accepting it fills nothing; an accepted order with an `id` is working until fills name
        /// it, a cancel names it or the rules cancel it (`OrderBook`).
        case order(OrderRequest)
        /// A cancel request for the working order with this id.
        case cancel(String)
        /// `switchRiskCategory` to the named category of the rulebook: applies at once, liquidates
        /// the excess over the new limits, then the post-trade rules run again.
        case switchCategory(String)
        /// The account reset after an incident (the broker's `changeDemoBalance` and
        /// `updateMaxNetLiq`): the balance becomes this amount and the day's and week's starting
        /// balances and the high-water mark become the new net liquidation. Restrictions in force
        /// stay (an admin `Normal` lifts them).
        case reset(Money)
        /// A payout (a withdrawal of profit, amount > 0): paid unless the template's payout
        /// conditions refuse it (Objectives/Payout.swift).
        case payout(Money)
    }

    public var name: String {
        switch kind {
        case .fill: return "fill"
        case .mark: return "mark"
        case .admin: return "admin"
        case .clock: return "clock"
        case .cash: return "cash"
        case .order: return "order"
        case .cancel: return "cancel"
        case .switchCategory: return "switch_category"
        case .reset: return "reset"
        case .payout: return "payout"
        }
    }
}

public struct Fill: Sendable, Hashable {
    /// Product index of the rule graph.
    public var product: Int32
    /// Signed contracts: buy > 0, sell < 0.
    public var quantity: Int64
    public var price: Price
    public var commission: Money?
    /// The working order this fill executes (nil: a fill that names no order, which changes
    /// no working order).
    public var orderID: String?

    public init(product: Int32, quantity: Int64, price: Price, commission: Money? = nil, orderID: String? = nil) {
        self.product = product
        self.quantity = quantity
        self.price = price
        self.commission = commission
        self.orderID = orderID
    }
}

public struct Mark: Sendable, Hashable {
    public var product: Int32
    public var price: Price

    public init(product: Int32, price: Price) {
        self.product = product
        self.price = price
    }
}

/// An order as submitted: product, signed quantity (buy > 0), type and price, optional id.
public struct OrderRequest: Sendable, Hashable {
    /// Product index of the rule graph; `Order.unknownProduct` (or any index outside the catalog)
    /// for a symbol the rulebook does not know, which the check rejects (`UNKNOWN_PRODUCT`).
    public var product: Int32
    /// Signed contracts: buy > 0, sell < 0; |quantity| in 1...`Order.maxQuantity`.
    public var quantity: Int64
    /// The limit or stop price (for a market order, informational only).
    public var limitPrice: Price?
    /// The symbol as submitted when the rulebook does not know it (for messages); nil otherwise.
    public var unknownSymbol: String?
    /// The order's id in the history; nil for an order that is only checked and never rests.
    public var id: String?
    public var type: OrderType

    public init(product: Int32, quantity: Int64, limitPrice: Price? = nil, unknownSymbol: String? = nil,
                id: String? = nil, type: OrderType = .market) {
        self.product = product
        self.quantity = quantity
        self.limitPrice = limitPrice
        self.unknownSymbol = unknownSymbol
        self.id = id
        self.type = type
    }

    /// The pre-trade `Order` (side from the sign), or nil when the quantity is 0 or too large.
    @inlinable public var order: Order? {
        guard quantity != 0, quantity.magnitude <= UInt64(Order.maxQuantity) else { return nil }
        return Order(product: product, side: quantity > 0 ? .buy : .sell, quantity: quantity > 0 ? quantity : 0 &- quantity)
    }
}
