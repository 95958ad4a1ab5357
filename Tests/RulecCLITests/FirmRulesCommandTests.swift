import Testing
@testable import RulecCLI

/// Firm rules (issue 13) through the real commands: the broker export lists them as monitored,
/// `eval` shows the evaluation, `replay` counts evaluations per status.
@Suite struct FirmRulesCommandTests {
    @Test("compile --target broker-json: the evaluation exports exactly, with a warning and a monitored entry per objective")
    func brokerExportMonitored() {
        let r = runInRepository(["compile", "rules/eval-50k.rules", "--target", "broker-json", "--template", "eval_50k"])
        #expect(r.status == .success, "\(r.stderr)")
        let warnings = r.stderr.split(separator: "\n").filter { $0.contains("is a firm rule with no broker field") }
        #expect(warnings.count == 3, "\(r.stderr)")
        #expect(r.stderr.contains("rules/eval-50k.rules:49: template `eval_50k`: `objectives.profit_target 3_000 USD` is a firm rule with no broker field"),
                "\(r.stderr)")
        #expect(r.stdout.contains("\"monitored\": ["))
        #expect(r.stdout.contains("\"setting\": \"objectives.consistency\""))
        #expect(r.stdout.contains("\"value\": \"50%\""))
    }

    @Test("compile --target broker-json: a template without firm rules prints no monitored list and no warning")
    func brokerExportWithoutFirmRules() {
        let r = runInRepository(["compile", "rules/firm/base.rules", "--target", "broker-json", "--template", "firm_base"])
        #expect(r.status == .success, "\(r.stderr)")
        #expect(!r.stdout.contains("monitored"))
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    @Test("replay: the text summary counts evaluations per status")
    func replayCounts() {
        let r = runInRepository(["replay", "rules", "--accounts", "examples/fleet/accounts.jsonl", "--events", "examples/fleet/history.jsonl", "--format", "text"])
        #expect(r.status == .success || r.status == .findings, "\(r.stderr)")
        #expect(r.stdout.contains("  evaluations: in progress 194, passed 1, failed 51\n"), "\(r.stdout.prefix(600))")
    }

    @Test("eval: a state's evaluation so far; the fifth trading day at 3,000 of profit passes")
    func evalState() {
        let r = runInRepository(["eval", "rules/eval-50k.rules", "--template", "eval_50k",
                                 "--state", "Tests/RulecCLITests/Fixtures/firm/evaluation-state.json"])
        #expect(r.status == .success, "\(r.stderr)")
        #expect(r.stdout.contains("  EVALUATION PASSED at 2026-03-06T10:00:00-06:00: every objective holds\n"), "\(r.stdout)")
        #expect(r.stdout.contains("evaluation: passed at 2026-03-06T10:00:00-06:00; profit 3,000.00, 5 trading days, 4 winning days, best day 900.00; profit_target met, min_trading_days met, consistency met\n"),
                "\(r.stdout)")
    }

    @Test("eval: an unknown field in the state's evaluation is an input error with a suggestion")
    func evalStateBadField() {
        let r = runInRepository(["eval", "rules/eval-50k.rules", "--template", "eval_50k",
                                 "--state", "Tests/RulecCLITests/Fixtures/firm/evaluation-state-bad.json"])
        #expect(r.status == .findings)
        #expect(r.stderr.contains("unknown field `tradingDay` in `evaluation`; did you mean `tradingDays`?"), "\(r.stderr)")
    }

    @Test("eval --order: the scaling plan checks the order after the broker's checks, micros by weight")
    func evalOrderScaling() {
        let r = runInRepository(["eval", "rules/funded-100k.rules", "--template", "funded_100k",
                                 "--state", "Tests/RulecCLITests/Fixtures/firm/funded-state.json",
                                 "--order", "Tests/RulecCLITests/Fixtures/firm/order-mes-35.json"])
        #expect(r.status == .success, "\(r.stderr)")
        #expect(r.stdout.contains("scaling: tier 1 (3 contracts) in force\n"), "\(r.stdout)")
        #expect(r.stdout.contains("order: buy 35 MES -> REJECTED scaling_plan: scaling plan tier 1 (the first tier) allows 3 contracts; the order would make 3.5  [rules/funded-100k.rules:120]\n"),
                "\(r.stdout)")
    }
}
