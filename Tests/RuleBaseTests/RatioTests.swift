import Testing
import RuleBase

@Suite("Ratio")
struct RatioTests {
    static func percent(_ text: String) -> Ratio? { DecimalNumber(text).flatMap { Ratio(percent: $0) } }

    @Test("percents are exact fractions of one", arguments: [
        ("1.5", Int64(15), Int64(1_000)),
        ("80", 80, 100),
        ("0.01", 1, 10_000),
        ("100", 100, 100),
    ])
    func percentFraction(text: String, numerator: Int64, denominator: Int64) {
        let r = Self.percent(text)
        #expect(r?.numerator == numerator)
        #expect(r?.denominator == denominator)
    }

    @Test("equal ratios written differently compare and hash alike")
    func equalityAcrossScales() {
        let a = Ratio(numerator: 15, denominator: 1_000), b = Ratio(numerator: 150, denominator: 10_000)
        #expect(a == b)
        #expect(Set([a, b]).count == 1)
        #expect(Ratio(numerator: 1, denominator: 3) < Ratio(numerator: 333_334, denominator: 1_000_000))
        #expect(Ratio(numerator: 1, denominator: 3) > Ratio(numerator: 333_333, denominator: 1_000_000))
    }

    @Test("comparison does not overflow at Int64.max/2 magnitudes")
    func comparisonWithLargeValues() {
        let big = Int64.max / 2
        let a = Ratio(numerator: big, denominator: big - 1)        // just above 1
        let b = Ratio(numerator: big - 1, denominator: big - 2)    // a hair further above 1
        #expect(a < b)
        #expect(!(b < a))
        #expect(a != b)
        #expect(Ratio(numerator: big, denominator: big) == Ratio(numerator: 1, denominator: 1))
        #expect(Ratio(numerator: -big, denominator: 1) < Ratio(numerator: big, denominator: big))
    }

    @Test("a limit is reached exactly at the boundary, and not one unit before", arguments: [
        // (percent, base, value at the boundary)
        ("1.5", Int64(50_000 * 10_000), Int64(750 * 10_000)),
        ("2.5", 100_000 * 10_000, 2_500 * 10_000),
        ("100", Int64.max / 2, Int64.max / 2),
        ("50", Int64.max / 2 - 1, (Int64.max / 2 - 1) / 2),
        ("0.01", 4_611_686_018_427_000_000, 461_168_601_842_700),
    ] as [(String, Int64, Int64)])
    func isReachedAtBoundary(percent: String, base: Int64, boundary: Int64) throws {
        let r = try #require(Self.percent(percent))
        #expect(r.isReached(by: boundary, base: base))
        #expect(!r.isReached(by: boundary - 1, base: base))
        #expect(r.isReached(by: boundary + 1, base: base))
    }

    @Test("isReached with a large ratio numerator and base does not trap")
    func isReachedHuge() {
        let big = Int64.max / 2
        let r = Ratio(numerator: big, denominator: big)            // 100%
        #expect(r.isReached(by: big, base: big))
        #expect(!r.isReached(by: big - 1, base: big))
        #expect(!r.isReached(by: -big, base: big))
        #expect(r.isReached(by: -big, base: -big))
    }

    @Test("percent text and application to money", arguments: [
        ("1.5", "1.5%", Int64(50_000 * 10_000), Int64(750 * 10_000)),
        ("80", "80%", 1_000_000, 800_000),
        ("0.25", "0.25%", 10_000, 25),
        ("33.333", "33.333%", 30_000, 9_999),        // rounded toward zero, display only
    ] as [(String, String, Int64, Int64)])
    func percentTextAndOf(percent: String, text: String, base: Int64, of: Int64) throws {
        let r = try #require(Self.percent(percent))
        #expect(r.description == text)
        #expect(r.of(Money(units: base)) == Money(units: of))
    }
}

@Test("percent text is exact and shortest, whatever the fraction's form", arguments: [
    (15, 1000, "1.5"), (1, 2, "50"), (80, 100, "80"), (800, 1000, "80"), (1, 8, "12.5"), (1, 3, "33.33333333"), (1, 1, "100"),
])
func percentText(num: Int64, den: Int64, text: String) {
    #expect(Ratio(numerator: num, denominator: den).percentText == text)
}
