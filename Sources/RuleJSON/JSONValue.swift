import RuleBase

/// A JSON document as read from state, order, event and broker files. Numbers keep their exact
/// text so that money is read by `DecimalNumber`, never through `Double`; objects keep their
/// members in document order.
public enum JSONValue: Sendable, Hashable, CustomStringConvertible {
    case null
    case bool(Bool)
    /// The number exactly as written: `0.1`, `-12.50`, `1e3`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([Member])

    /// One member of an object, in document order.
    public struct Member: Sendable, Hashable {
        public var key: String
        public var value: JSONValue
        public init(_ key: String, _ value: JSONValue) {
            self.key = key
            self.value = value
        }
    }

    public var kind: JSONValueKind {
        switch self {
        case .null: .null
        case .bool: .bool
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    /// The member named `key` of an object (the parser rejects duplicate keys); nil otherwise.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The element at `index` of an array; nil when out of range or not an array.
    public subscript(index: Int) -> JSONValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    public var isNull: Bool { self == .null }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var numberText: String? { if case .number(let n) = self { n } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var objectMembers: [Member]? { if case .object(let m) = self { m } else { nil } }

    /// What the value is, for "expected …, found …" messages: `a number`, `an object`.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }

    /// The number as an exact decimal (`1e3` → 1000, `1.5e-2` → 0.015); nil when not a number
    /// or when it needs more than 18 digits.
    public var decimalValue: DecimalNumber? { numberText.flatMap(JSONNumber.decimal(_:)) }

    /// The number as an integer; nil when it has a fraction or does not fit.
    public var int64Value: Int64? { decimalValue?.integerValue }

    /// Dollars exactly: a JSON number (`1000.5`) or a string (`"1_000.50 USD"`); nil when it
    /// has more than four decimals or does not fit.
    public var moneyValue: Money? {
        switch self {
        case .number: decimalValue.flatMap { Money($0) }
        case .string(let s): Money(parsing: s)
        default: nil
        }
    }

    /// Compact JSON text.
    public var description: String { JSONWriter.string(self) }
}

/// The kind of a JSON value, as the allocation-free scanner reports it.
public enum JSONValueKind: Sendable, Hashable {
    case null, bool, number, string, array, object
}

/// A malformed JSON document: where (byte offset, 1-based line and column counted in Unicode
/// scalars) and what, as a lowercase message.
public struct JSONError: Error, Sendable, Hashable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int
    public var message: String

    public init(offset: Int, line: Int, column: Int, message: String) {
        self.offset = offset
        self.line = line
        self.column = column
        self.message = message
    }

    /// `3:14: expected `:` after object key, found `,``
    public var description: String { "\(line):\(column): \(message)" }
}

/// Exact conversion of JSON number text.
public enum JSONNumber {
    /// The number text as an exact decimal; nil when it is not JSON number text or does not fit.
    public static func decimal(_ text: String) -> DecimalNumber? {
        var t = text
        return t.withUTF8 { decimal($0) }
    }

    /// Converts valid JSON number bytes to an exact decimal, honouring the exponent; trailing
    /// fraction zeros are kept (`12.50` has scale 2) unless dropping them is needed to fit.
    @inlinable
    public static func decimal(_ bytes: UnsafeBufferPointer<UInt8>) -> DecimalNumber? {
        var i = 0
        let n = bytes.count
        let negative = n > 0 && bytes[0] == UInt8(ascii: "-")
        if negative { i += 1 }
        let intStart = i
        while i < n, isDigit(bytes[i]) { i += 1 }
        let intEnd = i
        var fracStart = i, fracEnd = i
        if i < n, bytes[i] == UInt8(ascii: ".") {
            i += 1
            fracStart = i
            while i < n, isDigit(bytes[i]) { i += 1 }
            fracEnd = i
        }
        var exponent = 0
        if i < n, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var expNegative = false
            if i < n, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            while i < n, isDigit(bytes[i]) {
                exponent = min(exponent * 10 + Int(bytes[i] - 48), 100_000)
                i += 1
            }
            if expNegative { exponent = -exponent }
        }
        guard i == n, intEnd > intStart else { return nil }
        if let d = build(bytes, intStart..<intEnd, fracStart..<fracEnd, exponent, negative) { return d }
        var trimmed = fracEnd
        while trimmed > fracStart, bytes[trimmed - 1] == UInt8(ascii: "0") { trimmed -= 1 }
        return build(bytes, intStart..<intEnd, fracStart..<trimmed, exponent, negative)
    }

    @inlinable
    static func build(_ bytes: UnsafeBufferPointer<UInt8>, _ int: Range<Int>, _ frac: Range<Int>,
                              _ exponent: Int, _ negative: Bool) -> DecimalNumber? {
        var m: Int64 = 0
        for i in int.lowerBound..<frac.upperBound where i < int.upperBound || i >= frac.lowerBound {
            let (a, o1) = m.multipliedReportingOverflow(by: 10)
            let (s, o2) = a.addingReportingOverflow(Int64(bytes[i] - 48))
            if o1 || o2 { return nil }
            m = s
        }
        var scale = frac.count - exponent
        if m == 0 { return DecimalNumber(mantissa: 0, scale: UInt8(clamping: max(0, min(scale, 18)))) }
        if scale < 0 {
            guard scale >= -18 else { return nil }
            let (v, o) = m.multipliedReportingOverflow(by: Int64.pow10(-scale))
            if o { return nil }
            m = v
            scale = 0
        }
        guard scale <= 18 else { return nil }
        return DecimalNumber(mantissa: negative ? -m : m, scale: UInt8(scale))
    }

    @inlinable @inline(__always)
    public static func isDigit(_ b: UInt8) -> Bool { b &- UInt8(ascii: "0") < 10 }
}
