import RuleBase
import RuleSemantics
import Testing

/// Type, range and reference checks of the firm rules (issue 13): one row per mistake, with
/// the code and the message the checker gives.
@Suite struct FirmRuleCheckTests {
    static let catalog = """
        calendar cme {
          timezone "America/Chicago"
        }
        product ES {
          point_value 50 USD
        }

        """

    @Test(arguments: [
        ("objectives {\n    profit_target 3 contracts\n  }", "R3001", "`profit_target` expects money or a percent, found a contract count"),
        ("objectives {\n    min_trading_days 2.5\n  }", "R3005", "`min_trading_days` must be a whole number of at least 1, found `2.5`"),
        ("objectives {\n    min_trading_days 0\n  }", "R3005", "`min_trading_days` must be a whole number of at least 1, found `0`"),
        ("objectives {\n    winning_days 5 50 USD\n  }", "R3001", "`winning_days` expects `at_least`, found a money amount"),
        ("objectives {\n    consistency 140%\n  }", "R3004", "`consistency` must be above 0% and at most 100%, found `140%`"),
        ("objectives {\n    consistency 40%\n    consistency 30%\n  }", "R2003", "`consistency` is set twice"),
        ("objectives {\n    daily_loss 500 USD\n  }", "R2011", "`daily_loss` is not a setting of `objectives`"),
        ("consistency 40%", "R2011", "`consistency` is not a setting of `template`"),
        ("max_position_loss 20%", "R3020", "a percent `max_position_loss` is of the trailing drawdown, and template `t` has none"),
        ("scaling_plan {\n    max_contracts 2\n  }", "R3021", "the scaling plan counts no product"),
        ("scaling_plan {\n    max_contracts 2\n    max_contracts 3\n    ES 1\n  }", "R2003", "the first tier is set twice"),
        ("scaling_plan {\n    max_contracts 2\n    NQ 1\n  }", "R2008", "unknown product `NQ`"),
        ("news_windows {\n    before 2 minutes\n  }", "R3007", "`news_windows` lists no news"),
        ("news_windows {\n    before 2 hours\n    news 2026-12-09T13:00-06:00 ES\n  }", "R3001", "`before` expects `minutes` or `minute`, found the name `hours`"),
        ("news_windows {\n    news 2026-12-09T13:00 ES\n  }", "R3009", "`news` has no UTC offset and template `t` has no calendar to read it in"),
        ("flat_by {\n    ES 25:00\n  }", "R1004", ""),
        ("payout {\n    consistency 40 USD\n  }", "R3001", "`consistency` expects a percent (e.g. `1.5%`), found a money amount"),
    ] as [(String, String, String)])
    func mistake(setting: String, code: String, message: String) {
        let source = Self.catalog + "template t {\n  starting_balance 50_000 USD\n  \(setting)\n}\n"
        let (_, diagnostics) = Checker.check(source: source)
        let hit = diagnostics.first { $0.code.id == code }
        #expect(hit != nil, "\(diagnostics.map { "\($0.code.id) \($0.message)" })")
        if !message.isEmpty { #expect(hit?.message == message) }
    }

    @Test("a clean template with every firm rule checks without findings and lowers each one")
    func clean() {
        let source = Self.catalog + """
            template t {
              calendar cme
              starting_balance 50_000 USD
              trailing_drawdown 2_000 USD
              objectives {
                profit_target 6%
                min_trading_days 5
                winning_days 5 at_least 50 USD
                consistency 40%
              }
              scaling_plan {
                max_contracts 2
                max_contracts 3 above 1_500 USD
                ES 1
              }
              news_windows {
                before 2 minutes
                after 2 minutes
                news 2026-12-09T13:00 ES
              }
              flat_by {
                ES 15:55
              }
              max_position_loss 25%
              payout {
                consistency 40%
              }
            }

            """
        let (rb, diagnostics) = Checker.check(source: source)
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty, "\(diagnostics.map(\.message))")
        let t = rb.effective("t")
        #expect(t?.isEvaluation == true)
        #expect(t?.firmFields.map { $0.key.description } == [
            "objectives.profit_target", "objectives.min_trading_days", "objectives.winning_days", "objectives.consistency",
            "scaling_plan", "news_windows", "flat_by", "max_position_loss", "payout.consistency"])
    }
}
