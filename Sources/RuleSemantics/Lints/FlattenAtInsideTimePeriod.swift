import RuleBase

extension DiagnosticCode {
    public static let flattenAtInsideTimePeriod = DiagnosticCode(5011, "flatten-at-inside-time-period", .warning,
        "The template's risk time period already holds the account flat at the `flatten_at` instant (its wall time in the calendar's zone), so the one-time flatten does nothing; it was probably meant for a time when the account can hold positions.")
}

/// A `flatten_at` whose wall time, in the calendar's zone, falls inside the template's time period.
enum FlattenAtInsideTimePeriod {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let f = t.field(.flattenAt), let dt = t.flattenAt,
                  let tpName = t.timePeriodName, let tp = rb.timePeriods[tpName], let tpField = t.field(.timePeriod),
                  let zone = t.calendarName.flatMap({ rb.calendars[$0]?.timezone?.value }),
                  let (date, time) = LintSupport.wall(dt, zone: zone, ctx),
                  LintSupport.covers(tp, date, time) else { continue }
            let w = LintSupport.window(tp, on: date)
            out.append(Diagnostic(.flattenAtInsideTimePeriod,
                "`flatten_at` `\(dt)` is `\(date)` `\(time)` in `\(zone)`, inside time period `\(tpName)`" + (w.map { " (\(LintSupport.windowText($0)))" } ?? ""),
                at: Label(f.valueSpan, "the account is already flat then"),
                secondary: [Label(tpField.valueSpan, "time period")],
                notes: ["in template `\(t.name.value)`"],
                help: "move the flatten before the window starts, e.g. while the account can still hold positions"))
        }
        return out
    }
}
