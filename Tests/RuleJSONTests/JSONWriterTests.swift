import RuleTestSupport
import RuleBase
import Testing
@testable import RuleJSON

@Suite struct JSONWriterTests {
    let sample: JSONValue = .object([
        .init("type", .string("fill")),
        .init("qty", .number("2")),
        .init("price", .number("4500.25")),
        .init("tags", .array([.string("a\"b"), .null, .bool(true)])),
        .init("empty", .object([])),
        .init("none", .array([])),
    ])

    @Test func compact() {
        #expect(JSONWriter.string(sample) ==
            #"{"type":"fill","qty":2,"price":4500.25,"tags":["a\"b",null,true],"empty":{},"none":[]}"#)
    }

    @Test func pretty() {
        #expect(JSONWriter.string(sample, style: .pretty) == """
            {
              "type": "fill",
              "qty": 2,
              "price": 4500.25,
              "tags": [
                "a\\"b",
                null,
                true
              ],
              "empty": {},
              "none": []
            }
            """)
    }

    @Test func streamingCallsAndJSONLines() {
        var w = JSONWriter()
        for i in 0..<2 {
            w.beginObject()
            w.field("n", Int64(i))
            w.field("ok", i == 0)
            w.field("limit", money: Money(units: 12_345_000))
            w.key("ratio"); w.number(DecimalNumber(mantissa: 150, scale: 2))
            w.endObject()
            w.newline()
        }
        #expect(w.text == """
            {"n":0,"ok":true,"limit":1234.50,"ratio":1.50}
            {"n":1,"ok":false,"limit":1234.50,"ratio":1.50}

            """)
        w.reset()
        w.string("x")
        #expect(w.text == "\"x\"")
    }

    @Test func deepNestingAndNumbers() throws {
        var w = JSONWriter()
        for _ in 0..<100 { w.beginArray(); w.number(1) }
        for _ in 0..<100 { w.endArray() }
        let expected = String(repeating: "[1,", count: 99) + "[1" + String(repeating: "]", count: 100)
        #expect(w.text == expected)
        w.reset()
        w.beginArray()
        for m in [Money(units: 0), Money(units: 1), Money(units: -12_345_000), Money(units: .min)] { w.money(m) }
        w.number(Int64.min); w.number(0); w.number(DecimalNumber(mantissa: -5, scale: 3))
        w.number(DecimalNumber(mantissa: 0, scale: 2))
        w.endArray()
        #expect(w.text == "[0.00,0.0001,-1234.50,-922337203685477.5808,-9223372036854775808,0,-0.005,0.00]")
    }

    @Test(arguments: [
        ("\u{0}\u{1}\u{1F}", #""\u0000\u0001\u001f""#),
        ("\n\r\t\u{8}\u{C}", #""\n\r\t\b\f""#),
        ("\\ / \"", #""\\ / \"""#),
        ("é😀\u{7F}\u{2028}", "\"é😀\u{7F}\u{2028}\""),
    ])
    func escaping(text: String, json: String) throws {
        #expect(JSONWriter.string(.string(text)) == json)
        #expect(try JSONParser.parse(json) == .string(text))
    }

    @Test func roundTripOfGeneratedValues() throws {
        var rng = SplitMix64(seed: 2026)
        for _ in 0..<500 {
            let value = Self.generate(&rng, depth: 0)
            for style in [JSONWriter.Style.compact, .pretty] {
                let text = JSONWriter.string(value, style: style)
                #expect(try JSONParser.parse(text) == value, "\(text)")
                // Writing is deterministic: the same value gives the same bytes.
                #expect(JSONWriter.string(try JSONParser.parse(text), style: style) == text)
            }
        }
    }

    static func generate(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
        let pick = rng.next() % (depth > 4 ? 4 : 6)
        switch pick {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2:
            let numbers = ["0", "-1", "0.1", "1e3", "-12.50", "3.25E-7", "123456789012345678901234567890", "42"]
            return .number(numbers[Int(rng.next() % UInt64(numbers.count))])
        case 3: return .string(randomString(&rng))
        case 4:
            return .array((0..<Int(rng.next() % 4)).map { _ in generate(&rng, depth: depth + 1) })
        default:
            var members: [JSONValue.Member] = []
            for k in 0..<Int(rng.next() % 4) {
                members.append(.init(randomString(&rng) + "#\(k)", generate(&rng, depth: depth + 1)))
            }
            return .object(members)
        }
    }

    static func randomString(_ rng: inout SplitMix64) -> String {
        let pieces: [String] = ["a", "Z", " ", "\"", "\\", "/", "\n", "\t", "\u{0}", "\u{1F}", "é", "€", "😀", "𝄞", "\u{7F}", "\u{FFFF}"]
        return (0..<Int(rng.next() % 8)).map { _ in pieces[Int(rng.next() % UInt64(pieces.count))] }.joined()
    }
}

@Suite struct JSONScannerTests {
    @Test func scansFlatObjectWithoutBuildingValues() throws {
        let line = Array(#"  {"type":"fill","qty":-2,"price":4500.25,"ok":true,"x":null,"meta":{"a":[1,{"b":2}]},"n\u0061me":"\u00e9"} "#.utf8)
        var s = try JSONObjectScanner(line)
        var seen: [String] = []
        while let f = try s.next() {
            seen.append(s.keyString(f))
            if s.key(f, is: "type") {
                #expect(s.string(f, is: "fill"))
                #expect(!s.string(f, is: "fil"))
            }
            if s.key(f, is: "qty") { #expect(s.int64(f) == -2 && f.kind == .number) }
            if s.key(f, is: "price") { #expect(s.money(f) == Money(units: 45_002_500)) }
            if s.key(f, is: "ok") { #expect(s.bool(f) == true) }
            if s.key(f, is: "x") { #expect(f.kind == .null && s.string(f) == nil) }
            if s.key(f, is: "meta") {
                #expect(f.kind == .object)
                #expect(try s.value(f) == .object([.init("a", .array([.number("1"), .object([.init("b", .number("2"))])]))]))
            }
            if s.key(f, is: "name") { #expect(f.keyHasEscapes && s.string(f) == "é") }
        }
        #expect(seen == ["type", "qty", "price", "ok", "x", "meta", "name"])
        #expect(try s.next() == nil)
    }

    @Test func emptyObjectAndNonObjects() throws {
        var s = try JSONObjectScanner(Array("{}".utf8))
        #expect(try s.next() == nil)
        #expect(throws: JSONError(offset: 0, line: 1, column: 1, message: "expected `{` to start an object, found `[`")) {
            try JSONObjectScanner(Array("[]".utf8))
        }
        var t = try JSONObjectScanner(Array(#"{"a":1} 2"#.utf8))
        #expect(try t.next() != nil)
        #expect(throws: JSONError(offset: 8, line: 1, column: 9, message: "unexpected `2` after the json value")) {
            try t.next()
        }
    }

    @Test func scansJSONLinesWithLineNumbers() throws {
        let file = Array("{\"t\":1}\n\n{\"t\":2, \"u\": [1,]}\n".utf8)
        var totals: [Int64] = []
        var failure: JSONError?
        for line in JSONLines(file) {
            do {
                var s = try JSONObjectScanner(file, range: line.range, firstLine: line.number)
                while let f = try s.next() { if s.key(f, is: "t") { totals.append(s.int64(f) ?? 0) } }
            } catch {
                failure = error
            }
        }
        #expect(totals == [1, 2])
        #expect(failure == JSONError(offset: 25, line: 3, column: 17, message: "trailing comma before `]`"))
        let scanner = try JSONObjectScanner(file, range: 9..<27, firstLine: 3)
        #expect(scanner.error("missing `instant`", at: 14) == JSONError(offset: 14, line: 3, column: 6, message: "missing `instant`"))
    }
}
