import RuleBase
import RuleJSON
import RuleEngine
import RuleCodecs

/// The summaries as JSON: one object per account (the `{"summary":…}` lines that end a JSON
/// Lines replay and the `accounts` of `--format json`), and the fleet totals. Field order is
/// fixed; reading them back (for `--merge`) gives the same values, so re-encoding is byte-exact.
public struct SummaryError: Error, Sendable {
    public var message: String
    init(_ m: String) { message = m }
}

public enum SummaryCodec {
    public static func account(_ s: AccountSummary, into o: ByteSink) {
        o.raw("{\"account\":")
        o.quoted(s.account)
        o.raw(",\"template\":")
        o.quoted(s.template)
        o.raw(",\"events\":")
        o.int(Int64(s.events))
        o.raw(",\"mode\":\"")
        o.raw(StepWriter.modeName(s.finalMode))
        o.byte(0x22)
        if let c = s.cause {
            o.raw(",\"cause\":")
            o.quoted(c)
        }
        if let r = s.releaseAt {
            o.raw(",\"releaseAt\":\"")
            o.instant(r)
            o.byte(0x22)
        }
        o.raw(",\"breaches\":[")
        for (k, b) in s.breaches.enumerated() {
            if k > 0 { o.byte(UInt8(ascii: ",")) }
            o.raw("{\"rule\":")
            o.quoted(b.rule)
            o.raw(",\"count\":")
            o.int(Int64(b.count))
            o.byte(UInt8(ascii: "}"))
        }
        o.raw("],\"liquidations\":")
        o.int(Int64(s.liquidations))
        for (key, n) in [
            (",\"scheduledFlattens\":", s.scheduledFlattens),
            (",\"cancels\":", s.cancels),
            (",\"ordersAccepted\":", s.ordersAccepted),
            (",\"ordersRejected\":", s.ordersRejected),
        ] as [(StaticString, Int)] {
            o.raw(key)
            o.int(Int64(n))
        }
        for (key, m) in [
            (",\"startBalance\":", s.startBalance),
            (",\"balance\":", s.finalBalance),
            (",\"netLiq\":", s.finalNetLiq),
            (",\"realized\":", s.realized),
            (",\"fees\":", s.fees),
            (",\"cash\":", s.cash),
            (",\"lowestNetLiq\":", s.lowestNetLiq),
        ] as [(StaticString, Money)] {
            o.raw(key)
            o.money(m)
        }
        if let t = s.trailingLevel {
            o.raw(",\"trailingLevel\":")
            o.money(t)
        }
        o.raw(",\"working\":")
        o.int(Int64(s.working))
        evaluation(s, into: o)
        o.byte(UInt8(ascii: "}"))
    }

    public static func fleet(_ t: FleetTotals, into o: ByteSink) {
        o.raw("{\"accounts\":")
        o.int(Int64(t.accounts))
        for (key, n) in [
            (",\"events\":", t.events),
            (",\"normal\":", t.normal),
            (",\"liquidateOnly\":", t.liquidateOnly),
            (",\"locked\":", t.locked),
            (",\"accountsLiquidated\":", t.accountsLiquidated),
            (",\"liquidations\":", t.liquidations),
            (",\"scheduledFlattens\":", t.scheduledFlattens),
            (",\"cancels\":", t.cancels),
            (",\"breaches\":", t.breaches),
            (",\"ordersAccepted\":", t.ordersAccepted),
            (",\"ordersRejected\":", t.ordersRejected),
        ] as [(StaticString, Int)] {
            o.raw(key)
            o.int(Int64(n))
        }
        for (key, m) in [
            (",\"realized\":", t.realized),
            (",\"fees\":", t.fees),
            (",\"cash\":", t.cash),
        ] as [(StaticString, Money)] {
            o.raw(key)
            o.money(m)
        }
        o.raw(",\"breachesByRule\":[")
        for (k, b) in t.breachesByRule.enumerated() {
            if k > 0 { o.byte(UInt8(ascii: ",")) }
            o.raw("{\"rule\":")
            o.quoted(b.rule)
            o.raw(",\"count\":")
            o.int(Int64(b.count))
            o.byte(UInt8(ascii: "}"))
        }
        o.raw("],\"templates\":[")
        for (k, c) in t.templates.enumerated() {
            if k > 0 { o.byte(UInt8(ascii: ",")) }
            o.raw("{\"template\":")
            o.quoted(c.template)
            o.raw(",\"accounts\":")
            o.int(Int64(c.accounts))
            o.raw(",\"normal\":")
            o.int(Int64(c.normal))
            o.raw(",\"liquidateOnly\":")
            o.int(Int64(c.liquidateOnly))
            o.raw(",\"locked\":")
            o.int(Int64(c.locked))
            o.raw(",\"liquidated\":")
            o.int(Int64(c.liquidated))
            o.byte(UInt8(ascii: "}"))
        }
        o.byte(UInt8(ascii: "]"))
        t.evaluations.json(into: o)
        o.byte(UInt8(ascii: "}"))
    }

    /// The JSON Lines tail of a replay: a `{"summary":…}` line per account, then `{"fleet":…}`.
    public static func tail(_ summaries: [AccountSummary], into o: ByteSink) {
        for s in summaries {
            o.raw("{\"summary\":")
            account(s, into: o)
            o.raw("}\n")
        }
        o.raw("{\"fleet\":")
        fleet(FleetTotals(summaries), into: o)
        o.raw("}\n")
    }

    /// `--format json`: one document.
    public static func document(_ summaries: [AccountSummary], into o: ByteSink) {
        o.raw("{\"version\":1,\"fleet\":")
        fleet(FleetTotals(summaries), into: o)
        o.raw(",\"accounts\":[")
        for (k, s) in summaries.enumerated() {
            o.raw(k == 0 ? "\n" : ",\n")
            account(s, into: o)
        }
        o.raw("\n]}\n")
    }

    /// An account summary read back from its JSON; nil with a message when a field is wrong.
    public static func decode(_ v: JSONValue) -> Result<AccountSummary, SummaryError> {
        func money(_ k: String) -> Money? { v[k]?.moneyValue }
        func int(_ k: String) -> Int? { v[k]?.int64Value.map { Int($0) } }
        guard let id = v["account"]?.stringValue, let t = v["template"]?.stringValue else { return .failure(SummaryError("a summary needs `account` and `template`")) }
        var s = AccountSummary(account: id, template: t)
        guard let events = int("events"), let lq = int("liquidations"), let c = int("cancels"), let oa = int("ordersAccepted"),
              let orj = int("ordersRejected"), let w = int("working"), let sf = int("scheduledFlattens") else { return .failure(SummaryError("summary of `\(id)`: a count is missing")) }
        s.events = events; s.liquidations = lq; s.cancels = c; s.ordersAccepted = oa; s.ordersRejected = orj; s.working = w; s.scheduledFlattens = sf
        switch v["mode"]?.stringValue {
        case "normal": s.finalMode = .normal
        case "liquidate_only": s.finalMode = .liquidateOnly
        case "locked": s.finalMode = .locked
        default: return .failure(SummaryError("summary of `\(id)`: unknown mode"))
        }
        s.cause = v["cause"]?.stringValue
        if let r = v["releaseAt"] {
            guard let text = r.stringValue, let at = InstantText.parse(text) else { return .failure(SummaryError("summary of `\(id)`: bad releaseAt")) }
            s.releaseAt = at
        }
        for b in v["breaches"]?.arrayValue ?? [] {
            guard let rule = b["rule"]?.stringValue, let n = b["count"]?.int64Value else { return .failure(SummaryError("summary of `\(id)`: bad breach")) }
            s.breaches.append(RuleCount(rule: rule, count: Int(n)))
        }
        guard let sb = money("startBalance"), let fb = money("balance"), let nl = money("netLiq"), let re = money("realized"),
              let fe = money("fees"), let ca = money("cash"), let lo = money("lowestNetLiq") else {
            return .failure(SummaryError("summary of `\(id)`: an amount is missing"))
        }
        s.startBalance = sb; s.finalBalance = fb; s.finalNetLiq = nl; s.realized = re; s.fees = fe; s.cash = ca; s.lowestNetLiq = lo
        s.trailingLevel = money("trailingLevel")
        s.evaluation = v["evaluation"]?.stringValue
        if let r = v["evaluationAt"] {
            guard let text = r.stringValue, let at = InstantText.parse(text) else { return .failure(SummaryError("summary of `\(id)`: bad evaluationAt")) }
            s.evaluationAt = at
        }
        return .success(s)
    }
}
