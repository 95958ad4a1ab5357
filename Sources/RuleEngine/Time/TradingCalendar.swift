import RuleBase

/// The exchange calendar a rulebook trades on: zone, session times, holidays and early closes.
public struct CalendarRules: Hashable, Sendable {
    /// The zone whose wall clock the session times are written in (America/Chicago for CME).
    public var zone: ZoneRules
    /// Wall time a session opens, on the calendar day before its trade date (17:00 CT).
    public var tradingDayStarts: TimeOfDay
    /// Weekday on which the trading week starts.
    public var weekStartDay: Weekday
    /// Wall time on `weekStartDay` at which the trading week starts (Sunday 17:00 CT).
    public var weekStartTime: TimeOfDay
    /// Wall time of end of day on the trade date (16:00 CT), also on early-close days.
    public var endOfDay: TimeOfDay
    /// Weekdays with no session: the session that would open the evening before does not open.
    public var holidays: Set<CivilDate>
    /// Trade dates on which the exchange halts early, with the halt's wall time; end of day does not move.
    public var earlyCloses: [CivilDate: TimeOfDay]

    public init(zone: ZoneRules,
                tradingDayStarts: TimeOfDay = TimeOfDay(seconds: 17 * 3600),
                weekStartDay: Weekday = .sunday,
                weekStartTime: TimeOfDay = TimeOfDay(seconds: 17 * 3600),
                endOfDay: TimeOfDay = TimeOfDay(seconds: 16 * 3600),
                holidays: Set<CivilDate> = [],
                earlyCloses: [CivilDate: TimeOfDay] = [:]) {
        self.zone = zone
        self.tradingDayStarts = tradingDayStarts
        self.weekStartDay = weekStartDay
        self.weekStartTime = weekStartTime
        self.endOfDay = endOfDay
        self.holidays = holidays
        self.earlyCloses = earlyCloses
    }
}

/// A clock boundary the engine must process before any user event at the same instant.
public struct Boundary: Hashable, Sendable, CustomStringConvertible {
    /// What happens at the boundary, in processing order at equal instants.
    public enum Kind: Hashable, Sendable {
        /// End of day (16:00 CT) of a trade date: EOD trailing update, daily flatten.
        case endOfDay(CivilDate)
        /// A session opens for a trade date: next-open causes release, new SOD, daily latches re-arm.
        case sessionOpen(CivilDate)
        /// The trading week starts: new SOW, weekly causes release, weekly latches re-arm.
        case weekStart

        /// Order among boundaries sharing an instant: end of day, then session open, then week start (§2.3).
        public var rank: Int {
            switch self {
            case .endOfDay: return 0
            case .sessionOpen: return 1
            case .weekStart: return 2
            }
        }
    }

    public let instant: Instant
    public let kind: Kind

    public init(instant: Instant, kind: Kind) {
        self.instant = instant
        self.kind = kind
    }

    /// Processing order: by instant, then by `Kind.rank`.
    @inlinable public func precedes(_ other: Boundary) -> Bool {
        instant != other.instant ? instant < other.instant : kind.rank < other.kind.rank
    }

    public var description: String {
        switch kind {
        case .endOfDay(let d): return "\(instant) endOfDay \(d)"
        case .sessionOpen(let d): return "\(instant) sessionOpen \(d)"
        case .weekStart: return "\(instant) weekStart"
        }
    }
}

/// Trade dates, session opens, end of day and week starts on an exchange calendar, DST-correct.
///
/// Decisions: the session for trade date D opens at `tradingDayStarts` on calendar day D−1 when
/// `tradingDayStarts >= endOfDay` (overnight sessions, CME), otherwise on D itself. The "current
/// trade date" of an instant is the trade date of the latest session open at or before it, so the
/// 16:00–17:00 break and the weekend still belong to the day just ended. Week starts are a pure
/// weekly wall clock and ignore holidays. All answers are pure functions of their instants.
public struct TradingCalendar: Hashable, Sendable {
    public let rules: CalendarRules
    /// Days between the calendar day a session opens and its trade date (1 for overnight sessions).
    @usableFromInline let openLag: Int64

    public init(_ rules: CalendarRules) {
        self.rules = rules
        self.openLag = rules.tradingDayStarts >= rules.endOfDay ? 1 : 0
    }

    public var zone: ZoneRules { rules.zone }

    /// Whether a calendar date is a trade date: Monday to Friday and not a holiday.
    public func isTradeDate(_ date: CivilDate) -> Bool {
        switch date.weekday {
        case .saturday, .sunday: return false
        default: return !rules.holidays.contains(date)
        }
    }

    /// The instant the session of a trade date opens (the wall-clock rule, whether or not it is a trade date).
    public func sessionOpen(of tradeDate: CivilDate) -> Instant {
        rules.zone.resolve(date: tradeDate.adding(days: -openLag), time: rules.tradingDayStarts)
    }

    /// The instant of end of day on a trade date; early closes do not move it.
    public func endOfDay(of tradeDate: CivilDate) -> Instant {
        rules.zone.resolve(date: tradeDate, time: rules.endOfDay)
    }

    /// The instant the exchange halts early on a trade date, when it is an early-close day.
    public func earlyClose(of tradeDate: CivilDate) -> Instant? {
        rules.earlyCloses[tradeDate].map { rules.zone.resolve(date: tradeDate, time: $0) }
    }

    /// The trade date of the latest session open at or before an instant ("the current trading day").
    public func tradeDate(at instant: Instant) -> CivilDate {
        latestSession(atOrBefore: instant).tradeDate
    }

    /// The trade date whose session window [open, end of day) contains the instant; nil in breaks and weekends.
    public func tradeDateInSession(at instant: Instant) -> CivilDate? {
        let d = latestSession(atOrBefore: instant).tradeDate
        return instant < endOfDay(of: d) ? d : nil
    }

    /// The latest session open at or before an instant.
    public func latestSessionOpen(atOrBefore instant: Instant) -> Instant {
        latestSession(atOrBefore: instant).open
    }

    /// The first session open strictly after an instant, skipping weekends and holidays.
    public func nextSessionOpen(after instant: Instant) -> Instant {
        nextSession(after: instant).open
    }

    /// The trade date and open instant of the first session opening strictly after an instant.
    public func nextSession(after instant: Instant) -> (tradeDate: CivilDate, open: Instant) {
        // Sessions opening on an earlier calendar day than the instant's opened before it.
        var d = rules.zone.localDate(at: instant).adding(days: openLag)
        // INVARIANT: holidays are finite, so a trade date lies within holidays.count + 3 days of any date.
        while true {
            if isTradeDate(d) {
                let open = sessionOpen(of: d)
                if open > instant { return (d, open) }
            }
            d = d.adding(days: 1)
        }
    }

    /// The trade date and open instant of the latest session opening at or before an instant.
    public func latestSession(atOrBefore instant: Instant) -> (tradeDate: CivilDate, open: Instant) {
        // Sessions opening on a later calendar day than the instant's open after it.
        var d = rules.zone.localDate(at: instant).adding(days: openLag)
        // INVARIANT: holidays are finite, so walking back always meets a trade date.
        while true {
            if isTradeDate(d) {
                let open = sessionOpen(of: d)
                if open <= instant { return (d, open) }
            }
            d = d.adding(days: -1)
        }
    }

    /// The calendar date on or before `date` that falls on the week-start weekday.
    @usableFromInline func weekStartDate(onOrBefore date: CivilDate) -> CivilDate {
        let back = (date.weekday.rawValue - rules.weekStartDay.rawValue + 7) % 7
        return date.adding(days: -Int64(back))
    }

    /// The first week start strictly after an instant (R-7: a breach in the first session waits a whole week).
    public func nextWeekStart(after instant: Instant) -> Instant {
        let w = weekStartDate(onOrBefore: rules.zone.localDate(at: instant))
        let candidate = rules.zone.resolve(date: w, time: rules.weekStartTime)
        return candidate > instant ? candidate : rules.zone.resolve(date: w.adding(days: 7), time: rules.weekStartTime)
    }

    /// The latest week start at or before an instant, the anchor of the week's starting balance.
    public func latestWeekStart(atOrBefore instant: Instant) -> Instant {
        let w = weekStartDate(onOrBefore: rules.zone.localDate(at: instant))
        let candidate = rules.zone.resolve(date: w, time: rules.weekStartTime)
        return candidate <= instant ? candidate : rules.zone.resolve(date: w.adding(days: -7), time: rules.weekStartTime)
    }

    /// The first instant strictly after `instant` at which the wall clock reads `wall`, once per calendar day.
    ///
    /// An ambiguous wall time counts at its earlier instant; a skipped one at the gap-shifted instant.
    public func nextOccurrence(of wall: TimeOfDay, after instant: Instant) -> Instant {
        var d = rules.zone.localDate(at: instant).adding(days: -1)
        while true {
            let candidate = rules.zone.resolve(date: d, time: wall)
            if candidate > instant { return candidate }
            d = d.adding(days: 1)
        }
    }

    /// Appends every daily occurrence of a wall time in (from, to], in time order, for risk time periods.
    public func dailyOccurrences(of wall: TimeOfDay, after from: Instant, through to: Instant, into out: inout [Instant]) {
        guard from < to else { return }
        var d = rules.zone.localDate(at: from)
        let last = rules.zone.localDate(at: to)
        while d <= last {
            let t = rules.zone.resolve(date: d, time: wall)
            if t > from, t <= to { out.append(t) }
            d = d.adding(days: 1)
        }
    }

    /// Every daily occurrence of a wall time in (from, to], in time order.
    public func dailyOccurrences(of wall: TimeOfDay, after from: Instant, through to: Instant) -> [Instant] {
        var out: [Instant] = []
        dailyOccurrences(of: wall, after: from, through: to, into: &out)
        return out
    }

    /// Appends every clock boundary in (from, to] in processing order: by instant, then end of day,
    /// session open, week start (§2.3: at the open, causes release and SOD is taken before SOW).
    public func boundaries(after from: Instant, through to: Instant, into out: inout [Boundary]) {
        guard from < to else { return }
        var day = rules.zone.localDate(at: from)
        let last = rules.zone.localDate(at: to)
        // Every boundary resolves to an instant inside its own local calendar day, so walking the
        // days in order and sorting within a day yields global order.
        while day <= last {
            let dayStart = out.count
            if isTradeDate(day) {
                append(Boundary(instant: endOfDay(of: day), kind: .endOfDay(day)), from: from, to: to, into: &out)
            }
            let opening = day.adding(days: openLag)
            if isTradeDate(opening) {
                append(Boundary(instant: sessionOpen(of: opening), kind: .sessionOpen(opening)), from: from, to: to, into: &out)
            }
            if day.weekday == rules.weekStartDay {
                append(Boundary(instant: rules.zone.resolve(date: day, time: rules.weekStartTime), kind: .weekStart),
                       from: from, to: to, into: &out)
            }
            // Insertion sort of at most three boundaries.
            var i = dayStart + 1
            while i < out.count {
                var j = i
                while j > dayStart, out[j].precedes(out[j - 1]) {
                    out.swapAt(j, j - 1)
                    j -= 1
                }
                i += 1
            }
            day = day.adding(days: 1)
        }
    }

    /// Every clock boundary in (from, to] in processing order.
    public func boundaries(after from: Instant, through to: Instant) -> [Boundary] {
        var out: [Boundary] = []
        boundaries(after: from, through: to, into: &out)
        return out
    }

    /// The first clock boundary strictly after an instant; the engine caches it to skip boundary work between events.
    public func nextBoundary(after instant: Instant) -> Boundary {
        var out: [Boundary] = []
        out.reserveCapacity(4)
        var horizon = instant
        // At least one session open or week start happens within any eight days; extend until found.
        while out.isEmpty {
            let next = rules.zone.resolve(date: rules.zone.localDate(at: horizon).adding(days: 8), time: TimeOfDay(seconds: 0))
            boundaries(after: horizon, through: next, into: &out)
            horizon = next
        }
        return out[0]
    }

    @inline(__always) private func append(_ b: Boundary, from: Instant, to: Instant, into out: inout [Boundary]) {
        if b.instant > from, b.instant <= to { out.append(b) }
    }
}
