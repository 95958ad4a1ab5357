/// Layouts of a whole `JSONValue` for people and review diffs (the broker export format), with
/// the same escaping as `JSONWriter`. The output depends only on the value, so it is stable.
extension JSONValue {
    /// Two-space indent, members in the stored order; an array of scalars, or an object nested
    /// two levels or deeper, on one line when it fits in `width` columns; a final newline.
    ///
    ///     {
    ///       "name": "eval_50k",
    ///       "tradeTime": {"hour": 8, "minute": 30},
    ///       "products": ["ES", "NQ"]
    ///     }
    public func readableText(width: Int = 100) -> String {
        var out = ""
        writeReadable(into: &out, indent: 0, width: width)
        return out + "\n"
    }

    /// One line with a space after every `,` and `:`: `{"a": [1, true, null]}`.
    public var spacedText: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(n): return n
        case let .string(s): return JSONValue.quoted(s)
        case let .array(a): return "[" + a.map(\.spacedText).joined(separator: ", ") + "]"
        case let .object(m):
            return "{" + m.map { JSONValue.quoted($0.key) + ": " + $0.value.spacedText }.joined(separator: ", ") + "}"
        }
    }

    /// `text` as a JSON string literal, quotes included: `"a\"b"`.
    public static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count + 2)
        JSONWriter.appendQuoted(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: false
        default: true
        }
    }

    private func writeReadable(into out: inout String, indent: Int, width: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch self {
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar) {
                let line = spacedText
                if line.count + indent * 2 <= width { out += line; return }
            }
            out += "[\n"
            for (k, v) in items.enumerated() {
                out += pad
                v.writeReadable(into: &out, indent: indent + 1, width: width)
                out += k == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case let .object(members):
            if members.isEmpty { out += "{}"; return }
            if indent >= 2 {
                let line = spacedText
                if line.count + indent * 2 <= width { out += line; return }
            }
            out += "{\n"
            for (k, m) in members.enumerated() {
                out += pad + JSONValue.quoted(m.key) + ": "
                m.value.writeReadable(into: &out, indent: indent + 1, width: width)
                out += k == members.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        default:
            out += spacedText
        }
    }
}
