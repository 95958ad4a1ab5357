import RuleBase
import RuleGraph
import RuleEngine
import RuleCodecs
import RuleJSON

/// One account's chart as an `<svg>` fragment: a time-proportional x axis in the calendar's
/// zone (wall-clock ticks, session opens with their trade dates, closed market shaded), bands
/// where the account was liquidate-only or locked, every threshold as a step line labelled at
/// its right end, net liquidation value and balance, markers for fills, breaches,
/// liquidations, cancels, admin actions and rejected orders, and hover text (`<title>`) for
/// every step drawn. Several fragments can share a page: every id starts with `idPrefix`.
enum ChartSVG {
    static let netLiqColor = "#1565c0"
    static let balanceColor = "#90a4ae"
    static let liquidateOnlyColor = "#fb8c00"
    static let lockedColor = "#e53935"
    static let closedColor = "#eef1f4"
    static let adminColor = "#5e35b1"

    static func color(_ tier: TierKind, trailing: Bool) -> String {
        if trailing { return "#7b3fbf" }
        switch tier {
        case .alert: return "#c9a000"
        case .liquidateOnly: return "#ef6c00"
        case .autoLiquidate: return "#c62828"
        }
    }

    /// Loss limits dashed, profit targets dotted, the trailing level solid.
    static func dash(_ t: ThresholdNode, _ f: GraphField) -> String? {
        if f.metric == .trailing { return nil }
        return t.profit ? "2 3" : "7 4"
    }

    /// `49,000` or `49,012.50`: whole cents (rounded half away from zero), for labels only.
    static func moneyText(_ units: Int64) -> String {
        let cent = Money.scale / 100
        let rest = units % cent
        var r = units - rest
        if rest * 2 >= cent { r += cent } else if rest * 2 <= -cent { r -= cent }
        let s = Money(units: r).formatted()
        return s.hasSuffix(".00") ? String(s.dropLast(3)) : s
    }

    /// A prefix usable in ids and CSS selectors: letters, digits, `-` and `_`, starting with a letter.
    static func sanitized(_ prefix: String) -> String {
        var o = ""
        for c in prefix.unicodeScalars {
            let ok = (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || (c >= "0" && c <= "9") || c == "-" || c == "_"
            o.unicodeScalars.append(ok ? c : "_")
        }
        if let f = o.unicodeScalars.first, (f >= "a" && f <= "z") || (f >= "A" && f <= "Z") { return o }
        return "c" + o
    }

    /// Pixel geometry: the plot rectangle and the value ranges it maps.
    struct Frame {
        var left, right, top, bottom: Double
        var t0, t1: Int64
        var lo, hi: Int64
        func x(_ t: Int64) -> Double { left + (right - left) * Double(t - t0) / Double(max(t1 - t0, 1)) }
        func y(_ v: Int64) -> Double { top + (bottom - top) * (1 - Double(v - lo) / Double(max(hi - lo, 1))) }
        func xs(_ t: Int64) -> String { HTMLChart.fmt(x(t)) }
        func ys(_ v: Int64) -> String { HTMLChart.fmt(y(v)) }
    }

    /// A threshold's label at the right end of the plot.
    struct EndLabel {
        var text: String
        var color: String
        var y: Double
        var labelY: Double
    }

    /// The chart, `width` × `height` pixels, every id prefixed with `idPrefix` (sanitized).
    static func svg(_ d: ChartData, width: Int, height: Int, idPrefix: String) -> String {
        let id = sanitized(idPrefix)
        let g = d.setup.graph
        let time = ChartTime(setup: d.setup)
        let pts = d.points
        let w = Double(max(width, 200)), h = Double(max(height, 160))

        // Value range: net liq, balance and every threshold line.
        var lo = Int64.max, hi = Int64.min
        for p in pts {
            lo = min(lo, p.netLiq, p.balance); hi = max(hi, p.netLiq, p.balance)
            for i in g.tests.indices { if let v = d.threshold(i, p) { lo = min(lo, v); hi = max(hi, v) } }
        }
        if lo == .max { lo = 0; hi = 100 * Money.scale }
        if hi == lo { hi = lo + 100 * Money.scale; lo -= 100 * Money.scale }
        let pad = (hi - lo) / 16
        lo -= pad; hi += pad

        // Time range, padded so the first and last markers are whole.
        let first = pts.first?.at ?? 0
        let last = max(pts.last?.at ?? 0, first + 60_000)
        let tpad = (last - first) / 50
        let t0 = first - tpad, t1 = last + tpad

        // Right-end labels decide the right margin.
        var labels = endLabels(d)
        var longest = 0
        for l in labels { longest = max(longest, l.text.count) }
        let rightMargin = min(max(Double(longest) * 6.3 + 22, 40), w * 0.4)
        var f = Frame(left: 72, right: w - rightMargin, top: 26, bottom: h - 46, t0: t0, t1: t1, lo: lo, hi: hi)
        f.right = max(f.right, f.left + 60)
        for k in labels.indices { labels[k].y = f.y(Int64(labels[k].y)); labels[k].labelY = labels[k].y }
        spread(&labels, top: f.top + 4, bottom: f.bottom - 2, gap: 13)

        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\" class=\"rulec-chart\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" font-family=\"system-ui,sans-serif\" font-size=\"11\" role=\"img\" aria-label=\"\(HTMLChart.escape(g.template)): net liquidation value against every threshold\">\n"
        s += "<style>#\(id) .hv{fill:#000;fill-opacity:0}#\(id) .hv:hover{fill-opacity:0.06}#\(id) .mk:hover{opacity:0.7}#\(id) text{fill:#333}#\(id) .ax{fill:#666}</style>\n"
        s += "<defs><clipPath id=\"\(id)-plot\"><rect x=\"\(HTMLChart.fmt(f.left))\" y=\"\(HTMLChart.fmt(f.top))\" width=\"\(HTMLChart.fmt(f.right - f.left))\" height=\"\(HTMLChart.fmt(f.bottom - f.top))\"/></clipPath></defs>\n"
        s += "<rect x=\"\(HTMLChart.fmt(f.left))\" y=\"\(HTMLChart.fmt(f.top))\" width=\"\(HTMLChart.fmt(f.right - f.left))\" height=\"\(HTMLChart.fmt(f.bottom - f.top))\" fill=\"#fff\"/>\n"
        s += "<text x=\"\(HTMLChart.fmt(f.left))\" y=\"16\" font-size=\"12\" font-weight=\"600\">\(HTMLChart.escape(g.template))</text>"
        s += "<text x=\"\(HTMLChart.fmt(f.right))\" y=\"16\" text-anchor=\"end\" class=\"ax\">times in \(HTMLChart.escape(time.zoneName))</text>\n"
        s += "<g clip-path=\"url(#\(id)-plot)\">\n"
        s += closedBands(f, time)
        s += modeBands(pts, f, time)
        s += "</g>\n"
        s += yAxis(f)
        s += xAxis(f, time, first: first, last: last)
        s += "<g clip-path=\"url(#\(id)-plot)\">\n"
        s += thresholdLines(d, f)
        s += stepPath(pts, f, value: \.balance, color: balanceColor, width: 1.2, title: "balance")
        s += stepPath(pts, f, value: \.netLiq, color: netLiqColor, width: 2.2, title: "net liquidation value")
        s += "</g>\n"
        for l in labels {
            s += "<path d=\"M\(HTMLChart.fmt(f.right)),\(HTMLChart.fmt(l.y)) L\(HTMLChart.fmt(f.right + 6)),\(HTMLChart.fmt(l.labelY))\" stroke=\"\(l.color)\" fill=\"none\"/>"
            s += "<text x=\"\(HTMLChart.fmt(f.right + 9))\" y=\"\(HTMLChart.fmt(l.labelY))\" dominant-baseline=\"middle\" fill=\"\(l.color)\" style=\"fill:\(l.color)\">\(HTMLChart.escape(l.text))</text>\n"
        }
        s += adminLines(pts, f)
        s += hoverColumns(d, f, time)
        s += markers(d, f, time)
        s += "<rect x=\"\(HTMLChart.fmt(f.left))\" y=\"\(HTMLChart.fmt(f.top))\" width=\"\(HTMLChart.fmt(f.right - f.left))\" height=\"\(HTMLChart.fmt(f.bottom - f.top))\" fill=\"none\" stroke=\"#b0bec5\"/>\n"
        return s + "</svg>"
    }

    // MARK: Background

    static func closedBands(_ f: Frame, _ time: ChartTime) -> String {
        var s = ""
        for c in time.closed(from: f.t0, to: f.t1) {
            let a = f.x(c.from), b = f.x(c.to)
            s += "<rect x=\"\(HTMLChart.fmt(a))\" y=\"\(HTMLChart.fmt(f.top))\" width=\"\(HTMLChart.fmt(b - a))\" height=\"\(HTMLChart.fmt(f.bottom - f.top))\" fill=\"\(closedColor)\"/>"
            if b - a > 44 {
                s += "<text x=\"\(HTMLChart.fmt((a + b) / 2))\" y=\"\(HTMLChart.fmt(f.bottom - 6))\" text-anchor=\"middle\" font-size=\"10\" class=\"ax\">\(c.early ? "early close" : "closed")</text>"
            }
            s += "\n"
        }
        return s
    }

    /// Liquidate-only and locked stretches: each point's mode holds until the next point.
    static func modeBands(_ pts: [ChartPoint], _ f: Frame, _ time: ChartTime) -> String {
        var s = ""
        var k = 0
        while k < pts.count {
            let mode = pts[k].mode
            guard mode != .normal else { k += 1; continue }
            var j = k + 1
            while j < pts.count && pts[j].mode == mode { j += 1 }
            let from = pts[k].at
            let to = j < pts.count ? pts[j].at : f.t1
            let a = f.x(from), b = max(f.x(to), a + 1)
            let color = mode == .locked ? lockedColor : liquidateOnlyColor
            let name = mode == .locked ? "locked" : "liquidate only"
            let until = j < pts.count ? time.short(to) : "the end"
            s += "<rect x=\"\(HTMLChart.fmt(a))\" y=\"\(HTMLChart.fmt(f.top))\" width=\"\(HTMLChart.fmt(b - a))\" height=\"\(HTMLChart.fmt(f.bottom - f.top))\" fill=\"\(color)\" fill-opacity=\"0.13\"><title>\(name) from \(HTMLChart.escape(time.short(from))) to \(HTMLChart.escape(until))</title></rect>"
            if b - a > 60 {
                s += "<text x=\"\(HTMLChart.fmt(a + 4))\" y=\"\(HTMLChart.fmt(f.top + 12))\" font-size=\"10\" font-weight=\"600\" fill=\"\(color)\" style=\"fill:\(color)\">\(name.uppercased())</text>"
            }
            s += "\n"
            k = j
        }
        return s
    }

    // MARK: Axes

    static func yAxis(_ f: Frame) -> String {
        var s = ""
        let step = HTMLChart.niceStep((f.hi - f.lo) / 6)
        var tick = (f.lo / step + (f.lo % step > 0 ? 1 : 0)) * step
        while tick <= f.hi {
            let y = f.ys(tick)
            s += "<line x1=\"\(HTMLChart.fmt(f.left))\" x2=\"\(HTMLChart.fmt(f.right))\" y1=\"\(y)\" y2=\"\(y)\" stroke=\"#000\" stroke-opacity=\"0.07\"/>"
            s += "<text x=\"\(HTMLChart.fmt(f.left - 6))\" y=\"\(y)\" text-anchor=\"end\" dominant-baseline=\"middle\" class=\"ax\">\(HTMLChart.escape(moneyText(tick)))</text>\n"
            tick += step
        }
        return s
    }

    /// Wall-clock ticks on the first row, session opens (with the trade date they open) on the second.
    static func xAxis(_ f: Frame, _ time: ChartTime, first: Int64, last: Int64) -> String {
        var s = ""
        let maxTicks = max(Int((f.right - f.left) / 62), 2)
        for t in time.ticks(from: f.t0, to: f.t1, maxTicks: maxTicks) {
            let x = f.xs(t.at)
            s += "<line x1=\"\(x)\" x2=\"\(x)\" y1=\"\(HTMLChart.fmt(f.top))\" y2=\"\(HTMLChart.fmt(f.bottom + 4))\" stroke=\"#000\" stroke-opacity=\"\(t.midnight ? "0.14" : "0.06")\"/>"
            s += "<text x=\"\(x)\" y=\"\(HTMLChart.fmt(f.bottom + 15))\" text-anchor=\"middle\" class=\"ax\"\(t.midnight ? " font-weight=\"600\"" : "")>\(HTMLChart.escape(t.label))</text>\n"
        }
        var lastLabel = -Double.infinity
        let sessions = time.sessions(from: f.t0, to: f.t1)
        let dense = Double(sessions.count) * 8 > f.right - f.left
        var sessionGap = Double.infinity
        for (a, b) in zip(sessions, sessions.dropFirst()) { sessionGap = min(sessionGap, f.x(b.open) - f.x(a.open)) }
        for o in sessions where !dense {
            let x = f.x(o.open)
            s += "<line x1=\"\(HTMLChart.fmt(x))\" x2=\"\(HTMLChart.fmt(x))\" y1=\"\(HTMLChart.fmt(f.top))\" y2=\"\(HTMLChart.fmt(f.bottom + 22))\" stroke=\"#546e7a\" stroke-dasharray=\"4 3\"><title>session open \(HTMLChart.escape(time.full(o.open))), trade date \(o.tradeDate)</title></line>"
            // The long label when the sessions are far apart, `▶ Wed 03-04` when they are close.
            let long = "▶ open · trade date \(ChartTime.dayText(o.tradeDate))", short = "▶ \(ChartTime.dayText(o.tradeDate))"
            let text = sessionGap >= Double(long.count) * 6.2 + 12 ? long : short
            if x + 3 >= lastLabel + 8 {
                s += "<text x=\"\(HTMLChart.fmt(x + 3))\" y=\"\(HTMLChart.fmt(f.bottom + 31))\" class=\"ax\">\(HTMLChart.escape(text))</text>"
                lastLabel = x + 3 + Double(text.count) * 6.2
            }
            s += "\n"
        }
        // The trade date in force at the left edge, when no open is there to name it.
        if sessions.first.map({ f.x($0.open) - f.left > 130 }) ?? true {
            let d = time.calendar.tradeDate(at: Instant(millis: first))
            s += "<text x=\"\(HTMLChart.fmt(f.left + 2))\" y=\"\(HTMLChart.fmt(f.bottom + 31))\" class=\"ax\">trade date \(HTMLChart.escape(ChartTime.dayText(d)))</text>\n"
        }
        return s
    }

    // MARK: Lines

    /// A value held from each point until the next one, to the right edge of the plot.
    static func stepPath(_ pts: [ChartPoint], _ f: Frame, value: KeyPath<ChartPoint, Int64>, color: String, width: Double, title: String) -> String {
        guard let firstPoint = pts.first else { return "" }
        var d = "M\(f.xs(firstPoint.at)),\(f.ys(firstPoint[keyPath: value]))"
        var prevY = f.ys(firstPoint[keyPath: value])
        for p in pts.dropFirst() {
            let y = f.ys(p[keyPath: value])
            d += "H\(f.xs(p.at))"
            if y != prevY { d += "V\(y)" }
            prevY = y
        }
        d += "H\(HTMLChart.fmt(f.right))"
        return "<path d=\"\(d)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"\(HTMLChart.fmt(width))\" stroke-linejoin=\"round\"><title>\(title)</title></path>\n"
    }

    /// Every net-liquidation threshold as a step line; lines that coincide are drawn once.
    static func thresholdLines(_ d: ChartData, _ f: Frame) -> String {
        let g = d.setup.graph
        var drawn: [String] = []
        var s = ""
        for i in g.tests.indices {
            let fld = g.testFields[i]
            var path = ""
            var prevY: String?
            for p in d.points {
                guard let v = d.threshold(i, p) else { prevY = nil; continue }
                let y = f.ys(v)
                if let py = prevY {
                    path += "H\(f.xs(p.at))"
                    if py != y { path += "V\(y)" }
                } else {
                    path += "M\(f.xs(p.at)),\(y)"
                }
                prevY = y
            }
            if path.isEmpty { continue }
            if prevY != nil { path += "H\(HTMLChart.fmt(f.right))" }
            let c = color(fld.tier, trailing: fld.metric == .trailing)
            let key = path + c
            if drawn.contains(key) { continue }
            drawn.append(key)
            let dashAttr = dash(g.tests[i], fld).map { " stroke-dasharray=\"\($0)\"" } ?? ""
            s += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(c)\" stroke-width=\"1.4\"\(dashAttr)><title>\(HTMLChart.escape(fld.description)) (\(HTMLChart.escape(d.setup.source(ofTest: Int32(i)))))</title></path>\n"
        }
        return s
    }

    /// One label per distinct (tier, metric, value) at the last point: `auto_liquidate.daily_loss 49,000`;
    /// the `(USD)`/`(%)` variant is named only when the variants end at different values.
    /// `y` holds the value until the caller maps it to pixels.
    static func endLabels(_ d: ChartData) -> [EndLabel] {
        let g = d.setup.graph
        guard let last = d.points.last else { return [] }
        var seen: [(tier: TierKind, metric: MetricKind, value: Int64)] = []
        var out: [EndLabel] = []
        for i in g.tests.indices {
            guard let v = d.threshold(i, last) else { continue }
            let fld = g.testFields[i]
            if seen.contains(where: { $0.tier == fld.tier && $0.metric == fld.metric && $0.value == v }) { continue }
            seen.append((fld.tier, fld.metric, v))
            let variantsAgree = g.tests.indices.allSatisfy { j in
                g.testFields[j].tier != fld.tier || g.testFields[j].metric != fld.metric || d.threshold(j, last) == v
            }
            let name = fld.metric == .trailing ? "trailing level" : variantsAgree ? "\(fld.tier).\(fld.metric)" : fld.description
            out.append(EndLabel(text: "\(name) \(moneyText(v))", color: color(fld.tier, trailing: fld.metric == .trailing),
                                y: Double(v), labelY: 0))
        }
        out.append(EndLabel(text: "net liq \(moneyText(last.netLiq))", color: netLiqColor, y: Double(last.netLiq), labelY: 0))
        return out
    }

    /// Moves labels apart vertically (at least `gap` pixels), keeping them inside [top, bottom].
    static func spread(_ labels: inout [EndLabel], top: Double, bottom: Double, gap: Double) {
        guard !labels.isEmpty else { return }
        labels.sort { ($0.y, $0.text) < ($1.y, $1.text) }
        for k in labels.indices {
            let minY = k == 0 ? top : labels[k - 1].labelY + gap
            labels[k].labelY = max(labels[k].y, minY)
        }
        if let lastY = labels.last?.labelY, lastY > bottom {
            labels[labels.count - 1].labelY = bottom
            for k in labels.indices.dropLast().reversed() {
                labels[k].labelY = min(labels[k].labelY, labels[k + 1].labelY - gap)
            }
        }
    }

    /// A dotted vertical line at every admin action; applied ones are named at the top where there is room.
    static func adminLines(_ pts: [ChartPoint], _ f: Frame) -> String {
        var s = ""
        var lastLabel = -Double.infinity
        for p in pts {
            guard let n = p.note, n.admin + n.adminRejected > 0 else { continue }
            let x = f.x(p.at)
            s += "<line x1=\"\(HTMLChart.fmt(x))\" x2=\"\(HTMLChart.fmt(x))\" y1=\"\(HTMLChart.fmt(f.top))\" y2=\"\(HTMLChart.fmt(f.bottom))\" stroke=\"\(adminColor)\" stroke-dasharray=\"1 3\" stroke-width=\"1.3\"/>"
            if let kind = n.adminKinds.last, x - lastLabel > 150 {
                s += "<text x=\"\(HTMLChart.fmt(x + 3))\" y=\"\(HTMLChart.fmt(f.top + 24))\" font-size=\"10\" fill=\"\(adminColor)\" style=\"fill:\(adminColor)\">\(HTMLChart.escape(kind))</text>"
                lastLabel = x
            }
            s += "\n"
        }
        return s
    }
}
