import RuleBase
import RuleSemantics
import RuleGraph
import RuleEngine

extension CoverageTracker {
    /// Marks the firm rules a step exercised: an objective when it comes to hold, the scaling
    /// plan when its tier changes or it rejects an order, the news windows when they reject an
    /// order or close positions, `max_position_loss` when it closes a position.
    func markFirm(_ items: ArraySlice<DecisionItem>, _ s: Snapshot, _ before: Snapshot, _ table: inout CoverageTable) {
        func mark(_ k: FirmKey) { table.exercised.insert(CoverageKey.field(.firm(k))) }
        if let now = s.evaluation?.objectives {
            let was = before.evaluation?.objectives
            if now.profitTarget == true && was?.profitTarget != true { mark(.profitTarget) }
            if now.minTradingDays == true && was?.minTradingDays != true { mark(.minTradingDays) }
            if now.winningDaysMet == true && was?.winningDaysMet != true { mark(.winningDays) }
            if now.consistency == true && was?.consistency != true { mark(.consistency) }
        }
        for item in items {
            switch item {
            case .scalingTier: mark(.scalingPlan)
            case .payout(let d) where d.bestDay != nil: mark(.payoutConsistency)
            case .flatten(.firm(.newsWindow)): mark(.newsWindows)
            case .flatten(.firm(.flatBy)): mark(.flatBy)
            case .flatten(.firm(.positionLoss)): mark(.maxPositionLoss)
            case .order(_, .rejected(let r)):
                if r.kind == .scalingPlan { mark(.scalingPlan) }
                if r.kind == .newsWindow { mark(.newsWindows) }
            default: break
            }
        }
    }
}
