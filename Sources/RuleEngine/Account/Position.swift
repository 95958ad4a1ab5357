import RuleBase

/// A price as an exact fixed-point integer of 10⁻⁶ (micro) price units: `5012.25` = 5_012_250_000.
/// Six decimals hold every tick of the CME catalog (NG 0.001, HG 0.0005) with room to spare.
public struct Price: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let scale: Int64 = 1_000_000
    public static let scaleDigits: UInt8 = 6
    /// Largest accepted magnitude (10 million price units), so `price × quantity` stays in range.
    public static let maxMagnitude: Int64 = 10_000_000 * scale

    public let micros: Int64
    public init(micros: Int64) { self.micros = micros }

    /// nil when the number has more than six decimals or is beyond ±10,000,000.
    public init?(_ number: DecimalNumber) {
        guard let m = number.scaled(to: Price.scaleDigits), m.magnitude <= Price.maxMagnitude.magnitude else { return nil }
        self.micros = m
    }

    public static func < (a: Price, b: Price) -> Bool { a.micros < b.micros }

    /// Exact decimal text with at least two decimals: `5012.25`, `74.40`, `2.8135`.
    public var description: String {
        var scale = 6
        var m = micros
        while scale > 2 && m % 10 == 0 { m /= 10; scale -= 1 }
        return DecimalNumber.format(m, scale: scale, group: false)
    }
}

/// The contract economics of one product, by product index of the rule graph: what a price move
/// is worth and what a contract ties up in margin (day or overnight).
public struct ProductEconomics: Sendable, Hashable {
    public var pointValue: Money
    public var dayMargin: Money
    public var overnightMargin: Money

    public init(pointValue: Money, dayMargin: Money, overnightMargin: Money) {
        self.pointValue = pointValue
        self.dayMargin = dayMargin
        self.overnightMargin = overnightMargin
    }
}

/// An open position in one product: a signed quantity (long > 0) and its cost basis, kept as the
/// exact sum of `quantity × price` over the open contracts so that the average price never drifts.
public struct Position: Sendable, Hashable {
    /// Signed contracts: long > 0, short < 0.
    public internal(set) var quantity: Int64
    /// Σ signed quantity × price (micros) of the open contracts; its sign is the quantity's.
    public internal(set) var cost: Int64

    public init(quantity: Int64 = 0, cost: Int64 = 0) {
        self.quantity = quantity
        self.cost = cost
    }

    /// A position opened at one average price; nil when `quantity × price` does not fit.
    public init?(quantity: Int64, averagePrice: Price) {
        let (c, o) = quantity.multipliedReportingOverflow(by: averagePrice.micros)
        if o { return nil }
        self.quantity = quantity
        self.cost = c
    }

    public var isFlat: Bool { quantity == 0 }

    /// The average entry price (rounded toward zero to a micro when not exact); nil when flat.
    public var averagePrice: Price? { quantity == 0 ? nil : Price(micros: cost / quantity) }

    /// Open P&L at `mark`: `(mark − average) × quantity × pointValue`, in money units, exact
    /// whenever the average price is (rounded toward zero otherwise).
    @inline(__always)
    public func openPnL(mark: Price, pointValue: Money) -> Int64 {
        if quantity == 0 { return 0 }
        let (mq, o1) = mark.micros.multipliedReportingOverflow(by: quantity)
        let (diff, o2) = mq.subtractingReportingOverflow(cost)
        if o1 || o2 { return Position.saturatedPnL(mark: mark, position: self, pointValue: pointValue) }
        return Position.scaleDown(diff.multipliedFullWidth(by: pointValue.units))
    }

    /// Applies a fill of signed `quantity` at `price`: the closing part realizes P&L against the
    /// average price, the rest opens at `price`. Returns the realized P&L in money units, or nil
    /// (and leaves the position unchanged) when the numbers do not fit.
    public mutating func apply(quantity o: Int64, price: Price, pointValue: Money) -> Int64? {
        guard o != 0 else { return 0 }
        var realized: Int64 = 0
        var q = quantity, c = cost
        var rest = o
        if q != 0 && (q > 0) != (o > 0) {
            // Closing k contracts of |q|.
            let k = min(o.magnitude, q.magnitude)
            let removed = Position.proportion(c, Int64(k), Int64(q.magnitude))
            let closing = q > 0 ? Int64(k) : -Int64(k)
            let (proceeds, o1) = price.micros.multipliedReportingOverflow(by: closing)
            let (diff, o2) = proceeds.subtractingReportingOverflow(removed)
            if o1 || o2 { return nil }
            realized = Position.scaleDown(diff.multipliedFullWidth(by: pointValue.units))
            q -= closing
            c -= removed
            rest = o + closing
            if q == 0 { c = 0 }
        }
        if rest != 0 {
            let (add, o3) = price.micros.multipliedReportingOverflow(by: rest)
            let (nc, o4) = c.addingReportingOverflow(add)
            let (nq, o5) = q.addingReportingOverflow(rest)
            if o3 || o4 || o5 { return nil }
            q = nq
            c = nc
        }
        quantity = q
        cost = c
        return realized
    }

    /// `value × k / n` for 0 < k ≤ n, rounded toward zero, without overflow.
    static func proportion(_ value: Int64, _ k: Int64, _ n: Int64) -> Int64 {
        if k == n { return value }
        let p = value.multipliedFullWidth(by: k)
        return n.dividingFullWidth(p).quotient
    }

    /// A 128-bit `micro-price × money units` product divided by `Price.scale`, rounded toward
    /// zero, saturating at the Int64 range.
    @inline(__always)
    static func scaleDown(_ p: (high: Int64, low: UInt64)) -> Int64 {
        if (p.high == 0 && p.low >> 63 == 0) || (p.high == -1 && p.low >> 63 == 1) {
            return Int64(bitPattern: p.low) / Price.scale
        }
        guard p.high > -400_000 && p.high < 400_000 else { return p.high < 0 ? .min : .max }
        return Price.scale.dividingFullWidth(p).quotient
    }

    static func saturatedPnL(mark: Price, position: Position, pointValue: Money) -> Int64 {
        let up = (mark.micros > 0) == (position.quantity > 0)
        return up == (pointValue.units >= 0) ? .max / 4 : .min / 4
    }
}
