import RuleBase

extension DiagnosticCode {
    public static let earlyCloseNotCovered = DiagnosticCode(5016, "early-close-not-covered", .warning,
        "The exchange calendar does not move a time period: on an early-close day the window still starts at its usual time, after the halt, so positions ride through the halt and the close. Add an `on DATE start TIME` override that starts the window before the early close. Early closes before the day of the check are ignored.")
}

/// An upcoming early close of a template's calendar that its time period does not cover.
enum EarlyCloseNotCovered {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let calName = t.calendarName, let cal = rb.calendars[calName],
                  let tpName = t.timePeriodName, let tp = rb.timePeriods[tpName] else { continue }
            let today = LintSupport.today(cal, ctx)
            for ec in cal.earlyCloses.sorted(by: { $0.date < $1.date }) {
                if let today, ec.date < today { continue }
                // Flat at the last moment before the halt: the window must hold then.
                let before = TimeOfDay(seconds: max(0, ec.time.seconds - 1))
                guard !LintSupport.covers(tp, ec.date, before) else { continue }
                let w = LintSupport.window(tp, on: ec.date)
                let override = tp.overrides.first { $0.date == ec.date }
                out.append(Diagnostic(.earlyCloseNotCovered,
                    "calendar `\(calName)` closes at `\(ec.time)` on `\(ec.date)` but time period `\(tpName)` is not flat then" + (w.map { " (\(LintSupport.windowText($0)))" } ?? ""),
                    at: Label(override?.span ?? tp.name.span, "positions ride through the halt"),
                    secondary: [Label(ec.span, "early close")],
                    notes: ["in template `\(t.name.value)`"],
                    help: "add `on \(ec.date) start \(TimeOfDay(seconds: max(0, ec.time.seconds - 300)))` to time period `\(tpName)`"))
            }
        }
        return out
    }
}
