import RuleBase
import RuleEngine
import RuleTools
import Testing

/// Firm rules (issue 13) through `rulec test`: Fixtures/rulebook-tests/firm.test.rules pins each
/// construct at its boundary, over a day roll, and beside the broker's tiers.
@Suite("Firm rules")
struct FirmRulebookTests {
    @Test("every firm-rule test passes, and each firm rule is exercised")
    func allPass() {
        let r = RulebookTestFixtures.run(["firm.test.rules"])
        #expect(r.results.count == 17)
        #expect(r.failed == 0, "\(r.text(coverage: false))")
        let firmItems = r.coverage.flatMap(\.items).filter { i in
            ["objectives.", "scaling_plan", "news_windows", "flat_by", "max_position_loss", "payout."].contains { i.setting.hasPrefix($0) }
        }
        #expect(firmItems.count == 14)
        let unexercised = firmItems.filter { !$0.exercised }.map(\.setting)
        #expect(unexercised == [], "firm rules no test exercises")
    }

    @Test("consistency is cross-multiplied exactly: best day × 100 ≤ percent × total, with a profit",
          arguments: [(900_0000, 2_800_0000, true),     // 32.1 %: the example
                      (1_000_0000, 2_500_0000, true),   // exactly 40 %
                      (1_000_0000, 2_499_9900, false),  // 40.0002 %
                      (0, 0, false),                    // no profit: nothing to be consistent about
                      (-100_0000, 1_0000, true)] as [(Int64, Int64, Bool)])
    func consistency(best: Int64, total: Int64, holds: Bool) {
        let r = Ratio(numerator: 40, denominator: 100)
        #expect(EvaluationState.consistent(best: Money(units: best), total: Money(units: total), r) == holds)
    }
}
