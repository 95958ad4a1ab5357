import RuleBase

extension DiagnosticCode {
    public static let fractionLookingPercent = DiagnosticCode(5018, "fraction-looking-percent", .warning,
        "Percent limits are percentage points (R-4): `2%` is two percent. A limit below 1% reads like a fraction written with a percent sign (`0.02%` for two percent) and acts almost at once: `daily_loss 0.02%` flattens a 50,000 USD account after a 10 USD loss. Write the percent you mean, or suppress with a reason when the tiny limit is intended.")
}

/// A percent threshold below 1%: most likely a fraction (`0.02%` for `2%`).
enum FractionLookingPercent {
    static let onePercent = Ratio(numerator: 1, denominator: 100)

    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            for f in t.thresholds {
                guard case let .percent(r) = f.value, r < onePercent, let (tier, metric, _) = LintSupport.tier(f.key) else { continue }
                let meant = Ratio(numerator: r.numerator.multipliedReportingOverflow(by: 100).partialValue, denominator: r.denominator)
                let dollars = t.startingBalance.map { " (`\(r.of($0).rulebookText)` at the starting balance `\($0.rulebookText)`)" } ?? ""
                out.append(Diagnostic(.fractionLookingPercent,
                    "`\(tier)` `\(metric)` `\(r)` is below 1%\(dollars): did you mean `\(meant)`?",
                    at: Label(f.valueSpan, "a fraction of a percent"),
                    notes: ["in template `\(t.name.value)`; percents are percentage points: `2%` is two percent"],
                    help: "write `\(metric) \(meant)` for \(meant.percentText) percent, or suppress with a reason if `\(r)` is meant"))
            }
        }
        return out
    }
}
