import Testing
@testable import RuleJSON

/// Each malformed document, the line and column of the error, and its message.
let malformedCases: [(json: String, line: Int, column: Int, message: String)] = [
    ("", 1, 1, "expected a value, found end of input"),
    ("   ", 1, 4, "expected a value, found end of input"),
    ("{", 1, 2, "expected a string key, found end of input"),
    ("[", 1, 2, "expected a value, found end of input"),
    ("}", 1, 1, "expected a value, found `}`"),
    ("[1,]", 1, 4, "trailing comma before `]`"),
    ("{\"a\":1,}", 1, 8, "trailing comma before `}`"),
    ("{\"a\" 1}", 1, 6, "expected `:` after object key, found `1`"),
    ("{\"a\":1 \"b\":2}", 1, 8, "expected `,` or `}` after object member, found `\"`"),
    ("[1 2]", 1, 4, "expected `,` or `]` after array element, found `2`"),
    ("{a:1}", 1, 2, "expected a string key, found `a`"),
    ("{'a':1}", 1, 2, "expected a string key, found `'`"),
    ("[1,,2]", 1, 4, "expected a value, found `,`"),
    ("tru", 1, 1, "unknown literal `tru`; expected `true`, `false` or `null`"),
    ("True", 1, 1, "unknown literal `True`; expected `true`, `false` or `null`"),
    ("nulll", 1, 1, "unknown literal `nulll`; expected `true`, `false` or `null`"),
    ("NaN", 1, 1, "unknown literal `NaN`; expected `true`, `false` or `null`"),
    ("01", 1, 1, "leading zeros are not allowed in numbers"),
    ("-", 1, 2, "expected a digit after `-`, found end of input"),
    ("-a", 1, 2, "expected a digit after `-`, found `a`"),
    ("+1", 1, 1, "expected a value, found `+`"),
    (".5", 1, 1, "expected a value, found `.`"),
    ("1.", 1, 3, "expected a digit after the decimal point, found end of input"),
    ("1.e3", 1, 3, "expected a digit after the decimal point, found `e`"),
    ("1e", 1, 3, "expected a digit in the exponent, found end of input"),
    ("1e+", 1, 4, "expected a digit in the exponent, found end of input"),
    ("1 2", 1, 3, "unexpected `2` after the json value"),
    ("{} x", 1, 4, "unexpected `x` after the json value"),
    ("\"abc", 1, 1, "unterminated string"),
    ("[\"ab\ncd\"]", 1, 2, "unterminated string"),
    ("\"a\u{1}b\"", 1, 3, "unescaped control character byte 0x01 in string"),
    ("\"\\q\"", 1, 2, "invalid escape `\\q` in string"),
    ("\"\\u12\"", 1, 2, "expected 4 hex digits after `\\u`"),
    ("\"\\uZZZZ\"", 1, 2, "expected 4 hex digits after `\\u`"),
    ("\"\\ud800\"", 1, 2, "unpaired surrogate `\\uD800` in string"),
    ("\"\\ud800\\u0041\"", 1, 2, "unpaired surrogate `\\uD800` in string"),
    ("\"\\udc00\"", 1, 2, "unpaired surrogate `\\uDC00` in string"),
    ("{\n  \"a\": 1,\n  \"b\" 2\n}", 3, 7, "expected `:` after object key, found `2`"),
    ("[\n  1,\n  2\n  3]", 4, 3, "expected `,` or `]` after array element, found `3`"),
    ("{\"é\": x}", 1, 7, "unknown literal `x`; expected `true`, `false` or `null`"),
    ("{\"é\": ?}", 1, 7, "expected a value, found `?`"),
    ("[é]", 1, 2, "expected a value, found `é`"),
    ("{\"a\":1}\n}", 2, 1, "unexpected `}` after the json value"),
    ("[1]\r\n\r\n]", 3, 1, "unexpected `]` after the json value"),
]

@Suite struct JSONMalformedTests {
    @Test func thereAreEnoughCases() { #expect(malformedCases.count >= 30) }

    @Test(arguments: malformedCases.indices)
    func malformedInput(index: Int) {
        let c = malformedCases[index]
        do {
            let v = try JSONParser.parse(c.json)
            Issue.record("parsed \(c.json.debugDescription) as \(v)")
        } catch {
            #expect(error.line == c.line, "\(c.json.debugDescription)")
            #expect(error.column == c.column, "\(c.json.debugDescription)")
            #expect(error.message == c.message)
            #expect(error.description == "\(c.line):\(c.column): \(c.message)")
        }
    }

    @Test(arguments: [
        ([0x22, 0xFF, 0x22], "invalid utf-8 in string"),
        ([0x22, 0xC3, 0x22], "invalid utf-8 in string"),
        ([0x22, 0xC0, 0xAF, 0x22], "invalid utf-8 in string"),        // overlong `/`
        ([0x22, 0xED, 0xA0, 0x80, 0x22], "invalid utf-8 in string"),  // encoded surrogate
        ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "invalid utf-8 in string"), // above U+10FFFF
        ([0xFF], "expected a value, found byte 0xFF"),
        ([0x5B, 0x00, 0x5D], "expected a value, found byte 0x00"),
    ] as [([UInt8], String)])
    func invalidBytes(bytes: [UInt8], message: String) {
        #expect(throws: JSONError.self) { try JSONParser.parse(bytes) }
        do { _ = try JSONParser.parse(bytes) } catch { #expect(error.message == message) }
    }

    @Test func scannerReportsTheSameErrors() {
        for c in malformedCases where c.json.hasPrefix("{\"") {
            let bytes = Array(c.json.utf8)
            do {
                var s = try JSONObjectScanner(bytes)
                while try s.next() != nil {}
                Issue.record("scanned \(c.json.debugDescription)")
            } catch {
                #expect(error.line == c.line && error.column == c.column, "\(c.json.debugDescription)")
            }
        }
    }
}
