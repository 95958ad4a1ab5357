import Testing
import RuleBase
import RuleJSON
import RuleSemantics
import RuleTools

/// Broker objects are read and written by RuleJSON (one exact JSON implementation); these pin
/// what the broker import makes of it: malformed input, exact numbers, escaping, order.
@Suite struct BrokerJSONTests {
    @Test(arguments: [
        ("{\"a\": 1, \"a\": 2}", "1:10: malformed JSON: duplicate key `a`"),
        ("{\"a\": 1} x", "1:10: malformed JSON: unexpected `x` after the json value"),
        ("[1, 2", "1:6: malformed JSON: expected `,` or `]` after array element, found end of input"),
        ("{\"a\": 01}", "1:7: malformed JSON: leading zeros are not allowed in numbers"),
        ("{\"a\": \"\\q\"}", "1:8: malformed JSON: invalid escape `\\q` in string"),
        ("{\"a\": \"\\ud800\"}", "1:8: malformed JSON: unpaired surrogate `\\uD800` in string"),
        ("\"\u{01}\"", "1:2: malformed JSON: unescaped control character byte 0x01 in string"),
        ("", "1:1: malformed JSON: expected a value, found end of input"),
    ])
    func malformed(_ text: String, _ message: String) {
        switch BrokerImport.rulebook(json: Array(text.utf8)) {
        case .success: Issue.record("\(text) parsed")
        case let .failure(e): #expect(e.errors.map(\.description) == [message])
        }
    }

    @Test func numbersStayExact() throws {
        let json = #"{"dailyLossAutoLiq": 0.1, "weeklyLossAutoLiq": 1e-4, "dailyProfitAutoLiq": 12345678901234.5678, "dailyLossPercentageAlert": 0.005}"#
        let t = try BrokerImport.decode(JSONParser.parse(json)).get()
        #expect(t.postTradeRisk[.dailyLossAutoLiq] == .money(Money(units: 1_000)))
        #expect(t.postTradeRisk[.weeklyLossAutoLiq] == .money(Money(units: 1)))
        #expect(t.postTradeRisk[.dailyProfitAutoLiq] == .money(Money(units: 123_456_789_012_345_678)))
        #expect(t.postTradeRisk[.dailyLossPercentageAlert] == .percent(Ratio(numerator: 5, denominator: 100_000)))
        #expect(t.postTradeRisk.json.spacedText
                == #"{"dailyLossPercentageAlert": 0.005, "dailyLossAutoLiq": 0.1, "weeklyLossAutoLiq": 0.0001, "dailyProfitAutoLiq": 12345678901234.5678}"#)
    }

    @Test func writerEscapesAndKeepsOrder() throws {
        let v = JSONValue.object([.init("z", .string("a\"b\\c\n\u{01}é")), .init("a", .array([.number("1"), .bool(true), .null]))])
        #expect(v.spacedText == #"{"z": "a\"b\\c\n\u0001é", "a": [1, true, null]}"#)
        #expect(try JSONParser.parse(v.readableText()) == v)
        #expect(v.readableText() == "{\n  \"z\": \"a\\\"b\\\\c\\n\\u0001é\",\n  \"a\": [1, true, null]\n}\n")
    }

    @Test func unicodeEscapesDecode() throws {
        #expect(try JSONParser.parse(#"["\u00e9\ud83d\ude00\/"]"#) == .array([.string("é😀/")]))
    }

    @Test func timestampsAcceptedAndRefused() throws {
        func decode(_ s: String) -> FieldValue? {
            (try? BrokerImport.decode(.object([.init("flattenTimestamp", .string(s))])).get())?.postTradeRisk[.flattenTimestamp]
        }
        let d = try #require(CivilDate(year: 2026, month: 12, day: 18))
        #expect(decode("2026-12-18T08:00:00-06:00") == .dateTime(LocalDateTime(date: d, time: TimeOfDay(seconds: 8 * 3600), offset: UTCOffset(seconds: -21_600))))
        #expect(decode("2026-12-18T14:00Z") == .dateTime(LocalDateTime(date: d, time: TimeOfDay(seconds: 14 * 3600), offset: UTCOffset(seconds: 0))))
        #expect(decode("2026-12-18T14:00:00.000+00:00") == decode("2026-12-18T14:00:00Z"))
        for bad in ["2026-12-18T08:00:00", "2026-12-18T08:00:00.5Z", "2026-12-18 08:00Z", "2026-13-01T08:00Z", "2026-12-18T24:00Z", "x"] {
            #expect(decode(bad) == nil, "\(bad)")
        }
    }
}
