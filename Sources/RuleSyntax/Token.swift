import RuleBase

/// What a token is. Literal kinds carry their decoded value in `Token.payload`.
public enum TokenKind: UInt8, Sendable, Hashable {
    case identifier, keyword, string
    case number, money, percent, contracts, time, date, dateTime
    /// A literal the lexer could not read (`25:00`, `1.2.3`); already reported.
    case invalid
    case leftBrace, rightBrace, comma, semicolon, newline, endOfFile

    /// Can stand as a value or an item name.
    @inline(__always) public var isWord: Bool { rawValue <= TokenKind.invalid.rawValue }

    public var humanName: String {
        switch self {
        case .identifier: return "a name"
        case .keyword: return "a keyword"
        case .string: return "a string"
        case .number: return "a number"
        case .money: return "a money amount"
        case .percent: return "a percent"
        case .contracts: return "a contract count"
        case .time: return "a time of day"
        case .date: return "a date"
        case .dateTime: return "a date-time"
        case .invalid: return "an invalid literal"
        case .leftBrace: return "`{`"
        case .rightBrace: return "`}`"
        case .comma: return "`,`"
        case .semicolon: return "`;`"
        case .newline: return "a line break"
        case .endOfFile: return "the end of the file"
        }
    }
}

/// One token: its kind, its text range, the trivia (spaces, comments) before it, and its
/// decoded literal value. Concatenating every token's `[triviaStart, end)` reproduces the file.
///
/// 24 bytes: a file has about one token per six bytes, so the token array is the largest
/// structure of a check. The keyword (keyword tokens) and the scale (literals) share a byte,
/// and a UTC offset, always whole minutes, is kept in minutes.
public struct Token: Sendable, Hashable {
    /// number/percent: mantissa; money: units of 1/10,000 USD; contracts: count;
    /// time: seconds after midnight; date: days since 1970-01-01; dateTime: wall seconds.
    public var payload: Int64
    public var triviaStart: UInt32
    public var start: UInt32
    public var end: UInt32
    @usableFromInline var offsetMinutes: Int16
    public var kind: TokenKind
    /// `keyword` of a keyword token, `scale` of any other.
    @usableFromInline var info: UInt8

    public init(kind: TokenKind, keyword: Keyword = .none, scale: UInt8 = 0, offset: Int32 = 0,
                triviaStart: UInt32, start: UInt32, end: UInt32, payload: Int64 = 0) {
        self.payload = payload
        self.triviaStart = triviaStart
        self.start = start
        self.end = end
        self.offsetMinutes = Int16(truncatingIfNeeded: offset / 60)
        self.kind = kind
        self.info = kind == .keyword ? keyword.rawValue : scale
    }

    public var keyword: Keyword {
        @inlinable @inline(__always) get { kind == .keyword ? Keyword(rawValue: info) ?? .none : .none }
        set { info = newValue.rawValue }
    }
    /// number/percent: fraction digits; dateTime: 1 when an offset was written.
    public var scale: UInt8 {
        @inlinable @inline(__always) get { kind == .keyword ? 0 : info }
        set { info = newValue }
    }
    /// dateTime: the written UTC offset in seconds.
    public var offset: Int32 {
        @inlinable get { Int32(offsetMinutes) * 60 }
        set { offsetMinutes = Int16(truncatingIfNeeded: newValue / 60) }
    }

    @inlinable @inline(__always)
    public func span(_ file: FileID) -> Span { Span(file: file, start: start, end: end) }

    public var decimal: DecimalNumber { DecimalNumber(mantissa: payload, scale: scale) }
    public var money: Money { Money(units: payload) }
    public var timeOfDay: TimeOfDay { TimeOfDay(seconds: Int32(truncatingIfNeeded: payload)) }
    public var date: CivilDate { CivilDate(daysSinceEpoch: payload) }
    public var dateTime: LocalDateTime {
        let days = payload >= 0 ? payload / 86_400 : (payload - 86_399) / 86_400
        return LocalDateTime(date: CivilDate(daysSinceEpoch: days),
                             time: TimeOfDay(seconds: Int32(payload - days * 86_400)),
                             offset: scale == 1 ? UTCOffset(seconds: offset) : nil)
    }
}
