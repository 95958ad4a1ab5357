import RuleBase

/// A JSON value for broker objects. Numbers keep their exact text so dollars and percents are
/// read as decimals, never through `Double`; objects keep their members in document order.
/// (RuleTools is below the CLI, so it carries its own small reader and writer.)
public enum BrokerJSON: Sendable, Equatable {
    case null
    case bool(Bool)
    /// The number exactly as written: `1000.5`, `2`, `1e3`.
    case number(String)
    case string(String)
    case array([BrokerJSON])
    case object([Member])

    public struct Member: Sendable, Equatable {
        public var key: String
        public var value: BrokerJSON
        public init(_ key: String, _ value: BrokerJSON) {
            self.key = key
            self.value = value
        }
    }

    /// What a value is, for "expected …, found …" messages.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

/// A malformed JSON document: 1-based line and column, and what is wrong.
public struct BrokerJSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(line):\(column): \(message)" }
}

// MARK: - Reading

extension BrokerJSON {
    public static let maxDepth = 64

    /// Parses RFC 8259 JSON from UTF-8 bytes. Duplicate keys and trailing content are errors.
    public static func parse(_ bytes: [UInt8]) -> Result<BrokerJSON, BrokerJSONError> {
        var r = JSONTextReader(bytes: bytes)
        do throws(BrokerJSONError) {
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { r.i = 3 }
            let v = try r.value(depth: 0)
            r.skipSpace()
            if r.i < bytes.count { throw r.error("unexpected \(r.describe()) after the document") }
            return .success(v)
        } catch {
            return .failure(error)
        }
    }

    public static func parse(_ text: String) -> Result<BrokerJSON, BrokerJSONError> { parse(Array(text.utf8)) }
}

private struct JSONTextReader {
    let bytes: [UInt8]
    var i = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    func error(_ message: String, at offset: Int? = nil) -> BrokerJSONError {
        let end = min(offset ?? i, bytes.count)
        var line = 1, column = 1
        for k in 0..<end {
            if bytes[k] == 0x0A { line += 1; column = 1 } else if bytes[k] & 0xC0 != 0x80 { column += 1 }
        }
        return BrokerJSONError(line: line, column: column, message: message)
    }

    func describe() -> String {
        guard i < bytes.count else { return "end of input" }
        let b = bytes[i]
        if b >= 0x21 && b < 0x7F { return "`\(Character(Unicode.Scalar(b)))`" }
        if b == 0x0A { return "a line break" }
        return "byte 0x" + String(b, radix: 16, uppercase: true)
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func value(depth: Int) throws(BrokerJSONError) -> BrokerJSON {
        skipSpace()
        guard i < bytes.count else { throw error("expected a value, found end of input") }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            guard depth < BrokerJSON.maxDepth else { throw error("nesting deeper than \(BrokerJSON.maxDepth) levels") }
            i += 1
            var members: [BrokerJSON.Member] = []
            var keys = Set<String>()
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "}") { i += 1; return .object([]) }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw error("expected a string key, found \(describe())") }
                let keyStart = i
                let key = try string()
                guard keys.insert(key).inserted else { throw error("duplicate key `\(key)`", at: keyStart) }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw error("expected `:` after object key, found \(describe())") }
                i += 1
                members.append(.init(key, try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw error("expected `,` or `}`, found end of input") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
                throw error("expected `,` or `}`, found \(describe())")
            }
        case UInt8(ascii: "["):
            guard depth < BrokerJSON.maxDepth else { throw error("nesting deeper than \(BrokerJSON.maxDepth) levels") }
            i += 1
            var items: [BrokerJSON] = []
            skipSpace()
            if i < bytes.count, bytes[i] == UInt8(ascii: "]") { i += 1; return .array([]) }
            while true {
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw error("expected `,` or `]`, found end of input") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
                throw error("expected `,` or `]`, found \(describe())")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try word("true"); return .bool(true)
        case UInt8(ascii: "f"): try word("false"); return .bool(false)
        case UInt8(ascii: "n"): try word("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try number())
        default:
            throw error("expected a value, found \(describe())")
        }
    }

    mutating func word(_ w: String) throws(BrokerJSONError) {
        let b = Array(w.utf8)
        guard i + b.count <= bytes.count, Array(bytes[i..<(i + b.count)]) == b else {
            throw error("expected a value, found \(describe())")
        }
        i += b.count
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    mutating func number() throws(BrokerJSONError) -> String {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard i < bytes.count, Self.isDigit(bytes[i]) else { throw error("malformed number") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, Self.isDigit(bytes[i]) { throw error("malformed number: leading zero") }
        } else {
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard i < bytes.count, Self.isDigit(bytes[i]) else { throw error("malformed number: digits must follow `.`") }
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard i < bytes.count, Self.isDigit(bytes[i]) else { throw error("malformed number: digits must follow the exponent") }
            while i < bytes.count, Self.isDigit(bytes[i]) { i += 1 }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    mutating func hex4() throws(BrokerJSONError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw error("malformed \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let d: UInt32
            switch b {
            case 0x30...0x39: d = UInt32(b - 0x30)
            case 0x41...0x46: d = UInt32(b - 0x41 + 10)
            case 0x61...0x66: d = UInt32(b - 0x61 + 10)
            default: throw error("malformed \\u escape")
            }
            v = v * 16 + d
            i += 1
        }
        return v
    }

    mutating func string() throws(BrokerJSONError) -> String {
        i += 1  // opening quote
        var out: [UInt8] = []
        while true {
            guard i < bytes.count else { throw error("unterminated string") }
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                // Validate UTF-8 strictly.
                guard let s = String(validating: out, as: UTF8.self) else { throw error("invalid UTF-8 in string") }
                return s
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { throw error("unterminated string") }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if scalar >= 0xD800 && scalar < 0xDC00 {
                        guard i + 2 <= bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                            throw error("unpaired surrogate in \\u escape")
                        }
                        i += 2
                        let low = try hex4()
                        guard low >= 0xDC00 && low < 0xE000 else { throw error("unpaired surrogate in \\u escape") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else if scalar >= 0xDC00 && scalar < 0xE000 {
                        throw error("unpaired surrogate in \\u escape")
                    }
                    guard let u = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
                    out.append(contentsOf: Array(String(Character(u)).utf8))
                default:
                    throw error("unknown escape `\\\(Character(Unicode.Scalar(e)))`", at: i - 2)
                }
            default:
                guard b >= 0x20 else { throw error("control character in string") }
                out.append(b)
                i += 1
            }
        }
    }
}

// MARK: - Writing

extension BrokerJSON {
    /// Pretty JSON: two-space indent, members in the stored order; an array of scalars, or an
    /// object nested two levels or deeper, on one line when it fits in 100 columns; a final
    /// newline.
    public var pretty: String {
        var out = ""
        write(into: &out, indent: 0)
        return out + "\n"
    }

    /// Compact one-line JSON.
    public var compact: String {
        switch self {
        case .null: return "null"
        case let .bool(b): return b ? "true" : "false"
        case let .number(n): return n
        case let .string(s): return BrokerJSON.quote(s)
        case let .array(a): return "[" + a.map(\.compact).joined(separator: ", ") + "]"
        case let .object(m):
            return "{" + m.map { BrokerJSON.quote($0.key) + ": " + $0.value.compact }.joined(separator: ", ") + "}"
        }
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private func write(into out: inout String, indent: Int) {
        let pad = String(repeating: "  ", count: indent + 1)
        let closePad = String(repeating: "  ", count: indent)
        switch self {
        case let .array(items):
            if items.isEmpty { out += "[]"; return }
            if items.allSatisfy(\.isScalar), compact.count + indent * 2 <= 100 { out += compact; return }
            out += "[\n"
            for (k, v) in items.enumerated() {
                out += pad
                v.write(into: &out, indent: indent + 1)
                out += k == items.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "]"
        case let .object(members):
            if members.isEmpty { out += "{}"; return }
            if indent >= 2, compact.count + indent * 2 <= 100 {
                out += compact
                return
            }
            out += "{\n"
            for (k, m) in members.enumerated() {
                out += pad + BrokerJSON.quote(m.key) + ": "
                m.value.write(into: &out, indent: indent + 1)
                out += k == members.count - 1 ? "\n" : ",\n"
            }
            out += closePad + "}"
        default:
            out += compact
        }
    }

    static func quote(_ s: String) -> String {
        var r = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\r": r += "\\r"
            case "\t": r += "\\t"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    r += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    r.unicodeScalars.append(u)
                }
            }
        }
        return r + "\""
    }
}
