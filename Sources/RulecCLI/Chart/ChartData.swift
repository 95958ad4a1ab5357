import RuleBase
import RuleGraph
import RuleEngine
import RuleCodecs
import RuleJSON

/// The account after one step, as the chart keeps it: exact money units, the mode, and what
/// happened when the step did something worth a marker.
struct ChartPoint: Sendable {
    var at: Int64
    var netLiq: Int64
    var balance: Int64
    var dayStart: Int64
    var weekStart: Int64
    /// `Int64.min` when the template has no trailing drawdown.
    var level: Int64
    var mode: AccountModeKind
    var working: Int32
    /// What happened; nil for a plain step (a mark or a clock boundary that decided nothing),
    /// which downsampling may fold into its neighbours.
    var note: ChartNote?
}

/// What one step did, for its markers and its hover text.
struct ChartNote: Sendable {
    /// +1 a buy fill, −1 a sell fill, 0 no fill.
    var fill: Int8 = 0
    /// Breached tests (index in `RuleGraph.tests`) with their tiers, in decision order.
    var breaches: [Int32] = []
    var liquidations: Int32 = 0
    /// Working orders cancelled by a cancel event, and by the rules (a flatten, a time period…).
    var cancelsRequested: Int32 = 0
    var cancelsByRules: Int32 = 0
    var admin: Int32 = 0
    /// The admin actions applied, by their broker names (`LockTradingImmediately`).
    var adminKinds: [String] = []
    var adminRejected: Int32 = 0
    var ordersRejected: Int32 = 0
    /// The step as the text timeline prints it: the event (or boundary), then each decision.
    var lines: [String] = []

    /// How much the point matters when markers must be thinned: 3 breaches, flattens, mode
    /// changes and admin actions; 2 cancels by the rules; 1 fills, requested cancels and rejected
    /// orders; 0 the rest (accepted orders, ignored fills).
    var severity: UInt8 = 0
}

/// The numbers a chart needs, bounded in memory: every step is recorded, but at most about
/// `capacity` points are kept. Points with a decision (or a fill) are kept as they are; the
/// plain points between them are downsampled to the lowest and highest net liquidation value
/// per time bucket, the bucket width doubling as the history grows.
struct ChartData {
    let setup: EngineSetup
    /// Renders event and decision text as the timeline does (shared with the simulate loop, so
    /// category-switch messages name the category in force).
    let writer: StepWriter
    /// The most points kept; compaction brings the count back to three quarters of it.
    let capacity: Int
    private(set) var points: [ChartPoint] = []
    /// Steps recorded, kept or not.
    private(set) var steps: Int = 0
    /// Points with a note whose markers were dropped because notes alone would fill the chart.
    private(set) var thinnedNotes: Int = 0
    /// Time bucket width of the downsampling in milliseconds (0 until the first compaction).
    private(set) var bucketMillis: Int64 = 0

    init(setup: EngineSetup, writer: StepWriter? = nil, capacity: Int = 2_000) {
        self.setup = setup
        self.writer = writer ?? StepWriter(setup: setup)
        self.capacity = max(capacity, 16)
        points.reserveCapacity(min(self.capacity, 4_096) + 1)
    }

    /// The account at the start of the replay (no step: the state file or the flat account).
    mutating func start(_ n: Snapshot, at t: Instant) {
        var note = ChartNote()
        note.lines = ["start"]
        note.severity = 3
        record(Self.point(n, at: t, note: note))
    }

    /// One engine step; `event` is the input event when the step is one (its `line` in the
    /// events file, for the hover text), nil for a clock boundary.
    mutating func add(_ step: Step, items: ArraySlice<DecisionItem>, event: Event?, line: Int?) {
        var note = ChartNote()
        var noted = !items.isEmpty
        if let e = event, case .fill(let f) = e.kind, !items.contains(where: Self.refusesFill) {
            note.fill = f.quantity > 0 ? 1 : -1
            note.severity = 1
            noted = true
        }
        guard noted else {
            record(Self.point(step.snapshot, at: step.at, note: nil))
            return
        }
        note.lines.append(describe(step, event: event, line: line))
        for item in items {
            var s: UInt8 = 3
            switch item {
            case .breach(let b): note.breaches.append(b.test)
            case .liquidated: note.liquidations += 1
            case .cancelled(let c):
                if c.cause == .request { note.cancelsRequested += 1; s = 1 } else { note.cancelsByRules += 1; s = 2 }
            case .admin(let k):
                note.admin += 1
                note.adminKinds.append(k.description)
            case .adminRejected: note.adminRejected += 1
            case .order(_, let d):
                if d.isAccepted { s = 0 } else { note.ordersRejected += 1; s = 1 }
            case .orderInvalid, .fillIgnored, .cancelIgnored, .categorySwitchSkipped: s = 0
            case .flatten, .restricted, .released, .modeChanged, .fillRejected, .categorySwitched, .scalingTier, .payout: break
            case .evaluation: s = 2
            }
            note.severity = max(note.severity, s)
            note.lines.append(writer.itemText(item, indent: ""))
        }
        record(Self.point(step.snapshot, at: step.at, note: note))
    }

    /// A fill the engine did not apply (its order was cancelled or rejected, or its numbers do not fit).
    static func refusesFill(_ item: DecisionItem) -> Bool {
        switch item {
        case .fillIgnored, .fillRejected: return true
        default: return false
        }
    }

    func describe(_ step: Step, event: Event?, line: Int?) -> String {
        if let e = event { return (line.map { "line \($0): " } ?? "") + writer.eventText(e) }
        switch step.origin {
        case .sessionOpen(let d): return "session open, trade date \(d)"
        case .endOfDay(let d): return "end of day \(d)"
        case .weekStart: return "week start"
        case .timePeriodStart: return "time period \(setup.graph.timePeriod?.name ?? "") starts"
        case .timePeriodStop: return "time period \(setup.graph.timePeriod?.name ?? "") ends"
        case .flattenAt: return "flatten_at"
        case .event: return "event"
        case .firm(let f): return f.name
        }
    }

    static func point(_ n: Snapshot, at t: Instant, note: ChartNote?) -> ChartPoint {
        ChartPoint(at: t.millis, netLiq: n.netLiq.units, balance: n.balance.units, dayStart: n.dayStart.units,
                   weekStart: n.weekStart.units, level: n.trailingLevel?.units ?? .min, mode: n.mode,
                   working: n.working, note: note)
    }

    /// Appends a point (in time order) and compacts when the cap is passed.
    mutating func record(_ p: ChartPoint) {
        steps += 1
        points.append(p)
        if points.count > capacity { compact() }
    }

    /// The net liquidation value at which test `i` is reached at point `p`; nil for margin tests
    /// and for the trailing drawdown before it has a level.
    func threshold(_ i: Int, _ p: ChartPoint) -> Int64? {
        let t = setup.graph.tests[i]
        let start = t.weekly ? p.weekStart : p.dayStart
        let amount: Int64
        switch t.op {
        case .money: amount = t.limit
        case .percentOfStart: amount = Ratio(numerator: t.limit, denominator: max(t.denominator, 1)).of(Money(units: start)).units
        case .marginPercent: return nil
        case .trailing: return p.level == .min ? nil : p.level
        }
        return t.profit ? start &+ amount : start &- amount
    }

    // MARK: Downsampling

    /// Brings the points back to at most three quarters of the capacity: notes never take more
    /// than half of it (the least important are thinned first), then the plain points are
    /// bucketed with a doubling width; when even one bucket per stretch is too many, notes are
    /// thinned again. The first point (the start) and the newest are always kept.
    mutating func compact() {
        let target = capacity * 3 / 4
        while noteCount > capacity / 2 { thinNotes() }
        guard let first = points.first, let last = points.last else { return }
        let span = max(last.at - first.at, 1)
        // About a quarter of the capacity in buckets over the whole span; wider only when that
        // is not enough (many noted points split the stretches).
        let wanted = max(span / Int64(max(capacity / 4, 1)), 1)
        var firstPass = true
        while points.count > target {
            if firstPass {
                bucketMillis = max(bucketMillis, wanted)
                firstPass = false
            } else if bucketMillis <= span {
                bucketMillis = bucketMillis &* 2
            } else if noteCount > 0 {
                thinNotes()
            } else {
                break   // INVARIANT: unreachable: with no notes and one bucket, at most four points remain
            }
            rebucket()
        }
    }

    var noteCount: Int {
        var c = 0
        for p in points where p.note != nil { c += 1 }
        return c
    }

    /// Drops the note of every second point of the lowest severity present (never the start),
    /// so markers thin evenly over time rather than losing the oldest.
    mutating func thinNotes() {
        var lowest = UInt8.max
        for p in points.dropFirst() { if let n = p.note { lowest = min(lowest, n.severity) } }
        guard lowest != .max else { return }
        let ks = points.indices.dropFirst().filter { points[$0].note?.severity == lowest }
        // Every second one; a class of one goes whole, or the caller's loop would not shrink.
        for (j, k) in ks.enumerated() where ks.count == 1 || j % 2 == 1 {
            points[k].note = nil
            thinnedNotes += 1
        }
    }

    /// Keeps, in each stretch of plain points between two noted points, the lowest and the
    /// highest net liquidation value of every time bucket (the earliest on ties), in time order.
    mutating func rebucket() {
        guard let origin = points.first?.at else { return }
        let width = max(bucketMillis, 1)
        var out: [ChartPoint] = []
        out.reserveCapacity(points.count)
        out.append(points[0])
        var i = 1
        while i < points.count {
            // The newest point is kept as it is: the chart ends on the account as it stands.
            if points[i].note != nil || i == points.count - 1 {
                out.append(points[i])
                i += 1
                continue
            }
            let bucket = (points[i].at &- origin) / width
            var lo = i, hi = i, j = i + 1
            while j < points.count - 1, points[j].note == nil, (points[j].at &- origin) / width == bucket {
                if points[j].netLiq < points[lo].netLiq { lo = j }
                if points[j].netLiq > points[hi].netLiq { hi = j }
                j += 1
            }
            out.append(points[min(lo, hi)])
            if lo != hi { out.append(points[max(lo, hi)]) }
            i = j
        }
        points = out
    }
}
