import RuleBase

/// Small shared facts the lints ask about a checked rulebook: template order and shape,
/// exact percent-versus-dollar comparisons, time-period windows and calendar days.
enum LintSupport {
    /// Effective templates, parents before children (chain length, then name), so that a
    /// finding about an inherited setting is first met at the template that wrote it.
    static func rootFirst(_ rb: CheckedRulebook) -> [EffectiveTemplate] {
        rb.effectiveTemplates.sorted { ($0.chain.count, $0.name.value) < ($1.chain.count, $1.name.value) }
    }

    /// Names of templates some other template extends.
    static func extendedNames(_ rb: CheckedRulebook) -> Set<String> {
        Set(rb.templates.values.compactMap { $0.parent?.value })
    }

    /// Templates nobody extends: the account templates (or, in a library checked alone, the
    /// most derived ones).
    static func leaves(_ rb: CheckedRulebook) -> [EffectiveTemplate] {
        let extended = extendedNames(rb)
        return rootFirst(rb).filter { !extended.contains($0.name.value) }
    }

    /// `money` compared with `ratio × base`, exactly: -1, 0 or 1.
    static func compare(_ money: Money, _ ratio: Ratio, of base: Money) -> Int {
        let l = money.units.multipliedFullWidth(by: ratio.denominator)
        let r = ratio.numerator.multipliedFullWidth(by: base.units)
        if (l.high, l.low) == (r.high, r.low) { return 0 }
        return (l.high, l.low) < (r.high, r.low) ? -1 : 1
    }

    /// A threshold's value compared with another's; percents are taken of `base`. nil when
    /// units differ and there is no base.
    static func compare(_ a: FieldValue, _ b: FieldValue, base: Money?) -> Int? {
        switch (a, b) {
        case let (.money(x), .money(y)): return x == y ? 0 : (x < y ? -1 : 1)
        case let (.percent(x), .percent(y)): return x == y ? 0 : (x < y ? -1 : 1)
        case let (.money(x), .percent(y)): return base.map { compare(x, y, of: $0) }
        case let (.percent(x), .money(y)): return base.map { -compare(y, x, of: $0) }
        default: return nil
        }
    }

    /// `` `2%` `` or `` `1_000 USD` ``; a percent also shows its dollars at `base` when given.
    static func show(_ v: FieldValue, base: Money? = nil) -> String {
        if case let .percent(r) = v, let b = base { return "`\(r)` (`\(r.of(b).rulebookText)` at the starting balance)" }
        return "`\(v)`"
    }

    static func tier(_ key: FieldKey) -> (Tier, Metric, Bool)? {
        if case let .threshold(t, m, p) = key { return (t, m, p) }
        return nil
    }

    // MARK: Calendars and time periods

    /// A trade date with a session: Monday to Friday and not a holiday of the calendar.
    static func isTradingDay(_ date: CivilDate, _ calendar: CalendarDef?) -> Bool {
        let w = date.weekday
        if w == .saturday || w == .sunday { return false }
        return !(calendar?.holidays.contains { $0.value == date } ?? false)
    }

    /// The window that starts on `date`: its start and stop, from an override or the defaults.
    static func window(_ tp: TimePeriodDef, on date: CivilDate) -> (start: TimeOfDay, stop: TimeOfDay)? {
        let o = tp.overrides.first { $0.date == date }
        guard let start = o?.start ?? tp.start?.value, let stop = o?.stop ?? tp.stop?.value else { return nil }
        return (start, stop)
    }

    /// Whether the time period holds the account flat at wall time `time` on `date`: inside
    /// the window that starts that day, or the previous day's window crossing midnight.
    static func covers(_ tp: TimePeriodDef, _ date: CivilDate, _ time: TimeOfDay) -> Bool {
        if let w = window(tp, on: date) {
            if w.start < w.stop, w.start <= time, time < w.stop { return true }
            if w.stop < w.start, time >= w.start { return true }
        }
        if let w = window(tp, on: date.adding(days: -1)), w.stop < w.start, time < w.stop { return true }
        return false
    }

    static func windowText(_ w: (start: TimeOfDay, stop: TimeOfDay)) -> String {
        "`\(w.start)` to `\(w.stop)`" + (w.stop < w.start ? " the next day" : "")
    }

    /// Wall date and time of `instant` in `zone`, when the host can tell the offset.
    static func wallTime(_ instant: Instant, zone: String, _ ctx: LintContext) -> (CivilDate, TimeOfDay)? {
        guard let offset = ctx.zoneOffset?(zone, instant) else { return nil }
        let local = instant.epochSeconds + Int64(offset)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (CivilDate(daysSinceEpoch: days), TimeOfDay(seconds: Int32(local - days * 86_400)))
    }

    /// The instant of a date-time: its written offset, or its wall time in `zone`.
    static func instant(_ dt: LocalDateTime, zone: String?, _ ctx: LintContext) -> Instant? {
        if let i = dt.instant { return i }
        guard let zone, let provider = ctx.zoneOffset else { return nil }
        let guess = Instant(epochSeconds: dt.wallSeconds)
        guard let o1 = provider(zone, guess) else { return nil }
        let first = Instant(epochSeconds: dt.wallSeconds - Int64(o1))
        guard let o2 = provider(zone, first) else { return first }
        return Instant(epochSeconds: dt.wallSeconds - Int64(o2))
    }

    /// The date-time as wall time in `zone`: as written without an offset, converted with one.
    static func wall(_ dt: LocalDateTime, zone: String, _ ctx: LintContext) -> (CivilDate, TimeOfDay)? {
        guard let i = dt.instant else { return (dt.date, dt.time) }
        return wallTime(i, zone: zone, ctx)
    }

    /// Today's date in the calendar's zone (UTC when the zone is unknown), or nil without a clock.
    static func today(_ calendar: CalendarDef?, _ ctx: LintContext) -> CivilDate? {
        guard let now = ctx.now else { return nil }
        if let zone = calendar?.timezone?.value, let (d, _) = wallTime(now, zone: zone, ctx) { return d }
        let s = now.epochSeconds
        return CivilDate(daysSinceEpoch: s >= 0 ? s / 86_400 : (s - 86_399) / 86_400)
    }
}
