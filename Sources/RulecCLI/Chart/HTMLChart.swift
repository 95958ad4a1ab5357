import RuleBase
import RuleGraph
import RuleEngine
import RuleCodecs
import RuleJSON

/// A self-contained HTML page for one account: a summary, the SVG chart (`ChartSVG`), a legend
/// with the rulebook line behind every threshold, and the timeline of decisions. No scripts,
/// no links; the same data gives the same bytes.
enum HTMLChart {
    /// The whole page, the chart `width` × `height` pixels.
    static func page(_ d: ChartData, width: Int = 1_200, height: Int = 560) -> String {
        let g = d.setup.graph
        let time = ChartTime(setup: d.setup)
        var summary = "\(d.steps) step\(d.steps == 1 ? "" : "s")"
        if let a = d.points.first, let b = d.points.last {
            summary = "\(time.short(a.at)) to \(time.short(b.at)) (\(time.zoneName)) · " + summary
            summary += " · final net liq \(Money(units: b.netLiq).formatted()), balance \(Money(units: b.balance).formatted()), mode \(b.mode)"
        }
        if let e = d.evaluation {
            // The evaluation's status (issue 13), with the instant it passed or failed.
            switch e.status {
            case .inProgress: summary += " · evaluation in progress"
            case .passed(let at): summary += " · evaluation passed \(time.short(at.millis))"
            case .failed(let i, let at): summary += " · evaluation failed \(time.short(at.millis)) (\(g.testFields[Int(i)]))"
            }
            summary += ", profit \(e.objectives.totalProfit.formatted()), \(e.objectives.tradingDays) trading day\(e.objectives.tradingDays == 1 ? "" : "s")"
        }
        if d.points.count < d.steps {
            summary += " · \(d.points.count) points drawn: every decision, and the lowest and highest net liq per \(durationText(d.bucketMillis)) between them"
        }
        if d.thinnedNotes > 0 { summary += " · \(d.thinnedNotes) minor markers left out (too many to draw)" }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>rulec simulate: \(escape(g.template))</title>
            <style>body{font-family:system-ui,sans-serif;margin:1.5em;color:#222;max-width:\(width + 40)px}h1{font-size:1.35em;margin:0 0 .2em}p.sum{color:#555;margin:0 0 1em}ul.legend{padding:0;columns:2;font-size:13px}ul.legend li{list-style:none;margin:2px 0}small{color:#777}table{border-collapse:collapse;font-size:13px}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}td.num{text-align:right;white-space:nowrap}td.at{white-space:nowrap}</style></head>
            <body>
            <h1>\(escape(g.template)): net liquidation value against every threshold</h1>
            <p class="sum">\(escape(summary))</p>
            \(ChartSVG.svg(d, width: width, height: height, idPrefix: "chart"))
            \(legend(d))
            <h2>Decisions</h2>
            \(decisionTable(d))
            </body>
            </html>

            """
    }

    /// The legend: the account lines, each threshold with its value at the end and its rulebook
    /// line, the markers and the shaded bands.
    static func legend(_ d: ChartData) -> String {
        let g = d.setup.graph
        var o = "<ul class=\"legend\">\n"
        o += "<li>\(swatchLine(ChartSVG.netLiqColor, width: 2.5, dash: nil)) net liquidation value</li>\n"
        o += "<li>\(swatchLine(ChartSVG.balanceColor, width: 1.2, dash: nil)) balance (realized)</li>\n"
        let last = d.points.last
        for i in g.tests.indices {
            let f = g.testFields[i]
            guard g.tests[i].op != .marginPercent else {
                o += "<li>\(swatchLine("#bbb", width: 1.2, dash: "1 3")) \(escape(f.description)) <small>margin test, not a net-liq line · \(escape(d.setup.source(ofTest: Int32(i))))</small></li>\n"
                continue
            }
            let value = last.flatMap { d.threshold(i, $0) }.map { " " + ChartSVG.moneyText($0) } ?? ""
            o += "<li>\(swatchLine(ChartSVG.color(f.tier, trailing: f.metric == .trailing), width: 1.5, dash: ChartSVG.dash(g.tests[i], f))) \(escape(f.description))\(escape(value)) <small>\(escape(d.setup.source(ofTest: Int32(i))))</small></li>\n"
        }
        o += "<li>\(swatch(ChartSVG.buyShape(x: 8, y: 8))) buy fill \(swatch(ChartSVG.sellShape(x: 8, y: 7))) sell fill \(swatch(ChartSVG.liquidationShape(x: 8, y: 7))) liquidation</li>\n"
        o += "<li>\(swatch("<circle cx=\"8\" cy=\"7\" r=\"5\" fill=\"\(ChartSVG.color(.autoLiquidate, trailing: false))\" stroke=\"#000\"/>")) breach (tier colour) \(swatch(ChartSVG.cancelShape(x: 8, y: 7, byRules: false))) cancel \(swatch(ChartSVG.cancelShape(x: 8, y: 7, byRules: true))) cancel by the rules \(swatch(ChartSVG.adminShape(x: 8, y: 7))) admin action \(swatch(ChartSVG.rejectedShape(x: 8, y: 7))) order rejected</li>\n"
        o += "<li>\(swatch("<rect x=\"1\" y=\"1\" width=\"14\" height=\"12\" fill=\"\(ChartSVG.liquidateOnlyColor)\" fill-opacity=\"0.25\"/>")) liquidate only \(swatch("<rect x=\"1\" y=\"1\" width=\"14\" height=\"12\" fill=\"\(ChartSVG.lockedColor)\" fill-opacity=\"0.25\"/>")) locked \(swatch("<rect x=\"1\" y=\"1\" width=\"14\" height=\"12\" fill=\"\(ChartSVG.closedColor)\"/>")) market closed (calendar) · ▶ session open, with the trade date it opens · hover the chart for each step</li>\n"
        return o + "</ul>"
    }

    static func swatch(_ inner: String) -> String {
        "<svg width=\"16\" height=\"14\" viewBox=\"0 0 16 14\" style=\"vertical-align:middle\">\(inner)</svg>"
    }

    static func swatchLine(_ color: String, width: Double, dash: String?) -> String {
        "<svg width=\"26\" height=\"10\" viewBox=\"0 0 26 10\" style=\"vertical-align:middle\"><line x1=\"1\" y1=\"5\" x2=\"25\" y2=\"5\" stroke=\"\(color)\" stroke-width=\"\(fmt(width))\"\(dash.map { " stroke-dasharray=\"\($0)\"" } ?? "")/></svg>"
    }

    /// Every kept point with a decision or a fill: instant, what happened, the numbers after.
    static func decisionTable(_ d: ChartData) -> String {
        let time = ChartTime(setup: d.setup)
        var rows = ""
        for p in d.points {
            guard let n = p.note, n.lines != ["start"] else { continue }
            let what = n.lines.map(escape).joined(separator: "<br>")
            rows += "<tr><td class=\"at\">\(escape(time.full(p.at)))</td><td>\(what)</td><td class=\"num\">\(escape(Money(units: p.netLiq).formatted()))</td><td>\(p.mode)</td></tr>\n"
        }
        return "<table><tr><th>at</th><th>what happened</th><th>net liq after</th><th>mode</th></tr>\n\(rows)</table>"
    }

    /// `15 minutes`, `2 hours`, `3 days` (rounded down), for the downsampling note.
    static func durationText(_ millis: Int64) -> String {
        let s = millis / 1000
        func unit(_ v: Int64, _ name: String) -> String { "\(v) \(name)\(v == 1 ? "" : "s")" }
        if s >= 86_400 { return unit(s / 86_400, "day") }
        if s >= 3_600 { return unit(s / 3_600, "hour") }
        if s >= 60 { return unit(s / 60, "minute") }
        return unit(max(s, 1), "second")
    }

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

    /// Fixed two-decimal text for coordinates, without Foundation's formatting.
    static func fmt(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let r = (v * 100).rounded()
        let i = Int64(max(min(r, 1e15), -1e15))
        let sign = i < 0 ? "-" : ""
        let m = i.magnitude
        let frac = m % 100
        if frac == 0 { return "\(sign)\(m / 100)" }
        return "\(sign)\(m / 100).\(frac < 10 ? "0" : "")\(frac % 10 == 0 ? "\(frac / 10)" : "\(frac)")"
    }
}
