import RuleBase
import Testing
import RuleJSON

/// The hot-path writer: digits straight into bytes, the same text as `JSONWriter` where both write.
@Suite struct ByteSinkTests {
    @Test(arguments: [(Int64(0), "0.00"), (1, "0.0001"), (10, "0.001"), (-12_345_000, "-1234.50"),
                      (50_000_0000, "50000.00"), (.max, "922337203685477.5807"), (.min, "-922337203685477.5808")])
    func money(units: Int64, text: String) {
        let s = ByteSink(capacity: 1)
        s.money(Money(units: units))
        s.byte(0x20)
        s.money(Money(units: units), slot: 0)
        s.byte(0x20)
        s.money(Money(units: units), slot: 0)
        #expect(s.text == "\(text) \(text) \(text)")
    }

    @Test func decimalsIntegersAndStrings() {
        let s = ByteSink(capacity: 4)
        s.decimal(5_000_250_000, scale: 6, minFraction: 2); s.byte(0x2C)
        s.decimal(-5, scale: 3, minFraction: 0); s.byte(0x2C)
        s.int(.min); s.byte(0x2C)
        s.unsigned(.max); s.byte(0x2C)
        s.quoted("a\"b\\c\n\u{1}é")
        #expect(s.text == #"5000.25,-0.005,-9223372036854775808,18446744073709551615,"a\"b\\c\n\u0001é""#)
        #expect(s.count == s.bytes.count)
        s.reset()
        #expect(s.count == 0 && s.text.isEmpty)
    }

    @Test func instantsAndDates() throws {
        let s = ByteSink()
        let t = Instant(millis: 1_772_550_000_250)
        s.instant(t); s.byte(0x20)
        s.instant(t, offsetSeconds: -21_600); s.byte(0x20)
        s.instant(Instant(epochSeconds: -1)); s.byte(0x20)
        let d = try #require(CivilDate(year: 2026, month: 3, day: 3))
        s.date(d); s.byte(0x20)
        s.tradeDate(days: d.daysSinceEpoch); s.byte(0x20)
        s.date(days: d.daysSinceEpoch + 1)
        #expect(s.text == "2026-03-03T15:00:00.250Z 2026-03-03T09:00:00.250-06:00 1969-12-31T23:59:59Z 2026-03-03 2026-03-03 2026-03-04")
    }
}
