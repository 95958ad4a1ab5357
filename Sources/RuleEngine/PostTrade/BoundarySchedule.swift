import RuleBase
import RuleGraph

extension CalendarRules {
    /// The calendar of a rule graph in a zone the caller loaded (UTC defaults when the template
    /// names no calendar).
    public init(_ node: CalendarNode?, zone: ZoneRules) {
        guard let c = node else {
            self.init(zone: zone)
            return
        }
        self.init(zone: zone, tradingDayStarts: c.tradingDayStarts, weekStartDay: c.weekStartDay,
                  weekStartTime: c.weekStartTime, endOfDay: c.endOfDay, holidays: Set(c.holidays),
                  earlyCloses: c.earlyCloses)
    }
}

/// A clock boundary of the post-trade engine: the calendar's (end of day, session open, week
/// start) merged with the template's time period and its one-time `flatten_at`.
public struct ClockBoundary: Sendable, Hashable {
    public var at: Instant
    public var origin: Step.Origin

    func precedes(_ o: ClockBoundary) -> Bool { at != o.at ? at < o.at : origin.rank < o.origin.rank }
}

/// The daily `[start, stop)` window of a time period in the calendar's zone, with dated overrides
/// (an override changes the window that starts on its date; stop ≤ start crosses midnight).
public struct TimePeriodWindows: Sendable, Hashable {
    public let node: TimePeriodNode
    public let zone: ZoneRules

    public init(_ node: TimePeriodNode, zone: ZoneRules) {
        self.node = node
        self.zone = zone
    }

    /// The window that starts on local date `d`.
    public func window(startingOn d: CivilDate) -> (start: Instant, stop: Instant) {
        var start = node.start, stop = node.stop
        for o in node.overrides where o.date == d {
            start = o.start
            stop = o.stop
        }
        let s = zone.resolve(date: d, time: start)
        let e = zone.resolve(date: stop <= start ? d.adding(days: 1) : d, time: stop)
        return (s, e)
    }

    public func contains(_ t: Instant) -> Bool {
        let d = zone.localDate(at: t)
        for k in [Int64(0), -1] {
            let w = window(startingOn: d.adding(days: k))
            if w.start <= t && t < w.stop { return true }
        }
        return false
    }
}

/// What every engine of one template shares: the rule graph and what is derived from it once
/// (threshold kernel, product economics, latch masks, the time period's windows, the
/// `flatten_at` instant, the default pre-trade check). Immutable; held by reference.
public final class EngineProgram: Sendable {
    public let graph: RuleGraph
    public let kernel: ThresholdKernel
    public let calendar: TradingCalendar
    public let economics: [ProductEconomics]
    /// The pre-trade check of the template's own risk category.
    public let preTrade: PreTradeCheck
    /// Tests that latch at all (all but the margin liquidate-only and auto-liquidate tiers).
    let latchable: UInt64
    /// Tests re-armed at each session open (daily metrics and the margin alert) and week start.
    let dailyRearm: UInt64
    let weeklyRearm: UInt64
    let realTimeTrailing: Bool
    let eodTrailing: Bool
    let windows: TimePeriodWindows?
    let flattenAt: Instant?

    /// - Parameter preTrade: by default `PreTradeCheck(graph:zone:)` with the calendar's zone.
    public init(graph: RuleGraph, calendar: TradingCalendar, preTrade: PreTradeCheck? = nil) {
        self.graph = graph
        self.calendar = calendar
        self.preTrade = preTrade ?? PreTradeCheck(graph: graph, zone: calendar.zone)
        self.kernel = ThresholdKernel(graph: graph)
        self.economics = graph.products.map {
            ProductEconomics(pointValue: $0.pointValue, dayMargin: $0.dayMargin, overnightMargin: $0.overnightMargin)
        }
        var latchable: UInt64 = 0, daily: UInt64 = 0, weekly: UInt64 = 0
        for (i, t) in graph.tests.prefix(64).enumerated() {
            let bit: UInt64 = 1 << UInt64(i)
            let margin = t.metric == .margin
            if !(margin && t.tier != .alert) { latchable |= bit }
            switch t.metric {
            case .dailyLoss, .dailyProfit: daily |= bit
            case .margin where t.tier == .alert: daily |= bit
            case .weeklyLoss, .weeklyProfit: weekly |= bit
            default: break
            }
        }
        self.latchable = latchable
        self.dailyRearm = daily
        self.weeklyRearm = weekly
        self.realTimeTrailing = graph.trailing?.mode == .realTime
        self.eodTrailing = graph.trailing?.mode == .endOfDay
        self.windows = graph.timePeriod.map { TimePeriodWindows($0, zone: calendar.zone) }
        self.flattenAt = graph.flattenAt.map { f in f.at.instant ?? calendar.zone.resolve(date: f.at.date, time: f.at.time) }
    }
}

/// The boundaries after an instant, computed a week at a time so that the engine's hot path only
/// compares one instant per event.
struct BoundarySchedule: Sendable {
    let program: EngineProgram
    var calendar: TradingCalendar { program.calendar }
    var windows: TimePeriodWindows? { program.windows }
    var flattenAt: Instant? { program.flattenAt }
    private var queue: [ClockBoundary] = []
    private var index = 0
    private var horizon: Instant
    /// The next boundary's instant (`Int64.max` millis when none remains).
    private(set) var next: Instant

    static let chunkMillis: Int64 = 7 * 86_400_000

    init(_ program: EngineProgram, start: Instant) {
        self.program = program
        self.horizon = start
        self.next = Instant(millis: .max)
        queue.reserveCapacity(32)
        refill()
    }

    /// Removes and returns the next boundary.
    mutating func pop() -> ClockBoundary {
        let b = queue[index]
        index += 1
        if index == queue.count { refill() } else { next = queue[index].at }
        return b
    }

    private mutating func refill() {
        queue.removeAll(keepingCapacity: true)
        index = 0
        // INVARIANT: every week holds at least one end of day or week start, so one or two chunks fill the queue.
        for _ in 0..<8 {
            let from = horizon
            let to = Instant(millis: from.millis &+ Self.chunkMillis)
            var cal: [Boundary] = []
            calendar.boundaries(after: from, through: to, into: &cal)
            for b in cal {
                switch b.kind {
                case .endOfDay(let d): queue.append(ClockBoundary(at: b.instant, origin: .endOfDay(d)))
                case .sessionOpen(let d): queue.append(ClockBoundary(at: b.instant, origin: .sessionOpen(d)))
                case .weekStart: queue.append(ClockBoundary(at: b.instant, origin: .weekStart))
                }
            }
            if let w = windows {
                var d = calendar.zone.localDate(at: from).adding(days: -1)
                let last = calendar.zone.localDate(at: to)
                while d <= last {
                    let win = w.window(startingOn: d)
                    if win.start > from && win.start <= to { queue.append(ClockBoundary(at: win.start, origin: .timePeriodStart)) }
                    if win.stop > from && win.stop <= to { queue.append(ClockBoundary(at: win.stop, origin: .timePeriodStop)) }
                    d = d.adding(days: 1)
                }
            }
            if let f = flattenAt, f > from, f <= to { queue.append(ClockBoundary(at: f, origin: .flattenAt)) }
            horizon = to
            if !queue.isEmpty { break }
        }
        queue.sort { $0.precedes($1) }
        next = queue.first?.at ?? Instant(millis: .max)
    }
}
