import Testing
import RuleBase
@testable import RuleSyntax

@Suite("Lexer")
struct LexerTests {
    @Test("every literal kind is one token with its decoded value", arguments: [
        // (text, kind, payload, scale, offset seconds)
        ("800 USD", TokenKind.money, Int64(8_000_000), UInt8(0), Int32(0)),
        ("1_000.50 USD", .money, 10_005_000, 0, 0),
        ("0.0001 USD", .money, 1, 0, 0),
        ("5USD", .money, 50_000, 0, 0),
        ("1.5%", .percent, 15, 1, 0),
        ("80%", .percent, 80, 0, 0),
        ("0.25%", .percent, 25, 2, 0),
        ("5 contracts", .contracts, 5, 0, 0),
        ("1 contract", .contracts, 1, 0, 0),
        ("1_000 contracts", .contracts, 1_000, 0, 0),
        ("16:00", .time, 57_600, 0, 0),
        ("9:30", .time, 34_200, 0, 0),
        ("00:00", .time, 0, 0, 0),
        ("23:59:59", .time, 86_399, 0, 0),
        ("2026-11-26", .date, 20_783, 0, 0),
        ("2026-12-31T15:45", .dateTime, 20_818 * 86_400 + 56_700, 0, 0),
        ("2026-12-31T21:45Z", .dateTime, 20_818 * 86_400 + 78_300, 1, 0),
        ("2026-12-31T15:45-06:00", .dateTime, 20_818 * 86_400 + 56_700, 1, -21_600),
        ("2026-12-31T15:45:30+05:30", .dateTime, 20_818 * 86_400 + 56_730, 1, 19_800),
        ("13_200", .number, 13_200, 0, 0),
        ("1_000_000", .number, 1_000_000, 0, 0),
        ("0.25", .number, 25, 2, 0),
        ("0.00005", .number, 5, 5, 0),
        ("007", .number, 7, 0, 0),
    ] as [(String, TokenKind, Int64, UInt8, Int32)])
    func literal(text: String, kind: TokenKind, payload: Int64, scale: UInt8, offset: Int32) throws {
        let (tokens, codes) = lex(text)
        #expect(codes.isEmpty)
        #expect(tokens.count == 1)
        let t = try #require(firstToken(text))
        #expect(t.kind == kind)
        #expect(t.payload == payload)
        #expect(t.scale == scale)
        #expect(t.offset == offset)
        #expect(Int(t.end) == text.utf8.count)
    }

    @Test("a date-time decodes to its date, wall time and offset")
    func dateTimeFields() throws {
        let t = try #require(firstToken("2026-12-31T15:45-06:00"))
        #expect(t.dateTime.description == "2026-12-31T15:45-06:00")
        #expect(t.dateTime.instant?.description == "2026-12-31T21:45:00Z")
        let wall = try #require(firstToken("2026-12-31T15:45"))
        #expect(wall.dateTime.offset == nil)
        #expect(wall.dateTime.description == "2026-12-31T15:45")
    }

    @Test("words, strings and punctuation", arguments: [
        ("eval_50k", [TokenKind.identifier]),
        ("ES", [.identifier]),
        ("M2K", [.identifier]),
        ("daily_loss", [.keyword]),
        ("USD", [.keyword]),
        ("Daily_loss", [.identifier]),          // keywords are case-sensitive
        ("\"America/Chicago\"", [.string]),
        ("\"a \\\"quoted\\\" \\\\ word\\n\\t\"", [.string]),
        ("\"\"", [.string]),
        ("{ } , ;", [.leftBrace, .rightBrace, .comma, .semicolon]),
        ("a\nb", [.identifier, .newline, .identifier]),
        ("a # comment { } \"\nb", [.identifier, .newline, .identifier]),
        ("a\r\nb", [.identifier, .newline, .identifier]),
        ("restrict CL, NG", [.keyword, .identifier, .comma, .identifier]),
        ("max_position ES 5", [.keyword, .identifier, .number]),
        ("daily_loss 800 USD", [.keyword, .money]),
        ("2 USD;3", [.money, .semicolon, .number]),
        ("16:00}", [.time, .rightBrace]),
    ])
    func tokenKinds(text: String, kinds: [TokenKind]) {
        let (tokens, codes) = lex(text)
        #expect(codes.isEmpty)
        #expect(tokens.map(\.0) == kinds)
    }

    @Test("every keyword lexes as itself", arguments: Keyword.all)
    func keywords(keyword: Keyword) throws {
        let t = try #require(firstToken(keyword.text))
        #expect(t.kind == .keyword)
        #expect(t.keyword == keyword)
        #expect(Keyword.lookup(keyword.text) == keyword)
        #expect(Keyword.lookup(keyword.text + "_x") == .none)
    }

    @Test("a string's value has its escapes decoded")
    func stringValue() {
        let (tree, diagnostics) = Parser.parse(#"description "a \"b\" \\ c\n\td""#)
        #expect(diagnostics.isEmpty)
        #expect(tree.stringValue(tree.items[0].values[0]) == "a \"b\" \\ c\n\td")
    }

    @Test("each malformed literal has its own code", arguments: [
        ("25:00", "R1004"),
        ("24:00", "R1004"),
        ("12:60", "R1004"),
        ("12:00:60", "R1004"),
        ("2026-02-30", "R1005"),
        ("2025-02-29", "R1005"),
        ("2026-13-01", "R1005"),
        ("2026-1-1", "R1005"),
        ("1.2.3", "R1003"),
        ("1__0", "R1003"),
        ("1_", "R1003"),
        ("1_.5", "R1003"),
        ("1.5 contracts", "R1003"),
        ("5ES", "R1009"),
        ("16:00x", "R1009"),
        ("1.5%x", "R1009"),
        ("2026-11-26x", "R1009"),
        ("\"unterminated", "R1006"),
        ("\"no close\nnext", "R1006"),
        ("\"bad \\q escape\"", "R1007"),
        ("2026-12-31T15:45+6", "R1008"),
        ("2026-12-31T15:45-25:00", "R1008"),
        ("2026-12-31T15:45-06:99", "R1008"),
        ("2026-12-31T25:00", "R1004"),
        ("$", "R1002"),
        ("-", "R1002"),
        ("-5 USD", "R1016"),
        ("-2%", "R1016"),
        ("@", "R1002"),
        ("0.00001 USD", "R1015"),
    ])
    func malformedLiteral(text: String, code: String) {
        #expect(lex(text).codes == [code])
    }

    @Test("a bad literal becomes one invalid token covering the whole word", arguments: [
        ("5ES", "5ES"), ("25:00", "25:00"), ("1.2.3", "1.2.3"), ("2026-02-30", "2026-02-30"),
        ("16:00x", "16:00x"), ("2026-12-31T15:45+6", "2026-12-31T15:45+6"),
    ])
    func invalidTokenSpan(text: String, covered: String) {
        let (tokens, _) = lex(text + " next")
        #expect(tokens.first?.0 == .invalid)
        #expect(tokens.first?.1 == covered)
        #expect(tokens.last?.1 == "next")
    }

    @Test("invalid UTF-8 and NUL bytes are R1001", arguments: [
        [UInt8(0x61), 0xFF, 0x62],
        [0x61, 0xC3],                  // truncated two-byte sequence
        [0xE2, 0x82],                  // truncated euro sign
        [0xC0, 0xAF],                  // overlong
        [0xED, 0x20],                  // a lead byte followed by a space
        [0xED, 0xA0, 0x80],            // a UTF-16 surrogate, U+D800
        [0xE0, 0x80, 0x80],            // overlong three-byte NUL
        [0xF0, 0x80, 0x80, 0x80],      // overlong four-byte NUL
        [0xF4, 0x90, 0x80, 0x80],      // past U+10FFFF
        [0x80],                        // a lone continuation byte
        [0x61, 0x00, 0x62],
    ])
    func invalidUTF8(bytes: [UInt8]) {
        let (_, diagnostics) = Lexer.tokenize(SourceFile(id: FileID(0), path: "t.rules", bytes: bytes))
        #expect(diagnostics.map(\.code.id).first == "R1001")
        #expect(diagnostics.filter { $0.code.id == "R1001" }.count == 1)
    }

    @Test("non-ASCII text is fine inside strings and comments")
    func unicodeInStringsAndComments() {
        let (tokens, codes) = lex("description \"Euro € FX — ünï\" # 注释\n")
        #expect(codes.isEmpty)
        #expect(tokens.map(\.0) == [.keyword, .string, .newline])
    }

    @Test("the diagnostic span of a bad time covers the time")
    func badTimeSpan() {
        let file = SourceFile(id: FileID(0), path: "t.rules", text: "start 25:00\n")
        let (_, diagnostics) = Lexer.tokenize(file)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first.map { file.text($0.primary.span) } == "25:00")
        #expect(diagnostics.first?.message == "invalid time of day `25:00`: hour 25 is past 23")
    }

    @Test("a file over 16 MiB is refused with R9001 before any lexing")
    func fileSizeLimit() {
        let limit = SyntaxLimits.maxFileBytes
        #expect(limit == 16 * 1024 * 1024)
        let over = Lexer.tokenize(SourceFile(id: FileID(0), path: "big.rules", bytes: [UInt8](repeating: 0x20, count: limit + 1)))
        #expect(over.diagnostics.map(\.code.id) == ["R9001"])
        #expect(over.tokens.map(\.kind) == [.endOfFile])
    }
}
