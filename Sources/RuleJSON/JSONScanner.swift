import RuleBase

/// One member of an object as the scanner sees it: where its key and value lie in the input
/// bytes, without building any `String` or `JSONValue`.
public struct JSONField: Sendable, Hashable {
    /// The key's bytes between the quotes (still escaped when `keyHasEscapes`).
    public let key: Range<Int>
    public let keyHasEscapes: Bool
    public let kind: JSONValueKind
    /// The value's bytes; for a string, the bytes between the quotes.
    public let value: Range<Int>
    public let valueHasEscapes: Bool
}

/// A pull parser over one JSON object (one JSON Lines event, say) that yields its members
/// without allocating, for hot paths such as `rulec simulate`. Nested values are validated
/// and skipped; ask for them with `value(_:)`. Unlike `JSONParser` it does not reject
/// duplicate keys: callers that map keys to fields can track which they have seen.
///
///     var scanner = try JSONObjectScanner(bytes, range: line.range, firstLine: line.number)
///     while let field = try scanner.next() {
///         if scanner.key(field, is: "type") { … }
///     }
public struct JSONObjectScanner: Sendable {
    public let bytes: [UInt8]
    public let range: Range<Int>
    public let firstLine: Int
    public let maxDepth: Int
    private var position: Int
    private var count = 0
    private var finished = false

    /// Starts scanning the object that must fill `range` (default: all of `bytes`).
    public init(_ bytes: [UInt8], range: Range<Int>? = nil, firstLine: Int = 1,
                maxDepth: Int = JSONParser.defaultMaxDepth) throws(JSONError) {
        self.bytes = bytes
        self.range = (range ?? 0..<bytes.count).clamped(to: 0..<bytes.count)
        self.firstLine = firstLine
        self.maxDepth = maxDepth
        self.position = self.range.lowerBound
        let r = withReader { reader throws(JSONError) in
            reader.skipByteOrderMark()
            reader.skipWhitespace()
            guard reader.i < reader.end, reader.buf[reader.i] == UInt8(ascii: "{") else {
                throw reader.error("expected `{` to start an object, found \(reader.describe(reader.i))", at: reader.i)
            }
            reader.i += 1
            return ()
        }
        try r.get()
    }

    /// The next member, or nil after the closing `}` (then nothing but whitespace may follow).
    public mutating func next() throws(JSONError) -> JSONField? {
        if finished { return nil }
        let isFirst = count == 0
        let result = withReader { reader throws(JSONError) -> JSONField? in
            reader.skipWhitespace()
            guard reader.i < reader.end else {
                throw reader.error("expected `,` or `}` after object member, found end of input", at: reader.i)
            }
            if isFirst {
                if reader.buf[reader.i] == UInt8(ascii: "}") {
                    reader.i += 1
                    try reader.expectEnd()
                    return nil
                }
            } else {
                switch reader.buf[reader.i] {
                case UInt8(ascii: "}"):
                    reader.i += 1
                    try reader.expectEnd()
                    return nil
                case UInt8(ascii: ","):
                    reader.i += 1
                    reader.skipWhitespace()
                default:
                    throw reader.error("expected `,` or `}` after object member, found \(reader.describe(reader.i))", at: reader.i)
                }
            }
            guard reader.i < reader.end, reader.buf[reader.i] == UInt8(ascii: "\"") else {
                if !isFirst, reader.i < reader.end, reader.buf[reader.i] == UInt8(ascii: "}") {
                    throw reader.error("trailing comma before `}`", at: reader.i)
                }
                throw reader.error("expected a string key, found \(reader.describe(reader.i))", at: reader.i)
            }
            let key = try reader.scanString()
            try reader.expectColon()
            reader.skipWhitespace()
            let valueStart = reader.i
            if valueStart < reader.end, reader.buf[valueStart] == UInt8(ascii: "\"") {
                let s = try reader.scanString()
                return JSONField(key: key.content, keyHasEscapes: key.hasEscapes, kind: .string,
                                 value: s.content, valueHasEscapes: s.hasEscapes)
            }
            let kind = try reader.skipValue(depth: 1)
            return JSONField(key: key.content, keyHasEscapes: key.hasEscapes, kind: kind,
                             value: valueStart..<reader.i, valueHasEscapes: false)
        }
        let field = try result.get()
        count += 1
        if field == nil { finished = true }
        return field
    }

    private mutating func withReader<R>(_ body: (inout JSONReader) throws(JSONError) -> R) -> Result<R, JSONError> {
        let (range, firstLine, maxDepth, start) = (range, firstLine, maxDepth, position)
        var end = start
        let result = bytes.withUnsafeBufferPointer { buf -> Result<R, JSONError> in
            var reader = JSONReader(buf, range: range, firstLine: firstLine, maxDepth: maxDepth, position: start)
            defer { end = reader.i }
            do throws(JSONError) { return .success(try body(&reader)) } catch { return .failure(error) }
        }
        position = end
        return result
    }

    // MARK: Reading fields

    /// Whether the field's key is exactly `name` (escaped keys are decoded first).
    @inline(__always)
    public func key(_ field: JSONField, is name: StaticString) -> Bool {
        if field.keyHasEscapes { return keyString(field).utf8.elementsEqual(name.utf8Buffer) }
        guard field.key.count == name.utf8CodeUnitCount else { return false }
        return withBytes(field.key) { $0.elementsEqual(name.utf8Buffer) }
    }

    public func keyString(_ field: JSONField) -> String {
        decode(field.key, escaped: field.keyHasEscapes)
    }

    /// The decoded string, or nil when the value is not a string.
    public func string(_ field: JSONField) -> String? {
        field.kind == .string ? decode(field.value, escaped: field.valueHasEscapes) : nil
    }

    /// Whether a string value is exactly `text`, without allocating.
    public func string(_ field: JSONField, is text: StaticString) -> Bool {
        guard field.kind == .string else { return false }
        if field.valueHasEscapes { return string(field)?.utf8.elementsEqual(text.utf8Buffer) ?? false }
        return withBytes(field.value) { $0.elementsEqual(text.utf8Buffer) }
    }

    /// An exact decimal from a number value.
    public func decimal(_ field: JSONField) -> DecimalNumber? {
        field.kind == .number ? withBytes(field.value) { JSONNumber.decimal($0) } : nil
    }

    /// Dollars from a number, or from a string such as `"1_000.50 USD"`.
    public func money(_ field: JSONField) -> Money? {
        switch field.kind {
        case .number: decimal(field).flatMap { Money($0) }
        case .string: string(field).flatMap { Money(parsing: $0) }
        default: nil
        }
    }

    public func int64(_ field: JSONField) -> Int64? { decimal(field)?.integerValue }

    public func bool(_ field: JSONField) -> Bool? {
        field.kind == .bool ? withBytes(field.value) { $0.first == UInt8(ascii: "t") } : nil
    }

    /// The field's value as a `JSONValue` (for nested objects and arrays).
    public func value(_ field: JSONField) throws(JSONError) -> JSONValue {
        if field.kind == .string { return .string(decode(field.value, escaped: field.valueHasEscapes)) }
        // Keep the object's region so that error columns count from the start of its line.
        return try JSONParser.parse(bytes, range: range.lowerBound..<field.value.upperBound, firstLine: firstLine,
                                    start: field.value.lowerBound, maxDepth: maxDepth - 1)
    }

    /// Runs `body` over raw bytes of the input (a field's key or value range).
    public func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        bytes.withUnsafeBufferPointer { buf in
            body(UnsafeBufferPointer(rebasing: buf[range.clamped(to: 0..<buf.count)]))
        }
    }

    /// An error about this object at a byte offset ("missing `instant`", "expected money"),
    /// with the line and column a user needs.
    public func error(_ message: String, at offset: Int) -> JSONError {
        bytes.withUnsafeBufferPointer { buf in
            JSONReader(buf, range: range, firstLine: firstLine, maxDepth: maxDepth).error(message, at: offset)
        }
    }

    private func decode(_ r: Range<Int>, escaped: Bool) -> String {
        withBytes(r) { raw in escaped ? JSONReader.unescape(raw) : String(decoding: raw, as: UTF8.self) }
    }
}

extension StaticString {
    fileprivate var utf8Buffer: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: utf8Start, count: utf8CodeUnitCount)
    }
}

/// One line of a JSON Lines file: its 1-based number and its bytes (without the line break).
public struct JSONLine: Sendable, Hashable {
    public let number: Int
    public let range: Range<Int>
    @inlinable public init(number: Int, range: Range<Int>) {
        self.number = number
        self.range = range
    }
}

/// The non-blank lines of a JSON Lines file with their 1-based numbers; a `\r\n` ending is
/// accepted. Parse each with `JSONParser.parse(_:range:firstLine:)` or `JSONObjectScanner`.
public struct JSONLines: Sequence, Sendable {
    public let bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public struct Iterator: IteratorProtocol {
        @usableFromInline let bytes: [UInt8]
        @usableFromInline var position = 0
        @usableFromInline var line = 0

        @inlinable init(bytes: [UInt8]) { self.bytes = bytes }

        /// The next non-blank line; inlinable, as `simulate` calls it once per event.
        @inlinable public mutating func next() -> JSONLine? {
            let count = bytes.count
            return bytes.withUnsafeBufferPointer { buf -> JSONLine? in
                while position < count {
                    line += 1
                    let start = position
                    var end = start
                    while end < count, buf[end] != 0x0A { end += 1 }
                    position = end + 1
                    var trimmed = end
                    if trimmed > start, buf[trimmed - 1] == 0x0D { trimmed -= 1 }
                    var k = start
                    while k < trimmed, buf[k] == 0x20 || buf[k] == 0x09 || buf[k] == 0x0D { k += 1 }
                    if k < trimmed { return JSONLine(number: line, range: start..<trimmed) }
                }
                return nil
            }
        }
    }

    @inlinable public func makeIterator() -> Iterator { Iterator(bytes: bytes) }

    /// Every line parsed into a value; the first malformed line's error carries its line number.
    public func values(maxDepth: Int = JSONParser.defaultMaxDepth) throws(JSONError) -> [JSONValue] {
        var result: [JSONValue] = []
        for line in self {
            result.append(try JSONParser.parse(bytes, range: line.range, firstLine: line.number, maxDepth: maxDepth))
        }
        return result
    }
}
