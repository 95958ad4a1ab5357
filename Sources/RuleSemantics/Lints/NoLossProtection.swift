import RuleBase

extension DiagnosticCode {
    public static let noLossProtection = DiagnosticCode(5014, "no-loss-protection", .warning,
        "An account template (one no other template extends) has no `auto_liquidate` `daily_loss` or `weekly_loss` limit and no `trailing_drawdown`: nothing flattens the account however much it loses. Alerts and liquidate-only tiers do not stop losses on open positions.")
}

/// An account template with no loss-driven auto-liquidation at all.
enum NoLossProtection {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.leaves(rb) {
            let protected = t.trailingAmount != nil || t.thresholds.contains { f in
                guard let (tier, metric, _) = LintSupport.tier(f.key) else { return false }
                return tier == .autoLiquidate && (metric == .dailyLoss || metric == .weeklyLoss)
            }
            guard !protected else { continue }
            out.append(Diagnostic(.noLossProtection,
                "template `\(t.name.value)` has no loss protection: no `auto_liquidate` `daily_loss` or `weekly_loss` limit and no `trailing_drawdown`",
                at: Label(t.name.span, "nothing flattens this account on losses"),
                help: "add `auto_liquidate { daily_loss 2% }`, a `trailing_drawdown`, or both"))
        }
        return out
    }
}
