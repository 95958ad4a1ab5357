import RuleBase
import RuleGraph

// The firm's rules inside the post-trade engine (README "Firm rules"). Each hook runs only when
// the template has the rule, so a broker-only template pays one branch per step.
//
// * Objectives: a fill marks the trade date as traded; each session open closes the previous
//   trade date (its P&L is net liquidation at the open − its day start); after every step, once
//   the thresholds have acted, an evaluation in progress passes when every objective holds. A
//   trailing-drawdown breach fails it first, so a breach and a target at one event fail.
// * Scaling plan: each end of day sets the tier for the next session from the net liquidation
//   then; the session open puts it in force. Orders are checked after the broker's checks.
// * News windows: orders in an affected product are rejected inside a window; with
//   `flatten_positions` the window's start closes those products.
// * Flat-by: at the product's time on every trade date its position is closed.
// * Max position loss: after every step, a position whose open loss reached the limit is closed.

extension PostTradeEngine {
    /// The baseline profit is counted from: the starting balance, else the balance at the start.
    static func baseline(_ graph: RuleGraph, _ account: AccountState) -> Money { graph.startingBalance ?? account.balance }

    static func initialFirmState(graph: RuleGraph, calendar: TradingCalendar, account: AccountState,
                                 evaluation: EvaluationState?) -> FirmState {
        var f = FirmState()
        let base = baseline(graph, account)
        if graph.firm.objectives != nil { f.evaluation = evaluation ?? EvaluationState(baseline: base) }
        if let p = graph.firm.scalingPlan { f.scalingTier = Int32(p.tier(forProfit: account.dayStart - base)) }
        if let w = graph.firm.newsWindows {
            f.newsWindows = w.events.map { e in
                let at = e.at.instant ?? calendar.zone.resolve(date: e.at.date, time: e.at.time)
                return (at.millis &- w.beforeMillis, at.millis &+ w.afterMillis)
            }
        }
        return f
    }

    /// The extra boundaries firm rules add to the clock: news-window starts (with
    /// `flatten_positions`) and flat-by times of every trade date in (from, to].
    static func firmBoundaries(graph: RuleGraph, calendar: TradingCalendar, firm: FirmState) -> FirmBoundaries {
        FirmBoundaries(graph: graph, calendar: calendar,
                       newsStarts: graph.firm.newsWindows?.flatten == true ? firm.newsWindows.map(\.start) : [])
    }

    // MARK: Hooks

    mutating func firmEndOfDay() {
        guard let p = graph.firm.scalingPlan else { return }
        let base = firm.evaluation?.baseline ?? Self.baseline(graph, account)
        firm.pendingTier = Int32(p.tier(forProfit: account.netLiq - base))
    }

    /// Before the new day's start is set: close the trade date, put the pending tier in force.
    mutating func firmSessionOpen(_ out: inout Outcome) {
        payoutCloseDay()
        if let o = graph.firm.objectives, firm.evaluation != nil {
            firm.evaluation?.closeDay(netLiq: account.netLiq, dayStart: account.dayStart, o)
        }
        if let next = firm.pendingTier, let now = firm.scalingTier {
            if next != now { out.append(.scalingTier(from: now, to: next)) }
            firm.scalingTier = next
            firm.pendingTier = nil
        }
    }

    /// A trailing-drawdown breach fails an evaluation in progress.
    mutating func firmBreach(test i: Int32) {
        guard let e = firm.evaluation, !e.status.isFinal, graph.tests[Int(i)].op == .trailing else { return }
        firm.evaluation?.status = .failed(test: i, at: now)
    }

    /// After the thresholds: pass an evaluation whose objectives all hold; close a position whose
    /// open loss reached the limit.
    mutating func firmEvaluate(_ out: inout Outcome, reportFailure: Bool) {
        if let o = graph.firm.objectives, let e = firm.evaluation {
            if reportFailure, case .failed = e.status { out.append(.evaluation(e.status)) }
            if !e.status.isFinal, e.view(netLiq: account.netLiq, dayStart: account.dayStart, o).allMet,
               o.profitTarget != nil || o.minTradingDays != nil || o.winningDays != nil || o.consistency != nil {
                firm.evaluation?.status = .passed(at: now)
                out.append(.evaluation(.passed(at: now)))
            }
        }
        if let l = graph.firm.maxPositionLoss {
            for i in account.positions.indices where account.positions[i].quantity != 0 && account.openPnL[i] <= 0 &- l.limit.units {
                closeProducts([i], cause: .positionLoss(Int32(i)), &out)
            }
        }
    }

    /// Closes the positions (and cancels the working orders) of `products` only, at their last marks.
    mutating func closeProducts(_ products: [Int], cause: FirmFlatten, _ out: inout Outcome) {
        out.append(.flatten(.firm(cause)))
        cancelWorking(products: products, cause: .firm(cause), &out)
        for i in products { close(i, &out) }
    }

    /// A firm boundary: a news window starts (flatten its products) or a flat-by time passes.
    /// Adds a step only when something is to close.
    mutating func processFirm(_ b: FirmBoundary, _ out: inout Outcome) {
        now = b.at
        var products: [Int] = []
        let cause: FirmFlatten
        switch b.kind {
        case .newsStart(let k):
            guard let w = graph.firm.newsWindows, Int(k) < w.events.count else { return }
            products = w.events[Int(k)].affects.indices.filter { w.events[Int(k)].affects[$0] }
            cause = .newsWindow(k)
        case .flatBy(let k):
            products = [Int(graph.firm.flatBy[Int(k)].product)]
            cause = .flatBy(k)
        }
        let busy = products.contains { account.positions[$0].quantity != 0 || book.workingBuy($0) != 0 || book.workingSell($0) != 0 }
        guard busy else { return }
        let first = out.itemCount
        closeProducts(products, cause: cause, &out)
        evaluate(&out)
        out.append(Step(at: b.at, origin: .firm(cause), snapshot: snapshot, items: first..<out.itemCount))
    }

    // MARK: Orders

    /// The firm's order checks, after the broker's accepted the order: the news window, then
    /// the scaling plan (a reducing order never fails it).
    func firmCheck(_ order: Order) -> OrderDecision {
        let p = Int(order.product)
        if let w = graph.firm.newsWindows, p >= 0, p < graph.products.count {
            let t = now.millis
            for (k, win) in firm.newsWindows.enumerated() where win.start <= t && t < win.stop && w.events[k].affects[p] {
                return .rejected(OrderRejection(reason: .newsWindow(product: order.product, news: Int32(k), until: Instant(millis: win.stop)),
                                                span: w.events[k].span))
            }
        }
        if let plan = graph.firm.scalingPlan, let tier = firm.scalingTier, p >= 0, p < plan.scaledWeights.count, plan.scaledWeights[p] != 0 {
            var before: Int64 = 0, after: Int64 = 0
            for (i, w) in plan.scaledWeights.enumerated() where w != 0 {
                let q = position(i), wb = workingBuy(i), ws = workingSell(i)
                let e0 = PreTradeCheck.exposure(net: q, workingBuy: wb, workingSell: ws)
                var e1 = e0
                if i == p {
                    e1 = order.side == .buy ? PreTradeCheck.exposure(net: q, workingBuy: wb &+ order.quantity, workingSell: ws)
                        : PreTradeCheck.exposure(net: q, workingBuy: wb, workingSell: ws &+ order.quantity)
                }
                before = PreTradeCheck.saturatingAdd(before, PreTradeCheck.saturatingMul(e0, w))
                after = PreTradeCheck.saturatingAdd(after, PreTradeCheck.saturatingMul(e1, w))
            }
            let t = plan.tiers[Int(tier)]
            if after > before && after > t.scaledLimit {
                return .rejected(OrderRejection(reason: .scalingPlan(tier: tier, after: after, limit: t.scaledLimit, denominator: plan.denominator),
                                                span: t.span))
            }
        }
        return .accepted
    }

    /// The evaluation as the snapshot reports it.
    var evaluationSnapshot: EvaluationSnapshot? {
        guard let o = graph.firm.objectives, let e = firm.evaluation else { return nil }
        return EvaluationSnapshot(status: e.status, objectives: e.view(netLiq: account.netLiq, dayStart: account.dayStart, o))
    }

    /// The evaluation's objectives so far (nil when the template has none).
    public var objectives: ObjectiveView? { evaluationSnapshot?.objectives }
}

/// A firm boundary on the clock.
public struct FirmBoundary: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case newsStart(Int32), flatBy(Int32) }
    public var at: Instant
    public var kind: Kind
}

/// The firm's boundaries after an instant, in time order: news-window starts (listed) and the
/// flat-by times of every trade date, computed one day at a time.
struct FirmBoundaries: Sendable {
    let graph: RuleGraph
    let calendar: TradingCalendar
    let newsStarts: [Int64]
    private var queue: [FirmBoundary] = []
    private var index = 0
    private var day: CivilDate?
    /// The next boundary's instant (`Int64.max` millis when none remains).
    private(set) var next = Instant(millis: .max)

    init(graph: RuleGraph, calendar: TradingCalendar, newsStarts: [Int64]) {
        self.graph = graph
        self.calendar = calendar
        self.newsStarts = newsStarts
    }

    var isEmpty: Bool { newsStarts.isEmpty && graph.firm.flatBy.isEmpty }

    /// Positions the queue after `start` (boundaries at or before it are taken as applied).
    mutating func start(after start: Instant) {
        guard !isEmpty else { return }
        day = calendar.zone.localDate(at: start)
        queue = []
        for (k, s) in newsStarts.enumerated() where s > start.millis { queue.append(FirmBoundary(at: Instant(millis: s), kind: .newsStart(Int32(k)))) }
        fillDays(from: start, days: 8)
    }

    private mutating func fillDays(from after: Instant, days n: Int) {
        guard var d = day, !graph.firm.flatBy.isEmpty else { sortQueue(); return }
        for _ in 0..<n {
            if calendar.isTradeDate(d) {
                for (k, f) in graph.firm.flatBy.enumerated() {
                    let t = calendar.zone.resolve(date: d, time: f.time)
                    if t > after { queue.append(FirmBoundary(at: t, kind: .flatBy(Int32(k)))) }
                }
            }
            d = d.adding(days: 1)
        }
        day = d
        sortQueue()
    }

    private mutating func sortQueue() {
        let rest = queue[index...].sorted { $0.at != $1.at ? $0.at < $1.at : $0.kindRank < $1.kindRank }
        queue = Array(rest)
        index = 0
        next = queue.first?.at ?? Instant(millis: .max)
    }

    mutating func pop() -> FirmBoundary {
        let b = queue[index]
        index += 1
        if index >= queue.count || (!graph.firm.flatBy.isEmpty && queue.count - index < graph.firm.flatBy.count) {
            fillDays(from: b.at, days: 7)
        } else {
            next = queue[index].at
        }
        return b
    }
}

extension FirmBoundary {
    var kindRank: Int { if case .newsStart = kind { return 0 }; return 1 }
}

extension PostTradeEngine {
    /// Cancels the working orders in `products`, oldest first, one item each.
    mutating func cancelWorking(products: [Int], cause: CancelCause, _ out: inout Outcome) {
        var k = 0
        while k < book.orders.count {
            if products.contains(Int(book.orders[k].product)) {
                out.append(.cancelled(Cancellation(order: book.cancel(at: k, cause: cause, at: now), cause: cause)))
            } else {
                k += 1
            }
        }
    }
}
