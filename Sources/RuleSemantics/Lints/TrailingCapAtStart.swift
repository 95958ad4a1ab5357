import RuleBase

extension DiagnosticCode {
    public static let trailingCapAtStart = DiagnosticCode(5019, "trailing-cap-at-start", .warning,
        "The trailing level starts at the starting balance minus the drawdown and `stop_trailing_at` caps it: level = min(high-water mark - drawdown, cap). A cap equal to the starting level stops the level before it ever moves, so the trailing drawdown is a fixed floor. Write the floor you mean, or raise the cap (usually the starting balance plus a margin).")
}

/// A `stop_trailing_at` equal to the starting balance minus the trailing drawdown.
enum TrailingCapAtStart {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let base = t.startingBalance, let amount = t.trailingAmount, let capField = t.field(.trailingCap),
                  let cap = t.trailingCap, amount < base, let start = base.subtracting(amount), cap == start,
                  let sb = t.field(.startingBalance), let dd = t.field(.trailingAmount) else { continue }
            out.append(Diagnostic(.trailingCapAtStart,
                "`stop_trailing_at` `\(cap.rulebookText)` equals the starting level (`\(base.rulebookText)` - `\(amount.rulebookText)`): the level can never move",
                at: Label(capField.valueSpan, "the level starts here and stops here"),
                secondary: [Label(sb.valueSpan, "starting balance"), Label(dd.valueSpan, "trailing drawdown")],
                notes: ["in template `\(t.name.value)` the trailing drawdown is a fixed floor at `\(cap.rulebookText)`"],
                help: "raise `stop_trailing_at` so the level can trail, e.g. `\((base.adding(Money(dollars: 100)) ?? base).rulebookText)`, or suppress with a reason if a fixed floor is meant"))
        }
        return out
    }
}
