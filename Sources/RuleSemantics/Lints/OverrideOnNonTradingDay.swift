import RuleBase

extension DiagnosticCode {
    public static let overrideOnNonTradingDay = DiagnosticCode(5009, "override-on-non-trading-day", .warning,
        "A time period override (`on DATE ...`) edits the window that starts on DATE. On a Saturday, a Sunday or a calendar holiday there is no session for that trade date, so the override does nothing; it usually means the date is mistyped or belongs to an early close.")
}

/// An `on DATE` override on a weekend or on a holiday of a calendar the period is used with.
enum OverrideOnNonTradingDay {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        // The calendars each time period is used with, in one pass over the templates.
        var calendarNames: [String: Set<String>] = [:]
        for t in rb.effectiveTemplates {
            guard let tp = t.timePeriodName else { continue }
            if let c = t.calendarName { calendarNames[tp, default: []].insert(c) }
        }
        for tp in rb.timePeriods.values.sorted(by: { $0.name.value < $1.name.value }) {
            let calendars = (calendarNames[tp.name.value] ?? []).sorted().compactMap { rb.calendars[$0] }
            for o in tp.overrides {
                let w = o.date.weekday
                if w == .saturday || w == .sunday {
                    out.append(Diagnostic(.overrideOnNonTradingDay,
                        "override for `\(o.date)` in time period `\(tp.name.value)` falls on a \(w.description.capitalizedFirst)",
                        at: Label(o.span, "no session that day"),
                        help: "check the date; an early close belongs to a weekday"))
                    continue
                }
                for cal in calendars {
                    guard let h = cal.holidays.first(where: { $0.value == o.date }) else { continue }
                    out.append(Diagnostic(.overrideOnNonTradingDay,
                        "override for `\(o.date)` in time period `\(tp.name.value)` falls on a holiday of calendar `\(cal.name.value)`",
                        at: Label(o.span, "no session that day"),
                        secondary: [Label(h.span, "holiday")],
                        help: "remove the override: a full holiday needs none, the session before it closes at the normal time"))
                }
            }
        }
        return out
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
