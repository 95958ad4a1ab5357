import RuleBase

extension DiagnosticCode {
    public static let tiersOutOfOrder = DiagnosticCode(5001, "tiers-out-of-order", .warning,
        "Tiers escalate: alert, then liquidate_only, then auto_liquidate. A limit at or above the limit of a stronger tier of the same metric and unit is reached no earlier than the stronger one, so it never acts first: an alert at or above the auto-liquidate level warns nobody in time.")
}

/// An alert or liquidate-only limit at or above a stronger tier's limit of the same metric
/// and unit never fires first.
enum TiersOutOfOrder {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            let thresholds = t.thresholds
            for weak in thresholds {
                guard let (wt, wm, wp) = LintSupport.tier(weak.key) else { continue }
                for strong in thresholds {
                    guard let (st, sm, sp) = LintSupport.tier(strong.key), sm == wm, sp == wp, st > wt,
                          let c = LintSupport.compare(weak.value, strong.value, base: nil), c >= 0 else { continue }
                    out.append(Diagnostic(.tiersOutOfOrder,
                        "`\(wt)` `\(wm)` \(LintSupport.show(weak.value)) is at or above the `\(st)` limit \(LintSupport.show(strong.value)), so it never fires first",
                        at: Label(weak.valueSpan, "reached no earlier than `\(st)`"),
                        secondary: [Label(strong.valueSpan, "`\(st)` limit")],
                        notes: ["in template `\(t.name.value)`"],
                        help: "set the `\(wt)` limit below \(LintSupport.show(strong.value)): tiers go alert < liquidate_only < auto_liquidate"))
                }
            }
        }
        return out
    }
}
