import RuleBase
import RuleEngine

/// An append-only UTF-8 buffer for the `simulate` hot path: numbers, money, prices, instants and
/// dates are written as digits straight into the bytes, with no `String` in between.
struct ByteSink {
    var bytes: [UInt8] = []

    init(capacity: Int = 1 << 16) { bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Appends a string literal (or any string) as UTF-8.
    @inline(__always) mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func text(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// A JSON string with `"`, `\` and control characters escaped.
    mutating func quoted(_ s: String) {
        byte(0x22)
        for b in s.utf8 {
            switch b {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x0D: raw("\\r")
            case 0x09: raw("\\t")
            case 0..<0x20:
                raw("\\u00")
                byte(hex(b >> 4))
                byte(hex(b & 0xF))
            default: byte(b)
            }
        }
        byte(0x22)
    }

    @inline(__always) private func hex(_ n: UInt8) -> UInt8 { n < 10 ? 48 + n : 87 + n }

    /// An integer.
    mutating func int(_ v: Int64) { decimal(v, scale: 0, minFraction: 0) }

    /// Money as a decimal with at least two fraction digits: `-1000.00`, `0.0001`.
    @inline(__always) mutating func money(_ m: Money) { decimal(m.units, scale: 4, minFraction: 2) }

    /// Money grouped with commas for people: `-1,000.00`.
    mutating func moneyGrouped(_ m: Money) { text(m.formatted()) }

    @inline(__always) mutating func price(_ p: Price) { decimal(p.micros, scale: 6, minFraction: 2) }

    /// `mantissa × 10^-scale`, dropping fraction zeros beyond `minFraction`.
    mutating func decimal(_ mantissa: Int64, scale: Int, minFraction: Int) {
        var magnitude = mantissa.magnitude
        var fraction = scale
        while fraction > minFraction, magnitude % 10 == 0, magnitude != 0 {
            magnitude /= 10
            fraction -= 1
        }
        if magnitude == 0 { fraction = minFraction }
        var digits: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buf in
            var n = 0
            repeat {
                buf[n] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
                magnitude /= 10
                n += 1
            } while magnitude != 0
            while n < fraction + 1 { buf[n] = 48; n += 1 }
            if mantissa < 0 { bytes.append(UInt8(ascii: "-")) }
            var k = n
            while k > 0 {
                k -= 1
                bytes.append(buf[k])
                if k == fraction && k > 0 { bytes.append(UInt8(ascii: ".")) }
            }
        }
    }

    @inline(__always) private mutating func two(_ v: Int) {
        byte(UInt8(48 + v / 10))
        byte(UInt8(48 + v % 10))
    }

    /// `2026-03-03`.
    mutating func date(_ d: CivilDate) {
        let y = Int(d.year)
        if y >= 0 && y <= 9999 {
            two(y / 100)
            two(y % 100)
        } else {
            text(String(y))
        }
        byte(UInt8(ascii: "-"))
        two(Int(d.month))
        byte(UInt8(ascii: "-"))
        two(Int(d.day))
    }

    /// ISO-8601 in UTC, `2026-03-03T15:00:00Z` (milliseconds only when non-zero), or with the
    /// given offset, `2026-03-03T09:00:00-06:00`.
    mutating func instant(_ t: Instant, offsetSeconds: Int32? = nil) {
        let off = Int64(offsetSeconds ?? 0)
        let secs = t.epochSeconds &+ off
        let ms = t.millis - t.epochSeconds * 1000
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let tod = Int(secs - days * 86_400)
        date(CivilDate(daysSinceEpoch: days))
        byte(UInt8(ascii: "T"))
        two(tod / 3600)
        byte(UInt8(ascii: ":"))
        two(tod / 60 % 60)
        byte(UInt8(ascii: ":"))
        two(tod % 60)
        if ms != 0 {
            byte(UInt8(ascii: "."))
            byte(UInt8(48 + ms / 100))
            two(Int(ms % 100))
        }
        guard let o = offsetSeconds else {
            byte(UInt8(ascii: "Z"))
            return
        }
        byte(o < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let m = Int(o.magnitude) / 60
        two(m / 60)
        byte(UInt8(ascii: ":"))
        two(m % 60)
    }
}

/// ISO-8601 instants as events and states write them: `2026-03-03T15:00:00Z`,
/// `2026-03-03T09:00:00-06:00`, optional fraction (milliseconds kept, finer digits must be 0).
/// The offset is required: a bare wall time would be ambiguous.
enum InstantText {
    static func parse(_ s: String) -> Instant? {
        var s = s
        return s.withUTF8 { parse($0) }
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Instant? {
        let n = b.count
        guard n >= 20 else { return nil }
        func d(_ i: Int) -> Int? {
            let v = Int(b[i]) - 48
            return v >= 0 && v <= 9 ? v : nil
        }
        func num(_ i: Int, _ len: Int) -> Int? {
            var v = 0
            for k in i..<(i + len) {
                guard let x = d(k) else { return nil }
                v = v * 10 + x
            }
            return v
        }
        guard let y = num(0, 4), b[4] == 45, let mo = num(5, 2), b[7] == 45, let da = num(8, 2),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
              let h = num(11, 2), b[13] == 58, let mi = num(14, 2), b[16] == 58, let se = num(17, 2),
              h < 24, mi < 60, se < 60, let date = CivilDate(year: y, month: mo, day: da) else { return nil }
        var i = 19
        var millis = 0
        if i < n, b[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < n, let x = d(i) {
                if digits < 3 { millis = millis * 10 + x } else if x != 0 { return nil }
                digits += 1
                i += 1
            }
            if digits == 0 { return nil }
            if digits < 3 { for _ in digits..<3 { millis *= 10 } }
        }
        guard i < n else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            guard i + 6 == n, let oh = num(i + 1, 2), b[i + 3] == 58, let om = num(i + 4, 2), oh < 24, om < 60 else { return nil }
            offset = (oh * 60 + om) * 60 * (b[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == n else { return nil }
        let secs = date.daysSinceEpoch * 86_400 + Int64(h * 3600 + mi * 60 + se) - Int64(offset)
        return Instant(millis: secs * 1000 + Int64(millis))
    }
}
