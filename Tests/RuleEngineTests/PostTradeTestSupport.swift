import RuleBase
import RuleGraph
import RuleSemantics
import Testing
@testable import RuleEngine

/// The calendar and products every post-trade scenario shares (CME hours in Chicago time).
let scenarioCatalog = """
calendar cme {
  timezone "America/Chicago"
  trading_day_starts 17:00
  week_starts sunday 17:00
  end_of_day 16:00
  early_close 2026-11-26 12:00
  holiday 2026-12-25
}
product ES { point_value 50 USD; tick 0.25; day_margin 500 USD; overnight_margin 13_200 USD }
product CL { point_value 1_000 USD; tick 0.01; day_margin 1_000 USD; overnight_margin 6_000 USD }
product BIG { point_value 50 USD; tick 0.25; day_margin 10_000 USD; overnight_margin 20_000 USD }

"""

/// Compiles `template` from a rulebook made of the shared catalog plus `body`.
func scenarioGraph(_ body: String, template: String = "t") throws -> RuleGraph {
    let (model, diags) = Checker.check(source: scenarioCatalog + body, options: CheckOptions(isKnownTimeZone: { _ in true }))
    let errors = diags.filter { $0.severity == .error }
    #expect(errors.isEmpty, "rulebook does not check: \(errors.map(\.message))")
    return try #require(Lowering.lower(model).first { $0.template == template })
}

func usd(_ text: String) -> Money {
    guard let m = Money(parsing: text) else { preconditionFailure("bad money \(text)") }
    return m
}

func px(_ text: String) -> Price {
    guard let d = DecimalNumber(text), let p = Price(d) else { preconditionFailure("bad price \(text)") }
    return p
}

/// Drives one engine through events and renders what happened as short lines that read like
/// the rulebook: `breach auto_liquidate.daily_loss (USD) 1000.00 >= 1000.00 until 2026-03-03T23:00:00Z`.
struct Scenario {
    let graph: RuleGraph
    var engine: PostTradeEngine
    var out = Outcome()

    init(_ body: String, template: String = "t", at start: String, balance: String? = nil,
         commission: String = "0") throws {
        graph = try scenarioGraph(body, template: template)
        let zone = try #require(chicagoZone)
        let calendar = TradingCalendar(CalendarRules(graph.calendar, zone: zone))
        let b = balance.map(usd) ?? graph.startingBalance ?? .zero
        let account = AccountState(productCount: graph.products.count, balance: b, commissionPerContract: usd(commission))
        engine = PostTradeEngine(graph: graph, calendar: calendar, account: account, at: utc(start))
    }

    func product(_ symbol: String) -> Int32 {
        guard let i = graph.productIndex(symbol) else { preconditionFailure("no product \(symbol)") }
        return i
    }

    /// Applies one event and returns the rendered lines of every step it produced.
    mutating func send(_ at: String, _ kind: Event.Kind) -> [String] {
        out.removeAll()
        engine.apply(Event(at: utc(at), kind), into: &out)
        return render()
    }

    @discardableResult
    mutating func fill(_ at: String, _ symbol: String, _ qty: Int64, _ price: String, commission: String? = nil) -> [String] {
        send(at, .fill(Fill(product: product(symbol), quantity: qty, price: px(price), commission: commission.map(usd))))
    }

    @discardableResult
    mutating func mark(_ at: String, _ symbol: String, _ price: String) -> [String] {
        send(at, .mark(Mark(product: product(symbol), price: px(price))))
    }

    @discardableResult
    mutating func clock(_ at: String) -> [String] { send(at, .clock) }

    @discardableResult
    mutating func admin(_ at: String, _ kind: AdminAction.Kind, _ code: AdminAction.ReasonCode = .other,
                        reason: String? = "desk review") -> [String] {
        send(at, .admin(AdminAction(kind, reasonCode: code, reason: reason)))
    }

    var snapshot: Snapshot { engine.snapshot }
    var mode: AccountModeKind { engine.restrictions.mode }

    func render() -> [String] {
        var lines: [String] = []
        for step in out.steps {
            if step.origin != .event { lines.append("\(step.origin.name) \(step.at)") }
            for item in out.items(of: step) { lines.append(describe(item)) }
        }
        return lines
    }

    func describe(_ item: DecisionItem) -> String {
        switch item {
        case .breach(let b):
            let m = b.measure
            let unit = { (v: Int64) in m.unit == .money ? Money(units: v).formatted(grouping: false) : Money(units: v).formatted(grouping: false) + "%" }
            let until = b.releaseAt.map { " until \($0)" } ?? (b.release == .none ? "" : " \(b.release)")
            return "breach \(graph.testFields[Int(b.test)]) \(unit(m.value)) \(m.atMost ? "<=" : ">=") \(unit(m.limit))\(until)"
        case .flatten(let c): return "flatten \(c)"
        case .liquidated(let l):
            return "liquidated \(graph.products[Int(l.product)].symbol) \(l.quantity) @ \(l.price) realized \(l.realized.formatted(grouping: false))"
        case .restricted(let c): return "restricted \(originText(c.origin)) \(c.mode) \(c.release)"
        case .released(let c): return "released \(originText(c.origin)) \(c.mode)"
        case .modeChanged(let a, let b): return "mode \(a) -> \(b)"
        case .admin(let k): return "admin \(k)"
        case .adminRejected(let r): return "admin rejected: \(r)"
        case .fillRejected: return "fill rejected"
        case .order(_, let d):
            guard let r = d.rejection else { return "order accepted" }
            return "order rejected \(r.kind.code)"
        case .orderInvalid: return "order invalid"
        case .categorySwitched(let name, let ls): return "category switch \(name) (\(ls.count) liquidations)"
        case .categorySwitchSkipped(let name, let why): return "category switch skipped \(name) \(why)"
        case .cancelled(let c):
            let o = c.order
            return "cancelled \(o.id) \(o.side) \(o.remaining) \(graph.products[Int(o.product)].symbol) by \(c.cause)"
        case .fillIgnored(let id, let e): return "fill ignored \(id) \(e)"
        case .cancelIgnored(let id, let e): return "cancel ignored \(id) \(e)"
        case .evaluation(let s): return "evaluation \(s)"
        case .scalingTier(let from, let to): return "scaling tier \(from + 1) -> \(to + 1)"
        case .payout(let d): return "payout \(d.amount) \(d.paid ? "paid" : "refused")"
        }
    }

    func originText(_ o: Cause.Origin) -> String {
        switch o {
        case .test(let i): return "\(graph.testFields[Int(i)])"
        case .admin(let k): return "admin \(k)"
        }
    }
}
