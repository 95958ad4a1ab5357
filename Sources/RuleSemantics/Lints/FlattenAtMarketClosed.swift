import RuleBase

extension DiagnosticCode {
    public static let flattenAtMarketClosed = DiagnosticCode(5022, "flatten-at-market-closed", .warning,
        "The `flatten_at` instant, as wall time in the calendar's zone, falls when the exchange has no session: a weekend, a holiday, after an early close, or the daily break between `end_of_day` and `trading_day_starts`. No order can be filled then, so the account is flattened at prices that are not trading and positions meant to be closed before an event ride into it. Move the flatten into the session before.")
}

/// A `flatten_at` at an instant when the template's calendar has no session.
enum FlattenAtMarketClosed {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let f = t.field(.flattenAt), let dt = t.flattenAt,
                  let cal = t.calendarName.flatMap({ rb.calendars[$0] }), let zone = cal.timezone?.value,
                  let (date, time) = LintSupport.wall(dt, zone: zone, ctx),
                  let why = closed(date, time, cal) else { continue }
            out.append(Diagnostic(.flattenAtMarketClosed,
                "`flatten_at` `\(dt)` is `\(date)` `\(time)` in `\(zone)`, when the market is closed (\(why))",
                at: Label(f.valueSpan, "no session at this instant"),
                notes: ["in template `\(t.name.value)`, calendar `\(cal.name.value)`"],
                help: "move the flatten into the session before, e.g. a few minutes before its close"))
        }
        return out
    }

    /// Why calendar `cal` has no session at wall time `time` on `date`; nil while it trades.
    /// A session opens at `trading_day_starts` on the day before its trade date and closes at
    /// `end_of_day` (or the early close) on the trade date.
    static func closed(_ date: CivilDate, _ time: TimeOfDay, _ cal: CalendarDef) -> String? {
        let opens = cal.effectiveTradingDayStarts, closes = cal.effectiveEndOfDay
        // The trade date this wall time belongs to.
        let tradeDate = time >= opens && opens > closes ? date.adding(days: 1) : date
        let w = tradeDate.weekday
        if w == .saturday || w == .sunday { return "a weekend" }
        if cal.holidays.contains(where: { $0.value == tradeDate }) { return "holiday `\(tradeDate)`" }
        if tradeDate == date {
            if let early = cal.earlyCloses.first(where: { $0.date == date }), time >= early.time, time < opens || opens <= closes {
                return "after the early close at `\(early.time)`"
            }
            if time >= closes && (time < opens || opens <= closes) { return "the daily break from `\(closes)` to `\(opens)`" }
        }
        return nil
    }
}
