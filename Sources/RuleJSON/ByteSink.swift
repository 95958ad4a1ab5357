import RuleBase

/// An append-only UTF-8 buffer for the `simulate` hot path: numbers, money, decimals, instants
/// and dates are written as digits straight into the bytes, with no `String` in between. A class
/// over one growable allocation, so appends are plain stores (no copy-on-write check per byte).
/// Its identity is the buffer, so it is not `Sendable`: one writer owns it.
///
/// Every small writer is `@inlinable`: the callers (the step codec) live in other modules and
/// the release build must still inline the appends into their loops.
public final class ByteSink {
    /// The mutable state, behind a pointer the class never reassigns. Stored `var`s of a class
    /// that other modules reach into get a dynamic exclusivity check on every access
    /// (`swift_beginAccess`, a third of the `simulate` profile); pointee accesses do not.
    @usableFromInline struct State {
        @usableFromInline var base: UnsafeMutablePointer<UInt8>
        @usableFromInline var capacity: Int
        @usableFromInline var used = 0
        /// The last date written and its ten bytes, so consecutive events on one day format once
        /// (slot 2 for trade dates).
        @usableFromInline var cachedDay: Int64 = .min
        @usableFromInline var cachedDate: (UInt64, UInt16) = (0, 0)
        @usableFromInline var cachedDay2: Int64 = .min
        @usableFromInline var cachedDate2: (UInt64, UInt16) = (0, 0)

        @usableFromInline init(base: UnsafeMutablePointer<UInt8>, capacity: Int) {
            self.base = base
            self.capacity = capacity
        }
    }

    @usableFromInline let state: UnsafeMutablePointer<State>
    /// Formatted money per slot (a snapshot field that rarely changes): value and up to 24
    /// bytes; a cached length of 0 is an empty slot.
    @usableFromInline let slotValues: UnsafeMutablePointer<Int64>
    @usableFromInline let slotBytes: UnsafeMutablePointer<(UInt64, UInt64, UInt64, Int)>
    @usableFromInline static let slotCount = 8

    @inlinable var base: UnsafeMutablePointer<UInt8> {
        @inline(__always) get { state.pointee.base }
        @inline(__always) set { state.pointee.base = newValue }
    }
    @inlinable var capacity: Int {
        @inline(__always) get { state.pointee.capacity }
        @inline(__always) set { state.pointee.capacity = newValue }
    }
    @inlinable var used: Int {
        @inline(__always) get { state.pointee.used }
        @inline(__always) set { state.pointee.used = newValue }
    }

    /// How many bytes are written.
    @inlinable public var count: Int { used }

    public init(capacity: Int = 1 << 16) {
        let c = max(capacity, 64)
        state = .allocate(capacity: 1)
        state.initialize(to: State(base: .allocate(capacity: c), capacity: c))
        slotValues = .allocate(capacity: Self.slotCount)
        slotValues.initialize(repeating: .min, count: Self.slotCount)
        slotBytes = .allocate(capacity: Self.slotCount)
        slotBytes.initialize(repeating: (0, 0, 0, 0), count: Self.slotCount)
    }

    deinit {
        state.pointee.base.deallocate()
        state.deinitialize(count: 1)
        state.deallocate()
        slotValues.deallocate()
        slotBytes.deallocate()
    }

    /// The bytes written so far (a copy).
    @inlinable public var bytes: [UInt8] { Array(UnsafeBufferPointer(start: base, count: used)) }

    @inlinable public var text: String { String(decoding: UnsafeBufferPointer(start: base, count: used), as: UTF8.self) }

    @inlinable public func withBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R { body(UnsafeBufferPointer(start: base, count: used)) }

    @inlinable public func reset() { used = 0 }

    @inlinable @inline(__always) func reserve(_ n: Int) {
        if used + n > capacity { grow(used + n) }
    }

    @usableFromInline @inline(never) func grow(_ needed: Int) {
        var c = capacity * 2
        while c < needed { c *= 2 }
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: c)
        b.update(from: base, count: used)
        base.deallocate()
        base = b
        capacity = c
    }

    @inlinable @inline(__always) public func byte(_ b: UInt8) {
        reserve(1)
        base[used] = b
        used += 1
    }

    @inlinable @inline(__always) public func append(_ p: UnsafeRawBufferPointer) {
        reserve(p.count)
        if let src = p.baseAddress { (base + used).update(from: src.assumingMemoryBound(to: UInt8.self), count: p.count) }
        used += p.count
    }

    @inlinable public func append(_ a: [UInt8]) { a.withUnsafeBytes { append($0) } }

    /// Appends a string literal as UTF-8.
    @inlinable @inline(__always) public func raw(_ s: StaticString) {
        let n = s.utf8CodeUnitCount
        reserve(n)
        let src = s.utf8Start, dst = base + used
        if n <= 24 {
            for k in 0..<n { dst[k] = src[k] }
        } else {
            dst.update(from: src, count: n)
        }
        used += n
    }

    @inlinable public func text(_ s: String) {
        var s = s
        s.withUTF8 { append(UnsafeRawBufferPointer($0)) }
    }

    /// A JSON string with `"`, `\` and control characters escaped.
    @inlinable public func quoted(_ s: String) {
        byte(0x22)
        escaped(s)
        byte(0x22)
    }

    /// The inside of a JSON string: `"`, `\` and control characters escaped, no quotes (for a
    /// string written in pieces).
    @inlinable public func escaped(_ s: String) {
        var s = s
        // Most strings (ids, symbols, rule names) need no escape: one scan, one copy.
        let plain = s.withUTF8 { u -> Bool in
            for b in u where b == 0x22 || b == 0x5C || b < 0x20 { return false }
            append(UnsafeRawBufferPointer(u))
            return true
        }
        if plain { return }
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
    }

    @inlinable @inline(__always) func hex(_ n: UInt8) -> UInt8 { n < 10 ? 48 + n : 87 + n }

    /// An integer.
    @inlinable public func int(_ v: Int64) { decimal(v, scale: 0, minFraction: 0) }

    /// Money as a decimal with at least two fraction digits: `-1000.00`, `0.0001`.
    @inlinable @inline(__always) public func money(_ m: Money) {
        if m.units < 0 { byte(UInt8(ascii: "-")) }
        let mag = m.units.magnitude
        unsigned(mag / 10_000)
        let frac = Int(mag % 10_000)
        reserve(5)
        base[used] = UInt8(ascii: ".")
        used += 1
        twoDigits(frac / 100)
        let sub = frac % 100
        if sub != 0 {
            if sub % 10 == 0 { byte(UInt8(truncatingIfNeeded: sub / 10) &+ 48) } else { twoDigits(sub) }
        }
    }

    /// `money(m)`, reusing the bytes of the last value written through the same slot (0 to 7).
    @inlinable @inline(__always) public func money(_ m: Money, slot: Int) {
        precondition(slot >= 0 && slot < Self.slotCount, "money slot out of range")  // INVARIANT: callers pass constants
        // A cached length of 0 is an empty slot (`.min` is a real value, not a sentinel).
        if slotValues[slot] == m.units, slotBytes[slot].3 > 0 {
            let b = slotBytes[slot]
            withUnsafeBytes(of: (b.0, b.1, b.2)) { append(UnsafeRawBufferPointer(rebasing: $0[0..<b.3])) }
            return
        }
        let start = used
        money(m)
        let n = used - start
        guard n <= 24 else { return }
        var t: (UInt64, UInt64, UInt64) = (0, 0, 0)
        withUnsafeMutableBytes(of: &t) { dst in
            for k in 0..<n { dst[k] = base[start + k] }
        }
        slotValues[slot] = m.units
        slotBytes[slot] = (t.0, t.1, t.2, n)
    }

    @inlinable @inline(__always) func twoDigits(_ v: Int) {
        reserve(2)
        base[used] = UInt8(truncatingIfNeeded: v / 10) &+ 48
        base[used + 1] = UInt8(truncatingIfNeeded: v % 10) &+ 48
        used += 2
    }

    /// Money grouped with commas for people: `-1,000.00`.
    @inlinable public func moneyGrouped(_ m: Money) { text(m.formatted()) }

    /// `mantissa × 10^-scale`, dropping fraction zeros beyond `minFraction`.
    @inlinable public func decimal(_ mantissa: Int64, scale: Int, minFraction: Int) {
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
    @inlinable @inline(__always) public func unsigned(_ v: UInt64) {
        if v < 10 {
            byte(UInt8(truncatingIfNeeded: v) &+ 48)
            return
        }
        var n = 1
        var t = v
        while t >= 10 { t /= 10; n += 1 }
        reserve(n)
        var p = base + used + n
        var x = v
        repeat {
            p -= 1
            p.pointee = UInt8(truncatingIfNeeded: x % 10) &+ 48
            x /= 10
        } while x != 0
        used += n
    }

    /// `2026-03-03` for a day number since the epoch, from the second cache slot (trade dates).
    @inlinable public func tradeDate(days: Int64) {
        swap(&state.pointee.cachedDay, &state.pointee.cachedDay2)
        swap(&state.pointee.cachedDate, &state.pointee.cachedDate2)
        date(days: days)
        swap(&state.pointee.cachedDay, &state.pointee.cachedDay2)
        swap(&state.pointee.cachedDate, &state.pointee.cachedDate2)
    }

    /// `2026-03-03` for a day number since the epoch.
    @inlinable public func date(days: Int64) {
        if days != state.pointee.cachedDay {
            let start = used
            date(CivilDate(daysSinceEpoch: days))
            let src = base + start
            withUnsafeMutableBytes(of: &state.pointee.cachedDate) { c in
                for k in 0..<10 { c[k] = src[k] }
            }
            state.pointee.cachedDay = days
            return
        }
        withUnsafeBytes(of: state.pointee.cachedDate) { c in append(UnsafeRawBufferPointer(rebasing: c[0..<10])) }
    }

    @inlinable @inline(__always) func two(_ v: Int) {
        byte(UInt8(48 + v / 10))
        byte(UInt8(48 + v % 10))
    }

    /// `2026-03-03`.
    @inlinable public func date(_ d: CivilDate) {
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
    @inlinable public func instant(_ t: Instant, offsetSeconds: Int32? = nil) {
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
