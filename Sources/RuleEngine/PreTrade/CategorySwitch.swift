import RuleBase
import RuleGraph

/// One market order the engine sends when a category switch leaves a position above the new
/// limits (domain.md §4.6, R-20).
public struct SwitchLiquidation: Sendable, Hashable {
    public enum Reason: Sendable, Hashable {
        /// The new category restricts the product: the whole position goes.
        case restricted
        /// Above the new long (or short) limit: reduced to the limit.
        case positionLimit(side: PositionSide, limit: Int64)
        /// Above a weighted group limit after the per-product reductions (group index in the category).
        case groupLimit(group: Int32)
    }
    public var product: Int32
    /// The liquidating order's side (sell to reduce a long).
    public var side: OrderSide
    public var quantity: Int64
    /// Net position before and after this liquidation.
    public var from: Int64
    public var to: Int64
    public var reason: Reason
    /// The new category's line that forced it.
    public var span: Span?
}

extension PreTradeCheck {
    /// The check with another risk category in force, from the instant of the switch on. The time
    /// period table is shared, not rebuilt.
    public func switching(to category: RiskCategoryNode?) -> PreTradeCheck {
        PreTradeCheck(graph: graph, category: category, policy: policy, schedule: schedule, zone: zone)
    }

    /// What a switch to this check's category liquidates, given the net positions by product index.
    ///
    /// Only the excess goes: a restricted product is flattened; a position above its side's
    /// limit is reduced to the limit. Then each weighted group still above its limit is brought down
    /// to it, taking whole contracts from the members with the largest weight first (the most risk
    /// per contract), ties by catalog order, and from each only as many as the remaining excess
    /// needs. Working orders are not part of the result. No lock follows; positions already within
    /// the limits are untouched. Deterministic: same positions, same liquidations, same order.
    public func liquidations(for positions: [Int64]) -> [SwitchLiquidation] {
        var out: [SwitchLiquidation] = []
        var pos = Array(positions.prefix(productCount))
        for p in pos.indices where pos[p] != 0 {
            let q = pos[p], r = rules[p]
            var target = q
            var reason = SwitchLiquidation.Reason.restricted
            var span: Span?
            if r.restricted {
                target = 0
                span = category?.restrictSpans[safe: p] ?? nil
            } else if q > r.longLimit {
                target = r.longLimit
                reason = .positionLimit(side: .long, limit: r.longLimit)
                span = category?.longLimitSpans[safe: p] ?? nil
            } else if q < 0, 0 &- q > r.shortLimit {
                target = 0 &- r.shortLimit
                reason = .positionLimit(side: .short, limit: r.shortLimit)
                span = category?.shortLimitSpans[safe: p] ?? nil
            }
            guard target != q else { continue }
            out.append(SwitchLiquidation(product: Int32(p), side: target < q ? .sell : .buy, quantity: Self.magnitude(q &- target),
                                   from: q, to: target, reason: reason, span: span))
            pos[p] = target
        }
        for (gi, g) in groups.enumerated() {
            var total: Int64 = 0
            for m in g.members where m.product < pos.count {
                total = Self.saturatingAdd(total, Self.saturatingMul(Self.magnitude(pos[m.product]), m.weight))
            }
            guard total > g.scaledLimit else { continue }
            var excess = total - g.scaledLimit
            let members = g.members.filter { $0.weight > 0 }.sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.product < $1.product }
            for m in members where excess > 0 && m.product < pos.count && pos[m.product] != 0 {
                let q = pos[m.product]
                let need = (excess + m.weight - 1) / m.weight
                let take = min(Self.magnitude(q), need)
                let target = q > 0 ? q - take : q + take
                out.append(SwitchLiquidation(product: Int32(m.product), side: q > 0 ? .sell : .buy, quantity: take, from: q, to: target,
                                       reason: .groupLimit(group: Int32(gi)), span: category?.groups[safe: gi]?.span))
                pos[m.product] = target
                excess = excess &- Self.saturatingMul(take, m.weight)
            }
        }
        return out
    }
}
