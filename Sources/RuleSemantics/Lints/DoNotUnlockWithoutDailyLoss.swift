import RuleBase

extension DiagnosticCode {
    public static let doNotUnlockWithoutDailyLoss = DiagnosticCode(5005, "do-not-unlock-without-daily-loss", .warning,
        "`do_not_unlock` only keeps a daily-loss auto-liquidation lock (dollar or percent) in place until an admin releases it (R-16). A template without an `auto_liquidate` `daily_loss` limit has no such lock, so the setting does nothing.")
}

/// `do_not_unlock` in an account template with no daily-loss auto-liquidation.
enum DoNotUnlockWithoutDailyLoss {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.leaves(rb) {
            guard let flag = t.field(.doNotUnlock),
                  t.field(.threshold(.autoLiquidate, .dailyLoss, percent: false)) == nil,
                  t.field(.threshold(.autoLiquidate, .dailyLoss, percent: true)) == nil else { continue }
            out.append(Diagnostic(.doNotUnlockWithoutDailyLoss,
                "`do_not_unlock` has no effect: template `\(t.name.value)` has no `auto_liquidate` `daily_loss` limit",
                at: Label(flag.span, "nothing to keep locked"),
                notes: ["it holds daily-loss auto-liquidation locks only; liquidate-only, profit, weekly and margin tiers unlock as usual (R-16)"],
                help: "add `auto_liquidate { daily_loss 2% }` or remove `do_not_unlock`"))
        }
        return out
    }
}
