/// Reads JSON (RFC 8259) from UTF-8 bytes exactly: numbers keep their text, strings are
/// validated UTF-8 with every escape decoded, duplicate keys and trailing garbage are errors,
/// nesting is limited. Never traps on any input.
public enum JSONParser {
    /// Containers nested deeper than this are rejected (the top-level container is depth 1).
    public static let defaultMaxDepth = 64

    public static func parse(_ bytes: [UInt8], maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        try parse(bytes, range: 0..<bytes.count, firstLine: 1, maxDepth: maxDepth)
    }

    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    /// Parses one document occupying `range` of `bytes` (one line of a JSON Lines file, say);
    /// error lines count from `firstLine` and offsets stay relative to `bytes`.
    public static func parse(_ bytes: [UInt8], range: Range<Int>, firstLine: Int,
                             maxDepth: Int = defaultMaxDepth) throws(JSONError) -> JSONValue {
        try parse(bytes, range: range, firstLine: firstLine, start: nil, maxDepth: maxDepth)
    }

    /// As above, starting at `start` inside `range` (lines and columns still count from
    /// `range.lowerBound`).
    static func parse(_ bytes: [UInt8], range: Range<Int>, firstLine: Int, start: Int?,
                      maxDepth: Int) throws(JSONError) -> JSONValue {
        let result = bytes.withUnsafeBufferPointer { buf -> Result<JSONValue, JSONError> in
            let region = range.clamped(to: 0..<buf.count)
            var reader = JSONReader(buf, range: region, firstLine: firstLine, maxDepth: maxDepth,
                                    position: start.map { min(max($0, region.lowerBound), region.upperBound) })
            do throws(JSONError) {
                reader.skipByteOrderMark()
                let value = try reader.parseValue(depth: 0)
                try reader.expectEnd()
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

/// The byte-level reader shared by `JSONParser` and `JSONObjectScanner`.
struct JSONReader {
    let buf: UnsafeBufferPointer<UInt8>
    var i: Int
    let end: Int
    let regionStart: Int
    let firstLine: Int
    let maxDepth: Int

    init(_ buf: UnsafeBufferPointer<UInt8>, range: Range<Int>, firstLine: Int, maxDepth: Int,
         position: Int? = nil) {
        self.buf = buf
        self.i = position ?? range.lowerBound
        self.end = range.upperBound
        self.regionStart = range.lowerBound
        self.firstLine = firstLine
        self.maxDepth = maxDepth
    }

    // MARK: Errors

    func error(_ message: String, at offset: Int) -> JSONError {
        let off = min(max(offset, regionStart), end)
        var line = firstLine, column = 1
        var k = regionStart
        while k < off {
            let b = buf[k]
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
            k += 1
        }
        return JSONError(offset: off, line: line, column: column, message: message)
    }

    /// "end of input", "`x`", "a line break", or "byte 0x01", for "found …" messages.
    func describe(_ at: Int) -> String {
        guard at < end else { return "end of input" }
        let b = buf[at]
        switch b {
        case 0x0A, 0x0D: return "a line break"
        case 0x21...0x7E: return "`\(Character(Unicode.Scalar(b)))`"
        case 0x80...:
            let n = utf8SequenceLength(at)
            if n > 0 {
                let s = String(decoding: UnsafeBufferPointer(rebasing: buf[at..<at + n]), as: UTF8.self)
                return "`\(s)`"
            }
            return "byte 0x" + hex(b)
        default: return "byte 0x" + hex(b)
        }
    }

    func hex(_ b: UInt8) -> String {
        let s = String(b, radix: 16, uppercase: true)
        return s.count == 1 ? "0" + s : s
    }

    // MARK: Structure

    @inline(__always) mutating func skipWhitespace() {
        while i < end {
            let b = buf[i]
            guard b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09 else { return }
            i += 1
        }
    }

    mutating func skipByteOrderMark() {
        if i + 2 < end, buf[i] == 0xEF, buf[i + 1] == 0xBB, buf[i + 2] == 0xBF { i += 3 }
    }

    mutating func expectEnd() throws(JSONError) {
        skipWhitespace()
        if i < end { throw error("unexpected \(describe(i)) after the json value", at: i) }
    }

    mutating func parseValue(depth: Int) throws(JSONError) -> JSONValue {
        skipWhitespace()
        guard i < end else { throw error("expected a value, found end of input", at: i) }
        switch buf[i] {
        case UInt8(ascii: "{"): return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["): return try parseArray(depth: depth + 1)
        case UInt8(ascii: "\""):
            let s = try scanString()
            return .string(decodeString(s))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let r = try scanNumber()
            return .number(String(decoding: UnsafeBufferPointer(rebasing: buf[r]), as: UTF8.self))
        default:
            switch try scanLiteral() {
            case .null: return .null
            case .bool(let b): return .bool(b)
            }
        }
    }

    private mutating func enter(depth: Int) throws(JSONError) {
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels", at: i) }
        i += 1
    }

    private mutating func parseObject(depth: Int) throws(JSONError) -> JSONValue {
        try enter(depth: depth)
        var members: [JSONValue.Member] = []
        var seen: Set<String>?
        skipWhitespace()
        if i < end, buf[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
        while true {
            skipWhitespace()
            let keyStart = i
            guard i < end, buf[i] == UInt8(ascii: "\"") else {
                if !members.isEmpty, i < end, buf[i] == UInt8(ascii: "}") {
                    throw error("trailing comma before `}`", at: i)
                }
                throw error("expected a string key, found \(describe(i))", at: i)
            }
            let key = decodeString(try scanString())
            if members.count >= 16, seen == nil { seen = Set(members.map(\.key)) }
            let duplicate = if let seen { seen.contains(key) } else { members.contains { $0.key == key } }
            if duplicate { throw error("duplicate key `\(key)`", at: keyStart) }
            seen?.insert(key)
            try expectColon()
            members.append(JSONValue.Member(key, try parseValue(depth: depth)))
            skipWhitespace()
            guard i < end else { throw error("expected `,` or `}` after object member, found end of input", at: i) }
            if buf[i] == UInt8(ascii: ",") { i += 1; continue }
            if buf[i] == UInt8(ascii: "}") { i += 1; return .object(members) }
            throw error("expected `,` or `}` after object member, found \(describe(i))", at: i)
        }
    }

    mutating func expectColon() throws(JSONError) {
        skipWhitespace()
        guard i < end, buf[i] == UInt8(ascii: ":") else {
            throw error("expected `:` after object key, found \(describe(i))", at: i)
        }
        i += 1
    }

    private mutating func parseArray(depth: Int) throws(JSONError) -> JSONValue {
        try enter(depth: depth)
        var items: [JSONValue] = []
        skipWhitespace()
        if i < end, buf[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
        while true {
            skipWhitespace()
            if !items.isEmpty, i < end, buf[i] == UInt8(ascii: "]") {
                throw error("trailing comma before `]`", at: i)
            }
            items.append(try parseValue(depth: depth))
            skipWhitespace()
            guard i < end else { throw error("expected `,` or `]` after array element, found end of input", at: i) }
            if buf[i] == UInt8(ascii: ",") { i += 1; continue }
            if buf[i] == UInt8(ascii: "]") { i += 1; return .array(items) }
            throw error("expected `,` or `]` after array element, found \(describe(i))", at: i)
        }
    }

    /// Validates any value without building it; returns its kind. Used to skip nested values.
    mutating func skipValue(depth: Int) throws(JSONError) -> JSONValueKind {
        skipWhitespace()
        guard i < end else { throw error("expected a value, found end of input", at: i) }
        switch buf[i] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let isObject = buf[i] == UInt8(ascii: "{")
            let close = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
            let what = isObject ? "object member" : "array element"
            try enter(depth: depth + 1)
            skipWhitespace()
            if i < end, buf[i] == close { i += 1; return isObject ? .object : .array }
            var first = true
            while true {
                skipWhitespace()
                if !first, i < end, buf[i] == close {
                    throw error("trailing comma before `\(Character(Unicode.Scalar(close)))`", at: i)
                }
                first = false
                if isObject {
                    guard i < end, buf[i] == UInt8(ascii: "\"") else {
                        throw error("expected a string key, found \(describe(i))", at: i)
                    }
                    _ = try scanString()
                    try expectColon()
                }
                _ = try skipValue(depth: depth + 1)
                skipWhitespace()
                guard i < end else {
                    throw error("expected `,` or `\(Character(Unicode.Scalar(close)))` after \(what), found end of input", at: i)
                }
                if buf[i] == UInt8(ascii: ",") { i += 1; continue }
                if buf[i] == close { i += 1; return isObject ? .object : .array }
                throw error("expected `,` or `\(Character(Unicode.Scalar(close)))` after \(what), found \(describe(i))", at: i)
            }
        case UInt8(ascii: "\""):
            _ = try scanString()
            return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try scanNumber()
            return .number
        default:
            switch try scanLiteral() {
            case .null: return .null
            case .bool: return .bool
            }
        }
    }

    // MARK: Scalars

    enum Literal { case null, bool(Bool) }

    mutating func scanLiteral() throws(JSONError) -> Literal {
        let start = i
        var k = i
        while k < end, k - start < 16, isWordByte(buf[k]) { k += 1 }
        let word = buf[start..<k]
        if word.elementsEqual("true".utf8) { i = k; return .bool(true) }
        if word.elementsEqual("false".utf8) { i = k; return .bool(false) }
        if word.elementsEqual("null".utf8) { i = k; return .null }
        if k > start, isLetter(buf[start]) {
            let text = String(decoding: UnsafeBufferPointer(rebasing: word), as: UTF8.self)
            throw error("unknown literal `\(text)`; expected `true`, `false` or `null`", at: start)
        }
        throw error("expected a value, found \(describe(start))", at: start)
    }

    private func isWordByte(_ b: UInt8) -> Bool { isLetter(b) || JSONNumber.isDigit(b) || b == UInt8(ascii: "_") }
    private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- UInt8(ascii: "a") < 26 }

    /// Scans a number per the JSON grammar; returns its byte range.
    mutating func scanNumber() throws(JSONError) -> Range<Int> {
        let start = i
        if buf[i] == UInt8(ascii: "-") { i += 1 }
        guard i < end, JSONNumber.isDigit(buf[i]) else {
            throw error("expected a digit after `-`, found \(describe(i))", at: i)
        }
        if buf[i] == UInt8(ascii: "0") {
            i += 1
            if i < end, JSONNumber.isDigit(buf[i]) { throw error("leading zeros are not allowed in numbers", at: i - 1) }
        } else {
            while i < end, JSONNumber.isDigit(buf[i]) { i += 1 }
        }
        if i < end, buf[i] == UInt8(ascii: ".") {
            i += 1
            guard i < end, JSONNumber.isDigit(buf[i]) else {
                throw error("expected a digit after the decimal point, found \(describe(i))", at: i)
            }
            while i < end, JSONNumber.isDigit(buf[i]) { i += 1 }
        }
        if i < end, buf[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < end, buf[i] == UInt8(ascii: "+") || buf[i] == UInt8(ascii: "-") { i += 1 }
            guard i < end, JSONNumber.isDigit(buf[i]) else {
                throw error("expected a digit in the exponent, found \(describe(i))", at: i)
            }
            while i < end, JSONNumber.isDigit(buf[i]) { i += 1 }
        }
        return start..<i
    }
}
