import RuleBase
import RuleGraph

/// What payout consistency counts: profit since `baseline` (net liquidation at the start or
/// right after the last payout) and the best trade date since then.
public struct PayoutWindow: Sendable, Hashable {
    /// nil: the template's starting balance (else the balance at the start).
    public var baseline: Money?
    /// The best closed trade date's P&L since the last payout.
    public var bestDay: Money?
    /// On the trade date of a payout, that day's P&L counts from net liquidation right after it.
    public var dayBase: Money?
    public init() {}
}

/// A payout event's outcome.
public struct PayoutDecision: Sendable, Hashable {
    public var amount: Money
    public var paid: Bool
    /// The numbers behind the payout consistency (nil without the rule).
    public var bestDay: Money?
    public var profit: Money?
}

extension PostTradeEngine {
    /// Pays `amount` out of the balance unless `payout { consistency X% }` refuses it: the best
    /// trade date since the last payout must be at most X% of the profit since it, and the
    /// amount at most that profit. A payout lowers the day's and the week's starting balance by
    /// the same amount (a withdrawal is not a loss); the high-water mark stays.
    mutating func payout(_ amount: Money, _ out: inout Outcome) {
        var d = PayoutDecision(amount: amount, paid: true)
        if let c = graph.firm.payoutConsistency {
            let base = firm.payoutWindow.baseline ?? Self.baseline(graph, account)
            let today = account.netLiq - (firm.payoutWindow.dayBase ?? account.dayStart)
            let best = max(firm.payoutWindow.bestDay ?? today, today)
            let profit = account.netLiq - base
            d.bestDay = best
            d.profit = profit
            d.paid = amount <= profit && EvaluationState.consistent(best: best, total: profit, c)
        }
        if d.paid {
            account.adjustBalance(Money.zero - amount)
            account.setDayStart(account.dayStart - amount)
            account.setWeekStart(account.weekStart - amount)
            firm.payoutWindow = PayoutWindow()
            firm.payoutWindow.baseline = account.netLiq
            firm.payoutWindow.dayBase = account.netLiq
        }
        out.append(.payout(d))
    }

    /// A trade date closes for the payout window (at the next session open).
    mutating func payoutCloseDay() {
        guard graph.firm.payoutConsistency != nil else { return }
        let pnl = account.netLiq - (firm.payoutWindow.dayBase ?? account.dayStart)
        if firm.payoutWindow.bestDay.map({ pnl > $0 }) ?? true { firm.payoutWindow.bestDay = pnl }
        firm.payoutWindow.dayBase = nil
    }
}
