import Foundation
import Testing
import RuleBase
import RuleSemantics
import RuleTools

/// The firm's workflow is author → check → export exactly: the bundled evaluation templates use
/// broker fields only, and the funded template's firm-internal overlay is exactly the set of
/// extensions its rulebook documents (rules/funded-100k.rules, README "The rulebooks in this
/// repository").
@Suite struct BrokerBundledExactTests {
    /// Templates created on the broker as written: no `--lossy`. The shared parents too, so a
    /// non-broker setting cannot creep into an evaluation through them.
    static let exact = ["firm_base", "eval_base", "eval_50k", "eval_100k", "eval_150k"]

    @Test(arguments: exact)
    func exportsExactly(_ name: String) throws {
        let rb = try #require(BrokerFixtures.bundled, "rules/ did not check cleanly")
        let t = try #require(rb.effective(name))
        let r = BrokerExport.export(t, in: rb)
        #expect(r.issues.isEmpty, "\(name): \(r.issues.map(\.construct))")
    }

    /// Every setting of an evaluation reaches the broker: nothing but the calendar, the template
    /// links and the starting balance (sent as `initialBalance`) stays behind.
    @Test(arguments: ["eval_50k", "eval_100k", "eval_150k"])
    func evaluationSendsEverySetting(_ name: String) throws {
        let rb = try #require(BrokerFixtures.bundled)
        let t = try #require(rb.effective(name))
        let doc = BrokerExport.export(t, in: rb).template
        let thresholds = t.fields.filter { if case .threshold = $0.key { true } else { false } }
        #expect(thresholds.allSatisfy { PostTradeField(key: $0.key) != nil })
        #expect(doc.initialBalance != nil)
        #expect(doc.postTradeRisk[.trailingMaxDrawdown] != nil)
        #expect(doc.postTradeRisk[.trailingMaxDrawdownLimit] != nil)
        #expect(doc.postTradeRisk[.trailingMaxDrawdownMode] == .trailingMode(.endOfDay))
        #expect(doc.postTradeRisk[.flattenTimestamp] != nil)
        #expect(doc.postTradeRisk[.dailyProfitAutoLiq] != nil)
        #expect(doc.riskCategory?.positionLimits.count == 12)
        #expect(doc.riskCategory?.restrictedProducts == ["NG", "SI", "SIL", "HG"])
        #expect(doc.riskTimePeriod?.name == "close_out")
    }

    /// funded_100k's lossy findings are exactly the documented extensions: the daily profit,
    /// weekly loss and weekly profit alert / liquidate-only tiers (dollars and percent), those
    /// metrics in percent at auto-liquidation, and the two weighted groups.
    @Test func fundedLossyFindingsAreTheDocumentedExtensions() throws {
        let rb = try #require(BrokerFixtures.bundled)
        let t = try #require(rb.effective("funded_100k"))
        let r = BrokerExport.export(t, in: rb)
        var expected: Set<String> = ["max_group mini_equivalents", "max_group energy"]
        for metric in ["daily_profit", "weekly_loss", "weekly_profit"] {
            for tier in ["alert", "liquidate_only"] {
                expected.insert("\(tier).\(metric) (USD)")
                expected.insert("\(tier).\(metric) (%)")
            }
            expected.insert("auto_liquidate.\(metric) (%)")
        }
        #expect(r.issues.count == expected.count, "\(r.issues.map(\.construct))")
        #expect(Set(r.issues.map(\.construct)) == expected)
        // What the broker does get: daily loss and margin at every tier, the dollar
        // auto-liquidations of the overlay's metrics, and the rest of the template.
        let p = r.template.postTradeRisk
        for field: PostTradeField in [.marginPercentageAlert, .marginPercentageLiqOnly, .marginPercentageAutoLiq,
                                      .dailyLossAlert, .dailyLossPercentageAlert, .dailyLossLiqOnly,
                                      .dailyLossPercentageLiqOnly, .dailyLossAutoLiq, .dailyLossPercentageAutoLiq,
                                      .weeklyLossAutoLiq, .dailyProfitAutoLiq, .weeklyProfitAutoLiq,
                                      .trailingMaxDrawdown, .trailingMaxDrawdownLimit, .trailingMaxDrawdownMode,
                                      .flattenTimestamp, .doNotUnlock] {
            #expect(p[field] != nil, "funded_100k should send \(field)")
        }
        #expect(r.template.riskCategory?.positionLimits.isEmpty == false)
    }
}
