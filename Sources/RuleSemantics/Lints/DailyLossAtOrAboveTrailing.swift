import RuleBase

extension DiagnosticCode {
    public static let dailyLossAtOrAboveTrailing = DiagnosticCode(5017, "daily-loss-at-or-above-trailing", .warning,
        "The trailing level is at most the high-water mark minus the drawdown, and the day's starting balance is at most the high-water mark, so a daily-loss auto-liquidation limit at or above the trailing drawdown is reached no earlier than the trailing level: the account is locked for good before the daily limit (released at the next open) can act. Percent limits are taken at the starting balance.")
}

/// An `auto_liquidate` `daily_loss` at or above the trailing drawdown.
enum DailyLossAtOrAboveTrailing {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let amount = t.trailingAmount, let dd = t.field(.trailingAmount) else { continue }
            for key in [FieldKey.threshold(.autoLiquidate, .dailyLoss, percent: false), .threshold(.autoLiquidate, .dailyLoss, percent: true)] {
                guard let f = t.field(key), let c = LintSupport.compare(f.value, .money(amount), base: t.startingBalance), c >= 0 else { continue }
                out.append(Diagnostic(.dailyLossAtOrAboveTrailing,
                    "`auto_liquidate` `daily_loss` \(LintSupport.show(f.value, base: t.startingBalance)) is at or above the trailing drawdown `\(amount.rulebookText)`",
                    at: Label(f.valueSpan, "the trailing drawdown acts first"),
                    secondary: [Label(dd.valueSpan, "trailing drawdown")],
                    notes: ["in template `\(t.name.value)` the permanent trailing lock comes no later than the daily lock"],
                    help: "set the daily loss limit below `\(amount.rulebookText)`"))
            }
        }
        return out
    }
}
