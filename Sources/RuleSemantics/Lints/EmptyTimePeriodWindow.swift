import RuleBase

extension DiagnosticCode {
    public static let emptyTimePeriodWindow = DiagnosticCode(5007, "empty-time-period-window", .error,
        "A time period window `[start, stop)` whose start equals its stop is empty (or, read as crossing midnight, a whole day): either way it does not say what the broker will do. Write the window you mean.")
}

/// A time period, or one of its dated overrides, whose window starts and stops at the same time.
enum EmptyTimePeriodWindow {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for tp in rb.timePeriods.values.sorted(by: { $0.name.value < $1.name.value }) {
            if let s = tp.start, let e = tp.stop, s.value == e.value {
                out.append(Diagnostic(.emptyTimePeriodWindow,
                    "time period `\(tp.name.value)` starts and stops at `\(s.value)`",
                    at: Label(e.span, "same as the start"), secondary: [Label(s.span, "start")],
                    help: "a window needs two different times, e.g. `start 15:55` and `stop 17:00`"))
            }
            for o in tp.overrides where o.start != nil || o.stop != nil {
                guard let w = LintSupport.window(tp, on: o.date), w.start == w.stop else { continue }
                if let s = tp.start, let e = tp.stop, s.value == e.value, o.start == nil || o.stop == nil { continue }
                out.append(Diagnostic(.emptyTimePeriodWindow,
                    "on `\(o.date)` time period `\(tp.name.value)` starts and stops at `\(w.start)`",
                    at: Label(o.span, "empty window"),
                    help: "give the override a start and a stop that differ"))
            }
        }
        return out
    }
}
