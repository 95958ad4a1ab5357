import RuleBase

/// Renders a rule graph for people (`--emit graph`) and for Graphviz (`--emit dot`).
public enum GraphPrinter {
    /// Maps a span to `file:line` for the printed graph.
    public typealias Locate = (Span) -> String

    public static func text(_ g: RuleGraph, locate: Locate) -> String {
        var out = "template \(g.template)\n"
        out += "  inputs: account state (balances, positions, marks, high-water mark), clock, order\n"
        if let sb = g.startingBalance { out += "  starting_balance \(sb.rulebookText)\n" }
        if let c = g.calendar {
            out += "  calendar \(c.name): \(c.timezone), trading day starts \(c.tradingDayStarts), week starts \(c.weekStartDay) \(c.weekStartTime), end of day \(c.endOfDay), \(c.holidays.count) holidays  [\(locate(c.span))]\n"
        }
        let metrics = Set(g.tests.map(\.metric)).sorted { $0.rawValue < $1.rawValue }
        out += "  metrics: " + metrics.map { metricFormula($0, g) }.joined(separator: "; ") + "\n"
        out += "  tests (decision order):\n"
        for (i, t) in g.tests.enumerated() {
            out += "    t\(i) \(t.tier) \(testText(t, g)) -> \(actionText(t.tier)), unlock \(t.unlock)  [\(locate(g.testSpans[i]))]\n"
        }
        if let f = g.flattenAt { out += "  flatten_at \(f.at) -> flatten and cancel once  [\(locate(f.span))]\n" }
        if g.doNotUnlock, let s = g.doNotUnlockSpan { out += "  do_not_unlock: daily-loss auto-liquidation locks until an admin `Normal`  [\(locate(s))]\n" }
        if let tp = g.timePeriod {
            out += "  time_period \(tp.name): [\(tp.start), \(tp.stop)) flatten at start, reject orders until stop  [\(locate(tp.span))]\n"
            for o in tp.overrides { out += "    on \(o.date): [\(o.start), \(o.stop))  [\(locate(o.span))]\n" }
        }
        if let rc = g.riskCategory {
            out += "  risk_category \(rc.name)  [\(locate(rc.span))]\n"
            for (i, p) in g.products.enumerated() {
                if rc.restricted[i] { out += "    \(p.symbol): restricted\n" }
                if rc.longLimit[i] != .max || rc.shortLimit[i] != .max {
                    out += "    \(p.symbol): long ≤ \(lim(rc.longLimit[i])), short ≤ \(lim(rc.shortLimit[i]))\n"
                }
            }
            for grp in rc.groups {
                let members = g.products.indices.filter { grp.scaledWeights[$0] != 0 }.map {
                    "\(weightText(grp.scaledWeights[$0], grp.denominator))×|\(g.products[$0].symbol)|"
                }
                out += "    group \(grp.name): \(members.joined(separator: " + ")) ≤ \(grp.scaledLimit / grp.denominator)\n"
            }
        }
        return out
    }

    public static func dot(_ graphs: [RuleGraph], locate: Locate) -> String {
        var out = "digraph rulec {\n  rankdir=LR;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
        for (gi, g) in graphs.enumerated() {
            let p = "g\(gi)_"
            out += "  subgraph cluster_\(gi) {\n    label=\(quote("template \(g.template)"));\n"
            out += "    \(p)state [shape=cylinder, label=\"account state\\n+ clock\"];\n"
            let metrics = Set(g.tests.map(\.metric)).sorted { $0.rawValue < $1.rawValue }
            for m in metrics {
                out += "    \(p)m_\(m) [shape=ellipse, label=\(quote(metricFormula(m, g)))];\n"
                out += "    \(p)state -> \(p)m_\(m);\n"
            }
            for tier in [TierKind.alert, .liquidateOnly, .autoLiquidate] where g.tests.contains(where: { $0.tier == tier }) {
                out += "    \(p)tier_\(tier) [shape=box, style=filled, fillcolor=\(tierColor(tier)), label=\(quote("\(tier)\n\(actionText(tier))"))];\n"
            }
            for (i, t) in g.tests.enumerated() {
                out += "    \(p)t\(i) [shape=diamond, label=\(quote("\(testText(t, g))\n\(locate(g.testSpans[i]))"))];\n"
                out += "    \(p)m_\(t.metric) -> \(p)t\(i);\n"
                out += "    \(p)t\(i) -> \(p)tier_\(t.tier) [label=\(quote("unlock: \(t.unlock)"))];\n"
            }
            out += "  }\n"
        }
        return out + "}\n"
    }

    static func weightText(_ scaled: Int64, _ den: Int64) -> String {
        var m = scaled, scale = digits(den)
        while scale > 0 && m % 10 == 0 { m /= 10; scale -= 1 }
        return DecimalNumber.format(m, scale: scale, group: false)
    }

    static func lim(_ v: Int64) -> String { v == .max ? "∞" : String(v) }
    static func digits(_ den: Int64) -> Int { var d = den, k = 0; while d > 1 { d /= 10; k += 1 }; return k }

    static func metricFormula(_ m: MetricKind, _ g: RuleGraph) -> String {
        switch m {
        case .dailyLoss: return "daily_loss = day start − net liq"
        case .weeklyLoss: return "weekly_loss = week start − net liq"
        case .dailyProfit: return "daily_profit = net liq − day start"
        case .weeklyProfit: return "weekly_profit = net liq − week start"
        case .margin: return "margin = margin used ÷ net liq"
        case .trailing:
            let mode = g.trailing?.mode == .realTime ? "real_time" : "end_of_day"
            let cap = g.trailing?.cap.map { ", \($0.rulebookText)" } ?? ""
            return "trailing level = min(high-water mark − \(g.trailing?.amount.rulebookText ?? "?")\(cap)) (\(mode))"
        }
    }

    static func testText(_ t: ThresholdNode, _ g: RuleGraph) -> String {
        switch t.op {
        case .money: return "\(t.metric) ≥ \(Money(units: t.limit).rulebookText)"
        case .percentOfStart:
            return "\(t.metric) ≥ \(Ratio(numerator: t.limit, denominator: t.denominator)) of \(t.weekly ? "week" : "day") start"
        case .marginPercent: return "margin ≥ \(Ratio(numerator: t.limit, denominator: t.denominator)) of net liq"
        case .trailing: return "net liq ≤ trailing level"
        }
    }

    static func actionText(_ tier: TierKind) -> String {
        switch tier {
        case .alert: return "notify"
        case .liquidateOnly: return "reducing orders only"
        case .autoLiquidate: return "flatten and lock"
        }
    }

    static func tierColor(_ tier: TierKind) -> String {
        tier == .alert ? "lightyellow" : tier == .liquidateOnly ? "orange" : "tomato"
    }

    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in s {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out + "\""
    }
}
