import RuleBase
import RuleEngine
import RuleCodecs
import RuleJSON

/// The chart's time axis in the calendar's zone: wall-clock ticks, session opens with their
/// trade dates, and the stretches when the market is closed (breaks, weekends, holidays, early
/// closes), all from the template's calendar.
struct ChartTime {
    let calendar: TradingCalendar
    /// The zone's name as the rulebook spells it (`America/Chicago`), for captions.
    let zoneName: String

    init(setup: EngineSetup) {
        calendar = setup.calendar
        zoneName = setup.graph.calendar?.timezone ?? "UTC"
    }

    struct Tick: Equatable {
        var at: Int64
        var label: String
        /// A local midnight (labelled with the date rather than the time).
        var midnight: Bool
    }

    struct Session: Equatable {
        var open: Int64
        var tradeDate: CivilDate
    }

    /// At most this many sessions are walked (a longer history gets no session lines).
    static let sessionLimit = 2_000

    static let tickSteps: [Int64] = [300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200,
                                     86_400, 2 * 86_400, 7 * 86_400, 14 * 86_400, 28 * 86_400, 91 * 86_400, 364 * 86_400]

    // MARK: Text

    func wall(_ t: Int64) -> (date: CivilDate, time: TimeOfDay) { calendar.zone.local(at: Instant(millis: t)) }

    static func two(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }

    static func weekday(_ d: CivilDate) -> String {
        let w = d.weekday.description
        return w.prefix(1).uppercased() + w.dropFirst().prefix(2)
    }

    /// `Tue 03-03`.
    static func dayText(_ d: CivilDate) -> String { "\(weekday(d)) \(two(Int(d.month)))-\(two(Int(d.day)))" }

    func offsetText(_ t: Int64) -> String {
        let o = Int(calendar.zone.offset(at: Instant(millis: t)))
        let m = abs(o) / 60
        return (o < 0 ? "-" : "+") + Self.two(m / 60) + ":" + Self.two(m % 60)
    }

    /// `Tue 2026-03-03 09:40:00 -06:00`, for hover text.
    func full(_ t: Int64) -> String {
        let (d, time) = wall(t)
        return "\(Self.weekday(d)) \(d) \(time.textWithSeconds) \(offsetText(t))"
    }

    /// `Tue 03-03 09:40`, for tables and captions.
    func short(_ t: Int64) -> String {
        let (d, time) = wall(t)
        return "\(Self.dayText(d)) \(Self.two(time.hour)):\(Self.two(time.minute))"
    }

    // MARK: Ticks

    /// Wall-clock ticks between `t0` and `t1`: the finest round step (5 minutes to 52 weeks)
    /// giving at most `maxTicks` of them. Whole-day steps fall on local midnights (weeks on
    /// Mondays).
    func ticks(from t0: Int64, to t1: Int64, maxTicks: Int) -> [Tick] {
        guard t1 > t0, maxTicks > 0 else { return [] }
        let rangeSeconds = (t1 - t0) / 1000
        var step = Self.tickSteps.last ?? 86_400
        for s in Self.tickSteps where rangeSeconds / s <= Int64(maxTicks) { step = s; break }
        let zone = calendar.zone
        var d = zone.localDate(at: Instant(millis: t0))
        let lastDate = zone.localDate(at: Instant(millis: t1))
        var out: [Tick] = []
        while d <= lastDate {
            if step >= 86_400 {
                let days = step / 86_400
                let anchor = days % 7 == 0 ? (d.daysSinceEpoch + 3) : d.daysSinceEpoch   // 1970-01-05 was a Monday
                if anchor % days == 0 {
                    let t = zone.resolve(date: d, time: TimeOfDay(seconds: 0)).millis
                    if t >= t0 && t <= t1 { out.append(Tick(at: t, label: Self.dayText(d), midnight: true)) }
                }
            } else {
                var s: Int64 = 0
                while s < 86_400 {
                    let tod = TimeOfDay(seconds: Int32(s))
                    let t = zone.resolve(date: d, time: tod).millis
                    if t >= t0 && t <= t1 && (out.last.map { t > $0.at } ?? true) {
                        out.append(s == 0 ? Tick(at: t, label: Self.dayText(d), midnight: true)
                                          : Tick(at: t, label: "\(Self.two(tod.hour)):\(Self.two(tod.minute))", midnight: false))
                    }
                    s += step
                }
            }
            d = d.adding(days: 1)
        }
        return out
    }

    /// The session opens in [t0, t1], each with the trade date it opens.
    func sessions(from t0: Int64, to t1: Int64) -> [Session] {
        var out: [Session] = []
        var s = calendar.nextSession(after: Instant(millis: t0 &- 1))
        while s.open.millis <= t1 && out.count < Self.sessionLimit {
            out.append(Session(open: s.open.millis, tradeDate: s.tradeDate))
            s = calendar.nextSession(after: s.open)
        }
        return out.count < Self.sessionLimit ? out : []
    }

    /// The stretches in [t0, t1] outside every session: from a trade date's end of day (or its
    /// early close) to the next session open. `early` marks the part an early close adds.
    func closed(from t0: Int64, to t1: Int64) -> [(from: Int64, to: Int64, early: Bool)] {
        var out: [(from: Int64, to: Int64, early: Bool)] = []
        var s = calendar.latestSession(atOrBefore: Instant(millis: t0))
        var walked = 0
        while s.open.millis <= t1 && walked < Self.sessionLimit {
            walked += 1
            let eod = calendar.endOfDay(of: s.tradeDate)
            let next = calendar.nextSession(after: eod)
            if let early = calendar.earlyClose(of: s.tradeDate), early < eod {
                let a = max(early.millis, t0), b = min(eod.millis, t1)
                if a < b { out.append((a, b, true)) }
            }
            let a = max(eod.millis, t0), b = min(next.open.millis, t1)
            if a < b { out.append((a, b, false)) }
            s = next
        }
        return walked < Self.sessionLimit ? out : []
    }
}
