import RuleBase

extension DiagnosticCode {
    public static let timePeriodCrossesMidnight = DiagnosticCode(5021, "time-period-crosses-midnight", .note,
        "A time period whose `stop` is before its `start` holds the account flat from `start` to `stop` the next day: an overnight window. That is common (a day-session-only account) but easy to write by mistake when a same-day window was meant (`start 15:55`, `stop 07:00` instead of `17:00`). Confirm the window; this is a note, never a failure.")
}

/// A time period, in use by a template, whose default window or an override crosses midnight.
enum TimePeriodCrossesMidnight {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        let used = Set(rb.effectiveTemplates.compactMap(\.timePeriodName))
        var out: [Diagnostic] = []
        for tp in rb.timePeriods.values.sorted(by: { $0.name.value < $1.name.value }) where used.contains(tp.name.value) {
            if let start = tp.start, let stop = tp.stop, stop.value < start.value {
                out.append(Diagnostic(.timePeriodCrossesMidnight,
                    "time period `\(tp.name.value)` holds the account flat overnight, \(LintSupport.windowText((start.value, stop.value)))",
                    at: Label(start.span, "window starts here"),
                    secondary: [Label(stop.span, "and stops the next day")],
                    help: "confirm the overnight window; suppress with `# rulec-allow R5021: why` once it is, or write a `stop` after the `start` for a same-day window"))
                continue
            }
            for o in tp.overrides {
                guard let start = o.start ?? tp.start?.value, let stop = o.stop ?? tp.stop?.value, stop < start else { continue }
                out.append(Diagnostic(.timePeriodCrossesMidnight,
                    "time period `\(tp.name.value)` on `\(o.date)` holds the account flat overnight, \(LintSupport.windowText((start, stop)))",
                    at: Label(o.span, "overnight window"),
                    help: "confirm the overnight window; suppress with `# rulec-allow R5021: why` once it is"))
            }
        }
        return out
    }
}
