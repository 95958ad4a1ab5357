import RuleBase
import RuleSemantics

/// Directions of the firm rules (issue 13): a higher profit target, more required days, a
/// stricter consistency percent, smaller scaling tiers, wider news windows, earlier flat-by
/// times and a smaller open-loss limit tighten.
enum FirmDirection {
    static func field(_ k: FirmKey, old: SettingValue?, new: SettingValue?) -> (Direction, String) {
        let added = old == nil, removed = new == nil
        switch k {
        case .profitTarget:
            if added { return (.tightens, "an evaluation now needs this profit to pass") }
            if removed { return (.loosens, "no profit target: the other objectives alone pass the evaluation") }
            guard let c = DirectionRules.compare(old, new) else { return (.neutral, "the target changes unit") }
            return c > 0 ? (.tightens, "higher target: the evaluation passes later") : (.loosens, "lower target: the evaluation passes sooner")
        case .minTradingDays:
            if added { return (.tightens, "an evaluation now needs this many trading days") }
            if removed { return (.loosens, "no minimum of trading days") }
            guard case let .firm(.days(a))? = old, case let .firm(.days(b))? = new else { return (.neutral, "changed") }
            return b > a ? (.tightens, "more trading days required") : (.loosens, "fewer trading days required")
        case .winningDays:
            if added { return (.tightens, "an evaluation now needs winning days") }
            if removed { return (.loosens, "no winning days required") }
            guard case let .firm(.winningDays(n0, m0))? = old, case let .firm(.winningDays(n1, m1))? = new else { return (.neutral, "changed") }
            if n1 >= n0 && m1 >= m0 { return (.tightens, "more winning days, or a higher amount for one") }
            if n1 <= n0 && m1 <= m0 { return (.loosens, "fewer winning days, or a lower amount for one") }
            return (.neutral, "more days at a lower amount, or fewer at a higher one")
        case .consistency:
            if added { return (.tightens, "the best day may make at most this share of the profit") }
            if removed { return (.loosens, "no consistency rule") }
            guard let c = DirectionRules.compare(old, new) else { return (.neutral, "changed") }
            return c < 0 ? (.tightens, "stricter: the best day may be a smaller share of the profit")
                         : (.loosens, "looser: the best day may be a larger share of the profit")
        case .scalingPlan:
            if added { return (.tightens, "contracts now limited by the end-of-day profit tier") }
            if removed { return (.loosens, "no scaling plan: only the risk category limits contracts") }
            guard case let .firm(.scalingPlan(a))? = old, case let .firm(.scalingPlan(b))? = new else { return (.neutral, "changed") }
            return scaling(a, b)
        case .newsWindows:
            if added { return (.tightens, "orders rejected around the listed news") }
            if removed { return (.loosens, "no news windows") }
            guard case let .firm(.newsWindows(a))? = old, case let .firm(.newsWindows(b))? = new else { return (.neutral, "changed") }
            return news(a, b)
        case .flatBy:
            if added { return (.tightens, "products must be flat by their times") }
            if removed { return (.loosens, "no flat-by times") }
            guard case let .firm(.flatBy(a))? = old, case let .firm(.flatBy(b))? = new else { return (.neutral, "changed") }
            let oldTimes = Dictionary(a.map { ($0.product.value, $0.time) }, uniquingKeysWith: { x, _ in x })
            let newTimes = Dictionary(b.map { ($0.product.value, $0.time) }, uniquingKeysWith: { x, _ in x })
            let tighter = oldTimes.allSatisfy { p, t in newTimes[p].map { $0 <= t } ?? false }
            let looser = newTimes.allSatisfy { p, t in oldTimes[p].map { t >= $0 } ?? false }
            if tighter && !looser { return (.tightens, "earlier flat-by times, or more products") }
            if looser && !tighter { return (.loosens, "later flat-by times, or fewer products") }
            return (.neutral, "flat-by times move both ways")
        case .payoutConsistency:
            if added { return (.tightens, "a payout needs consistency since the last payout") }
            if removed { return (.loosens, "payouts without a consistency condition") }
            guard let c = DirectionRules.compare(old, new) else { return (.neutral, "changed") }
            return c < 0 ? (.tightens, "stricter payout consistency") : (.loosens, "looser payout consistency")
        case .maxPositionLoss:
            if added { return (.tightens, "a losing position is closed at this open loss") }
            if removed { return (.loosens, "no open-loss limit per position") }
            guard let c = DirectionRules.compare(old, new) else { return (.neutral, "the limit changes unit") }
            return c < 0 ? (.tightens, "lower limit: losing positions closed sooner") : (.loosens, "higher limit: losing positions held longer")
        }
    }

    /// Contracts allowed at each profit that matters (every tier's amount and just above it).
    static func scaling(_ a: ScalingPlanDef, _ b: ScalingPlanDef) -> (Direction, String) {
        func allowed(_ p: ScalingPlanDef, _ profit: Money) -> Int64 {
            var n = p.tiers.first?.contracts ?? 0
            for t in p.tiers { if let x = t.above, profit > x { n = t.contracts } else if t.above == nil { n = t.contracts } }
            return n
        }
        let points = Set((a.tiers + b.tiers).compactMap(\.above).flatMap { [$0, $0 + Money(units: 1)] } + [Money.zero]).sorted()
        var fewer = false, more = false
        for p in points {
            let x = allowed(a, p), y = allowed(b, p)
            if y < x { fewer = true }
            if y > x { more = true }
        }
        let weightsA = Dictionary(a.members.map { ($0.product.value, $0.weight) }, uniquingKeysWith: { x, _ in x })
        let weightsB = Dictionary(b.members.map { ($0.product.value, $0.weight) }, uniquingKeysWith: { x, _ in x })
        for (p, w) in weightsB {
            guard let v = weightsA[p] else { fewer = true; continue } // a product newly counted
            if DirectionRules.less(v, w) { fewer = true } else if DirectionRules.less(w, v) { more = true }
        }
        for p in weightsA.keys where weightsB[p] == nil { more = true }
        if fewer && !more { return (.tightens, "smaller tiers: fewer contracts at some profit") }
        if more && !fewer { return (.loosens, "larger tiers: more contracts at some profit") }
        if !more && !fewer { return (.neutral, "same contracts at every profit") }
        return (.neutral, "more contracts at some profits, fewer at others")
    }

    static func news(_ a: NewsWindowsDef, _ b: NewsWindowsDef) -> (Direction, String) {
        func key(_ e: NewsWindowsDef.News) -> [String] { e.products.map { "\(e.at.instant.map { "\($0.millis)" } ?? e.at.description) \($0.value)" } }
        let ea = Set(a.events.flatMap(key)), eb = Set(b.events.flatMap(key))
        let wider = b.beforeMinutes >= a.beforeMinutes && b.afterMinutes >= a.afterMinutes && eb.isSuperset(of: ea) && (b.flatten || !a.flatten)
        let narrower = b.beforeMinutes <= a.beforeMinutes && b.afterMinutes <= a.afterMinutes && eb.isSubset(of: ea) && (a.flatten || !b.flatten)
        if wider && !narrower { return (.tightens, "wider windows, more news or products, or flattening at the start") }
        if narrower && !wider { return (.loosens, "narrower windows, fewer news or products, or no flattening") }
        if wider && narrower { return (.neutral, "same windows") }
        return (.neutral, "windows move both ways")
    }
}
