import RuleBase
import RuleGraph
import Testing
@testable import RuleEngine

/// Orders and category switches through `PostTradeEngine.apply`: the pre-trade check runs against
/// the engine's own state (mode from real post-trade breaches and admin actions, positions from
/// fills), and a switch liquidates the excess over the new limits.
@Suite("Engine: orders and category switches")
struct EngineOrderTests {
    static let body = """
    time_period close_out {
      start 15:55
      stop 17:00
    }
    risk_category base {
      max_position ES 5
      max_long CL 2
      max_short CL 1
      restrict BIG
    }
    risk_category tight {
      max_position ES 2
      restrict CL
    }
    template t {
      calendar cme
      starting_balance 50_000 USD
      time_period close_out
      risk_category base
      liquidate_only {
        daily_loss 800 USD
      }
      auto_liquidate {
        daily_loss 1_000 USD
      }
    }

    """

    /// Tuesday 3 March 2026, 09:00 CST; commission 5 per contract on liquidations.
    static func scenario() throws -> Scenario {
        try Scenario(body, at: "2026-03-03T15:00:00Z", commission: "5")
    }

    /// The trimmed rulebook line a span starts on (the scenario's source is catalog + body).
    static func line(_ span: Span?) -> String {
        guard let s = span else { return "<none>" }
        let bytes = Array((scenarioCatalog + body).utf8)
        var a = Int(s.start), b = Int(s.start)
        while a > 0 && bytes[a - 1] != 10 { a -= 1 }
        while b < bytes.count && bytes[b] != 10 { b += 1 }
        return String(decoding: bytes[a..<b], as: UTF8.self).trimmingCharacters(in: " ")
    }

    /// Sends an order and returns its decision (the last order item of the event's step).
    static func order(_ s: inout Scenario, _ at: String, _ symbol: String, _ qty: Int64) -> OrderDecision? {
        let product = s.graph.productIndex(symbol) ?? Order.unknownProduct
        _ = s.send(at, .order(OrderRequest(product: product, quantity: qty, unknownSymbol: s.graph.productIndex(symbol) == nil ? symbol : nil)))
        for case let .order(_, d) in s.out.items.reversed() { return d }
        return nil
    }

    struct Row: CustomStringConvertible, Sendable {
        var name: String
        /// Events before the order, as (instant, symbol, quantity, price): a fill, or a mark when quantity is 0.
        var before: [(String, String, Int64, String)]
        var admin: AdminAction.Kind?
        var at: String
        var symbol: String
        var qty: Int64
        /// nil: accepted.
        var reason: RejectionKind?
        var line: String
        var description: String { name }
    }

    static let rows: [Row] = [
        Row(name: "at exactly the long limit", before: [], at: "2026-03-03T15:01:00Z", symbol: "ES", qty: 5, reason: nil, line: ""),
        Row(name: "one over the long limit", before: [("2026-03-03T15:00:00Z", "ES", 5, "5000")], at: "2026-03-03T15:01:00Z",
            symbol: "ES", qty: 1, reason: .positionLimit, line: "max_position ES 5"),
        Row(name: "flip to exactly the short limit", before: [("2026-03-03T15:00:00Z", "ES", 5, "5000")], at: "2026-03-03T15:01:00Z",
            symbol: "ES", qty: -10, reason: nil, line: ""),
        // Each side names its own line.
        Row(name: "one over the short limit", before: [], at: "2026-03-03T15:01:00Z", symbol: "CL", qty: -2,
            reason: .positionLimit, line: "max_short CL 1"),
        Row(name: "one over the long limit (separate line)", before: [], at: "2026-03-03T15:01:00Z", symbol: "CL", qty: 3,
            reason: .positionLimit, line: "max_long CL 2"),
        Row(name: "restricted product", before: [], at: "2026-03-03T15:01:00Z", symbol: "BIG", qty: 1,
            reason: .restrictedProduct, line: "restrict BIG"),
        Row(name: "unknown product", before: [], at: "2026-03-03T15:01:00Z", symbol: "ZN", qty: 1, reason: .unknownProduct, line: "<none>"),
        // Daily loss 800 (2 ES, 4 points): liquidate-only until the next open.
        Row(name: "liquidate-only: reducing", before: [("2026-03-03T15:00:00Z", "ES", 2, "5000"), ("2026-03-03T15:05:00Z", "ES", 0, "4992")],
            at: "2026-03-03T15:06:00Z", symbol: "ES", qty: -1, reason: nil, line: ""),
        Row(name: "liquidate-only: closing to flat", before: [("2026-03-03T15:00:00Z", "ES", 2, "5000"), ("2026-03-03T15:05:00Z", "ES", 0, "4992")],
            at: "2026-03-03T15:06:00Z", symbol: "ES", qty: -2, reason: nil, line: ""),
        Row(name: "liquidate-only: increasing", before: [("2026-03-03T15:00:00Z", "ES", 2, "5000"), ("2026-03-03T15:05:00Z", "ES", 0, "4992")],
            at: "2026-03-03T15:06:00Z", symbol: "ES", qty: 1, reason: .liquidateOnly, line: "daily_loss 800 USD"),
        Row(name: "liquidate-only: reversing (R-18)", before: [("2026-03-03T15:00:00Z", "ES", 2, "5000"), ("2026-03-03T15:05:00Z", "ES", 0, "4992")],
            at: "2026-03-03T15:06:00Z", symbol: "ES", qty: -3, reason: .liquidateOnly, line: "daily_loss 800 USD"),
        Row(name: "liquidate-only outranks restricted (R-28)", before: [("2026-03-03T15:00:00Z", "ES", 2, "5000"), ("2026-03-03T15:05:00Z", "ES", 0, "4992")],
            at: "2026-03-03T15:06:00Z", symbol: "BIG", qty: 1, reason: .liquidateOnly, line: "daily_loss 800 USD"),
        // Daily loss 1,000: flattened and locked until the next open.
        Row(name: "auto-liquidation lock", before: [("2026-03-03T15:00:00Z", "ES", 2, "5000"), ("2026-03-03T15:05:00Z", "ES", 0, "4990")],
            at: "2026-03-03T15:06:00Z", symbol: "ES", qty: 1, reason: .accountLocked, line: "daily_loss 1_000 USD"),
        Row(name: "admin lock rejects a closing order", before: [("2026-03-03T15:00:00Z", "ES", 2, "5000")], admin: .lockTradingImmediately,
            at: "2026-03-03T15:06:00Z", symbol: "ES", qty: -2, reason: .accountLocked, line: "<none>"),
        Row(name: "admin liquidate-only rejects an opening order", before: [], admin: .liquidateOnlyModeImmediately,
            at: "2026-03-03T15:06:00Z", symbol: "ES", qty: 1, reason: .liquidateOnly, line: "<none>"),
        Row(name: "one second before the time period", before: [], at: "2026-03-03T21:54:59Z", symbol: "ES", qty: 1, reason: nil, line: ""),
        Row(name: "time period start, to the second", before: [], at: "2026-03-03T21:55:00Z", symbol: "ES", qty: 1,
            reason: .riskTimePeriod, line: "time_period close_out {"),
        Row(name: "a lock outranks the time period (R-28)", before: [], admin: .lockTradingImmediately,
            at: "2026-03-03T21:55:00Z", symbol: "ES", qty: 1, reason: .accountLocked, line: "<none>"),
        Row(name: "last second of the time period", before: [], at: "2026-03-03T22:59:59Z", symbol: "ES", qty: 1,
            reason: .riskTimePeriod, line: "time_period close_out {"),
        Row(name: "time period stop: accepted", before: [], at: "2026-03-03T23:00:00Z", symbol: "ES", qty: 1, reason: nil, line: ""),
    ]

    @Test("each rejection reason through the engine, with its rulebook line", arguments: rows)
    func reasons(_ row: Row) throws {
        var s = try Self.scenario()
        for (at, symbol, qty, price) in row.before {
            if qty == 0 { s.mark(at, symbol, price) } else { s.fill(at, symbol, qty, price, commission: "0") }
        }
        if let a = row.admin { s.admin("2026-03-03T15:05:30Z", a) }
        let before = s.engine.account
        let d = try #require(Self.order(&s, row.at, row.symbol, row.qty))
        #expect(d.kind == row.reason, "\(row.name): \(d)")
        if let r = d.rejection {
            #expect(Self.line(r.span) == row.line, "\(row.name)")
            #expect(!s.engine.preTrade.message(for: r).isEmpty)
        }
        // An order never fills: positions and balance stay as they were (boundaries aside).
        if row.at < "2026-03-03T21:55:00Z" { #expect(s.engine.account == before) }
    }

    @Test("the mode the check reads comes from the restriction set: cause and end")
    func modes() throws {
        var s = try Self.scenario()
        #expect(s.engine.mode == .normal)
        s.fill("2026-03-03T15:00:00Z", "ES", 2, "5000", commission: "0")
        s.mark("2026-03-03T15:05:00Z", "ES", "4992")
        let liq = try #require(s.graph.tests.firstIndex { $0.tier == .liquidateOnly })
        let open = utc("2026-03-03T23:00:00Z")
        #expect(s.engine.mode == .liquidateOnly(cause: .threshold(Int32(liq)), until: .at(open)))
        s.mark("2026-03-03T15:06:00Z", "ES", "4990")
        let auto = try #require(s.graph.tests.firstIndex { $0.tier == .autoLiquidate })
        #expect(s.engine.mode == .locked(cause: .threshold(Int32(auto)), until: .at(open)))
        // An admin lock on top: manual outlasts the clock release.
        s.admin("2026-03-03T15:07:00Z", .lockTradingImmediately)
        #expect(s.engine.mode == .locked(cause: .admin, until: .manual))
        s.admin("2026-03-03T15:08:00Z", .normal, .callIn)
        #expect(s.engine.mode == .normal)
        #expect(Self.order(&s, "2026-03-03T15:09:00Z", "ES", 1) == .accepted)
    }

    @Test("an order with quantity 0 is not checked")
    func invalid() throws {
        var s = try Self.scenario()
        _ = s.send("2026-03-03T15:01:00Z", .order(OrderRequest(product: 0, quantity: 0)))
        #expect(s.out.items.contains(.orderInvalid(OrderRequest(product: 0, quantity: 0))))
    }

    @Test("a switch liquidates the excess at the last mark with commission, applies at once, and re-evaluates")
    func switchOverLimits() throws {
        var s = try Self.scenario()
        s.fill("2026-03-03T15:00:00Z", "ES", 4, "5000", commission: "0")
        s.fill("2026-03-03T15:00:00Z", "CL", 2, "74.00", commission: "0")
        s.mark("2026-03-03T15:01:00Z", "ES", "4996.25")   // -750
        s.mark("2026-03-03T15:01:00Z", "CL", "73.98")     // -40: daily loss 790, under 800
        #expect(s.mode == .normal)
        let lines = s.send("2026-03-03T15:02:00Z", .switchCategory("tight"))
        // 4 contracts x 5 commission: daily loss 810, the liquidate-only tier acts in the same step.
        // Liquidations in product-index order (the graph's catalog order: BIG, CL, ES).
        #expect(lines == [
            "category switch tight (2 liquidations)",
            "liquidated CL -2 @ 73.98 realized -40.00",
            "liquidated ES -2 @ 4996.25 realized -375.00",
            "breach liquidate_only.daily_loss (USD) 810.00 >= 800.00 until 2026-03-03T23:00:00Z",
            "mode normal -> liquidate_only",
        ])
        guard case let .categorySwitched(name, ls) = s.out.items[0] else { Issue.record("no switch item"); return }
        #expect(name == "tight")
        #expect(ls.map { Self.line($0.span) } == ["restrict CL", "max_position ES 2"])
        #expect(ls.map(\.reason) == [.restricted, .positionLimit(side: .long, limit: 2)])
        #expect(s.snapshot.balance == usd("49565"))
        #expect(s.snapshot.netLiq == usd("49190"))
        #expect(["ES", "CL", "BIG"].map { s.engine.position(Int(s.product($0))) } == [2, 0, 0])
        // The new category is in force: at the new limit, one more is rejected with its line.
        #expect(s.engine.preTrade.category?.name == "tight")
        let d = try #require(Self.order(&s, "2026-03-03T15:03:00Z", "CL", -1))
        #expect(d.kind == .liquidateOnly)   // liquidate-only outranks the restriction
        s.admin("2026-03-03T15:04:00Z", .normal, .callIn)
        let e = try #require(Self.order(&s, "2026-03-03T15:05:00Z", "ES", 1))
        #expect(e.kind == .positionLimit && Self.line(e.rejection?.span) == "max_position ES 2")
        #expect(Self.order(&s, "2026-03-03T15:05:00Z", "CL", 1)?.kind == .restrictedProduct)
    }

    @Test("unknown and unchanged categories are skipped without touching the account")
    func skipped() throws {
        var s = try Self.scenario()
        s.fill("2026-03-03T15:00:00Z", "ES", 4, "5000", commission: "0")
        let before = s.engine.account
        #expect(s.send("2026-03-03T15:01:00Z", .switchCategory("nope")) == ["category switch skipped nope unknownCategory"])
        #expect(s.send("2026-03-03T15:01:00Z", .switchCategory("base")) == ["category switch skipped base alreadyInForce"])
        #expect(s.engine.account == before)
        #expect(s.engine.preTrade.category?.name == "base")
        // Within the new limits: switched, nothing liquidated.
        #expect(s.send("2026-03-03T15:02:00Z", .switchCategory("tight")) != [])
        #expect(s.send("2026-03-03T15:03:00Z", .switchCategory("base")) == ["category switch base (0 liquidations)"])
    }
}
