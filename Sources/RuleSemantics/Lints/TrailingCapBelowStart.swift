import RuleBase

extension DiagnosticCode {
    public static let trailingCapBelowStart = DiagnosticCode(5003, "trailing-cap-below-start", .error,
        "The trailing level starts at the starting balance minus the drawdown and `stop_trailing_at` caps it: level = min(high-water mark - drawdown, cap). A cap below the starting level pins the level at the cap from the first day, so the account may lose more than the drawdown it states.")
}

/// A `stop_trailing_at` below the starting balance minus the trailing drawdown.
enum TrailingCapBelowStart {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let base = t.startingBalance, let amount = t.trailingAmount, let capField = t.field(.trailingCap),
                  let cap = t.trailingCap, amount < base, let start = base.subtracting(amount), cap < start,
                  let sb = t.field(.startingBalance), let dd = t.field(.trailingAmount) else { continue }
            let lost = base.subtracting(cap) ?? base
            out.append(Diagnostic(.trailingCapBelowStart,
                "`stop_trailing_at` `\(cap.rulebookText)` is below the starting level `\(start.rulebookText)` (`\(base.rulebookText)` - `\(amount.rulebookText)`)",
                at: Label(capField.valueSpan, "the level never rises above this"),
                secondary: [Label(sb.valueSpan, "starting balance"), Label(dd.valueSpan, "trailing drawdown")],
                notes: ["in template `\(t.name.value)` the level starts at the cap, a drawdown of `\(lost.rulebookText)` instead of `\(amount.rulebookText)`"],
                help: "set `stop_trailing_at` at or above `\(start.rulebookText)`, e.g. the starting balance plus a margin: `\((base.adding(Money(dollars: 100)) ?? base).rulebookText)`"))
        }
        return out
    }
}
