import RuleBase
import RuleGraph
import RuleEngine
import RuleCodecs

/// The numbers a chart needs, one point per step, and the breaches to mark.
struct ChartData {
    let setup: EngineSetup
    var times: [Int64] = []
    var netLiq: [Int64] = []
    var dayStart: [Int64] = []
    var weekStart: [Int64] = []
    var level: [Int64] = []
    var breaches: [(time: Int64, netLiq: Int64, test: Int32, tier: TierKind)] = []

    init(setup: EngineSetup) { self.setup = setup }

    mutating func add(_ n: Snapshot, at t: Instant, items: ArraySlice<DecisionItem>) {
        times.append(t.millis)
        netLiq.append(n.netLiq.units)
        dayStart.append(n.dayStart.units)
        weekStart.append(n.weekStart.units)
        level.append(n.trailingLevel?.units ?? .min)
        for case .breach(let b) in items {
            breaches.append((t.millis, n.netLiq.units, b.test, b.tier))
        }
    }

    /// The net liquidation value at which test `i` is reached, at point `k`; nil for margin tests.
    func threshold(_ i: Int, _ k: Int) -> Int64? {
        let t = setup.graph.tests[i]
        let start = t.weekly ? weekStart[k] : dayStart[k]
        let amount: Int64
        switch t.op {
        case .money: amount = t.limit
        case .percentOfStart: amount = Ratio(numerator: t.limit, denominator: max(t.denominator, 1)).of(Money(units: start)).units
        case .marginPercent: return nil
        case .trailing: return level[k] == .min ? nil : level[k]
        }
        return t.profit ? start &+ amount : start &- amount
    }
}

/// A self-contained HTML page: an SVG chart of net liquidation value against every threshold
/// line over time, breaches marked, and a legend with the rulebook lines. No scripts, no links.
enum HTMLChart {
    static func escape(_ s: String) -> String {
        var o = ""
        for c in s {
            switch c {
            case "<": o += "&lt;"
            case ">": o += "&gt;"
            case "&": o += "&amp;"
            case "\"": o += "&quot;"
            default: o.append(c)
            }
        }
        return o
    }

    /// A round tick step in money units at least `raw`: 1, 2 or 5 × 10^k whole dollars.
    static func niceStep(_ raw: Int64) -> Int64 {
        var unit = Money.scale   // one dollar
        while true {
            for m: Int64 in [1, 2, 5] where unit * m >= raw { return unit * m }
            guard unit < Int64.max / 100 else { return unit }
            unit *= 10
        }
    }

    static func color(_ tier: TierKind, trailing: Bool) -> String {
        if trailing { return "#7b3fbf" }
        switch tier {
        case .alert: return "#d4a017"
        case .liquidateOnly: return "#e07b00"
        case .autoLiquidate: return "#c62828"
        }
    }

    static func page(_ d: ChartData, setup: EngineSetup) -> String {
        let g = setup.graph
        let width = 1000.0, height = 460.0, left = 90.0, right = 20.0, top = 20.0, bottom = 40.0
        // Points to draw: at most ~4,000, evenly strided.
        let n = d.times.count
        let stride = max(1, n / 4000)
        var idx = Array(Swift.stride(from: 0, to: n, by: stride))
        if let lastIndex = idx.last, lastIndex != n - 1, n > 0 { idx.append(n - 1) }
        var lo = Int64.max, hi = Int64.min
        for k in idx {
            lo = min(lo, d.netLiq[k]); hi = max(hi, d.netLiq[k])
            for i in g.tests.indices { if let v = d.threshold(i, k) { lo = min(lo, v); hi = max(hi, v) } }
        }
        if lo == .max { lo = 0; hi = 1 }
        if hi == lo { hi = lo + 10_000 * 100 }
        let pad = (hi - lo) / 20
        lo -= pad; hi += pad
        let t0 = d.times.first ?? 0, t1 = max(d.times.last ?? 1, t0 + 1)
        func x(_ t: Int64) -> String { fmt(left + (width - left - right) * Double(t - t0) / Double(t1 - t0)) }
        func y(_ v: Int64) -> String { fmt(top + (height - top - bottom) * (1 - Double(v - lo) / Double(hi - lo))) }
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\" font-size=\"11\">\n"
        svg += "<rect x=\"\(Int(left))\" y=\"\(Int(top))\" width=\"\(Int(width - left - right))\" height=\"\(Int(height - top - bottom))\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n"
        // Y axis: round money ticks (a step of 1, 2 or 5 × 10^k dollars, about five of them),
        // each with a light grid line.
        let step = niceStep((hi - lo) / 5)
        var tick = (lo / step + (lo % step > 0 ? 1 : 0)) * step
        while tick <= hi {
            svg += "<line x1=\"\(Int(left))\" x2=\"\(Int(width - right))\" y1=\"\(y(tick))\" y2=\"\(y(tick))\" stroke=\"#eee\"/>\n"
            let label = Money(units: tick).formatted().replacingOccurrences(of: ".00", with: "")
            svg += "<text x=\"\(Int(left) - 6)\" y=\"\(y(tick))\" text-anchor=\"end\" dominant-baseline=\"middle\">\(escape(label))</text>\n"
            tick += step
        }
        // X axis: first and last instant in the calendar zone.
        let w = StepWriter(setup: setup)
        if n > 0 {
            svg += "<text x=\"\(Int(left))\" y=\"\(Int(height) - 12)\">\(escape(w.local(Instant(millis: t0))))</text>\n"
            svg += "<text x=\"\(Int(width - right))\" y=\"\(Int(height) - 12)\" text-anchor=\"end\">\(escape(w.local(Instant(millis: t1))))</text>\n"
        }
        // Threshold lines as steps.
        var legend = ""
        for i in g.tests.indices {
            let f = g.testFields[i]
            var path = ""
            var prev: String?
            for k in idx {
                guard let v = d.threshold(i, k) else { continue }
                let yy = y(v)
                if let p = prev { path += " L\(x(d.times[k])),\(p) L\(x(d.times[k])),\(yy)" } else { path += "M\(x(d.times[k])),\(yy)" }
                prev = yy
            }
            if path.isEmpty { continue }
            let c = color(f.tier, trailing: f.metric == .trailing)
            svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"1.2\" stroke-dasharray=\"6 3\"><title>\(escape(f.description))</title></path>\n"
            legend += "<li><span style=\"color:\(c)\">&#9473;&#9473;</span> \(escape(f.description)) <small>\(escape(setup.source(ofTest: Int32(i))))</small></li>\n"
        }
        // Net liquidation value.
        var nl = ""
        for (j, k) in idx.enumerated() { nl += (j == 0 ? "M" : " L") + "\(x(d.times[k])),\(y(d.netLiq[k]))" }
        if !nl.isEmpty { svg += "<path d=\"\(nl)\" fill=\"none\" stroke=\"#1565c0\" stroke-width=\"2\"><title>net liquidation value</title></path>\n" }
        // Breaches.
        for b in d.breaches {
            let f = g.testFields[Int(b.test)]
            svg += "<circle cx=\"\(x(b.time))\" cy=\"\(y(b.netLiq))\" r=\"5\" fill=\"\(color(b.tier, trailing: f.metric == .trailing))\" stroke=\"#000\"><title>\(escape(w.local(Instant(millis: b.time)))): \(escape(f.description)) at net liq \(escape(Money(units: b.netLiq).formatted()))</title></circle>\n"
        }
        svg += "</svg>\n"
        var rows = ""
        for b in d.breaches {
            let f = g.testFields[Int(b.test)]
            rows += "<tr><td>\(escape(w.local(Instant(millis: b.time))))</td><td>\(escape(f.description))</td><td style=\"text-align:right\">\(escape(Money(units: b.netLiq).formatted()))</td><td>\(escape(setup.source(ofTest: b.test)))</td></tr>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>rulec simulate: \(escape(g.template))</title>
            <style>body{font-family:sans-serif;margin:1.5em;color:#222}li{list-style:none}small{color:#777}table{border-collapse:collapse}td,th{padding:2px 8px;border-bottom:1px solid #eee}</style></head>
            <body>
            <h1>\(escape(g.template)): net liquidation value and thresholds</h1>
            <p>\(n) steps. Blue: net liquidation value. Dashed: the net liquidation value at which each threshold is reached (margin tiers are not net-liquidation lines). Circles: breaches.</p>
            \(svg)<ul>
            <li><span style="color:#1565c0">&#9473;&#9473;</span> net liquidation value</li>
            \(legend)</ul>
            <h2>Breaches</h2>
            <table><tr><th>at</th><th>rule</th><th>net liq</th><th>line</th></tr>
            \(rows)</table>
            </body>
            </html>

            """
    }

    /// Fixed two-decimal text for coordinates, without Foundation's formatting.
    static func fmt(_ v: Double) -> String {
        let r = (v * 100).rounded()
        let i = Int64(r)
        let sign = i < 0 ? "-" : ""
        let m = i.magnitude
        let frac = m % 100
        return "\(sign)\(m / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}
