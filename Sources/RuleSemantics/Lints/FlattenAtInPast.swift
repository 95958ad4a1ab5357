import RuleBase

extension DiagnosticCode {
    public static let flattenAtInPast = DiagnosticCode(5010, "flatten-at-in-past", .warning,
        "`flatten_at` is a one-time flatten. A date-time already past when the rulebook is checked never fires (R-17): the setting is stale, and the next one-time flatten (the next expiry, say) is probably missing.")
}

/// A `flatten_at` at or before the instant of the check (`--now`, default the current time).
enum FlattenAtInPast {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        guard let now = ctx.now else { return [] }
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let f = t.field(.flattenAt), let dt = t.flattenAt else { continue }
            let zone = t.calendarName.flatMap { rb.calendars[$0]?.timezone?.value }
            guard let at = LintSupport.instant(dt, zone: zone, ctx), at <= now else { continue }
            out.append(Diagnostic(.flattenAtInPast,
                "`flatten_at` `\(dt)` is in the past (checked at `\(now)`), so it never fires",
                at: Label(f.valueSpan, "already past"),
                notes: ["in template `\(t.name.value)`"],
                help: "remove it, or set the next one-time flatten"))
        }
        return out
    }
}
