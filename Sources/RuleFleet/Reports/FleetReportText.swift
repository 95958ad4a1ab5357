import RuleBase
import RuleEngine

/// The replay summary for people: plain text for a terminal and Markdown for a review or a
/// wiki page. Both list fleet totals, counts by template and by rule, then every account that
/// something happened to (a breach, a liquidation, a rejected order, a mode other than normal),
/// most severe first; quiet accounts are counted, not listed.
public enum FleetReport {
    /// Accounts something happened to, most severe first, then by id.
    public static func eventful(_ summaries: [AccountSummary]) -> [AccountSummary] {
        summaries.filter { $0.breachCount > 0 || $0.liquidations > 0 || $0.ordersRejected > 0 || $0.finalMode != .normal || $0.cancels > 0 }
            .sorted { a, b in
                let x = a.severity, y = b.severity
                if x != y { return x > y }
                return a.account.utf8.lexicographicallyPrecedes(b.account.utf8)
            }
    }

    static func mode(_ m: AccountModeKind) -> String {
        switch m {
        case .normal: return "normal"
        case .liquidateOnly: return "liquidate-only"
        case .locked: return "locked"
        }
    }

    static func status(_ s: AccountSummary) -> String {
        var t = mode(s.finalMode)
        if let c = s.cause { t += " (\(c)" + (s.releaseAt.map { " until \($0)" } ?? "") + ")" }
        return t
    }

    static func count(_ n: Int, _ what: String) -> String {
        "\(grouped(n)) \(what)\(n == 1 ? "" : (what.hasSuffix("ch") ? "es" : "s"))"
    }

    /// 12345 -> "12,345".
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return (n < 0 ? "-" : "") + out
    }

    static func pad(_ s: String, _ n: Int, right: Bool = false) -> String {
        let k = s.count
        if k >= n { return s }
        let fill = String(repeating: " ", count: n - k)
        return right ? fill + s : s + fill
    }

    public static func text(_ summaries: [AccountSummary]) -> String {
        let t = FleetTotals(summaries)
        var o = "fleet: \(count(t.accounts, "account")), \(count(t.events, "event"))\n"
        o += "  final mode: normal \(t.normal), liquidate-only \(t.liquidateOnly), locked \(t.locked)\n"
        o += t.evaluations.textLine
        o += "  \(count(t.accountsLiquidated, "account")) liquidated (\(count(t.liquidations, "liquidation"))), \(count(t.scheduledFlattens, "scheduled flatten")), "
        o += "\(count(t.cancels, "working order")) cancelled by the rules\n"
        o += "  orders: \(grouped(t.ordersAccepted)) accepted, \(grouped(t.ordersRejected)) rejected; \(count(t.breaches, "breach"))\n"
        o += "  realized P&L \(t.realized.formatted()), fees \(t.fees.formatted()), cash \(t.cash.formatted())\n"
        o += "\nby template:\n"
        for c in t.templates {
            o += "  \(pad(c.template, 14)) \(pad(String(c.accounts), 6, right: true)) accounts   normal \(c.normal)  liquidate-only \(c.liquidateOnly)  locked \(c.locked)  liquidated \(c.liquidated)\n"
        }
        if !t.breachesByRule.isEmpty {
            o += "\nbreaches by rule:\n"
            let w = t.breachesByRule.map(\.rule.count).max() ?? 0
            for b in t.breachesByRule { o += "  \(pad(b.rule, w))  \(pad(String(b.count), 6, right: true))\n" }
        }
        let list = eventful(summaries)
        o += "\naccounts with decisions (\(list.count) of \(t.accounts), most severe first):\n"
        let header = ["account", "template", "status", "breaches", "liquidations", "cancels", "rejected", "realized", "fees", "lowest net liq", "trailing level"]
        var rows = [header]
        for s in list {
            rows.append([s.account, s.template, status(s), String(s.breachCount), String(s.liquidations), String(s.cancels),
                         String(s.ordersRejected), s.realized.formatted(), s.fees.formatted(), s.lowestNetLiq.formatted(),
                         s.trailingLevel?.formatted() ?? "-"])
        }
        let widths = (0..<header.count).map { c in rows.map { $0[c].count }.max() ?? 0 }
        for r in rows {
            var line = " "
            for (c, cell) in r.enumerated() { line += " " + pad(cell, widths[c], right: c >= 3) }
            o += line + "\n"
        }
        return o
    }

    public static func markdown(_ summaries: [AccountSummary]) -> String {
        let t = FleetTotals(summaries)
        var o = "## Fleet replay\n\n"
        o += "| accounts | events | normal | liquidate-only | locked | liquidated | liquidations | orders cancelled | orders rejected | realized P&L | fees |\n"
        o += "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        o += "| \(t.accounts) | \(t.events) | \(t.normal) | \(t.liquidateOnly) | \(t.locked) | \(t.accountsLiquidated) | \(t.liquidations) | \(t.cancels) | \(t.ordersRejected) | \(t.realized.formatted()) | \(t.fees.formatted()) |\n\n"
        o += t.evaluations.markdown
        o += "### By template\n\n| template | accounts | normal | liquidate-only | locked | liquidated |\n| --- | ---: | ---: | ---: | ---: | ---: |\n"
        for c in t.templates { o += "| `\(c.template)` | \(c.accounts) | \(c.normal) | \(c.liquidateOnly) | \(c.locked) | \(c.liquidated) |\n" }
        if !t.breachesByRule.isEmpty {
            o += "\n### Breaches by rule\n\n| rule | breaches |\n| --- | ---: |\n"
            for b in t.breachesByRule { o += "| `\(b.rule)` | \(b.count) |\n" }
        }
        let list = eventful(summaries)
        o += "\n### Accounts with decisions (\(list.count) of \(t.accounts), most severe first)\n\n"
        o += "| account | template | status | breaches | liquidations | cancels | rejected | realized | fees | lowest net liq | trailing level |\n"
        o += "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n"
        for s in list {
            o += "| `\(s.account)` | `\(s.template)` | \(status(s)) | \(s.breachCount) | \(s.liquidations) | \(s.cancels) | \(s.ordersRejected) | \(s.realized.formatted()) | \(s.fees.formatted()) | \(s.lowestNetLiq.formatted()) | \(s.trailingLevel?.formatted() ?? "–") |\n"
        }
        return o
    }
}
