import Testing
import RuleBase
import RuleJSON
import RuleSemantics
import RuleTools

/// Firm rules are not broker fields (issue 13): the broker part exports exactly, and the firm
/// rules are listed as monitored.
@Suite struct FirmBrokerTests {
    @Test("eval_50k: the broker part is exact; profit target, minimum days and consistency are monitored")
    func evaluationMonitored() throws {
        let rb = try #require(BrokerFixtures.bundled)
        let t = try #require(rb.effective("eval_50k"))
        let r = BrokerExport.export(t, in: rb)
        #expect(r.issues.isEmpty)
        let m = BrokerExport.monitored(t)
        #expect(m.map { "\($0.setting) \($0.value)" } == [
            "objectives.profit_target 3_000 USD", "objectives.min_trading_days 5", "objectives.consistency 50%"])
        let doc = BrokerExport.document(r, monitored: m).readableText()
        #expect(doc.contains("\"monitored\": ["))
        #expect(doc.contains("\"setting\": \"objectives.profit_target\""))
        // rulec import reads the document back, skipping the monitored list.
        let decoded = try BrokerImport.decode(JSONParser.parse(doc)).get()
        #expect(decoded == r.template)
    }

    @Test("funded_100k: the scaling plan and news windows are monitored; a template without firm rules has no list")
    func fundedMonitored() throws {
        let rb = try #require(BrokerFixtures.bundled)
        let t = try #require(rb.effective("funded_100k"))
        #expect(BrokerExport.monitored(t).map(\.setting) == ["scaling_plan", "news_windows", "payout.consistency"])
        let base = try #require(rb.effective("firm_base"))
        let r = BrokerExport.export(base, in: rb)
        #expect(BrokerExport.document(r, monitored: BrokerExport.monitored(base)) == r.template.json)
    }
}
