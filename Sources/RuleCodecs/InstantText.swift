import RuleBase

/// ISO-8601 instants as events and states write them: `2026-03-03T15:00:00Z`,
/// `2026-03-03T09:00:00-06:00`, optional fraction (milliseconds kept, finer digits must be 0).
/// The offset is required: a bare wall time would be ambiguous.
public enum InstantText {
    /// The instant `s` names, or nil when it is not such a string.
    public static func parse(_ s: String) -> Instant? {
        var s = s
        return s.withUTF8 { parse($0) }
    }

    /// The last date prefix parsed (`2026-03-03`) and its day number, for streams of one day.
    public final class DateCache {
        var prefix: (UInt64, UInt16) = (0, 0)
        var days: Int64 = .min
        public init() {}
    }

    /// As `parse(_:)` over bytes, reusing the day number of the last date prefix in `cache`.
    public static func parse(_ b: UnsafeBufferPointer<UInt8>, cache: DateCache?) -> Instant? {
        let n = b.count
        guard n >= 20 else { return nil }
        var key: (UInt64, UInt16) = (0, 0)
        withUnsafeMutableBytes(of: &key) { k in for j in 0..<10 { k[j] = b[j] } }
        if let c = cache, c.days != .min, c.prefix == key {
            return rest(b, days: c.days)
        }
        guard let i = parse(b) else { return nil }
        if let c = cache, let d = datePart(b) {
            c.prefix = key
            c.days = d
        }
        return i
    }

    /// The day number of the `YYYY-MM-DD` prefix (validated).
    static func datePart(_ b: UnsafeBufferPointer<UInt8>) -> Int64? {
        var v = [0, 0, 0]
        let spans = [(0, 4), (5, 2), (8, 2)]
        for (k, (s, l)) in spans.enumerated() {
            for j in s..<(s + l) {
                let x = Int(b[j]) - 48
                guard x >= 0 && x <= 9 else { return nil }
                v[k] = v[k] * 10 + x
            }
        }
        guard b[4] == 45, b[7] == 45, let d = CivilDate(year: v[0], month: v[1], day: v[2]) else { return nil }
        return d.daysSinceEpoch
    }

    /// The time and offset after a known date prefix.
    static func rest(_ b: UnsafeBufferPointer<UInt8>, days: Int64) -> Instant? {
        guard let full = parse(b, knownDays: days) else { return nil }
        return full
    }

    /// As `parse(_:)` over bytes; `knownDays` skips reading the date prefix.
    public static func parse(_ b: UnsafeBufferPointer<UInt8>, knownDays: Int64? = nil) -> Instant? {
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
        guard b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
              let h = num(11, 2), b[13] == 58, let mi = num(14, 2), b[16] == 58, let se = num(17, 2),
              h < 24, mi < 60, se < 60 else { return nil }
        let dayNumber: Int64
        if let k = knownDays {
            dayNumber = k
        } else {
            guard let y = num(0, 4), b[4] == 45, let mo = num(5, 2), b[7] == 45, let da = num(8, 2),
                  let date = CivilDate(year: y, month: mo, day: da) else { return nil }
            dayNumber = date.daysSinceEpoch
        }
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
        let secs = dayNumber * 86_400 + Int64(h * 3600 + mi * 60 + se) - Int64(offset)
        return Instant(millis: secs * 1000 + Int64(millis))
    }
}
