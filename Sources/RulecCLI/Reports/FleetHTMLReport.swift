import RuleBase
import RuleEngine
import RuleCodecs
import RuleFleet

/// The chart data of every account of an HTML replay report, each bounded in points.
final class FleetCharts: @unchecked Sendable {
    /// Points kept per account chart (decision points first, the rest bucketed).
    static let pointsPerAccount = 300
    /// Accounts charted at most; beyond that the most severe are charted.
    static let maxCharts = 100

    final class Observer: StepObserver {
        var data: ChartData
        var started = false
        init(_ setup: EngineSetup) { data = ChartData(setup: setup, capacity: FleetCharts.pointsPerAccount) }
        func observe(_ step: Step, _ items: ArraySlice<DecisionItem>, event: Event?) {
            if !started {
                data.start(step.snapshot, at: step.at)
                started = true
            }
            data.add(step, items: items, event: event, line: nil)
        }
    }

    let setups: [EngineSetup]
    /// By account id; written only while the replay builds its workers (one thread).
    private(set) var observers: [String: Observer] = [:]

    init(accounts: [FleetAccount], setups: [EngineSetup]) {
        self.setups = setups
    }

    func observer(for a: FleetAccount) -> (any StepObserver)? {
        let o = Observer(setups[a.template])
        observers[a.id] = o
        return o
    }
}

/// `rulec replay --format html`: a page a risk desk opens. Fleet totals, counts by template,
/// a sortable table of every account with its status, and per account a chart of net
/// liquidation against its thresholds, with liquidate-only and locked bands and markers.
/// Self-contained: inline CSS, a few lines of inline script for sorting, no links.
enum FleetHTMLReport {
    static func esc(_ s: String) -> String { HTMLChart.escape(s) }

    static func page(_ summaries: [AccountSummary], charts: FleetCharts?) -> String {
        let t = FleetTotals(summaries)
        var o = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>rulec replay: \(t.accounts) accounts</title>
        <style>
        body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px;color:#1d2330;background:#f6f7f9}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px}
        .sub{color:#5b6475;margin-bottom:16px}
        .cards{display:flex;flex-wrap:wrap;gap:12px}
        .card{background:#fff;border:1px solid #dde1e8;border-radius:8px;padding:10px 14px;min-width:120px}
        .card b{display:block;font-size:20px}.card span{color:#5b6475;font-size:12px;text-transform:uppercase;letter-spacing:.04em}
        table{border-collapse:collapse;background:#fff;border:1px solid #dde1e8;font-variant-numeric:tabular-nums}
        th,td{padding:5px 10px;border-bottom:1px solid #eceef2;text-align:left;white-space:nowrap}
        th{background:#eef1f5;cursor:pointer;user-select:none;position:sticky;top:0}
        th.num,td.num{text-align:right}
        tr:hover td{background:#f3f7ff}
        .badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
        .normal{background:#e3f4e8;color:#1f6b3a}.liquidate_only{background:#fff1d6;color:#8a5a00}.locked{background:#fde2e1;color:#a11d1a}
        .neg{color:#a11d1a}
        .passed{background:#e3f4e8;color:#1f6b3a}.failed{background:#fde2e1;color:#a11d1a}.in_progress{background:#eef1f5;color:#4a5568}
        details{background:#fff;border:1px solid #dde1e8;border-radius:8px;margin:10px 0;padding:6px 12px}
        summary{cursor:pointer;font-weight:600}
        a{color:#1f4fb3;text-decoration:none}
        .row{display:flex;flex-wrap:wrap;gap:32px;align-items:flex-start}
        .scroll{max-height:640px;overflow:auto;border:1px solid #dde1e8;display:inline-block;max-width:100%}
        </style></head><body>
        <h1>Fleet replay</h1>
        <div class="sub">\(t.accounts) accounts, \(FleetReport.grouped(t.events)) events. Click a column to sort; click an account for its chart.</div>
        <div class="cards">
        """
        func card(_ v: String, _ label: String) -> String { "<div class=\"card\"><b>\(v)</b><span>\(label)</span></div>" }
        o += card(String(t.normal), "normal") + card(String(t.liquidateOnly), "liquidate-only") + card(String(t.locked), "locked")
        o += card(String(t.accountsLiquidated), "accounts liquidated") + card(String(t.liquidations), "liquidations") + card(String(t.scheduledFlattens), "scheduled flattens")
        o += card(String(t.cancels), "orders cancelled") + card(String(t.ordersRejected), "orders rejected")
        o += card(t.realized.formatted(), "realized P&amp;L") + card(t.fees.formatted(), "fees")
        if t.evaluations.total > 0 {
            o += card(String(t.evaluations.passed), "evaluations passed") + card(String(t.evaluations.failed), "evaluations failed")
                + card(String(t.evaluations.inProgress), "evaluations in progress")
        }
        o += "</div>\n<div class=\"row\"><div><h2>By template</h2>\n<table><tr><th>template</th><th class=\"num\">accounts</th><th class=\"num\">normal</th><th class=\"num\">liquidate-only</th><th class=\"num\">locked</th><th class=\"num\">liquidated</th></tr>\n"
        for c in t.templates {
            o += "<tr><td>\(esc(c.template))</td><td class=\"num\">\(c.accounts)</td><td class=\"num\">\(c.normal)</td><td class=\"num\">\(c.liquidateOnly)</td><td class=\"num\">\(c.locked)</td><td class=\"num\">\(c.liquidated)</td></tr>\n"
        }
        o += "</table></div>\n"
        if !t.breachesByRule.isEmpty {
            o += "<div><h2>Breaches by rule</h2>\n<table><tr><th>rule</th><th class=\"num\">breaches</th></tr>\n"
            for b in t.breachesByRule { o += "<tr><td>\(esc(b.rule))</td><td class=\"num\">\(b.count)</td></tr>\n" }
            o += "</table></div>\n"
        }
        o += "</div>\n"
        o += "<h2>Accounts</h2>\n<div class=\"scroll\"><table id=\"accounts\"><thead><tr>"
        let heads: [(String, Bool)] = [("account", false), ("template", false), ("status", false), ("evaluation", false), ("cause", false), ("breaches", true),
                                       ("liquidations", true), ("cancels", true), ("rejected", true), ("realized", true), ("fees", true),
                                       ("lowest net liq", true), ("net liq", true), ("trailing level", true)]
        for (k, h) in heads.enumerated() {
            o += "<th\(h.1 ? " class=\"num\"" : "") onclick=\"sortBy(\(k),\(h.1))\">\(h.0)</th>"
        }
        o += "</tr></thead><tbody>\n"
        let ordered = summaries.sorted { a, b in
            let x = a.severity, y = b.severity
            if x != y { return x > y }
            return a.account.utf8.lexicographicallyPrecedes(b.account.utf8)
        }
        func money(_ m: Money) -> String {
            "<td class=\"num\(m.units < 0 ? " neg" : "")\" data-v=\"\(m.units)\">\(m.formatted())</td>"
        }
        for s in ordered {
            let mode = StepWriter.modeName(s.finalMode).description
            o += "<tr><td><a href=\"#a-\(anchor(s.account))\">\(esc(s.account))</a></td><td>\(esc(s.template))</td>"
            o += "<td data-v=\"\(s.finalMode.rawValue)\"><span class=\"badge \(mode)\">\(mode.replacingOccurrences(of: "_", with: "-"))</span></td>"
            o += evaluationCell(s.evaluation)
            o += "<td>\(esc(s.cause ?? ""))</td><td class=\"num\">\(s.breachCount)</td><td class=\"num\">\(s.liquidations)</td>"
            o += "<td class=\"num\">\(s.cancels)</td><td class=\"num\">\(s.ordersRejected)</td>"
            o += money(s.realized) + money(s.fees) + money(s.lowestNetLiq) + money(s.finalNetLiq)
            o += s.trailingLevel.map(money) ?? "<td class=\"num\" data-v=\"0\">–</td>"
            o += "</tr>\n"
        }
        o += "</tbody></table></div>\n"
        if let charts {
            let charted = ordered.prefix(FleetCharts.maxCharts)
            o += "<h2>Charts</h2>\n"
            if ordered.count > charted.count {
                o += "<p class=\"sub\">The \(charted.count) most severe accounts of \(ordered.count) are charted.</p>\n"
            }
            for (k, s) in charted.enumerated() {
                guard let obs = charts.observers[s.account], obs.started else { continue }
                let mode = StepWriter.modeName(s.finalMode).description
                o += "<details id=\"a-\(anchor(s.account))\"\(k < 5 ? " open" : "")><summary>\(esc(s.account)) · \(esc(s.template)) · "
                o += "<span class=\"badge \(mode)\">\(mode.replacingOccurrences(of: "_", with: "-"))</span>"
                o += s.cause.map { " · \(esc($0))" } ?? ""
                o += "</summary>\n"
                o += ChartSVG.svg(obs.data, width: 1100, height: 360, idPrefix: "c\(k)")
                o += "\n</details>\n"
            }
        }
        o += """
        <script>
        function sortBy(c,num){const b=document.querySelector('#accounts tbody');const rows=[...b.rows];
        const dir=b.dataset.col==c&&b.dataset.dir=='asc'?'desc':'asc';b.dataset.col=c;b.dataset.dir=dir;
        const key=r=>{const d=r.cells[c];return num||d.dataset.v!==undefined?Number(d.dataset.v??d.textContent):d.textContent};
        rows.sort((x,y)=>{const a=key(x),z=key(y);const r=a<z?-1:a>z?1:0;return dir=='asc'?r:-r});rows.forEach(r=>b.appendChild(r));}
        document.querySelectorAll('a[href^="#a-"]').forEach(a=>a.addEventListener('click',()=>{const d=document.querySelector(a.getAttribute('href'));if(d)d.open=true;}));
        </script>
        </body></html>

        """
        return o
    }

    /// An id-safe anchor for an account id.
    static func anchor(_ id: String) -> String {
        var o = ""
        for b in id.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 128 && (c.isLetter || c.isNumber || c == "-" || c == "_") { o.append(c) } else { o += "_" + String(b, radix: 16) }
        }
        return o
    }

    /// The evaluation status as a badge (sorts passed, in progress, failed, then none).
    static func evaluationCell(_ status: String?) -> String {
        guard let e = status else { return "<td data-v=\"-1\">–</td>" }
        let rank = e == "passed" ? 2 : e == "in_progress" ? 1 : 0
        return "<td data-v=\"\(rank)\"><span class=\"badge \(esc(e))\">\(esc(e.replacingOccurrences(of: "_", with: " ")))</span></td>"
    }
}
