import RuleBase

extension DiagnosticCode {
    public static let trailingDrawdownTooLarge = DiagnosticCode(5004, "trailing-drawdown-too-large", .error,
        "A trailing drawdown at or above the starting balance puts the first trailing level at or below zero: the account can lose its whole balance before the drawdown acts.")
}

/// A trailing drawdown of at least the starting balance.
enum TrailingDrawdownTooLarge {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let base = t.startingBalance, let amount = t.trailingAmount, amount >= base,
                  let dd = t.field(.trailingAmount), let sb = t.field(.startingBalance) else { continue }
            out.append(Diagnostic(.trailingDrawdownTooLarge,
                "trailing drawdown `\(amount.rulebookText)` is at or above the starting balance `\(base.rulebookText)`",
                at: Label(dd.valueSpan, "the first level is at or below zero"),
                secondary: [Label(sb.valueSpan, "starting balance")],
                notes: ["in template `\(t.name.value)`"],
                help: "a trailing drawdown is a few percent of the starting balance, e.g. `\(Ratio(numerator: 4, denominator: 100).of(base).rulebookText)` for 4%"))
        }
        return out
    }
}
