import RuleBase
import RuleEngine

/// An append-only UTF-8 buffer for the `simulate` hot path: numbers, money, prices, instants and
/// dates are written as digits straight into the bytes, with no `String` in between. A class
/// over one growable allocation, so appends are plain stores (no copy-on-write check per byte).
final class ByteSink {
    private var base: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private(set) var count = 0

    init(capacity: Int = 1 << 16) {
        self.capacity = max(capacity, 64)
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    /// The bytes written so far (a copy).
    var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: count)) }

    var text: String { String(decoding: UnsafeBufferPointer(start: base, count: count), as: UTF8.self) }

    func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { body(UnsafeBufferPointer(start: base, count: count)) }

    func reset() { count = 0 }

    @inline(__always) private func reserve(_ n: Int) {
        if count + n > capacity { grow(count + n) }
    }

    private func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        b.update(from: base, count: count)
        base.deallocate()
        base = b
        capacity = c
    }

    @inline(__always) func byte(_ b: UInt8) {
        reserve(1)
        base[count] = b
        count += 1
    }

    @inline(__always) func append(_ p: UnsafeRawBufferPointer) {
        reserve(p.count)
        if let src = p.baseAddress { (base + count).update(from: src.assumingMemoryBound(to: UInt8.self), count: p.count) }
        count += p.count
    }

    func append(_ a: [UInt8]) { a.withUnsafeBytes { append($0) } }

    /// Appends a string literal as UTF-8.
    @inline(__always) func raw(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        reserve(n)
        let src = s.utf8Start, dst = base + count
        if n <= 24 {
            for k in 0..<n { dst[k] = src[k] }
        } else {
            dst.update(from: src, count: n)
        }
        count += n
    }

    func text(_ s: String) {
        var s = s
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// A JSON string with `"`, `\` and control characters escaped.
    func quoted(_ s: String) {
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
    func int(_ v: Int64) { decimal(v, scale: 0, minFraction: 0) }

    /// Money as a decimal with at least two fraction digits: `-1000.00`, `0.0001`.
    @inline(__always) func money(_ m: Money) {
        if m.units < 0 { byte(UInt8(ascii: "-")) }
        let mag = m.units.magnitude
        unsigned(mag / 10_000)
        let frac = Int(mag % 10_000)
        reserve(5)
        base[count] = UInt8(ascii: ".")
        count += 1
        twoDigits(frac / 100)
        let sub = frac % 100
        if sub != 0 {
            if sub % 10 == 0 { byte(UInt8(truncatingIfNeeded: sub / 10) &+ 48) } else { twoDigits(sub) }
        }
    }

    /// Formatted money per slot (a snapshot field that rarely changes): value and up to 24 bytes.
    private var slotValues = [Int64](repeating: .min, count: 8)
    private var slotBytes = [(UInt64, UInt64, UInt64, Int)](repeating: (0, 0, 0, 0), count: 8)

    /// `money(m)`, reusing the bytes of the last value written through the same slot.
    @inline(__always) func money(_ m: Money, slot: Int) {
        if slotValues[slot] == m.units {
            let b = slotBytes[slot]
            withUnsafeBytes(of: (b.0, b.1, b.2)) { append(UnsafeRawBufferPointer(rebasing: $0[0..<b.3])) }
            return
        }
        let start = count
        money(m)
        let n = count - start
        guard n <= 24 else { return }
        var t: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &t) { dst in
            for k in 0..<n { dst[k] = base[start + k] }
        }
        slotValues[slot] = m.units
        slotBytes[slot] = (t.0, t.1, t.2, n)
    }

    @inline(__always) private func twoDigits(_ v: Int) {
        reserve(2)
        base[count] = UInt8(truncatingIfNeeded: v / 10) &+ 48
        base[count + 1] = UInt8(truncatingIfNeeded: v % 10) &+ 48
        count += 2
    }

    /// Money grouped with commas for people: `-1,000.00`.
    func moneyGrouped(_ m: Money) { text(m.formatted()) }

    @inline(__always) func price(_ p: Price) { decimal(p.micros, scale: 6, minFraction: 2) }

    /// `mantissa × 10^-scale`, dropping fraction zeros beyond `minFraction`.
    func decimal(_ mantissa: Int64, scale: Int, minFraction: Int) {
        var magnitude = mantissa.magnitude
        var fraction = scale
        while fraction > minFraction, magnitude % 10 == 0, magnitude != 0 {
            magnitude /= 10
            fraction -= 1
        }
        if magnitude == 0 { fraction = minFraction }
        if mantissa < 0 { byte(UInt8(ascii: "-")) }
        var p: UInt64 = 1
        for _ in 0..<fraction { p &*= 10 }
        unsigned(magnitude / p)
        if fraction > 0 {
            byte(UInt8(ascii: "."))
            var f = magnitude % p
            var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
            withUnsafeMutableBytes(of: &digits) { buf in
                for k in Swift.stride(from: fraction - 1, through: 0, by: -1) {
                    buf[k] = UInt8(truncatingIfNeeded: f % 10) &+ 48
                    f /= 10
                }
                append(UnsafeRawBufferPointer(rebasing: buf[0..<fraction]))
            }
        }
    }

    /// An unsigned integer, written right to left straight into the buffer.
    @inline(__always) func unsigned(_ v: UInt64) {
        if v < 10 {
            byte(UInt8(truncatingIfNeeded: v) &+ 48)
            return
        }
        var n = 1
        var t = v
        while t >= 10 { t /= 10; n += 1 }
        reserve(n)
        var p = base + count + n
        var x = v
        repeat {
            p -= 1
            p.pointee = UInt8(truncatingIfNeeded: x % 10) &+ 48
            x /= 10
        } while x != 0
        count += n
    }

    /// The last date written and its ten bytes, so consecutive events on one day format once.
    private var cachedDay: Int64 = .min
    private var cachedDate: (UInt64, UInt16) = (0, 0)
    private var cachedDay2: Int64 = .min
    private var cachedDate2: (UInt64, UInt16) = (0, 0)

    /// `2026-03-03` for a day number since the epoch, from the second cache slot (trade dates).
    func tradeDate(days: Int64) {
        swap(&cachedDay, &cachedDay2)
        swap(&cachedDate, &cachedDate2)
        date(days: days)
        swap(&cachedDay, &cachedDay2)
        swap(&cachedDate, &cachedDate2)
    }

    /// `2026-03-03` for a day number since the epoch.
    func date(days: Int64) {
        if days != cachedDay {
            let start = count
            date(CivilDate(daysSinceEpoch: days))
            let src = base + start
            withUnsafeMutableBytes(of: &cachedDate) { c in
                for k in 0..<10 { c[k] = src[k] }
            }
            cachedDay = days
            return
        }
        withUnsafeBytes(of: cachedDate) { c in append(UnsafeRawBufferPointer(rebasing: c[0..<10])) }
    }

    @inline(__always) private func two(_ v: Int) {
        byte(UInt8(48 + v / 10))
        byte(UInt8(48 + v % 10))
    }

    /// `2026-03-03`.
    func date(_ d: CivilDate) {
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
    func instant(_ t: Instant, offsetSeconds: Int32? = nil) {
        let off = Int64(offsetSeconds ?? 0)
        let secs = t.epochSeconds &+ off
        let ms = t.millis - t.epochSeconds * 1000
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let tod = Int(secs - days * 86_400)
        date(days: days)
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

    /// The last date prefix parsed (`2026-03-03`) and its day number, for streams of one day.
    final class DateCache {
        var prefix: (UInt64, UInt16) = (0, 0)
        var days: Int64 = .min
        init() {}
    }

    static func parse(_ b: UnsafeBufferPointer<UInt8>, cache: DateCache?) -> Instant? {
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

    static func parse(_ b: UnsafeBufferPointer<UInt8>, knownDays: Int64? = nil) -> Instant? {
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
