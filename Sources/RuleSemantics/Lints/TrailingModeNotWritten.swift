import RuleBase

extension DiagnosticCode {
    public static let trailingModeNotWritten = DiagnosticCode(5020, "trailing-mode-not-written", .warning,
        "A `trailing_drawdown` without `mode` trails at the end of the day (`end_of_day`), the looser of the two modes: open profit given back during the day does not count until the close. Write the mode, so a reviewer sees which one is meant.")
}

/// A trailing drawdown whose effective template has no written `mode`.
enum TrailingModeNotWritten {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let dd = t.field(.trailingAmount), t.field(.trailingMode) == nil else { continue }
            out.append(Diagnostic(.trailingModeNotWritten,
                "`trailing_drawdown` `\(dd.value)` has no `mode`: it trails at the end of the day, the looser mode",
                at: Label(dd.valueSpan, "mode defaults to `end_of_day`"),
                notes: ["in template `\(t.name.value)`"],
                help: "write `trailing_drawdown \(dd.value) { mode end_of_day }` to keep it, or `mode real_time` to count open profit given back"))
        }
        return out
    }
}
