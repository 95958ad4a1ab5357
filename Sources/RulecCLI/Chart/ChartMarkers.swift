import RuleBase
import RuleGraph
import RuleEngine
import RuleCodecs
import RuleJSON

/// The chart's markers and hover text: what happened at each step, drawn where it happened.
extension ChartSVG {
    static func buyShape(x: Double, y: Double) -> String {
        "<path d=\"M\(HTMLChart.fmt(x)),\(HTMLChart.fmt(y - 6))L\(HTMLChart.fmt(x + 5.5)),\(HTMLChart.fmt(y + 4))L\(HTMLChart.fmt(x - 5.5)),\(HTMLChart.fmt(y + 4))Z\" fill=\"#2e7d32\" stroke=\"#fff\" stroke-width=\"0.8\"/>"
    }

    static func sellShape(x: Double, y: Double) -> String {
        "<path d=\"M\(HTMLChart.fmt(x)),\(HTMLChart.fmt(y + 6))L\(HTMLChart.fmt(x + 5.5)),\(HTMLChart.fmt(y - 4))L\(HTMLChart.fmt(x - 5.5)),\(HTMLChart.fmt(y - 4))Z\" fill=\"#ad1457\" stroke=\"#fff\" stroke-width=\"0.8\"/>"
    }

    static func liquidationShape(x: Double, y: Double) -> String {
        let a = HTMLChart.fmt(x - 5), b = HTMLChart.fmt(x + 5), c = HTMLChart.fmt(y - 5), d = HTMLChart.fmt(y + 5)
        let path = "M\(a),\(c)L\(b),\(d)M\(a),\(d)L\(b),\(c)"
        return "<path d=\"\(path)\" stroke=\"#fff\" stroke-width=\"5\"/><path d=\"\(path)\" stroke=\"#8e0000\" stroke-width=\"2.6\"/>"
    }

    static func cancelShape(x: Double, y: Double, byRules: Bool) -> String {
        "<rect x=\"\(HTMLChart.fmt(x - 4.5))\" y=\"\(HTMLChart.fmt(y - 4.5))\" width=\"9\" height=\"9\" fill=\"#fff\" stroke=\"\(byRules ? "#e65100" : "#455a64")\" stroke-width=\"1.8\"/>"
            + "<path d=\"M\(HTMLChart.fmt(x - 2.5)),\(HTMLChart.fmt(y + 2.5))L\(HTMLChart.fmt(x + 2.5)),\(HTMLChart.fmt(y - 2.5))\" stroke=\"\(byRules ? "#e65100" : "#455a64")\" stroke-width=\"1.4\"/>"
    }

    /// A filled diamond for an admin action applied, a hollow one for one refused.
    static func adminShape(x: Double, y: Double, applied: Bool = true) -> String {
        "<path d=\"M\(HTMLChart.fmt(x)),\(HTMLChart.fmt(y - 6))L\(HTMLChart.fmt(x + 6)),\(HTMLChart.fmt(y))L\(HTMLChart.fmt(x)),\(HTMLChart.fmt(y + 6))L\(HTMLChart.fmt(x - 6)),\(HTMLChart.fmt(y))Z\" "
            + (applied ? "fill=\"\(adminColor)\" stroke=\"#fff\" stroke-width=\"0.8\"/>" : "fill=\"#fff\" stroke=\"\(adminColor)\" stroke-width=\"1.6\"/>")
    }

    static func rejectedShape(x: Double, y: Double) -> String {
        "<circle cx=\"\(HTMLChart.fmt(x))\" cy=\"\(HTMLChart.fmt(y))\" r=\"3.5\" fill=\"#fff\" stroke=\"#757575\" stroke-width=\"1.5\"/>"
    }

    /// Hover text of one point: the instant, the numbers after the step and what happened.
    static func hoverText(_ p: ChartPoint, _ time: ChartTime) -> String {
        var t = time.full(p.at) + "\nnet liq \(Money(units: p.netLiq).formatted()) · balance \(Money(units: p.balance).formatted()) · mode \(p.mode)"
        if p.working > 0 { t += " · working orders \(p.working)" }
        if let n = p.note { for l in n.lines.prefix(12) { t += "\n" + l } }
        if let n = p.note, n.lines.count > 12 { t += "\n… \(n.lines.count - 12) more" }
        return t
    }

    /// Invisible columns across the plot, one per distinct pixel, whose `<title>` tells the
    /// steps drawn there: hovering anywhere on the chart names the nearest step.
    static func hoverColumns(_ d: ChartData, _ f: Frame, _ time: ChartTime) -> String {
        let pts = d.points
        guard !pts.isEmpty else { return "" }
        // Groups of consecutive points on the same (half) pixel.
        var groups: [(x: Double, from: Int, to: Int)] = []
        for k in pts.indices {
            let x = (f.x(pts[k].at) * 2).rounded() / 2
            if let lastGroup = groups.last, lastGroup.x == x {
                groups[groups.count - 1].to = k
            } else {
                groups.append((x, k, k))
            }
        }
        var s = "<g>\n"
        for (j, grp) in groups.enumerated() {
            let a = j == 0 ? f.left : (groups[j - 1].x + grp.x) / 2
            let b = j == groups.count - 1 ? f.right : (grp.x + groups[j + 1].x) / 2
            guard b > a else { continue }
            var text = ""
            let shown = max(grp.from, grp.to - 5)
            if shown > grp.from { text = "… \(shown - grp.from) earlier step\(shown - grp.from == 1 ? "" : "s") here\n\n" }
            for k in shown...grp.to {
                text += hoverText(pts[k], time) + (k < grp.to ? "\n\n" : "")
            }
            s += "<rect class=\"hv\" x=\"\(HTMLChart.fmt(a))\" y=\"\(HTMLChart.fmt(f.top))\" width=\"\(HTMLChart.fmt(b - a))\" height=\"\(HTMLChart.fmt(f.bottom - f.top))\"><title>\(HTMLChart.escape(text))</title></rect>\n"
        }
        return s + "</g>\n"
    }

    /// The markers of every noted point, stacked upwards from the net-liq line (downwards near
    /// the top): the fill, one circle per breached tier, the liquidation, cancels, the admin
    /// action, rejected orders.
    static func markers(_ d: ChartData, _ f: Frame, _ time: ChartTime) -> String {
        let g = d.setup.graph
        var s = "<g>\n"
        var placed: [(x: Double, y: Double)] = []
        for p in d.points {
            guard let n = p.note else { continue }
            var shapes: [(shape: (Double, Double) -> String, count: Int32)] = []
            if n.fill > 0 { shapes.append(({ buyShape(x: $0, y: $1) }, 1)) }
            if n.fill < 0 { shapes.append(({ sellShape(x: $0, y: $1) }, 1)) }
            var tiers: [(TierKind, Bool)] = []
            for b in n.breaches {
                let fld = g.testFields[Int(b)]
                let key = (fld.tier, fld.metric == .trailing)
                if !tiers.contains(where: { $0 == key }) { tiers.append(key) }
            }
            for (tier, trailing) in tiers.sorted(by: { ($0.0.rawValue, $0.1 ? 1 : 0) > ($1.0.rawValue, $1.1 ? 1 : 0) }) {
                let c = color(tier, trailing: trailing)
                shapes.append(({ "<circle cx=\"\(HTMLChart.fmt($0))\" cy=\"\(HTMLChart.fmt($1))\" r=\"5\" fill=\"\(c)\" stroke=\"#000\" stroke-width=\"0.9\"/>" }, 1))
            }
            if n.liquidations > 0 { shapes.append(({ liquidationShape(x: $0, y: $1) }, n.liquidations)) }
            if n.cancelsByRules > 0 { shapes.append(({ cancelShape(x: $0, y: $1, byRules: true) }, n.cancelsByRules)) }
            if n.cancelsRequested > 0 { shapes.append(({ cancelShape(x: $0, y: $1, byRules: false) }, n.cancelsRequested)) }
            if n.admin > 0 { shapes.append(({ adminShape(x: $0, y: $1) }, n.admin)) }
            if n.adminRejected > 0 { shapes.append(({ adminShape(x: $0, y: $1, applied: false) }, n.adminRejected)) }
            let x = f.x(p.at), y0 = f.y(p.netLiq)
            // Rejected orders change nothing: a small mark just below the line.
            var below = ""
            if n.ordersRejected > 0 {
                below = rejectedShape(x: x, y: y0 + 11)
                if n.ordersRejected > 1 {
                    below += "<text x=\"\(HTMLChart.fmt(x + 6))\" y=\"\(HTMLChart.fmt(y0 + 11))\" dominant-baseline=\"middle\" font-size=\"9\">×\(n.ordersRejected)</text>"
                }
            }
            guard !shapes.isEmpty || !below.isEmpty else { continue }
            let up = y0 - 14 * Double(shapes.count - 1) >= f.top + 6
            var body = below
            // Markers of nearby steps do not cover each other: a marker moves on along the stack
            // while another one sits within 11 pixels (among the last 64,
            // so a crowded stretch stays linear).
            placed.removeAll { $0.x < x - 11 }
            if placed.count > 64 { placed.removeFirst(placed.count - 64) }
            var y = y0
            for sh in shapes {
                var tries = 0
                while tries < 40, placed.contains(where: { abs($0.x - x) < 11 && abs($0.y - y) < 12 }) {
                    y += up ? -14 : 14
                    tries += 1
                }
                placed.append((x, y))
                body += sh.shape(x, y)
                if sh.count > 1 {
                    body += "<text x=\"\(HTMLChart.fmt(x + 7))\" y=\"\(HTMLChart.fmt(y))\" dominant-baseline=\"middle\" font-size=\"9\">×\(sh.count)</text>"
                }
            }
            s += "<g class=\"mk\"><title>\(HTMLChart.escape(hoverText(p, time)))</title>\(body)</g>\n"
        }
        return s + "</g>\n"
    }
}
