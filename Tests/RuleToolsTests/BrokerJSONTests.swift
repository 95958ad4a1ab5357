import Testing
import RuleBase
import RuleSemantics
import RuleTools

/// The small exact JSON reader and writer under the broker objects.
@Suite struct BrokerJSONTests {
    @Test(arguments: [
        ("{\"a\": 1, \"a\": 2}", "1:10: duplicate key `a`"),
        ("{\"a\": 1} x", "1:10: unexpected `x` after the document"),
        ("[1, 2", "1:6: expected `,` or `]`, found end of input"),
        ("{\"a\": 01}", "1:8: malformed number: leading zero"),
        ("{\"a\": \"\\q\"}", "1:8: unknown escape `\\q`"),
        ("{\"a\": \"\\ud800\"}", "1:14: unpaired surrogate in \\u escape"),
        ("\"\u{01}\"", "1:2: control character in string"),
        ("", "1:1: expected a value, found end of input"),
    ])
    func malformed(_ text: String, _ message: String) {
        switch BrokerJSON.parse(text) {
        case .success: Issue.record("\(text) parsed")
        case let .failure(e): #expect(e.description == message)
        }
    }

    @Test func numbersStayExact() throws {
        let json = #"{"dailyLossAutoLiq": 0.1, "weeklyLossAutoLiq": 1e-4, "dailyProfitAutoLiq": 12345678901234.5678, "dailyLossPercentageAlert": 0.005}"#
        let t = try BrokerImport.decode(BrokerJSON.parse(json).get()).get()
        #expect(t.postTradeRisk[.dailyLossAutoLiq] == .money(Money(units: 1_000)))
        #expect(t.postTradeRisk[.weeklyLossAutoLiq] == .money(Money(units: 1)))
        #expect(t.postTradeRisk[.dailyProfitAutoLiq] == .money(Money(units: 123_456_789_012_345_678)))
        #expect(t.postTradeRisk[.dailyLossPercentageAlert] == .percent(Ratio(numerator: 5, denominator: 100_000)))
        #expect(t.postTradeRisk.json.compact
                == #"{"dailyLossPercentageAlert": 0.005, "dailyLossAutoLiq": 0.1, "weeklyLossAutoLiq": 0.0001, "dailyProfitAutoLiq": 12345678901234.5678}"#)
    }

    @Test func writerEscapesAndKeepsOrder() throws {
        let v = BrokerJSON.object([.init("z", .string("a\"b\\c\n\u{01}é")), .init("a", .array([.number("1"), .bool(true), .null]))])
        #expect(v.compact == #"{"z": "a\"b\\c\n\u0001é", "a": [1, true, null]}"#)
        #expect(try BrokerJSON.parse(v.pretty).get() == v)
        #expect(v.pretty == "{\n  \"z\": \"a\\\"b\\\\c\\n\\u0001é\",\n  \"a\": [1, true, null]\n}\n")
    }

    @Test func unicodeEscapesDecode() throws {
        #expect(try BrokerJSON.parse(#"["\u00e9\ud83d\ude00\/"]"#).get() == .array([.string("é😀/")]))
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
