import RuleBase
import RuleSemantics

/// Lowers checked effective templates into rule graphs. Pure; assumes a rulebook without
/// errors (missing references are simply left out of the graph).
public enum Lowering {
    public static func lower(_ rulebook: CheckedRulebook) -> [RuleGraph] {
        rulebook.effectiveTemplates.map { lower($0, in: rulebook) }
    }

    public static func lower(_ t: EffectiveTemplate, in rb: CheckedRulebook) -> RuleGraph {
        var g = RuleGraph(template: t.name.value)
        g.startingBalance = t.startingBalance
        if let f = t.field(.doNotUnlock) {
            g.doNotUnlock = true
            g.doNotUnlockSpan = f.span
        }

        // Products: the whole catalog in symbol order, so indices are stable across templates.
        for sym in rb.products.keys.sorted() {
            guard let p = rb.products[sym], let pv = p.pointValue?.value else { continue }
            let day = p.dayMargin?.value ?? p.overnightMargin?.value ?? .zero
            g.products.append(ProductNode(symbol: sym, pointValue: pv, tick: p.tick?.value, dayMargin: day,
                                          overnightMargin: p.overnightMargin?.value ?? day, span: p.symbol.span))
        }

        // Post-trade tests: strongest tier first, then in source order within the tier.
        var nodes: [(node: ThresholdNode, span: Span, field: GraphField)] = []
        for f in t.thresholds {
            guard case let .threshold(tier, metric, percent) = f.key else { continue }
            let tk = TierKind(rawValue: UInt8(tier.rawValue)) ?? .alert
            let mk = MetricKind(rawValue: UInt8(metric.rawValue)) ?? .dailyLoss
            var n = ThresholdNode(op: .money, metric: mk, tier: tk, unlock: unlockRule(tk, metric, doNotUnlock: g.doNotUnlock),
                                  limit: 0, denominator: 1, weekly: metric.isWeekly,
                                  profit: metric == .dailyProfit || metric == .weeklyProfit)
            switch f.value {
            case let .money(m):
                n.limit = m.units
            case let .percent(r):
                // Reduced, so `80%` and `80.0%` lower to the same node.
                let g = gcd(r.numerator.magnitude, r.denominator.magnitude)
                n.op = metric == .margin ? .marginPercent : .percentOfStart
                n.limit = r.numerator / Int64(g)
                n.denominator = r.denominator / Int64(g)
            default: continue
            }
            nodes.append((n, f.span, GraphField(tier: tk, metric: mk, percent: percent)))
        }
        if let amount = t.trailingAmount, let f = t.field(.trailingAmount) {
            g.trailing = TrailingNode(amount: amount, cap: t.trailingCap,
                                      mode: t.trailingMode == .realTime ? .realTime : .endOfDay,
                                      span: f.span, modeSpan: t.field(.trailingMode)?.span, capSpan: t.field(.trailingCap)?.span)
            let n = ThresholdNode(op: .trailing, metric: .trailing, tier: .autoLiquidate, unlock: .permanent,
                                  limit: amount.units, denominator: 1, weekly: false, profit: false)
            nodes.append((n, f.span, GraphField(tier: .autoLiquidate, metric: .trailing, percent: false)))
        }
        let ordered = nodes.enumerated().sorted { a, b in
            if a.element.node.tier != b.element.node.tier { return a.element.node.tier > b.element.node.tier }
            // The trailing drawdown closes its tier wherever it is written, so layout never
            // changes the decision order.
            let ta = a.element.node.op == .trailing, tb = b.element.node.op == .trailing
            if ta != tb { return tb }
            let sa = a.element.span, sb = b.element.span
            // Declaration order: the file loaded first, then the position in it.
            if sa.file != sb.file { return sa.file < sb.file }
            if sa.start != sb.start { return sa.start < sb.start }
            return a.offset < b.offset
        }.map(\.element)
        g.tests = ordered.map(\.node)
        g.testSpans = ordered.map(\.span)
        g.testFields = ordered.map(\.field)

        if let f = t.field(.flattenAt), case let .dateTime(dt) = f.value {
            g.flattenAt = FlattenNode(at: dt, span: f.span)
        }
        if let name = t.calendarName, let c = rb.calendars[name] {
            var early: [CivilDate: TimeOfDay] = [:]
            for e in c.earlyCloses { early[e.date] = e.time }
            g.calendar = CalendarNode(name: name, timezone: c.timezone?.value ?? "UTC",
                                      tradingDayStarts: c.effectiveTradingDayStarts, weekStartDay: c.effectiveWeekStartDay,
                                      weekStartTime: c.effectiveWeekStartTime, endOfDay: c.effectiveEndOfDay,
                                      holidays: c.holidays.map(\.value).sorted(), earlyCloses: early, span: c.name.span)
        }
        g.categories = rb.riskCategories.keys.sorted().compactMap { rb.riskCategories[$0] }
            .map { lowerCategory($0, products: g.products) }
        if let name = t.riskCategoryName {
            g.riskCategory = g.categories.first { $0.name == name }
        }
        if let name = t.timePeriodName, let tp = rb.timePeriods[name], let start = tp.start?.value, let stop = tp.stop?.value {
            g.timePeriod = TimePeriodNode(name: name, start: start, stop: stop,
                                          overrides: tp.overrides.sorted { $0.date < $1.date }.map {
                                              .init(date: $0.date, start: $0.start ?? start, stop: $0.stop ?? stop, span: $0.span)
                                          }, span: tp.name.span)
        }
        g.firm = lowerFirm(t, products: g.products)
        return g
    }

    static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 { b == 0 ? max(a, 1) : gcd(b, a % b) }

    /// How a breach of `tier` on `metric` ends (domain.md §2.2, §3.1, R-8, R-9, R-16).
    public static func unlockRule(_ tier: TierKind, _ metric: Metric, doNotUnlock: Bool) -> UnlockRule {
        switch tier {
        case .alert: return .none
        case .liquidateOnly, .autoLiquidate:
            switch metric {
            case .margin: return .stateBased
            case .weeklyLoss, .weeklyProfit: return .nextWeekStart
            case .dailyLoss: return tier == .autoLiquidate && doNotUnlock ? .manual : .nextSessionOpen
            case .dailyProfit: return .nextSessionOpen
            }
        }
    }

    public static func lowerCategory(_ rc: RiskCategoryDef, products: [ProductNode]) -> RiskCategoryNode {
        let n = products.count
        var node = RiskCategoryNode(name: rc.name.value, longLimit: Array(repeating: .max, count: n),
                                    shortLimit: Array(repeating: .max, count: n), restricted: Array(repeating: false, count: n),
                                    longLimitSpans: Array(repeating: nil, count: n),
                                    shortLimitSpans: Array(repeating: nil, count: n), restrictSpans: Array(repeating: nil, count: n),
                                    groups: [], span: rc.name.span)
        func index(_ s: String) -> Int? { products.firstIndex { $0.symbol == s } }
        for l in rc.limits {
            guard let i = index(l.product.value) else { continue }
            if let v = l.long { node.longLimit[i] = v }
            if let v = l.short { node.shortLimit[i] = v }
            node.longLimitSpans[i] = l.longSpan
            node.shortLimitSpans[i] = l.shortSpan
        }
        for r in rc.restricted {
            guard let i = index(r.value) else { continue }
            node.restricted[i] = true
            node.restrictSpans[i] = r.span
        }
        for grp in rc.groups {
            // The fewest decimals that represent every weight, so `0.10` and `0.1` lower alike.
            let scale = grp.members.map { m -> Int in
                var d = m.weight.mantissa, k = Int(m.weight.scale)
                while k > 0 && d % 10 == 0 { d /= 10; k -= 1 }
                return k
            }.max() ?? 0
            let den = Int64.pow10(scale)
            var weights = Array(repeating: Int64(0), count: n)
            for m in grp.members {
                guard let i = index(m.product.value) else { continue }
                weights[i] = m.weight.scaled(to: UInt8(scale)) ?? 0
            }
            node.groups.append(GroupNode(name: grp.name.value, scaledLimit: grp.limit.value &* den, denominator: den,
                                         scaledWeights: weights, span: grp.name.span))
        }
        return node
    }
}
