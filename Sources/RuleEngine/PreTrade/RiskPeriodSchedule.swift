import RuleBase
import RuleGraph

/// One stretch of time inside the risk time period: `[start, stop)` on the UTC time line.
public struct RiskWindow: Hashable, Sendable, CustomStringConvertible {
    /// The instant positions are flattened and orders start being rejected.
    public var start: Instant
    /// The instant orders are accepted again (exclusive end of the window).
    public var stop: Instant
    /// The local date the window starts on (the date an `on DATE` override names).
    public var date: CivilDate
    /// The `on DATE` override that shaped the window, as an index into `TimePeriodNode.overrides`; nil for the daily rule.
    public var overrideIndex: Int?

    public var description: String { "[\(start), \(stop)) from \(date)\(overrideIndex.map { " override #\($0)" } ?? "")" }
}

/// The risk time period of a template on the UTC time line: a precomputed, DST-correct table of
/// windows answered without Foundation and without allocating.
///
/// Semantics (README "Pre-trade checks", domain.md §4.4, R-19):
/// * Every calendar day D in the calendar's zone has one window `[start, stop)`. If `stop` is
///   earlier than `start` the window crosses midnight and ends at `stop` on D+1. `start == stop`
///   is an empty window (the period never applies that day).
/// * `on D start … stop …` replaces the start and/or the stop of the window that **starts** on D,
///   so `on 2026-11-26 start 11:55 stop 08:30` is Thursday 11:55 to Friday 08:30.
/// * Wall times resolve with the zone's transitions: a time in the spring-forward gap moves
///   forward by the gap, a time in the autumn overlap is its first occurrence.
/// * Windows that overlap or touch (possible only through overrides) merge into one.
/// * The window contains its start and excludes its stop: an order at exactly `start` is inside,
///   one at exactly `stop` is outside.
///
/// Instants inside the table's year range take a table lookup (one UTC-day index, one or two
/// window reads); instants outside it are answered by computing the nearby windows directly,
/// with the same results.
public struct RiskPeriodSchedule: Sendable {
    public let period: TimePeriodNode
    public let zone: ZoneRules
    /// Years whose UTC days the table covers.
    public let years: ClosedRange<Int>

    @usableFromInline struct Entry: Sendable {
        @usableFromInline var start: Int64   // millis
        @usableFromInline var stop: Int64    // millis, exclusive
        @usableFromInline var source: Int32  // override index, -1 for the daily rule
        @usableFromInline var day: Int32     // local start date, days since epoch
    }

    /// Merged windows in time order, followed by one sentinel that starts and stops at `Int64.max`.
    @usableFromInline let entries: ContiguousArray<Entry>
    /// Per UTC day of the table: the first entry whose stop is after the day's start, as
    /// milliseconds from the day's start (start may be negative, stop beyond a day; windows last
    /// under 48 hours, far inside Int32), so most lookups read one 16-byte record.
    @usableFromInline struct Day: Sendable {
        @usableFromInline var start: Int32
        @usableFromInline var stop: Int32
        /// The window after it, likewise: most UTC days meet at most two windows.
        @usableFromInline var nextStart: Int32
        @usableFromInline var nextStop: Int32
    }
    @usableFromInline let days: ContiguousArray<Day>
    /// Per UTC day: the index of that first entry.
    @usableFromInline let dayEntry: ContiguousArray<Int32>
    /// First UTC day (days since epoch) the table covers.
    @usableFromInline let baseDay: Int64
    /// Overrides by local date (days since epoch) -> index, for the direct computation.
    let overrideByDay: [Int64: Int]

    /// The years a table covers by default: the ones a live firm trades in. Instants outside are
    /// computed directly (the same answers, slower); a wider table only costs start-up time
    /// (about 3 ms per template and decade).
    public static let defaultYears = 2020...2040

    /// Builds the table for `years` (default `defaultYears`); the zone is the calendar's.
    public init(period: TimePeriodNode, zone: ZoneRules, years: ClosedRange<Int> = RiskPeriodSchedule.defaultYears) {
        self.period = period
        self.zone = zone
        self.years = years
        var byDay: [Int64: Int] = [:]
        for (i, o) in period.overrides.enumerated() where byDay[o.date.daysSinceEpoch] == nil {
            byDay[o.date.daysSinceEpoch] = i
        }
        self.overrideByDay = byDay
        let first = CivilDate(year: max(years.lowerBound, 1), month: 1, day: 1)?.daysSinceEpoch ?? 0
        let last = CivilDate(year: min(years.upperBound, 9998), month: 12, day: 31)?.daysSinceEpoch ?? first
        self.baseDay = first
        // Windows starting up to three local days before the first UTC day can still reach into it.
        var raw: [Entry] = []
        raw.reserveCapacity(Int(last - first) + 8)
        var d = first - 3
        while d <= last + 2 {
            if let w = Self.rawWindow(day: d, period: period, zone: zone, overrideByDay: byDay) { raw.append(w) }
            d += 1
        }
        var merged = ContiguousArray<Entry>()
        merged.reserveCapacity(raw.count + 1)
        for w in raw {
            if let lastIndex = merged.indices.last, w.start <= merged[lastIndex].stop {
                merged[lastIndex].stop = max(merged[lastIndex].stop, w.stop)
                if merged[lastIndex].source < 0 { merged[lastIndex].source = w.source }
            } else {
                merged.append(w)
            }
        }
        merged.append(Entry(start: .max, stop: .max, source: -1, day: 0))
        var index = ContiguousArray<Day>(), entryOf = ContiguousArray<Int32>()
        index.reserveCapacity(Int(last - first) + 1)
        entryOf.reserveCapacity(Int(last - first) + 1)
        var e = 0
        // Clamped relative times keep every comparison right: a start more than 24 days before the
        // day is as good as -infinity, a stop more than 24 days after it as +infinity.
        func rel(_ x: Int64, _ dayStart: Int64) -> Int32 { Int32(clamping: x == .max ? Int64(Int32.max) : x &- dayStart) }
        for day in first...max(first, last) {
            let dayStart = day &* 86_400_000
            while merged[e].stop <= dayStart { e += 1 }
            let n = min(e + 1, merged.count - 1)
            index.append(Day(start: rel(merged[e].start, dayStart), stop: rel(merged[e].stop, dayStart),
                             nextStart: rel(merged[n].start, dayStart), nextStop: rel(merged[n].stop, dayStart)))
            entryOf.append(Int32(e))
        }
        self.entries = merged
        self.days = index
        self.dayEntry = entryOf
    }

    // MARK: Questions

    /// Whether an instant is inside the risk time period (orders rejected).
    @inlinable public func isInside(at instant: Instant) -> Bool {
        let t = instant.millis
        let i = entryIndex(t)
        if i < 0 { return slowWindow(containing: t) != nil }
        return entries[i].start <= t
    }

    /// The merged window containing an instant, if any.
    public func window(containing instant: Instant) -> RiskWindow? {
        let t = instant.millis
        let i = entryIndex(t)
        if i < 0 { return slowWindow(containing: t).map(riskWindow) }
        return entries[i].start <= t ? riskWindow(entries[i]) : nil
    }

    /// The first window starting strictly after an instant (its start is the next flatten).
    public func nextWindow(after instant: Instant) -> RiskWindow? {
        let t = instant.millis
        let i = entryIndex(t)
        if i >= 0 {
            // entries[i] is the first window whose stop is after t; it starts after t or contains t.
            var j = i
            if entries[j].start <= t { j += 1 }
            if j < entries.count - 1 { return riskWindow(entries[j]) }
        }
        return slowNextWindow(after: t).map(riskWindow)
    }

    /// The next instant strictly after `instant` at which the period starts (flatten, reject orders).
    public func nextStart(after instant: Instant) -> Instant? { nextWindow(after: instant)?.start }

    /// The next instant strictly after `instant` at which the period stops (orders accepted again).
    public func nextStop(after instant: Instant) -> Instant? {
        if let w = window(containing: instant) { return w.stop }
        return nextWindow(after: instant)?.stop
    }

    /// Every window overlapping `(from, through]`, in time order.
    public func windows(after from: Instant, through to: Instant) -> [RiskWindow] {
        var out: [RiskWindow] = []
        var cursor = from
        if let w = window(containing: from) { out.append(w); cursor = w.stop }
        while let w = nextWindow(after: cursor), w.start <= to {
            out.append(w)
            cursor = w.start
            if out.count > 100_000 { break }
        }
        return out
    }

    // MARK: Hot path

    /// Index of the first entry whose stop is after `t`, or -1 when `t` is outside the table.
    @inlinable @inline(__always) func entryIndex(_ t: Int64) -> Int {
        let day = (t >= 0 ? t / 86_400_000 : (t &- 86_399_999) / 86_400_000) &- baseDay
        guard day >= 0, day < Int64(dayEntry.count) else { return -1 }
        var i = Int(dayEntry[Int(day)])
        // The sentinel's stop is Int64.max, so this ends; a UTC day meets at most three windows.
        while entries[i].stop <= t { i &+= 1 }
        return i
    }


    // MARK: Direct computation (outside the table, and the table's own source)

    func riskWindow(_ e: Entry) -> RiskWindow {
        RiskWindow(start: Instant(millis: e.start), stop: Instant(millis: e.stop), date: CivilDate(daysSinceEpoch: Int64(e.day)),
                   overrideIndex: e.source >= 0 ? Int(e.source) : nil)
    }

    /// The unmerged window that starts on local day `day`, nil when it is empty.
    static func rawWindow(day: Int64, period: TimePeriodNode, zone: ZoneRules, overrideByDay: [Int64: Int]) -> Entry? {
        var start = period.start, stop = period.stop, source: Int32 = -1
        if let i = overrideByDay[day], i < period.overrides.count {
            start = period.overrides[i].start
            stop = period.overrides[i].stop
            source = Int32(i)
        }
        if start == stop { return nil }
        let date = CivilDate(daysSinceEpoch: day)
        let s = zone.resolve(date: date, time: start).millis
        let e = zone.resolve(date: stop < start ? date.adding(days: 1) : date, time: stop).millis
        guard s < e else { return nil }
        return Entry(start: s, stop: e, source: source, day: Int32(truncatingIfNeeded: day))
    }

    func rawWindow(day: Int64) -> Entry? {
        Self.rawWindow(day: day, period: period, zone: zone, overrideByDay: overrideByDay)
    }

    /// The merged window containing `t`, computed from the rules.
    @usableFromInline func slowWindow(containing t: Int64) -> Entry? {
        let local = zone.localDate(at: Instant(millis: t)).daysSinceEpoch
        var found: Entry?
        for d in (local - 3)...(local + 1) {
            if let w = rawWindow(day: d), w.start <= t, t < w.stop { found = w; break }
        }
        guard var w = found else { return nil }
        // Merge with touching neighbours (overrides only): backwards, then forwards.
        var d = Int64(w.day)
        while let p = rawWindow(day: d - 1), p.stop >= w.start, p.start < w.start {
            w.start = p.start
            if p.source >= 0 { w.source = p.source }
            w.day = p.day
            d -= 1
        }
        d = Int64(w.day)
        var next = d + 1
        while next < d + 400 {
            guard let n = rawWindow(day: next) else { next += 1; continue }
            if n.start > w.stop { break }
            if n.stop > w.stop { w.stop = n.stop }
            if w.source < 0 { w.source = n.source }
            next += 1
        }
        return w
    }

    /// The first merged window starting strictly after `t`, computed from the rules.
    func slowNextWindow(after t: Int64) -> Entry? {
        let local = zone.localDate(at: Instant(millis: t)).daysSinceEpoch
        var d = local - 3
        // Every day has a window unless start == stop everywhere; bound the search to a year.
        while d < local + 400 {
            if let w = rawWindow(day: d), w.start > t, slowWindow(containing: w.start - 1) == nil {
                return slowWindow(containing: w.start)
            }
            d += 1
        }
        return nil
    }
}
