import RuleBase

/// What the account may do (domain.md §2.1), strongest last.
public enum AccountModeKind: UInt8, Sendable, Hashable, Comparable, CustomStringConvertible {
    case normal = 0, liquidateOnly = 1, locked = 2
    public static func < (a: AccountModeKind, b: AccountModeKind) -> Bool { a.rawValue < b.rawValue }
    public var description: String { ["normal", "liquidate_only", "locked"][Int(rawValue)] }
}

/// The money side of one account: cash balance, positions and last marks per product, the
/// period anchors (SOD, SOW) and the trailing high-water mark. Net liquidation value and margin
/// in use are kept up to date incrementally, so reading them costs nothing.
///
/// All money is exact (`Money` units of 1/100 cent); prices are exact micros. No `Double`.
public struct AccountState: Sendable, Hashable {
    /// Cash balance: starting balance + realized P&L − commissions and fees (domain.md §1.2).
    public internal(set) var balance: Money
    /// Net liquidation value at the trading day's session open.
    public internal(set) var dayStart: Money
    /// Net liquidation value at the week's start.
    public internal(set) var weekStart: Money
    /// High-water mark the trailing level is measured from (R-15 for its first value).
    public internal(set) var highWaterMark: Money
    /// Commission charged per contract on fills that do not state their own (liquidations, R-5).
    public var commissionPerContract: Money
    /// Open positions by product index of the rule graph.
    public internal(set) var positions: [Position]
    /// Last mark (or fill price) by product index; nil before the first one.
    public internal(set) var marks: [Price?]
    /// Open P&L by product index, in money units, at its last mark.
    public internal(set) var openPnL: [Int64]
    public internal(set) var openPnLTotal: Int64
    /// Margin in use (day or overnight requirement, by the current period).
    public internal(set) var marginUsed: Money
    /// Whether overnight margins apply (inside the template's time period).
    public internal(set) var overnight: Bool
    /// Realized P&L of every fill and liquidation since the state was made (reports only).
    public internal(set) var realizedTotal: Money = .zero
    /// Commissions charged on those fills (reports only).
    public internal(set) var commissionTotal: Money = .zero
    /// Cash adjustments applied (reports only).
    public internal(set) var cashTotal: Money = .zero

    /// A flat account with `balance` as every anchor and the high-water mark.
    public init(productCount: Int, balance: Money, commissionPerContract: Money = .zero) {
        self.balance = balance
        self.dayStart = balance
        self.weekStart = balance
        self.highWaterMark = balance
        self.commissionPerContract = commissionPerContract
        self.positions = Array(repeating: Position(), count: productCount)
        self.marks = Array(repeating: nil, count: productCount)
        self.openPnL = Array(repeating: 0, count: productCount)
        self.openPnLTotal = 0
        self.marginUsed = .zero
        self.overnight = false
    }

    /// Net liquidation value: balance + open P&L of every position at its last mark.
    @inline(__always) public var netLiq: Money { Money(units: balance.units &+ openPnLTotal) }

    public var isFlat: Bool { positions.allSatisfy(\.isFlat) }

    /// Sets the period anchors and the high-water mark (for a state read from a file).
    public mutating func setAnchors(dayStart: Money, weekStart: Money, highWaterMark: Money) {
        self.dayStart = dayStart
        self.weekStart = weekStart
        self.highWaterMark = highWaterMark
    }

    /// Places a position as it stands (for a state read from a file); nil when it does not fit.
    public mutating func setPosition(_ product: Int, _ position: Position, mark: Price?, economics: [ProductEconomics]) {
        positions[product] = position
        if let m = mark { marks[product] = m }
        revalue(product, economics)
        recomputeMargin(economics)
    }

    /// A new mark for one product; returns nothing, the caches move with it.
    @inline(__always)
    public mutating func mark(_ product: Int, _ price: Price, _ economics: [ProductEconomics]) {
        marks[product] = price
        revalue(product, economics)
    }

    /// Adds cash (negative for fees or withdrawals).
    public mutating func adjustBalance(_ amount: Money) {
        balance = balance + amount
        cashTotal = cashTotal + amount
    }

    /// A fill of signed `quantity` at `price` with `commission`; the fill price becomes the
    /// product's mark. Returns the realized P&L, or nil (state unchanged) when it does not fit.
    public mutating func fill(_ product: Int, quantity: Int64, price: Price, commission: Money,
                              _ economics: [ProductEconomics]) -> Money? {
        var p = positions[product]
        guard let realized = p.apply(quantity: quantity, price: price, pointValue: economics[product].pointValue) else { return nil }
        positions[product] = p
        balance = balance + Money(units: realized) - commission
        realizedTotal = realizedTotal + Money(units: realized)
        commissionTotal = commissionTotal + commission
        marks[product] = price
        revalue(product, economics)
        recomputeMargin(economics)
        return Money(units: realized)
    }

    /// Switches between day and overnight margins.
    public mutating func setOvernight(_ on: Bool, _ economics: [ProductEconomics]) {
        overnight = on
        recomputeMargin(economics)
    }

    mutating func setDayStart(_ m: Money) { dayStart = m }
    mutating func setWeekStart(_ m: Money) { weekStart = m }
    mutating func raiseHighWaterMark(to m: Money) { if m > highWaterMark { highWaterMark = m } }

    @inline(__always)
    mutating func revalue(_ product: Int, _ economics: [ProductEconomics]) {
        let new: Int64
        if let m = marks[product] {
            new = positions[product].openPnL(mark: m, pointValue: economics[product].pointValue)
        } else {
            new = 0
        }
        openPnLTotal = openPnLTotal &- openPnL[product] &+ new
        openPnL[product] = new
    }

    mutating func recomputeMargin(_ economics: [ProductEconomics]) {
        var total = Money.zero
        for i in positions.indices where positions[i].quantity != 0 {
            let per = overnight ? economics[i].overnightMargin : economics[i].dayMargin
            total = total + Money(units: per.units.multipliedReportingOverflow(by: Int64(truncatingIfNeeded: positions[i].quantity.magnitude)).partialValue)
        }
        marginUsed = total
    }
}
