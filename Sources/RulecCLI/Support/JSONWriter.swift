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
    /// One entry per open container: whether it has an element yet.
    private var open: [Bool] = []
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
        open.removeAll(keepingCapacity: true)
        afterKey = false
    }

    /// Appends a line break between top-level values (JSON Lines).
    public mutating func newline() { bytes.append(0x0A) }

    // MARK: Containers

    public mutating func beginObject() { beforeValue(); bytes.append(UInt8(ascii: "{")); open.append(false) }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray() { beforeValue(); bytes.append(UInt8(ascii: "[")); open.append(false) }
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
    public mutating func number(_ value: Int64) { beforeValue(); bytes.append(contentsOf: String(value).utf8) }
    public mutating func number(_ value: Int) { number(Int64(value)) }
    /// An exact decimal, written with its scale (`12.50`).
    public mutating func number(_ value: DecimalNumber) { beforeValue(); bytes.append(contentsOf: value.description.utf8) }
    /// Dollars as a JSON number with at least two decimals (`1234.50`, `0.0001`).
    public mutating func money(_ value: Money) {
        beforeValue()
        bytes.append(contentsOf: value.formatted(grouping: false).utf8)
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

    private mutating func beforeValue() {
        if afterKey { afterKey = false; return }
        guard let hasElements = open.last else { return }
        if hasElements { bytes.append(UInt8(ascii: ",")) }
        open[open.count - 1] = true
        if style == .pretty { newlineAndIndent(open.count) }
    }

    private mutating func close(_ bracket: UInt8) {
        let hadElements = open.popLast() ?? false
        if hadElements && style == .pretty { newlineAndIndent(open.count) }
        bytes.append(bracket)
    }

    private mutating func newlineAndIndent(_ depth: Int) {
        bytes.append(0x0A)
        bytes.append(contentsOf: repeatElement(0x20, count: 2 * depth))
    }

    /// Appends `"text"` with `"`, `\` and control characters escaped; everything else is
    /// written as UTF-8, unescaped.
    private mutating func appendQuoted(_ text: String) {
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
