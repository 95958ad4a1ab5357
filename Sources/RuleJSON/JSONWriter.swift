import RuleBase

/// Writes JSON as a stream of calls, compact or pretty (two-space indent), with keys in the
/// order written. The output depends only on the calls, so it is byte-for-byte stable.
///
///     var w = JSONWriter(style: .pretty)
///     w.beginObject(); w.key("limit"); w.money(limit); w.endObject()
public struct JSONWriter: Sendable {
    public enum Style: Sendable, Hashable { case compact, pretty }

    public let style: Style
    /// The output so far, as UTF-8.
    public private(set) var bytes: [UInt8] = []
    /// How many containers are open.
    private var depth = 0
    /// Bit `d` tells whether the container at depth `d + 1` has an element yet (the 64
    /// innermost levels; deeper ones spill into `deeper`).
    private var hasElementBits: UInt64 = 0
    private var deeper: [Bool] = []
    private var afterKey = false

    public init(style: Style = .compact, reservingCapacity capacity: Int = 256) {
        self.style = style
        bytes.reserveCapacity(capacity)
    }

    /// The output so far as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Clears the output, keeping its capacity (for one JSON Lines record after another).
    public mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        depth = 0
        hasElementBits = 0
        deeper.removeAll(keepingCapacity: true)
        afterKey = false
    }

    /// Appends a line break between top-level values (JSON Lines).
    public mutating func newline() { bytes.append(0x0A) }

    // MARK: Containers

    public mutating func beginObject() { beforeValue(); bytes.append(UInt8(ascii: "{")); push() }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { beforeValue(); bytes.append(UInt8(ascii: "[")); push() }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// The key of the next object member.
    public mutating func key(_ key: String) {
        beforeValue()
        appendQuoted(key)
        bytes.append(UInt8(ascii: ":"))
        if style == .pretty { bytes.append(0x20) }
        afterKey = true
    }

    // MARK: Scalars

    public mutating func string(_ value: String) { beforeValue(); appendQuoted(value) }
    public mutating func bool(_ value: Bool) { beforeValue(); bytes.append(contentsOf: (value ? "true" : "false").utf8) }
    public mutating func null() { beforeValue(); bytes.append(contentsOf: "null".utf8) }
    public mutating func number(_ value: Int64) { beforeValue(); appendDecimal(value, scale: 0, minimumFraction: 0) }
    public mutating func number(_ value: Int) { number(Int64(value)) }
    /// An exact decimal, written with its scale (`12.50`).
    public mutating func number(_ value: DecimalNumber) {
        beforeValue()
        appendDecimal(value.mantissa, scale: Int(value.scale), minimumFraction: Int(value.scale))
    }
    /// Dollars as a JSON number with at least two decimals (`1234.50`, `0.0001`).
    public mutating func money(_ value: Money) {
        beforeValue()
        appendDecimal(value.units, scale: Int(Money.scaleDigits), minimumFraction: 2)
    }
    /// Number text written as given; the caller vouches that it is valid JSON number text
    /// (for example text that came from `JSONValue.number`).
    public mutating func number(raw text: String) { beforeValue(); bytes.append(contentsOf: text.utf8) }

    /// A whole value, recursively.
    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let b): bool(b)
        case .number(let n): number(raw: n)
        case .string(let s): string(s)
        case .array(let items):
            beginArray()
            for item in items { self.value(item) }
            endArray()
        case .object(let members):
            beginObject()
            for m in members {
                key(m.key)
                self.value(m.value)
            }
            endObject()
        }
    }

    /// Shortcuts for one member: `field("type", "fill")`.
    public mutating func field(_ name: String, _ value: String) { key(name); string(value) }
    public mutating func field(_ name: String, _ value: Int64) { key(name); number(value) }
    public mutating func field(_ name: String, _ value: Bool) { key(name); bool(value) }
    public mutating func field(_ name: String, money value: Money) { key(name); money(value) }

    /// `value` as JSON text.
    public static func string(_ value: JSONValue, style: Style = .compact) -> String {
        var w = JSONWriter(style: style)
        w.value(value)
        return w.text
    }

    // MARK: Layout

    /// Appends `mantissa × 10^-scale` without allocating, dropping fraction zeros beyond
    /// `minimumFraction` digits.
    private mutating func appendDecimal(_ mantissa: Int64, scale: Int, minimumFraction: Int) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for 20 digits
        withUnsafeMutableBytes(of: &digits) { raw in
            var magnitude = mantissa.magnitude
            var count = 0
            var fraction = scale
            // Trailing fraction zeros beyond the minimum are not written.
            while fraction > minimumFraction, magnitude % 10 == 0, magnitude != 0 {
                magnitude /= 10
                fraction -= 1
            }
            if magnitude == 0 { fraction = minimumFraction }
            repeat {
                raw[count] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 48
                magnitude /= 10
                count += 1
            } while magnitude != 0 && count < raw.count
            while count < fraction + 1 && count < raw.count { raw[count] = 48; count += 1 }
            if mantissa < 0 { bytes.append(UInt8(ascii: "-")) }
            var k = count
            while k > 0 {
                k -= 1
                bytes.append(raw[k])
                if k == fraction && k > 0 { bytes.append(UInt8(ascii: ".")) }
            }
        }
    }

    private mutating func push() {
        if depth >= 64 { deeper.append(hasElementBits >> 63 != 0) }
        hasElementBits <<= 1
        depth += 1
    }

    private mutating func beforeValue() {
        if afterKey { afterKey = false; return }
        guard depth > 0 else { return }
        if hasElementBits & 1 != 0 { bytes.append(UInt8(ascii: ",")) }
        hasElementBits |= 1
        if style == .pretty { newlineAndIndent(depth) }
    }

    private mutating func close(_ bracket: UInt8) {
        guard depth > 0 else { bytes.append(bracket); return }
        let hadElements = hasElementBits & 1 != 0
        hasElementBits >>= 1
        depth -= 1
        if depth >= 64, let top = deeper.popLast(), top { hasElementBits |= 1 << 63 }
        if hadElements && style == .pretty { newlineAndIndent(depth) }
        bytes.append(bracket)
    }

    private mutating func newlineAndIndent(_ depth: Int) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }

    /// Appends `"text"` with `"`, `\` and control characters escaped; everything else is
    /// written as UTF-8, unescaped.
    private mutating func appendQuoted(_ text: String) { Self.appendQuoted(text, to: &bytes) }

    /// Appends `"text"` to `bytes`, escaped as `string(_:)` writes it.
    static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            var runStart = 0
            for (k, b) in utf8.enumerated() where b < 0x20 || b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<k]))
                runStart = k + 1
                bytes.append(UInt8(ascii: "\\"))
                switch b {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(b)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    let digits: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, digits[Int(b >> 4)], digits[Int(b & 0xF)]])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
