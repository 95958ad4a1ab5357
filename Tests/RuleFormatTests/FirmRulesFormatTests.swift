import RuleBase
@testable import RuleFormat
import RuleSyntax
import Testing

/// fmt and the firm rules (issue 13): their canonical place in a template, idempotent.
@Suite struct FirmRulesFormatTests {
    @Test("firm rules follow the broker's settings, in the order objectives, scaling_plan, news_windows, flat_by, max_position_loss, payout")
    func canonicalPlace() {
        let written = """
            template t {
              payout {
                consistency 40%
              }
              max_position_loss 500 USD
              objectives {
                consistency 40%
                profit_target 3000 USD
              }
              starting_balance 50000 USD
            }

            """
        let canonical = """
            template t {
              starting_balance 50_000 USD
              objectives {
                consistency 40%
                profit_target 3_000 USD
              }
              max_position_loss 500 USD
              payout {
                consistency 40%
              }
            }

            """
        #expect(formatted(written) == canonical)
        #expect(formatted(canonical) == canonical)
    }
}
