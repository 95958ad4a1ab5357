import RuleBase
import RuleGraph

/// Where an evaluation stands (README "Evaluation status"). `passed` and `failed` are final.
public enum EvaluationStatus: Sendable, Hashable, CustomStringConvertible {
    case inProgress
    /// Every objective held at `at` (the profit target reached last, usually).
    case passed(at: Instant)
    /// A rule that ends an evaluation acted: the trailing drawdown (its index in `RuleGraph.tests`).
    case failed(test: Int32, at: Instant)

    /// `in_progress`, `passed`, `failed`: the spelling in JSON, text and rulebook tests.
    public var name: String {
        switch self {
        case .inProgress: return "in_progress"
        case .passed: return "passed"
        case .failed: return "failed"
        }
    }
    public var description: String { name }
    public var isFinal: Bool { if case .inProgress = self { return false }; return true }
}

/// The evaluation's running record: the closed trade dates' counts and best day, and the day in
/// progress. Together with the account's net liquidation and day start it decides every
/// objective; O(1) memory, whatever the length of the history.
public struct EvaluationState: Sendable, Hashable {
    public var status: EvaluationStatus
    /// Profit is counted from this net liquidation value (the starting balance).
    public var baseline: Money
    /// Closed trade dates with at least one fill.
    public var tradingDays: Int64
    /// Whether the trade date in progress has a fill.
    public var tradedToday: Bool
    /// Closed trade dates whose net P&L reached the winning-day amount.
    public var winningDays: Int64
    /// The best closed trade date's net P&L (nil before the first closes).
    public var bestDay: Money?

    public init(baseline: Money, status: EvaluationStatus = .inProgress, tradingDays: Int64 = 0, tradedToday: Bool = false,
                winningDays: Int64 = 0, bestDay: Money? = nil) {
        self.status = status
        self.baseline = baseline
        self.tradingDays = tradingDays
        self.tradedToday = tradedToday
        self.winningDays = winningDays
        self.bestDay = bestDay
    }

    /// A trade date ends (at the next session open): its net P&L is `netLiq − dayStart`.
    mutating func closeDay(netLiq: Money, dayStart: Money, _ o: ObjectivesNode) {
        let pnl = netLiq - dayStart
        if tradedToday { tradingDays += 1 }
        if o.winningDays != nil, pnl >= o.winningDayAmount { winningDays += 1 }
        if bestDay.map({ pnl > $0 }) ?? true { bestDay = pnl }
        tradedToday = false
    }

    /// Every objective, so far, for the account as it stands.
    public func view(netLiq: Money, dayStart: Money, _ o: ObjectivesNode) -> ObjectiveView {
        let today = netLiq - dayStart
        let total = netLiq - baseline
        let best = max(bestDay ?? today, today)
        let days = tradingDays + (tradedToday ? 1 : 0)
        let winning = winningDays + (o.winningDays != nil && today >= o.winningDayAmount ? 1 : 0)
        var v = ObjectiveView(tradingDays: days, winningDays: winning, bestDay: best, totalProfit: total)
        if let t = o.profitTarget { v.profitTarget = total >= t }
        if let n = o.minTradingDays { v.minTradingDays = days >= n }
        if let n = o.winningDays { v.winningDaysMet = winning >= n }
        if let c = o.consistency { v.consistency = Self.consistent(best: best, total: total, c) }
        return v
    }

    /// best × denominator ≤ numerator × total, with a profit to be consistent about (total > 0).
    /// Double-width products: no overflow, no rounding.
    public static func consistent(best: Money, total: Money, _ c: Ratio) -> Bool {
        guard total.units > 0 else { return false }
        let lhs = best.units.multipliedFullWidth(by: c.denominator)
        let rhs = total.units.multipliedFullWidth(by: c.numerator)
        return lhs.high < rhs.high || (lhs.high == rhs.high && lhs.low <= rhs.low)
    }
}

/// The objectives so far: counts, the numbers behind consistency, and each objective's verdict
/// (nil when the template does not set it).
public struct ObjectiveView: Sendable, Hashable {
    public var tradingDays: Int64
    public var winningDays: Int64
    public var bestDay: Money
    public var totalProfit: Money
    public var profitTarget: Bool?
    public var minTradingDays: Bool?
    public var winningDaysMet: Bool?
    public var consistency: Bool?

    /// Every objective the template sets holds.
    public var allMet: Bool {
        [profitTarget, minTradingDays, winningDaysMet, consistency].allSatisfy { $0 ?? true }
    }
}

/// The evaluation as a step reports it: the status and the objectives after the step.
public struct EvaluationSnapshot: Sendable, Hashable {
    public var status: EvaluationStatus
    public var objectives: ObjectiveView
}
