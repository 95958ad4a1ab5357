import RuleBase
import RuleSemantics

/// The firm rules of one template, lowered: evaluation objectives, the scaling plan, news
/// windows, flat-by times and the open-loss limit per position. Every amount is resolved to
/// exact money here (a percent target against the starting balance, a percent open-loss limit
/// against the trailing drawdown amount), so the engine compares integers only.
public struct FirmRulesNode: Sendable, Hashable {
    public var objectives: ObjectivesNode?
    public var scalingPlan: ScalingPlanNode?
    public var newsWindows: NewsWindowsNode?
    /// Per product with a flat-by time, in product order.
    public var flatBy: [FlatByNode] = []
    public var maxPositionLoss: PositionLossNode?
    /// A payout needs best day × denominator ≤ numerator × profit, both since the last payout.
    public var payoutConsistency: Ratio?
    public var payoutConsistencySpan: Span?

    public init() {}

    /// True when the template has no firm rule at all (the engine skips every firm step).
    public var isEmpty: Bool {
        objectives == nil && scalingPlan == nil && newsWindows == nil && flatBy.isEmpty && maxPositionLoss == nil
            && payoutConsistency == nil
    }

    func withoutSpans() -> FirmRulesNode {
        let blank = Span(file: FileID(0), start: 0, end: 0)
        var f = self
        if var o = f.objectives {
            o.profitTargetSpan = o.profitTargetSpan.map { _ in blank }
            o.minTradingDaysSpan = o.minTradingDaysSpan.map { _ in blank }
            o.winningDaysSpan = o.winningDaysSpan.map { _ in blank }
            o.consistencySpan = o.consistencySpan.map { _ in blank }
            f.objectives = o
        }
        if var p = f.scalingPlan {
            p.span = blank
            p.tiers = p.tiers.map { var t = $0; t.span = blank; return t }
            f.scalingPlan = p
        }
        if var w = f.newsWindows {
            w.span = blank
            w.events = w.events.map { var e = $0; e.span = blank; return e }
            f.newsWindows = w
        }
        f.flatBy = flatBy.map { var x = $0; x.span = blank; return x }
        f.maxPositionLoss?.span = blank
        f.payoutConsistencySpan = f.payoutConsistencySpan.map { _ in blank }
        return f
    }
}

/// What an evaluation must reach before it passes (README "Evaluation objectives").
public struct ObjectivesNode: Sendable, Hashable {
    /// Net liquidation − starting balance must reach this (a percent target already resolved).
    public var profitTarget: Money?
    public var profitTargetSpan: Span?
    /// Trade dates with at least one fill.
    public var minTradingDays: Int64?
    public var minTradingDaysSpan: Span?
    /// Trade dates whose net P&L is at least `winningDayAmount`.
    public var winningDays: Int64?
    public var winningDayAmount: Money
    public var winningDaysSpan: Span?
    /// best day × denominator ≤ numerator × total profit.
    public var consistency: Ratio?
    public var consistencySpan: Span?
}

/// Contract limits by end-of-day profit tier, counted over member products by weight.
public struct ScalingPlanNode: Sendable, Hashable {
    public struct Tier: Sendable, Hashable {
        /// The tier applies when the end-of-day profit is strictly above this (nil: the first tier).
        public var above: Money?
        /// contracts × `denominator`.
        public var scaledLimit: Int64
        public var contracts: Int64
        public var span: Span
    }
    /// Ascending; tier 0 has `above == nil`.
    public var tiers: [Tier]
    /// Per product index: weight × denominator (0 when the plan does not count the product).
    public var scaledWeights: [Int64]
    public var denominator: Int64
    public var span: Span

    /// The tier for an end-of-day profit: the last whose `above` the profit strictly exceeds.
    public func tier(forProfit p: Money) -> Int {
        var k = 0
        for (i, t) in tiers.enumerated() { if let a = t.above, p > a { k = i } }
        return k
    }
}

/// News events with their windows `[at − before, at + after)`.
public struct NewsWindowsNode: Sendable, Hashable {
    public struct News: Sendable, Hashable {
        public var at: LocalDateTime
        /// Per product index: affected.
        public var affects: [Bool]
        public var span: Span
    }
    public var beforeMillis: Int64
    public var afterMillis: Int64
    public var flatten: Bool
    public var events: [News]
    public var span: Span
}

public struct FlatByNode: Sendable, Hashable {
    public var product: Int32
    public var time: TimeOfDay
    public var span: Span
}

public struct PositionLossNode: Sendable, Hashable {
    /// A position is liquidated when its open loss reaches this (money; a percent resolved).
    public var limit: Money
    public var span: Span
}

extension Lowering {
    static func lowerFirm(_ t: EffectiveTemplate, products: [ProductNode]) -> FirmRulesNode {
        var node = FirmRulesNode()
        func index(_ s: String) -> Int? { products.firstIndex { $0.symbol == s } }
        if t.isEvaluation {
            var o = ObjectivesNode(winningDayAmount: .zero)
            if let f = t.firm(.profitTarget) {
                switch f.value {
                case let .money(m): o.profitTarget = m
                case let .percent(r): o.profitTarget = t.startingBalance.map { r.of($0) }
                default: break
                }
                o.profitTargetSpan = f.span
            }
            if let f = t.firm(.minTradingDays), case let .firm(.days(n)) = f.value {
                o.minTradingDays = n
                o.minTradingDaysSpan = f.span
            }
            if let f = t.firm(.winningDays), case let .firm(.winningDays(n, m)) = f.value {
                o.winningDays = n
                o.winningDayAmount = m
                o.winningDaysSpan = f.span
            }
            if let f = t.firm(.consistency), case let .percent(r) = f.value {
                let g = gcd(r.numerator.magnitude, r.denominator.magnitude)
                o.consistency = Ratio(numerator: r.numerator / Int64(g), denominator: r.denominator / Int64(g))
                o.consistencySpan = f.span
            }
            node.objectives = o
        }
        if let f = t.firm(.scalingPlan), case let .firm(.scalingPlan(p)) = f.value {
            let scale = p.members.map { m -> Int in
                var d = m.weight.mantissa, k = Int(m.weight.scale)
                while k > 0 && d % 10 == 0 { d /= 10; k -= 1 }
                return k
            }.max() ?? 0
            let den = Int64.pow10(scale)
            var weights = Array(repeating: Int64(0), count: products.count)
            for m in p.members {
                guard let i = index(m.product.value) else { continue }
                weights[i] = m.weight.scaled(to: UInt8(scale)) ?? 0
            }
            node.scalingPlan = ScalingPlanNode(
                tiers: p.tiers.map { .init(above: $0.above, scaledLimit: $0.contracts &* den, contracts: $0.contracts, span: $0.span) },
                scaledWeights: weights, denominator: den, span: p.span)
        }
        if let f = t.firm(.newsWindows), case let .firm(.newsWindows(w)) = f.value {
            node.newsWindows = NewsWindowsNode(
                beforeMillis: w.beforeMinutes * 60_000, afterMillis: w.afterMinutes * 60_000, flatten: w.flatten,
                events: w.events.map { e in
                    var affects = Array(repeating: false, count: products.count)
                    for p in e.products { if let i = index(p.value) { affects[i] = true } }
                    return .init(at: e.at, affects: affects, span: e.span)
                }, span: w.span)
        }
        if let f = t.firm(.flatBy), case let .firm(.flatBy(list)) = f.value {
            node.flatBy = list.compactMap { l in index(l.product.value).map { FlatByNode(product: Int32($0), time: l.time, span: l.span) } }
                .sorted { $0.product < $1.product }
        }
        if let f = t.firm(.payoutConsistency), case let .percent(r) = f.value {
            let g = gcd(r.numerator.magnitude, r.denominator.magnitude)
            node.payoutConsistency = Ratio(numerator: r.numerator / Int64(g), denominator: r.denominator / Int64(g))
            node.payoutConsistencySpan = f.span
        }
        if let f = t.firm(.maxPositionLoss) {
            switch f.value {
            case let .money(m): node.maxPositionLoss = PositionLossNode(limit: m, span: f.span)
            case let .percent(r):
                if let d = t.trailingAmount { node.maxPositionLoss = PositionLossNode(limit: r.of(d), span: f.span) }
            default: break
            }
        }
        return node
    }
}
