import Testing
import RuleBase

@Suite("Money and decimal numbers")
struct MoneyTests {
    @Test("money parses exactly, in units of $0.0001", arguments: [
        ("800 USD", Int64(8_000_000)),
        ("0.01 USD", 100),
        ("1_000.5 USD", 10_005_000),
        ("1_000.50 USD", 10_005_000),
        ("13_200 USD", 132_000_000),
        ("0.0001 USD", 1),
        ("0.25 USD", 2_500),
        ("1000.5", 10_005_000),
        ("-12.25 USD", -122_500),
        ("0 USD", 0),
        ("922_337_203_685_477.5807 USD", Int64.max),
    ])
    func parsesMoneyExactly(text: String, units: Int64) {
        #expect(Money(parsing: text)?.units == units)
    }

    @Test("money that cannot be represented exactly is rejected, never rounded", arguments: [
        "0.00001 USD",                      // a fifth decimal
        "1.23456 USD",
        "922_337_203_685_477.5808 USD",     // one unit past Int64.max
        "99_999_999_999_999_999 USD",
        "1__0 USD", "1_ USD", "_1 USD", "1.2.3 USD", ". USD", "USD", "", "1e3 USD", "1,000 USD",
    ])
    func rejectsInexactMoney(text: String) {
        #expect(Money(parsing: text) == nil)
    }

    @Test("decimal numbers keep their written scale", arguments: [
        ("0.25", Int64(25), UInt8(2)),
        ("13_200", 13_200, 0),
        ("1_000.50", 100_050, 2),
        ("0.00005", 5, 5),
        ("007", 7, 0),
    ])
    func decimalScale(text: String, mantissa: Int64, scale: UInt8) {
        let d = DecimalNumber(text)
        #expect(d?.mantissa == mantissa)
        #expect(d?.scale == scale)
    }

    @Test("rescaling loses no digits and reports overflow")
    func rescaling() {
        let d = DecimalNumber(mantissa: 12_345, scale: 3)   // 12.345
        #expect(d.scaled(to: 4) == 123_450)
        #expect(d.scaled(to: 3) == 12_345)
        #expect(d.scaled(to: 2) == nil)                     // would drop the 5
        #expect(DecimalNumber(mantissa: 1_200, scale: 2).integerValue == 12)
        #expect(DecimalNumber(mantissa: Int64.max / 10, scale: 0).scaled(to: 4) == nil)
    }

    @Test("checked arithmetic returns nil on overflow; operators saturate")
    func overflow() {
        let max = Money(units: .max), one = Money(units: 1)
        #expect(max.adding(one) == nil)
        #expect(Money(units: .min).subtracting(one) == nil)
        #expect(max.multiplied(by: 2) == nil)
        #expect(Money(dollars: 3).multiplied(by: 4) == Money(dollars: 12))
        #expect(max + one == max)
        #expect(Money(units: .min) - one == Money(units: .min))
        #expect(-Money(units: .min) == max)
        #expect(Money(dollars: 5).adding(Money(cents: 25))?.units == 52_500)
    }

    @Test("money prints as a human amount and as the shortest rulebook spelling", arguments: [
        (Int64(8_000_000), "800.00 USD", "800 USD"),
        (10_005_000, "1,000.50 USD", "1_000.5 USD"),
        (132_000_000, "13,200.00 USD", "13_200 USD"),
        (1, "0.0001 USD", "0.0001 USD"),
        (2_500, "0.25 USD", "0.25 USD"),
        (-122_500, "-12.25 USD", "-12.25 USD"),
    ])
    func printing(units: Int64, human: String, rulebook: String) {
        let m = Money(units: units)
        #expect(m.description == human)
        #expect(m.rulebookText == rulebook)
        #expect(Money(parsing: m.rulebookText) == m)   // the rulebook spelling reads back exactly
    }
}
