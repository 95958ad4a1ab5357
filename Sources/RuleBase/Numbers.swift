/// An exact decimal as written in a rulebook: `mantissa × 10^-scale` (`1_000.50` = 100050, 2).
public struct DecimalNumber: Hashable, Sendable, CustomStringConvertible {
    public let mantissa: Int64
    public let scale: UInt8

    public init(mantissa: Int64, scale: UInt8) {
        self.mantissa = mantissa
        self.scale = scale
    }

    /// Parses digits with optional `_` separators and one optional `.`; nil if malformed or
    /// out of range. Accepts a leading `-`.
    public init?(parsing text: Substring.UTF8View) {
        var m: Int64 = 0
        var scale: UInt8 = 0
        var sawDot = false, sawDigit = false, negative = false
        var first = true
        var previousUnderscore = false
        for b in text {
            defer { first = false }
            switch b {
            case UInt8(ascii: "-") where first: negative = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (a, o1) = m.multipliedReportingOverflow(by: 10)
                let (s, o2) = a.addingReportingOverflow(Int64(b - 48))
                if o1 || o2 { return nil }
                m = s
                sawDigit = true
                previousUnderscore = false
                if sawDot { scale += 1; if scale > 18 { return nil } }
            case UInt8(ascii: "_"):
                if !sawDigit || previousUnderscore { return nil }
                previousUnderscore = true
            case UInt8(ascii: "."):
                if sawDot || !sawDigit || previousUnderscore { return nil }
                sawDot = true
                sawDigit = false
            default: return nil
            }
        }
        if !sawDigit || previousUnderscore { return nil }
        self.mantissa = negative ? -m : m
        self.scale = scale
    }

    public init?(_ text: String) { self.init(parsing: Substring(text).utf8) }

    public var isInteger: Bool { scale == 0 || mantissa % Int64.pow10(Int(scale)) == 0 }

    /// The value rescaled to `target` fraction digits, or nil if that would lose digits or overflow.
    public func scaled(to target: UInt8) -> Int64? {
        if target >= scale {
            let (v, o) = mantissa.multipliedReportingOverflow(by: Int64.pow10(Int(target - scale)))
            return o ? nil : v
        }
        let div = Int64.pow10(Int(scale - target))
        return mantissa % div == 0 ? mantissa / div : nil
    }

    public var integerValue: Int64? { scaled(to: 0) }

    public var description: String { Self.format(mantissa, scale: Int(scale), group: false) }

    /// Formats `mantissa × 10^-scale`, optionally with `_` thousands groups (`13_200.5`).
    public static func format(_ mantissa: Int64, scale: Int, group: Bool, separator: Character = "_") -> String {
        let negative = mantissa < 0
        let mag = mantissa.magnitude
        var digits = String(mag)
        if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
        let intPart = String(digits.prefix(digits.count - scale))
        let fracPart = String(digits.suffix(scale))
        var grouped = ""
        if group && intPart.count > 3 {
            for (i, ch) in intPart.enumerated() {
                if i > 0 && (intPart.count - i) % 3 == 0 { grouped.append(separator) }
                grouped.append(ch)
            }
        } else { grouped = intPart }
        return (negative ? "-" : "") + grouped + (scale > 0 ? "." + fracPart : "")
    }
}

extension Int64 {
    /// 10^n for 0 ≤ n ≤ 18.
    public static func pow10(_ n: Int) -> Int64 {
        var r: Int64 = 1
        for _ in 0..<n { r &*= 10 }
        return r
    }
}

/// Exact US dollars as a fixed-point integer of 1/100 cent. Arithmetic reports overflow
/// instead of trapping.
public struct Money: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let scale: Int64 = 10_000
    public static let scaleDigits: UInt8 = 4
    public let units: Int64

    public init(units: Int64) { self.units = units }
    public static let zero = Money(units: 0)

    /// Whole cents, as the broker and the benchmarks count them.
    public init(cents: Int64) { self.units = cents &* 100 }
    public init(dollars: Int64) { self.units = dollars &* Money.scale }

    /// nil when the number has more than four decimals or does not fit.
    public init?(_ number: DecimalNumber) {
        guard let u = number.scaled(to: Money.scaleDigits) else { return nil }
        self.units = u
    }

    /// Parses `1_000.50 USD`, `1000.5` or `-12.25 USD` exactly.
    public init?(parsing text: String) {
        var t = Substring(text)
        if t.hasSuffix("USD") { t = t.dropLast(3) }
        while t.last == " " { t = t.dropLast() }
        guard let d = DecimalNumber(parsing: t.utf8) else { return nil }
        self.init(d)
    }

    public var cents: Int64 { units / 100 }

    public func adding(_ o: Money) -> Money? {
        let (s, ov) = units.addingReportingOverflow(o.units)
        return ov ? nil : Money(units: s)
    }
    public func subtracting(_ o: Money) -> Money? {
        let (s, ov) = units.subtractingReportingOverflow(o.units)
        return ov ? nil : Money(units: s)
    }
    public func multiplied(by n: Int64) -> Money? {
        let (s, ov) = units.multipliedReportingOverflow(by: n)
        return ov ? nil : Money(units: s)
    }

    /// Saturating arithmetic for the engine's hot path: balances far beyond Int64 range are not
    /// meaningful, so clamp rather than trap.
    public static func + (a: Money, b: Money) -> Money {
        let (s, o) = a.units.addingReportingOverflow(b.units)
        return Money(units: o ? (b.units > 0 ? .max : .min) : s)
    }
    public static func - (a: Money, b: Money) -> Money {
        let (s, o) = a.units.subtractingReportingOverflow(b.units)
        return Money(units: o ? (b.units < 0 ? .max : .min) : s)
    }
    public static prefix func - (a: Money) -> Money { Money(units: a.units == .min ? .max : -a.units) }
    public static func < (a: Money, b: Money) -> Bool { a.units < b.units }

    /// `1,234.50 USD` style for humans (two decimals unless finer digits are present).
    public var description: String { formatted() + " USD" }

    /// Decimal text without unit: `1234.5` → `1,234.50` (grouped) or `1234.50`.
    public func formatted(grouping: Bool = true, separator: Character = ",") -> String {
        var scale = 4
        var m = units
        while scale > 2 && m % 10 == 0 { m /= 10; scale -= 1 }
        return DecimalNumber.format(m, scale: scale, group: grouping, separator: separator)
    }

    /// The shortest exact rulebook spelling: `13_200 USD`, `0.25 USD`, `1_000.5 USD`.
    public var rulebookText: String {
        var scale = 4
        var m = units
        while scale > 0 && m % 10 == 0 { m /= 10; scale -= 1 }
        return DecimalNumber.format(m, scale: scale, group: true) + " USD"
    }
}

/// An exact fraction `numerator / denominator` (denominator > 0); percents are stored as the
/// fraction of one (`1.5%` = 15/1000). Compared by cross-multiplication with a double-width
/// product, never by division.
public struct Ratio: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let numerator: Int64
    public let denominator: Int64

    public init(numerator: Int64, denominator: Int64) {
        precondition(denominator > 0) // INVARIANT: callers build ratios from parsed percents only.
        self.numerator = numerator
        self.denominator = denominator
    }

    /// `1.5` percent → 15/1000; nil when the digits do not fit.
    public init?(percent d: DecimalNumber) {
        guard Int(d.scale) + 2 <= 18 else { return nil }
        self.numerator = d.mantissa
        self.denominator = Int64.pow10(Int(d.scale) + 2)
    }

    public static func < (a: Ratio, b: Ratio) -> Bool {
        let l = a.numerator.multipliedFullWidth(by: b.denominator)
        let r = b.numerator.multipliedFullWidth(by: a.denominator)
        return (l.high, l.low) < (r.high, r.low)
    }
    public static func == (a: Ratio, b: Ratio) -> Bool {
        let l = a.numerator.multipliedFullWidth(by: b.denominator)
        let r = b.numerator.multipliedFullWidth(by: a.denominator)
        return l.high == r.high && l.low == r.low
    }
    public func hash(into h: inout Hasher) {
        // Hash the reduced form so that equal ratios hash alike.
        let g = Ratio.gcd(numerator.magnitude, denominator.magnitude)
        h.combine(numerator / Int64(g))
        h.combine(denominator / Int64(g))
    }
    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? max(a, 1) : gcd(b, a % b) }

    /// Percent points as exact decimal text: 15/1000 → `1.5`, 1/2 → `50`. A ratio with no
    /// finite decimal form (1/3) is shown to eight decimals.
    public var percentText: String {
        // percent = numerator × 100 / denominator; find the fewest decimals that make it exact.
        for scale in 0...8 {
            let (scaled, o1) = numerator.multipliedReportingOverflow(by: 100 * Int64.pow10(scale))
            if o1 { break }
            if scaled % denominator == 0 {
                return DecimalNumber.format(scaled / denominator, scale: scale, group: false)
            }
        }
        let p = numerator.multipliedFullWidth(by: 100 * Int64.pow10(8))
        let (q, _) = denominator.dividingFullWidth(p)
        return DecimalNumber.format(q, scale: 8, group: false)
    }
    public var description: String { percentText + "%" }

    /// `value ≥ ratio × base`, exactly: `value × den ≥ num × base` in 128-bit.
    @inline(__always)
    public func isReached(by value: Int64, base: Int64) -> Bool {
        let l = value.multipliedFullWidth(by: denominator)
        let r = numerator.multipliedFullWidth(by: base)
        return (l.high, l.low) >= (r.high, r.low)
    }

    /// `ratio × base` in money units, rounded toward zero (for display only; decisions use
    /// `isReached`).
    public func of(_ base: Money) -> Money {
        let p = numerator.multipliedFullWidth(by: base.units)
        let (q, _) = denominator.dividingFullWidth(p)
        return Money(units: q)
    }
}
