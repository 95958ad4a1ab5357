import RuleBase
import Testing
import RuleTestSupport
@testable import RuleJSON

@Suite struct JSONParserTests {
    @Test func documentWithEveryKind() throws {
        let v = try JSONParser.parse("""
            { "account": "A-1", "balance": 50000.25, "open": true, "closed": false,
              "note": null, "fills": [1, -2.5, 3e2], "nested": {"x": {}} , "empty": [] }
            """)
        #expect(v["account"] == .string("A-1"))
        #expect(v["balance"]?.moneyValue == Money(units: 500_002_500))
        #expect(v["open"]?.boolValue == true)
        #expect(v["closed"] == .bool(false))
        #expect(v["note"]?.isNull == true)
        #expect(v["fills"]?[2] == .number("3e2"))
        #expect(v["fills"]?[3] == nil)
        #expect(v["nested"]?["x"] == .object([]))
        #expect(v["empty"] == .array([]))
        #expect(v["missing"] == nil)
        #expect(v.objectMembers?.map(\.key) == ["account", "balance", "open", "closed", "note", "fills", "nested", "empty"])
    }

    @Test(arguments: ["0", "0.1", "1e3", "-12.50", "-0", "1E+3", "2.5e-10", "123456789012345678901234567890"])
    func numberTextIsKeptExactly(text: String) throws {
        #expect(try JSONParser.parse(text) == .number(text))
        #expect(try JSONParser.parse("[\(text)]") == .array([.number(text)]))
    }

    @Test(arguments: [
        ("0.1", 1, 1), ("-12.50", -1250, 2), ("1e3", 1000, 0), ("1.5e-2", 15, 3), ("1E+2", 100, 0),
        ("0.10000000000000000000000", 1, 1), ("-0", 0, 0), ("12.5e1", 125, 0),
    ] as [(String, Int64, UInt8)])
    func exactDecimals(text: String, mantissa: Int64, scale: UInt8) {
        #expect(JSONNumber.decimal(text) == DecimalNumber(mantissa: mantissa, scale: scale))
    }

    @Test(arguments: ["1e30", "123456789012345678901234567890", "1e-30"])
    func decimalsThatDoNotFitAreNil(text: String) {
        #expect(JSONNumber.decimal(text) == nil)
    }

    @Test func moneyNeverRoundsThroughDouble() throws {
        #expect(try JSONParser.parse("0.1").moneyValue == Money(units: 1000))
        #expect(try JSONParser.parse("\"1_000.50 USD\"").moneyValue == Money(units: 10_005_000))
        #expect(try JSONParser.parse("0.00001").moneyValue == nil)
        #expect(try JSONParser.parse("7").int64Value == 7)
        #expect(try JSONParser.parse("7.5").int64Value == nil)
    }

    @Test(arguments: [
        (#""a\"b\\c\/d""#, "a\"b\\c/d"),
        (#""\b\f\n\r\t""#, "\u{8}\u{C}\n\r\t"),
        (#""\u0041\u00e9\u20AC""#, "Aé€"),
        (#""\ud83d\ude00 ok""#, "😀 ok"),
        (#""\uD834\uDD1E""#, "𝄞"),
        (#""\u0000""#, "\u{0}"),
        ("\"naïve 日本 😀\"", "naïve 日本 😀"),
        (#""""#, ""),
    ])
    func escapesAndUnicode(json: String, expected: String) throws {
        #expect(try JSONParser.parse(json) == .string(expected))
    }

    @Test func whitespaceAndByteOrderMark() throws {
        #expect(try JSONParser.parse(" \t\r\n 1 \n") == .number("1"))
        #expect(try JSONParser.parse([0xEF, 0xBB, 0xBF] + Array("[]".utf8)) == .array([]))
    }

    @Test func depthLimit() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(throws: Never.self) { try JSONParser.parse(ok) }
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: JSONError(offset: 64, line: 1, column: 65, message: "nesting deeper than 64 levels")) {
            try JSONParser.parse(deep)
        }
        let objects = String(repeating: "{\"a\":", count: 3) + "1}}}"
        #expect(throws: JSONError(offset: 10, line: 1, column: 11, message: "nesting deeper than 2 levels")) {
            try JSONParser.parse(objects, maxDepth: 2)
        }
        // A hostile depth is reported, not a stack overflow.
        let hostile = String(repeating: "[", count: 1_000_000)
        #expect(throws: JSONError.self) { try JSONParser.parse(hostile) }
    }

    @Test func duplicateKeysAreRejected() {
        #expect(throws: JSONError(offset: 9, line: 1, column: 10, message: "duplicate key `a`")) {
            try JSONParser.parse(#"{"a": 1, "a": 2}"#)
        }
        let many = (0..<40).map { "\"k\($0)\": \($0)" }.joined(separator: ", ")
        #expect(throws: Never.self) { try JSONParser.parse("{\(many)}") }
        #expect(throws: JSONError.self) { try JSONParser.parse("{\(many), \"k39\": 0}") }
    }

    @Test func jsonLinesNumbersLinesAndSkipsBlankOnes() throws {
        let text = "{\"a\":1}\r\n\n   \n[2]\n\"x\""
        let lines = Array(JSONLines(Array(text.utf8)))
        #expect(lines.map(\.number) == [1, 4, 5])
        #expect(try JSONLines(Array(text.utf8)).values() == [.object([.init("a", .number("1"))]), .array([.number("2")]), .string("x")])
        let bad = Array("{\"a\":1}\n\n  {\"a\" 2}\n".utf8)
        #expect(throws: JSONError(offset: 16, line: 3, column: 8, message: "expected `:` after object key, found `2`")) {
            try JSONLines(bad).values()
        }
        #expect(Array(JSONLines([])).isEmpty)
    }

    @Test func errorsNeverCrashOnRandomBytes() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("{}[],:\"\\ u0123456789abcdefEtrunl-+.\n\t".utf8) + [0x00, 0x80, 0xC3, 0xA9, 0xFF, 0xED, 0xF0]
        for _ in 0..<3000 {
            let n = Int(rng.next() % 24)
            let bytes = (0..<n).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            do {
                _ = try JSONParser.parse(bytes)
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
                #expect(error.line >= 1 && error.column >= 1)
                #expect(error.message.first?.isLowercase == true && error.message.last != ".", "\(error.message)")
            }
        }
    }
}

