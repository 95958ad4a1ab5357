import RuleBase
import RuleJSON
import RuleEngine

/// The counterfactual part of `rulec diff --replay` for people and for tools: the counts first,
/// then the accounts by consequence, each with its first divergence and what followed. The
/// static per-setting changes are the diff's own (the CLI puts them in between).
public enum CounterfactualReport {
    /// Accounts listed in full in text and Markdown (the JSON lists every diverged account).
    public static let listed = 20

    // MARK: Counts

    /// The counts as (label, value) rows, in reading order.
    public static func rows(_ t: CounterfactualTotals) -> [(String, String)] {
        [("accounts replayed", g(t.accounts)),
         ("accounts whose decisions diverge", g(t.diverged)),
         ("accounts newly liquidated (or more often)", g(t.newlyLiquidated)),
         ("accounts no longer liquidated (or less often)", g(t.noLongerLiquidated)),
         ("accounts newly locked (or more often)", g(t.newlyLocked)),
         ("accounts no longer locked (or less often)", g(t.noLongerLocked)),
         ("orders newly rejected", g(t.ordersNewlyRejected)),
         ("orders newly accepted", g(t.ordersNewlyAccepted)),
         ("evaluations whose outcome changes", g(t.evaluationsChanged)),
         ("input lines whose decisions change", g(t.changedLines)),
         ("realized P&L, new − old", signed(t.realizedDelta)),
         ("fees, new − old", signed(t.feesDelta))]
    }

    /// One line a reviewer reads in a second.
    public static func headline(_ t: CounterfactualTotals) -> String {
        if t.diverged == 0 { return "no account's decisions change on this history" }
        var parts = ["\(g(t.diverged)) of \(g(t.accounts)) accounts diverge"]
        if t.newlyLiquidated > 0 { parts.append("\(g(t.newlyLiquidated)) newly liquidated") }
        if t.noLongerLiquidated > 0 { parts.append("\(g(t.noLongerLiquidated)) no longer liquidated") }
        if t.newlyLocked > 0 { parts.append("\(g(t.newlyLocked)) newly locked") }
        if t.noLongerLocked > 0 { parts.append("\(g(t.noLongerLocked)) no longer locked") }
        if t.evaluationsChanged > 0 { parts.append("\(g(t.evaluationsChanged)) evaluation outcome\(t.evaluationsChanged == 1 ? "" : "s") changed") }
        if t.ordersNewlyRejected > 0 { parts.append("\(g(t.ordersNewlyRejected)) orders newly rejected") }
        if t.ordersNewlyAccepted > 0 { parts.append("\(g(t.ordersNewlyAccepted)) orders newly accepted") }
        if t.realizedDelta != .zero { parts.append("realized P&L \(signed(t.realizedDelta))") }
        return parts.joined(separator: ", ")
    }

    // MARK: One account

    /// What changed for an account, in a few words: `newly liquidated, realized -2,400.00`.
    public static func verdict(_ a: AccountComparison) -> String {
        var parts: [String] = []
        if a.evaluationChanged { parts.append("evaluation \(a.old.summary.evaluation ?? "none") → \(a.new.summary.evaluation ?? "none")") }
        let (lo, ln) = (a.old.summary.liquidations, a.new.summary.liquidations)
        if ln > lo { parts.append(lo == 0 ? "newly liquidated" : "liquidated more often (\(lo) → \(ln))") }
        if ln < lo { parts.append(ln == 0 ? "no longer liquidated" : "liquidated less often (\(lo) → \(ln))") }
        let (ko, kn) = (a.old.lockings, a.new.lockings)
        if kn > ko { parts.append(ko == 0 ? "newly locked" : "locked more often (\(ko) → \(kn))") }
        if kn < ko { parts.append(kn == 0 ? "no longer locked" : "locked less often (\(ko) → \(kn))") }
        if a.newlyRejected > 0 { parts.append(count(a.newlyRejected, "order") + " newly rejected") }
        if a.newlyAccepted > 0 { parts.append(count(a.newlyAccepted, "order") + " newly accepted") }
        if a.realizedDelta != .zero { parts.append("realized \(signed(a.realizedDelta))") }
        if parts.isEmpty { parts.append("decisions differ on \(count(a.changedLines, "line"))") }
        return parts.joined(separator: ", ")
    }

    /// What followed the divergence, one line per consequence that differs by the end.
    public static func consequences(_ a: AccountComparison) -> [String] {
        let o = a.old.summary, n = a.new.summary
        var out: [String] = []
        func pair(_ what: String, _ x: Int, _ y: Int) { if x != y { out.append("\(what): \(g(x)) → \(g(y))") } }
        func money(_ what: String, _ x: Money, _ y: Money) {
            if x != y { out.append("\(what): \(x.formatted()) → \(y.formatted()) (\(signed(y - x)))") }
        }
        if o.evaluation != n.evaluation { out.append("evaluation: \(o.evaluation ?? "none") → \(n.evaluation ?? "none")") }
        pair("liquidations", o.liquidations, n.liquidations)
        pair("locks", a.old.lockings, a.new.lockings)
        pair("scheduled flattens", o.scheduledFlattens, n.scheduledFlattens)
        pair("orders rejected", o.ordersRejected, n.ordersRejected)
        pair("working orders cancelled by the rules", o.cancels, n.cancels)
        let so = FleetReport.status(o), sn = FleetReport.status(n)
        if so != sn { out.append("final mode: \(so) → \(sn)") }
        money("realized P&L", o.realized, n.realized)
        money("fees", o.fees, n.fees)
        money("lowest net liquidation", o.lowestNetLiq, n.lowestNetLiq)
        money("final net liquidation", o.finalNetLiq, n.finalNetLiq)
        if a.old.inapplicable > 0 { out.append("lines the old rulebook could not apply: \(g(a.old.inapplicable))") }
        if a.new.inapplicable > 0 { out.append("lines the new rulebook could not apply: \(g(a.new.inapplicable))") }
        out.append("lines whose decisions differ: \(g(a.changedLines))")
        return out
    }

    static func decisions(_ d: [String]) -> [String] { d.isEmpty ? ["nothing"] : d }

    // MARK: Text

    public static func text(_ r: CounterfactualResult, history: String) -> String {
        var out = "counterfactual on \(history) (\(count(r.lines, "line")), \(count(r.totals.accounts, "account")))\n"
        out += headline(r.totals) + "\n\n"
        let rows = rows(r.totals)
        let width = rows.map(\.0.count).max() ?? 0
        for (k, v) in rows { out += "  " + k + String(repeating: " ", count: width - k.count) + "  " + v + "\n" }
        let top = r.byConsequence
        if top.isEmpty { return out }
        out += "\naccounts by consequence" + (top.count > listed ? " (\(listed) of \(g(top.count)))" : "") + ":\n"
        for a in top.prefix(listed) {
            out += "\n\(a.account)  \(a.template)  \(verdict(a))\n"
            if let d = a.divergence {
                out += "  first divergence: line \(d.line) at \(d.localTime): \(d.event)\n"
                for (i, t) in decisions(d.old).enumerated() { out += (i == 0 ? "    old: " : "         ") + indentLines(t) + "\n" }
                for (i, t) in decisions(d.new).enumerated() { out += (i == 0 ? "    new: " : "         ") + indentLines(t) + "\n" }
                if d.same > 0 { out += "    (and \(count(d.same, "decision")) on both sides)\n" }
            }
            out += "  by the end of the history:\n"
            for c in consequences(a) { out += "    " + c + "\n" }
        }
        return out
    }

    static func indentLines(_ t: String) -> String {
        t.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\n         ")
    }

    // MARK: Markdown

    /// The summary table (first in a pull-request comment).
    public static func markdownSummary(_ r: CounterfactualResult, history: String) -> String {
        var out = "### Counterfactual: what this change would have done\n\n"
        out += "Replayed `\(history)` (\(count(r.lines, "line")), \(count(r.totals.accounts, "account"))) under both rulebooks. "
        out += "**\(capitalized(headline(r.totals)))**.\n\n"
        out += "| Consequence | Count |\n|---|---:|\n"
        for (k, v) in rows(r.totals) { out += "| \(capitalized(k)) | \(v) |\n" }
        return out
    }

    /// The accounts by consequence (after the static changes).
    public static func markdownAccounts(_ r: CounterfactualResult) -> String {
        let top = r.byConsequence
        if top.isEmpty { return "" }
        var out = "### Accounts by consequence"
        out += top.count > listed ? " (the \(listed) most affected of \(g(top.count)))\n" : "\n"
        for a in top.prefix(listed) {
            out += "\n#### `\(a.account)` (`\(a.template)`): \(verdict(a))\n\n"
            if let d = a.divergence {
                out += "First divergence at line \(d.line), \(d.localTime): `\(code(d.event))`\n\n"
                out += "- old: " + decisions(d.old).map { code($0) }.joined(separator: "; ") + "\n"
                out += "- new: " + decisions(d.new).map { code($0) }.joined(separator: "; ") + "\n"
                if d.same > 0 { out += "- both: \(count(d.same, "other decision"))\n" }
                out += "\n"
            }
            out += "By the end of the history:\n\n"
            for c in consequences(a) { out += "- \(c)\n" }
        }
        return out
    }

    /// One line of Markdown for a decision (a category switch's liquidations join its line).
    static func code(_ s: String) -> String {
        s.split(separator: "\n").map { $0.trimmingLeadingSpaces }.joined(separator: " ")
    }

    // MARK: JSON

    /// The `counterfactual` member of the JSON document (schema version 1, README "Counterfactual
    /// review"): totals, then every diverged account by consequence.
    public static func json(_ r: CounterfactualResult, history: String, into s: ByteSink) {
        let t = r.totals
        s.raw("{\"history\":")
        s.quoted(history)
        s.raw(",\"lines\":")
        s.int(Int64(r.lines))
        s.raw(",\n    \"totals\":{")
        let ints: [(StaticString, Int)] = [
            ("accounts", t.accounts), ("diverged", t.diverged), ("newlyLiquidated", t.newlyLiquidated),
            ("noLongerLiquidated", t.noLongerLiquidated), ("newlyLocked", t.newlyLocked), ("noLongerLocked", t.noLongerLocked),
            ("ordersNewlyRejected", t.ordersNewlyRejected), ("ordersNewlyAccepted", t.ordersNewlyAccepted),
            ("evaluationsChanged", t.evaluationsChanged), ("changedLines", t.changedLines)]
        for (k, (key, n)) in ints.enumerated() {
            if k > 0 { s.byte(0x2C) }
            s.byte(0x22); s.raw(key); s.raw("\":"); s.int(Int64(n))
        }
        s.raw(",\"realizedDelta\":"); s.money(t.realizedDelta)
        s.raw(",\"feesDelta\":"); s.money(t.feesDelta)
        s.raw("},\n    \"accounts\":[")
        let accounts = r.byConsequence
        for (k, a) in accounts.enumerated() {
            s.raw(k == 0 ? "\n      " : ",\n      ")
            account(a, s)
        }
        s.raw(accounts.isEmpty ? "]}" : "\n    ]}")
    }

    static func account(_ a: AccountComparison, _ s: ByteSink) {
        s.raw("{\"account\":"); s.quoted(a.account)
        s.raw(",\"template\":"); s.quoted(a.template)
        s.raw(",\"changedLines\":"); s.int(Int64(a.changedLines))
        s.raw(",\"newlyRejected\":"); s.int(Int64(a.newlyRejected))
        s.raw(",\"newlyAccepted\":"); s.int(Int64(a.newlyAccepted))
        s.raw(",\"realizedDelta\":"); s.money(a.realizedDelta)
        s.raw(",\"feesDelta\":"); s.money(a.feesDelta)
        s.raw(",\"lowestNetLiqDelta\":"); s.money(a.lowestNetLiqDelta)
        if let d = a.divergence {
            s.raw(",\"firstDivergence\":{\"line\":"); s.int(Int64(d.line))
            s.raw(",\"at\":\""); s.instant(d.at)
            s.raw("\",\"local\":"); s.quoted(d.localTime)
            s.raw(",\"event\":"); s.quoted(d.event)
            s.raw(",\"old\":"); strings(d.old, s)
            s.raw(",\"new\":"); strings(d.new, s)
            s.raw(",\"same\":"); s.int(Int64(d.same))
            s.byte(0x7D)
        }
        s.raw(",\"old\":"); side(a.old, s)
        s.raw(",\"new\":"); side(a.new, s)
        s.byte(0x7D)
    }

    static func side(_ o: SideOutcome, _ s: ByteSink) {
        let m = o.summary
        s.raw("{\"finalMode\":\""); s.text(FleetReport.mode(m.finalMode))
        s.raw("\",\"cause\":")
        if let c = m.cause { s.quoted(c) } else { s.raw("null") }
        s.raw(",\"evaluation\":")
        if let e = m.evaluation { s.quoted(e) } else { s.raw("null") }
        s.raw(",\"liquidations\":"); s.int(Int64(m.liquidations))
        s.raw(",\"locks\":"); s.int(Int64(o.lockings))
        s.raw(",\"scheduledFlattens\":"); s.int(Int64(m.scheduledFlattens))
        s.raw(",\"ordersAccepted\":"); s.int(Int64(m.ordersAccepted))
        s.raw(",\"ordersRejected\":"); s.int(Int64(m.ordersRejected))
        s.raw(",\"cancels\":"); s.int(Int64(m.cancels))
        s.raw(",\"inapplicable\":"); s.int(Int64(o.inapplicable))
        s.raw(",\"realized\":"); s.money(m.realized)
        s.raw(",\"fees\":"); s.money(m.fees)
        s.raw(",\"lowestNetLiq\":"); s.money(m.lowestNetLiq)
        s.raw(",\"finalNetLiq\":"); s.money(m.finalNetLiq)
        s.byte(0x7D)
    }

    static func strings(_ list: [String], _ s: ByteSink) {
        s.byte(0x5B)
        for (i, t) in list.enumerated() {
            if i > 0 { s.byte(0x2C) }
            s.quoted(t)
        }
        s.byte(0x5D)
    }

    // MARK: Words

    static func g(_ n: Int) -> String { FleetReport.grouped(n) }
    static func count(_ n: Int, _ what: String) -> String { "\(g(n)) \(what)\(n == 1 ? "" : "s")" }
    static func signed(_ m: Money) -> String { m.units > 0 ? "+" + m.formatted() : m.formatted() }
    static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
}

private extension Substring {
    var trimmingLeadingSpaces: Substring { drop { $0 == " " } }
}
