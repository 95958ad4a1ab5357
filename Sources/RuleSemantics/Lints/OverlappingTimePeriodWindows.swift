import RuleBase

extension DiagnosticCode {
    public static let overlappingTimePeriodWindows = DiagnosticCode(5008, "overlapping-time-period-windows", .warning,
        "A dated override that moves a window's stop past the start of the next day's window makes the two windows overlap: the next window's flatten fires while the account is already held flat, and the stop written for the first window is not where trading resumes.")
}

/// A window (usually an override crossing midnight) that runs into the next day's window.
enum OverlappingTimePeriodWindows {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for tp in rb.timePeriods.values.sorted(by: { $0.name.value < $1.name.value }) {
            // Only a pair with an override can differ from the defaults, which never overlap.
            var dates = Set<CivilDate>()
            for o in tp.overrides { dates.insert(o.date); dates.insert(o.date.adding(days: -1)) }
            for d in dates.sorted() {
                guard let w = LintSupport.window(tp, on: d), w.stop < w.start,
                      let next = LintSupport.window(tp, on: d.adding(days: 1)), next.start < next.stop || next.stop < next.start,
                      w.stop > next.start else { continue }
                let nextDate = d.adding(days: 1)
                let own = tp.overrides.first { $0.date == d }
                let other = tp.overrides.first { $0.date == nextDate }
                guard let primary = own?.span ?? other?.span else { continue }
                out.append(Diagnostic(.overlappingTimePeriodWindows,
                    "on `\(d)` time period `\(tp.name.value)` runs \(LintSupport.windowText(w)), past the start `\(next.start)` of the window on `\(nextDate)`",
                    at: Label(primary, "windows overlap"),
                    secondary: (own != nil ? other.map { [Label($0.span, "next window")] } : nil) ?? [],
                    help: "end the window at or before `\(next.start)`, or move the next window's start"))
            }
        }
        return out
    }
}
