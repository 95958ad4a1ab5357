import RuleBase
import RuleGraph
import RuleSemantics
import Testing
@testable import RuleEngine

/// The rulebook every pre-trade test compiles: one calendar, two time periods, two categories.
let preTradeSource = """
calendar cme {
  timezone "America/Chicago"
}
product ES {
  point_value 50 USD
}
product MES {
  point_value 5 USD
}
product NG {
  point_value 10_000 USD
}
product CL {
  point_value 1_000 USD
}
product YM {
  point_value 5 USD
}
time_period close_out {
  start 15:55
  stop 17:00
  on 2026-11-26 start 11:55
}
time_period overnight {
  start 15:55
  stop 07:00
  on 2026-11-26 start 11:55 stop 08:30
}
time_period merged {
  start 16:00
  stop 17:00
  on 2026-06-15 start 17:00 stop 16:30
}
risk_category small {
  max_position ES 5
  max_position MES 50
  max_long NG 2
  max_short NG 1
  restrict CL
  max_group minis 6 {
    ES 1
    MES 0.1
    NG 2
  }
}
risk_category tight {
  max_position ES 2
  max_position MES 20
  restrict NG
  max_group minis 3 {
    ES 1
    MES 0.1
  }
}
template day {
  calendar cme
  time_period close_out
  risk_category small
  liquidate_only {
    daily_loss 800 USD
  }
  auto_liquidate {
    daily_loss 1_000 USD
  }
}
template night extends day {
  time_period overnight
}
template odd extends day {
  time_period merged
}
template switched extends day {
  risk_category tight
}
template bare {
  calendar cme
}
"""

/// The compiled test rulebook: its graphs by template name and its sources.
struct PreTradeFixture {
    let rulebook: CheckedRulebook
    let graphs: [String: RuleGraph]

    static func load() throws -> PreTradeFixture {
        let (rb, diags) = Checker.check(source: preTradeSource)
        #expect(!diags.hasErrors, "\(diags)")
        var graphs: [String: RuleGraph] = [:]
        for g in Lowering.lower(rb) { graphs[g.template] = g }
        return PreTradeFixture(rulebook: rb, graphs: graphs)
    }

    func check(_ template: String = "day", policy: PreTradePolicy = .standard) throws -> PreTradeCheck {
        let g = try #require(graphs[template])
        return PreTradeCheck(graph: g, zone: try #require(chicagoZone), policy: policy, periodYears: 2024...2028)
    }

    /// The trimmed source line a span starts on.
    func line(_ span: Span?) -> String {
        guard let s = span else { return "<none>" }
        let file = rulebook.sources[s.file]
        return file.lineText(file.location(of: s.start).line).trimmingCharacters(in: " ")
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}

/// An order from a symbol; unknown symbols become `Order.unknownProduct`.
func order(_ c: PreTradeCheck, _ side: OrderSide, _ qty: Int64, _ symbol: String) throws -> Order {
    try #require(Order(product: c.productIndex(symbol) ?? Order.unknownProduct, side: side, quantity: qty))
}

/// An account with positions given by symbol.
func account(_ c: PreTradeCheck, _ mode: AccountMode = .normal, _ positions: [String: Int64] = [:],
             buys: [String: Int64] = [:], sells: [String: Int64] = [:]) -> PreTradeAccount {
    func array(_ d: [String: Int64]) -> [Int64] {
        if d.isEmpty { return [] }
        var a = [Int64](repeating: 0, count: c.graph.products.count)
        for (s, q) in d { if let i = c.productIndex(s) { a[Int(i)] = q } }
        return a
    }
    return PreTradeAccount(mode: mode, positions: array(positions), workingBuys: array(buys), workingSells: array(sells))
}

/// Monday 2026-06-15 10:00 CDT: a plain trading hour, outside every time period.
let tradingHour = utc("2026-06-15T15:00:00Z")
/// Monday 2026-06-15 16:30 CDT: inside close_out.
let closeOutHour = utc("2026-06-15T21:30:00Z")
let lockedUntil = utc("2026-06-15T22:00:00Z")

@Suite("Pre-trade order check")
struct PreTradeCheckTests {
    let fx: PreTradeFixture
    init() throws { fx = try PreTradeFixture.load() }

    /// The lock / liquidate-only cause: the graph's first test (auto_liquidate daily_loss).
    var autoLiqCause: RestrictionCause { .threshold(0) }
    var liqOnlyCause: RestrictionCause { .threshold(1) }

    @Test("one rejection per reason, with its rulebook line", arguments: [
        // (name, mode 0/1/2, symbol, position, side, qty, at, expected kind or nil, expected line)
        ("accepted", 0, "ES", 0, OrderSide.buy, 1, tradingHour, nil, "<none>"),
        ("account locked", 2, "ES", 0, .buy, 1, tradingHour, RejectionKind.accountLocked, "daily_loss 1_000 USD"),
        ("unknown product", 0, "ZN", 0, .buy, 1, tradingHour, .unknownProduct, "<none>"),
        ("inside the risk time period", 0, "ES", 0, .buy, 1, closeOutHour, .riskTimePeriod, "time_period close_out {"),
        ("liquidate-only and increasing", 1, "ES", 1, .buy, 1, tradingHour, .liquidateOnly, "daily_loss 800 USD"),
        ("restricted product", 0, "CL", 0, .buy, 1, tradingHour, .restrictedProduct, "restrict CL"),
        ("position limit", 0, "ES", 5, .buy, 1, tradingHour, .positionLimit, "max_position ES 5"),
        ("group limit", 0, "NG", 0, .buy, 1, tradingHour, .groupLimit, "max_group minis 6 {"),
    ] as [(String, Int, String, Int64, OrderSide, Int64, Instant, RejectionKind?, String)])
    func reasons(name: String, mode: Int, symbol: String, position: Int64, side: OrderSide, qty: Int64, at: Instant,
                 kind: RejectionKind?, line: String) throws {
        let c = try fx.check()
        let modes: [AccountMode] = [.normal, .liquidateOnly(cause: liqOnlyCause, until: .at(lockedUntil)),
                                    .locked(cause: autoLiqCause, until: .at(lockedUntil))]
        // The group case: 5 ES already use 5 of 6 mini-equivalents; one NG weighs 2.
        var positions = [symbol: position]
        if kind == .groupLimit { positions["ES"] = 5 }
        let d = c.check(order: try order(c, side, qty, symbol), account: account(c, modes[mode], positions), at: at)
        #expect(d.kind == kind, "\(name): \(c.message(for: d))")
        #expect(fx.line(d.rejection?.span) == line, "\(name)")
    }

    @Test("limits: exactly at the limit passes, one over is rejected", arguments: [
        // (symbol, position, side, qty, working buys, working sells, accepted)
        ("ES", 4, OrderSide.buy, 1, 0, 0, true),        // long 5 = limit
        ("ES", 5, .buy, 1, 0, 0, false),                // long 6 > 5
        ("ES", 0, .buy, 5, 0, 0, true),
        ("ES", 0, .buy, 6, 0, 0, false),
        ("ES", -4, .sell, 1, 0, 0, true),               // short 5 = limit
        ("ES", -5, .sell, 1, 0, 0, false),              // short 6 > 5
        ("ES", -2, .buy, 7, 0, 0, true),                // reversal to long 5 fits the long side
        ("ES", -2, .buy, 8, 0, 0, false),               // reversal to long 6 does not
        ("ES", 8, .sell, 1, 0, 0, true),                // reducing passes though still above the limit
        ("ES", -8, .buy, 2, 0, 0, true),
        ("NG", 1, .buy, 1, 0, 0, true),                 // max_long NG 2
        ("NG", 2, .buy, 1, 0, 0, false),
        ("NG", 0, .sell, 1, 0, 0, true),                // max_short NG 1
        ("NG", -1, .sell, 1, 0, 0, false),
        ("YM", 0, .buy, 1_000, 0, 0, true),             // not in the category: no cap
        ("ES", 3, .buy, 1, 1, 0, true),                 // working buys count: 3 + 1 + 1 = 5
        ("ES", 3, .buy, 1, 2, 0, false),                // 3 + 2 + 1 = 6
        ("ES", 3, .buy, 2, 0, 4, true),                 // working sells do not count for a buy
        ("ES", -3, .sell, 2, 0, 1, false),              // short 3 + 1 working + 2 = 6
    ] as [(String, Int64, OrderSide, Int64, Int64, Int64, Bool)])
    func limits(symbol: String, position: Int64, side: OrderSide, qty: Int64, wb: Int64, ws: Int64, accepted: Bool) throws {
        let c = try fx.check()
        let a = account(c, .normal, [symbol: position], buys: wb > 0 ? [symbol: wb] : [:], sells: ws > 0 ? [symbol: ws] : [:])
        let d = c.check(order: try order(c, side, qty, symbol), account: a, at: tradingHour)
        #expect(d.isAccepted == accepted, "\(c.message(for: d))")
        if !accepted { #expect(d.kind == .positionLimit) }
    }

    @Test("group limit: weighted, micros at 0.1, at the limit passes, one over is rejected", arguments: [
        // (positions, order symbol, side, qty, accepted)
        (["ES": 5, "MES": 9], "MES", OrderSide.buy, 1, true),    // 5 + 1.0 = 6
        (["ES": 5, "MES": 10], "MES", .buy, 1, false),           // 5 + 1.1 = 6.1
        (["ES": 5, "MES": -10], "MES", .sell, 1, false),         // gross: short micros count too
        (["ES": -5, "MES": 10], "MES", .sell, 1, true),          // reducing MES lowers the total
        (["ES": 4], "NG", .buy, 1, true),                        // 4 + 2 = 6
        (["ES": 4, "NG": 1], "NG", .buy, 1, false),              // 4 + 4 = 8
        (["ES": 5, "MES": 20], "ES", .sell, 1, true),            // over the group, but reducing
    ] as [([String: Int64], String, OrderSide, Int64, Bool)])
    func groups(positions: [String: Int64], symbol: String, side: OrderSide, qty: Int64, accepted: Bool) throws {
        let c = try fx.check()
        let d = c.check(order: try order(c, side, qty, symbol), account: account(c, .normal, positions), at: tradingHour)
        #expect(d.isAccepted == accepted, "\(c.message(for: d))")
        if !accepted { #expect(d.kind == .groupLimit) }
    }

    @Test("liquidate-only: reducing and closing pass; increasing, opening and reversing are rejected (R-18)", arguments: [
        // (position, side, qty, working sells, standard policy accepts, workload-B policy accepts)
        (3, OrderSide.sell, 1, 0, true, true),     // reducing
        (3, .sell, 3, 0, true, true),              // closing
        (3, .buy, 1, 0, false, false),             // increasing
        (0, .buy, 1, 0, false, false),             // opening
        (3, .sell, 4, 0, false, true),             // reversal to short 1: |1| < |3|
        (2, .sell, 4, 0, false, true),             // reversal to short 2: |2| = |2|
        (2, .sell, 5, 0, false, false),            // reversal to short 3: larger either way
        (-2, .buy, 2, 0, true, true),              // closing a short
        (-2, .buy, 3, 0, false, true),
        (3, .sell, 2, 2, false, true),             // with 2 working sells the worst case is short 1
        (3, .sell, 1, 2, true, true),              // 1 + 2 working = 3: still closing
    ] as [(Int64, OrderSide, Int64, Int64, Bool, Bool)])
    func liquidateOnly(position: Int64, side: OrderSide, qty: Int64, ws: Int64, standard: Bool, workloadB: Bool) throws {
        for (policy, accepted) in [(PreTradePolicy.standard, standard), (.workloadB, workloadB)] {
            let c = try fx.check(policy: policy)
            let a = account(c, .liquidateOnly(cause: liqOnlyCause, until: .at(lockedUntil)), ["ES": position],
                            sells: ws > 0 ? ["ES": ws] : [:])
            let d = c.check(order: try order(c, side, qty, "ES"), account: a, at: tradingHour)
            #expect(d.isAccepted == accepted, "\(policy.reversal): \(c.message(for: d))")
            if !accepted { #expect(d.kind == .liquidateOnly) }
        }
    }

    @Test("every mode: normal, liquidate-only, auto lock, admin lock")
    func modes() throws {
        let c = try fx.check()
        let closing = try order(c, .sell, 2, "ES"), opening = try order(c, .buy, 1, "ES")
        let positions = ["ES": Int64(2)]
        #expect(c.check(order: opening, account: account(c, .normal, positions), at: tradingHour) == .accepted)
        #expect(c.check(order: closing, account: account(c, .normal, positions), at: tradingHour) == .accepted)

        let liq = AccountMode.liquidateOnly(cause: liqOnlyCause, until: .at(lockedUntil))
        #expect(c.check(order: closing, account: account(c, liq, positions), at: tradingHour) == .accepted)
        let r = try #require(c.check(order: opening, account: account(c, liq, positions), at: tradingHour).rejection)
        #expect(r.reason == .liquidateOnly(product: try #require(c.productIndex("ES")), position: 2, after: 3,
                                           cause: liqOnlyCause, until: .at(lockedUntil)))

        // A lock rejects closing orders too, and says why and until when.
        for (cause, until) in [(autoLiqCause, RestrictionEnd.at(lockedUntil)), (.admin, .manual), (autoLiqCause, .permanent)] {
            let d = c.check(order: closing, account: account(c, .locked(cause: cause, until: until), positions), at: tradingHour)
            #expect(d.rejection?.reason == .accountLocked(cause: cause, until: until))
            #expect(fx.line(d.rejection?.span) == (cause == .admin ? "<none>" : "daily_loss 1_000 USD"))
        }
    }

    @Test("precedence: R-28 by default, the workload-B order when asked, any order by API")
    func precedence() throws {
        // Everything fails at once except the lock: liquidate-only, restricted CL, inside close_out.
        let liq = AccountMode.liquidateOnly(cause: liqOnlyCause, until: .at(lockedUntil))
        let standard = try fx.check()
        let a = account(standard, liq)
        let cl = try order(standard, .buy, 1, "CL")
        #expect(standard.check(order: cl, account: a, at: closeOutHour).kind == .riskTimePeriod)
        #expect(standard.check(order: cl, account: a, at: tradingHour).kind == .liquidateOnly)
        #expect(try fx.check(policy: .workloadB).check(order: cl, account: a, at: closeOutHour).kind == .restrictedProduct)
        let custom = try fx.check(policy: PreTradePolicy(precedence: [.restrictedProduct, .liquidateOnly]))
        #expect(custom.policy.precedence.count == RejectionKind.allCases.count)
        #expect(custom.check(order: cl, account: a, at: closeOutHour).kind == .restrictedProduct)
        #expect(custom.check(order: cl, account: account(standard, .locked(cause: .admin, until: .manual)), at: tradingHour).kind
                == .restrictedProduct)
        // The lock still wins under every preset.
        for p in [PreTradePolicy.standard, .workloadB] {
            let c = try fx.check(policy: p)
            #expect(c.check(order: cl, account: account(c, .locked(cause: .admin, until: .manual)), at: closeOutHour).kind == .accountLocked)
        }
    }

    @Test("messages a trader reads")
    func messages() throws {
        let c = try fx.check()
        func text(_ mode: AccountMode, _ positions: [String: Int64], _ side: OrderSide, _ qty: Int64, _ symbol: String,
                  _ at: Instant = tradingHour) throws -> String {
            c.message(for: c.check(order: try order(c, side, qty, symbol), account: account(c, mode, positions), at: at),
                      unknownSymbol: symbol)
        }
        #expect(try text(.normal, ["ES": 5], .buy, 1, "ES") == "rejected: position limit for `ES` would become long 6 > 5")
        #expect(try text(.normal, ["NG": -1], .sell, 1, "NG") == "rejected: position limit for `NG` would become short 2 > 1")
        #expect(try text(.normal, ["ES": 5, "MES": 10], .buy, 1, "MES") == "rejected: group limit `minis` would become 6.1 > 6.0")
        #expect(try text(.normal, [:], .buy, 1, "CL") == "rejected: `CL` is restricted in risk category `small`")
        #expect(try text(.normal, [:], .buy, 1, "ZN") == "rejected: product `ZN` unknown to the rulebook")
        #expect(try text(.normal, [:], .buy, 1, "ES", closeOutHour)
                == "rejected: inside the risk time period `close_out`; orders are accepted again at 2026-06-15 17:00 America/Chicago (2026-06-15T22:00:00Z)")
        #expect(try text(.locked(cause: .threshold(0), until: .at(lockedUntil)), [:], .buy, 1, "ES")
                == "rejected: account locked by `auto_liquidate.daily_loss (USD)` until 2026-06-15 17:00 America/Chicago (2026-06-15T22:00:00Z)")
        #expect(try text(.liquidateOnly(cause: .admin, until: .manual), ["ES": 2], .sell, 3, "ES")
                == "rejected: liquidate-only (an admin action, until an admin `Normal`): the order takes `ES` from long 2 to short 1; only orders that reduce the position are accepted")
        #expect(try text(.normal, [:], .buy, 1, "ES") == "accepted")
    }

    /// A template without a time period still names instants in its calendar's zone.
    @Test func instantsInTheCalendarZoneWithoutATimePeriod() throws {
        let c = try fx.check("bare")
        let d = c.check(order: try order(c, .buy, 1, "ES"), account: account(c, .locked(cause: .admin, until: .at(lockedUntil))), at: tradingHour)
        #expect(c.message(for: d) == "rejected: account locked by an admin action until 2026-06-15 17:00 America/Chicago (2026-06-15T22:00:00Z)")
    }

    @Test("orders: quantity must be 1 to Order.maxQuantity; products outside the catalog are unknown")
    func orders() throws {
        #expect(Order(product: 0, side: .buy, quantity: 0) == nil)
        #expect(Order(product: 0, side: .buy, quantity: -1) == nil)
        #expect(Order(product: 0, side: .sell, quantity: Order.maxQuantity + 1) == nil)
        #expect(Order(product: 0, side: .sell, quantity: Order.maxQuantity)?.signedQuantity == -Order.maxQuantity)
        let c = try fx.check()
        for p: Int32 in [-1, 5, 99, .max, .min] {
            let o = try #require(Order(product: p, side: .buy, quantity: 1))
            #expect(c.check(order: o, account: PreTradeAccount(), at: tradingHour).kind == .unknownProduct)
        }
    }

    @Test("a template without time period or category accepts every known product (R-27)")
    func bare() throws {
        let c = try fx.check("bare")
        #expect(c.schedule == nil && c.category == nil)
        #expect(!c.isInsideRiskPeriod(at: closeOutHour))
        #expect(c.check(order: try order(c, .buy, 1_000, "CL"), account: account(c, .normal, ["CL": 5_000]), at: closeOutHour) == .accepted)
    }
}
