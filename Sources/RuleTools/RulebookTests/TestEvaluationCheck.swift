import RuleBase
import RuleSemantics
import RuleEngine

extension ExpectationChecker {
    /// What did not hold of an evaluation expectation, in the test's words; nil when it held.
    func evaluationMismatch(_ a: TestEvaluationAssertion, _ snap: Snapshot, _ items: [DecisionItem]) -> String? {
        if case let .payout(wanted) = a {
            let ds = items.compactMap { if case let .payout(d) = $0 { return d } else { return nil } }
            guard let d = ds.last else { return "no payout at this event" }
            return d.paid == wanted ? nil : (d.paid ? "payout accepted" : "payout rejected")
                + (d.bestDay.map { " (best day \($0.rulebookText) of \((d.profit ?? .zero).rulebookText))" } ?? "")
        }
        guard let e = snap.evaluation else { return "no evaluation" }
        let o = e.objectives
        switch a {
        case let .status(s):
            return s.rawValue == e.status.name ? nil : "status \(e.status.name)"
        case let .met(objective, wanted):
            let held: Bool?
            switch objective {
            case .profitTarget: held = o.profitTarget
            case .minTradingDays: held = o.minTradingDays
            case .winningDays: held = o.winningDaysMet
            case .consistency: held = o.consistency
            }
            guard let h = held, h != wanted else { return nil }
            let detail: String
            switch objective {
            case .profitTarget: detail = "profit \(o.totalProfit.rulebookText)"
            case .minTradingDays: detail = "\(o.tradingDays) trading days"
            case .winningDays: detail = "\(o.winningDays) winning days"
            case .consistency: detail = "best day \(o.bestDay.rulebookText) of \(o.totalProfit.rulebookText)"
            }
            return (h ? "met " : "no met ") + objective.rawValue + " (\(detail))"
        case let .tradingDays(n):
            return o.tradingDays == n ? nil : "trading_days \(o.tradingDays)"
        case let .winningDays(n):
            return o.winningDays == n ? nil : "winning_days \(o.winningDays)"
        case .payout:
            return nil
        }
    }
}
