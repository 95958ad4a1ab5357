import RuleBase

extension DiagnosticCode {
    public static let percentDollarMismatch = DiagnosticCode(5002, "percent-dollar-mismatch", .warning,
        "A metric limited both in percent and in dollars is checked at the template's starting balance. Two limits of one tier that differ there leave one of them idle for as long as the balance stays near the start; a weaker tier's limit at or above a stronger tier's limit in the other unit never acts first.")
}

/// A percent and a dollar limit of the same metric that contradict each other at the
/// template's starting balance.
enum PercentDollarMismatch {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let base = t.startingBalance, let sb = t.field(.startingBalance) else { continue }
            let thresholds = t.thresholds
            for a in thresholds {
                guard let (at, am, ap) = LintSupport.tier(a.key), ap else { continue }   // a: the percent
                for b in thresholds {
                    guard let (bt, bm, bp) = LintSupport.tier(b.key), bm == am, !bp,
                          let c = LintSupport.compare(a.value, b.value, base: base) else { continue }
                    let balance = Label(sb.valueSpan, "starting balance")
                    if at == bt, c != 0 {
                        // Point at whichever of the two this template wrote (the dollar twin by default).
                        let (primary, other) = a.origin == t.name.value && b.origin != t.name.value ? (a, b) : (b, a)
                        guard case let .percent(r) = a.value else { continue }
                        out.append(Diagnostic(.percentDollarMismatch,
                            "`\(at)` `\(am)` `\(r)` is `\(r.of(base).rulebookText)` at the starting balance `\(base.rulebookText)` but the dollar limit is \(LintSupport.show(b.value))",
                            at: Label(primary.valueSpan, "disagrees with \(LintSupport.show(other.value))"),
                            secondary: [Label(other.valueSpan, ""), balance],
                            notes: ["in template `\(t.name.value)`; both are evaluated and the first one reached acts, so the \(c > 0 ? "percent" : "dollar") limit is idle near the start"],
                            help: "make them agree: `\(am) \(r.of(base).rulebookText)` matches `\(r)` of `\(base.rulebookText)`"))
                    } else if at != bt, (at < bt && c >= 0) || (bt < at && c <= 0) {
                        let (weak, strong) = at < bt ? (a, b) : (b, a)
                        let wt = min(at, bt), st = max(at, bt)
                        out.append(Diagnostic(.percentDollarMismatch,
                            "`\(wt)` `\(am)` \(LintSupport.show(weak.value, base: base)) is at or above the `\(st)` limit \(LintSupport.show(strong.value, base: base)), so it never fires first at the starting balance",
                            at: Label(weak.valueSpan, "reached no earlier than `\(st)`"),
                            secondary: [Label(strong.valueSpan, "`\(st)` limit"), balance],
                            notes: ["in template `\(t.name.value)`"],
                            help: "keep every `\(wt)` limit below every `\(st)` limit at the starting balance `\(base.rulebookText)`"))
                    }
                }
            }
        }
        return out
    }
}
