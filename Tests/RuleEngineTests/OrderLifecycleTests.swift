import RuleBase
import RuleGraph
import Testing
@testable import RuleEngine

/// Working orders through `PostTradeEngine.apply` (issue 10): resting, partial fills, cancels by
/// request and by every rule that cancels, working quantities in position and group limits
/// and the lifecycle errors that leave the account untouched.
@Suite("Engine: order lifecycle")
struct OrderLifecycleTests {
    static let body = """
    time_period close_out {
      start 15:55
      stop 17:00
    }
    risk_category base {
      max_position ES 5
      max_position CL 4
      max_group energy_and_index 6 contracts {
        ES 1
        CL 1
      }
    }
    risk_category tight {
      max_position ES 2
    }
    template t {
      calendar cme
      starting_balance 50_000 USD
      time_period close_out
      risk_category base
      flatten_at 2026-03-04T10:00-06:00
      auto_liquidate {
        daily_loss 1_000 USD
      }
    }

    """

    /// Tuesday 3 March 2026, 09:00 CST; commission 2.50 per contract on liquidations.
    static func scenario() throws -> Scenario {
        try Scenario(body, at: "2026-03-03T15:00:00Z", commission: "2.50")
    }

    @discardableResult
    static func order(_ s: inout Scenario, _ at: String, _ id: String?, _ symbol: String, _ qty: Int64,
                      type: OrderType = .limit, price: String? = "5000") -> [String] {
        s.send(at, .order(OrderRequest(product: s.product(symbol), quantity: qty, limitPrice: price.map(px), id: id, type: type)))
    }

    static func fill(_ s: inout Scenario, _ at: String, _ id: String?, _ symbol: String, _ qty: Int64, _ price: String)
        -> (lines: [String], error: LifecycleError?) {
        s.out.removeAll()
        let e = s.engine.apply(Event(at: utc(at), .fill(Fill(product: s.product(symbol), quantity: qty, price: px(price),
                                                               commission: .zero, orderID: id))), into: &s.out)
        return (s.render(), e)
    }

    static func cancel(_ s: inout Scenario, _ at: String, _ id: String) -> (lines: [String], error: LifecycleError?) {
        s.out.removeAll()
        let e = s.engine.apply(Event(at: utc(at), .cancel(id)), into: &s.out)
        return (s.render(), e)
    }

    @Test("a limit order rests; partial fills take its remaining quantity down to zero")
    func restAndPartialFill() throws {
        var s = try Self.scenario()
        #expect(Self.order(&s, "2026-03-03T15:01:00Z", "o1", "ES", 3, price: "4990") == ["order accepted"])
        let es = Int(s.product("ES"))
        #expect(s.engine.book.working("o1")?.remaining == 3)
        #expect(s.engine.workingBuy(es) == 3 && s.engine.workingSell(es) == 0)
        #expect(s.snapshot.working == 1)

        #expect(Self.fill(&s, "2026-03-03T15:02:00Z", "o1", "ES", 1, "4990").error == nil)
        #expect(s.engine.book.working("o1")?.remaining == 2)
        #expect(s.engine.account.positions[es].quantity == 1)
        #expect(s.engine.workingBuy(es) == 2)

        #expect(Self.fill(&s, "2026-03-03T15:03:00Z", "o1", "ES", 2, "4990").error == nil)
        #expect(s.engine.book.isEmpty)
        #expect(s.engine.account.positions[es].quantity == 3)
        #expect(s.engine.workingBuy(es) == 0)
        #expect(s.snapshot.working == 0)
        // Marked at 4,999: 3 contracts × 9 points × 50 = 1,350 above; the fills carried no commission.
        s.mark("2026-03-03T15:03:30Z", "ES", "4999")
        #expect(s.snapshot.netLiq == usd("51350"))
    }

    @Test("a market order with an id is working until its fill; one without an id never rests")
    func marketOrders() throws {
        var s = try Self.scenario()
        Self.order(&s, "2026-03-03T15:01:00Z", nil, "ES", 2, type: .market, price: nil)
        #expect(s.engine.book.isEmpty)
        Self.order(&s, "2026-03-03T15:01:00Z", "m1", "ES", 2, type: .market, price: nil)
        #expect(s.engine.book.working("m1")?.type == .market)
        #expect(Self.fill(&s, "2026-03-03T15:01:00Z", "m1", "ES", 2, "5000").error == nil)
        #expect(s.engine.book.isEmpty)
        // A fill without an id changes no working order.
        Self.order(&s, "2026-03-03T15:02:00Z", "o2", "ES", -1, price: "5010")
        #expect(Self.fill(&s, "2026-03-03T15:02:30Z", nil, "ES", -1, "5010").error == nil)
        #expect(s.engine.book.working("o2")?.remaining == 1)
    }

    @Test("same-side working orders count toward the position limit (R-21)")
    func workingOrdersInPositionLimit() throws {
        var s = try Self.scenario()
        s.fill("2026-03-03T15:00:00Z", "ES", 2, "5000", commission: "0")
        Self.order(&s, "2026-03-03T15:01:00Z", "b1", "ES", 2, price: "4995")       // long exposure 4
        // 2 held + 2 working + 2 new = 6 > 5.
        let d = try #require(EngineOrderTests.order(&s, "2026-03-03T15:02:00Z", "ES", 2))
        guard case .positionLimit(_, let side, let after, let limit)? = d.rejection?.reason else {
            Issue.record("expected a position limit, got \(d)"); return
        }
        #expect(side == .long && after == 6 && limit == 5)
        // One more fits exactly; the sell side does not see the working buys.
        #expect(EngineOrderTests.order(&s, "2026-03-03T15:02:10Z", "ES", 1)?.isAccepted == true)
        #expect(EngineOrderTests.order(&s, "2026-03-03T15:02:20Z", "ES", -7)?.isAccepted == true)
        // Cancelling the working buy frees its two contracts.
        #expect(Self.cancel(&s, "2026-03-03T15:03:00Z", "b1").lines == ["cancelled b1 buy 2 ES by request"])
        #expect(EngineOrderTests.order(&s, "2026-03-03T15:03:10Z", "ES", 3)?.isAccepted == true)
    }

    @Test("working orders count toward a group limit on their own side (R-21)")
    func workingOrdersInGroupLimit() throws {
        var s = try Self.scenario()
        Self.order(&s, "2026-03-03T15:01:00Z", "c1", "CL", 4, price: "70")      // CL exposure 4 (the product limit)
        Self.order(&s, "2026-03-03T15:01:10Z", "e1", "ES", 2, price: "4990")    // ES exposure 2: group 6
        let d = try #require(EngineOrderTests.order(&s, "2026-03-03T15:02:00Z", "ES", 1))
        guard case .groupLimit(_, let after, let limit, let den)? = d.rejection?.reason else {
            Issue.record("expected a group limit, got \(d)"); return
        }
        #expect(after / den == 7 && limit / den == 6)
    }

    @Test("auto-liquidation cancels every working order, then flattens, with exact figures")
    func cancelByAutoLiquidation() throws {
        var s = try Self.scenario()
        s.fill("2026-03-03T15:00:00Z", "ES", 2, "5000", commission: "0")
        Self.order(&s, "2026-03-03T15:01:00Z", "b1", "ES", 1, price: "4980")
        Self.order(&s, "2026-03-03T15:01:30Z", "s1", "ES", -2, type: .stop, price: "4985")
        let lines = s.mark("2026-03-03T15:05:00Z", "ES", "4990")    // 2 × 10 × 50 = 1,000 loss
        #expect(lines == [
            "breach auto_liquidate.daily_loss (USD) 1000.00 >= 1000.00 until 2026-03-03T23:00:00Z",
            "flatten autoLiquidate(0)",
            "cancelled b1 buy 1 ES by autoLiquidate(0)",
            "cancelled s1 sell 2 ES by autoLiquidate(0)",
            "liquidated ES -2 @ 4990.00 realized -1000.00",
            "mode normal -> locked",
        ])
        #expect(s.engine.book.isEmpty)
        // 50,000 − 1,000 − 2 × 2.50 commission.
        #expect(s.snapshot.balance == usd("48995"))
        // A later fill of a cancelled order is not applied; a cancel of it is a no-op.
        let late = Self.fill(&s, "2026-03-03T15:06:00Z", "b1", "ES", 1, "4980")
        #expect(late.error == nil)
        #expect(late.lines == ["fill ignored b1 cancelled(RuleEngine.CancelCause.autoLiquidate(0))"])
        #expect(s.engine.account.positions[Int(s.product("ES"))].quantity == 0)
        #expect(Self.cancel(&s, "2026-03-03T15:06:30Z", "s1").lines.first?.hasPrefix("cancel ignored s1") == true)
    }

    @Test("admin LiquidateImmediately cancels working orders")
    func cancelByAdmin() throws {
        var s = try Self.scenario()
        Self.order(&s, "2026-03-03T15:01:00Z", "b1", "ES", 1, price: "4980")
        let lines = s.admin("2026-03-03T15:02:00Z", .liquidateImmediately)
        #expect(lines.prefix(3) == ["admin LiquidateImmediately", "flatten admin", "cancelled b1 buy 1 ES by admin"])
        #expect(s.engine.book.isEmpty)
    }

    @Test("the time period's start cancels working orders even when the account is flat")
    func cancelByTimePeriod() throws {
        var s = try Self.scenario()
        Self.order(&s, "2026-03-03T15:01:00Z", "b1", "ES", 1, price: "4980")
        let lines = s.clock("2026-03-03T21:55:00Z")
        #expect(lines.prefix(3) == ["time_period_start 2026-03-03T21:55:00Z", "flatten timePeriod", "cancelled b1 buy 1 ES by timePeriod"])
    }

    @Test("flatten_at flattens and cancels, once")
    func cancelByFlattenAt() throws {
        var s = try Self.scenario()
        Self.order(&s, "2026-03-04T15:00:00Z", "b1", "ES", 1, price: "4980")
        s.fill("2026-03-04T15:30:00Z", "CL", 1, "70", commission: "0")
        let lines = s.clock("2026-03-04T16:00:00Z")
        #expect(lines == ["flatten_at 2026-03-04T16:00:00Z", "flatten flattenAt", "cancelled b1 buy 1 ES by flattenAt",
                          "liquidated CL -1 @ 70.00 realized 0.00"])
        #expect(s.snapshot.balance == usd("49997.50"))
    }

    @Test("a category switch cancels working orders before it liquidates the excess")
    func cancelByCategorySwitch() throws {
        var s = try Self.scenario()
        s.fill("2026-03-03T15:00:00Z", "ES", 4, "5000", commission: "0")
        Self.order(&s, "2026-03-03T15:01:00Z", "s1", "ES", -1, price: "5010")
        let lines = s.send("2026-03-03T15:02:00Z", .switchCategory("tight"))
        #expect(lines == ["category switch tight (1 liquidations)", "cancelled s1 sell 1 ES by categorySwitch(\"tight\")",
                          "liquidated ES -2 @ 5000.00 realized 0.00"])
    }

    @Test("lifecycle errors change nothing")
    func lifecycleErrors() throws {
        var s = try Self.scenario()
        Self.order(&s, "2026-03-03T15:01:00Z", "o1", "ES", 2, price: "4990")
        let before = s.engine.account
        let book = s.engine.book

        #expect(Self.fill(&s, "2026-03-03T15:02:00Z", "nope", "ES", 1, "4990").error == .unknownOrder(id: "nope"))
        #expect(Self.fill(&s, "2026-03-03T15:02:00Z", "o1", "ES", 3, "4990").error == .overfill(id: "o1", remaining: 2, quantity: 3))
        if case .fillMismatch? = Self.fill(&s, "2026-03-03T15:02:00Z", "o1", "ES", -1, "4990").error {} else { Issue.record("side mismatch") }
        if case .fillMismatch? = Self.fill(&s, "2026-03-03T15:02:00Z", "o1", "CL", 1, "70").error {} else { Issue.record("product mismatch") }
        s.out.removeAll()
        let dup = s.engine.apply(Event(at: utc("2026-03-03T15:02:00Z"),
                                       .order(OrderRequest(product: s.product("ES"), quantity: 1, limitPrice: px("1"), id: "o1", type: .limit))),
                                 into: &s.out)
        #expect(dup == .duplicateOrder(id: "o1", placedAt: utc("2026-03-03T15:01:00Z")))
        let noID = s.engine.apply(Event(at: utc("2026-03-03T15:02:00Z"),
                                        .order(OrderRequest(product: s.product("ES"), quantity: 1, limitPrice: px("1"), type: .stop))), into: &s.out)
        #expect(noID == .missingID(type: .stop))
        let noPrice = s.engine.apply(Event(at: utc("2026-03-03T15:02:00Z"),
                                           .order(OrderRequest(product: s.product("ES"), quantity: 1, id: "o9", type: .limit))), into: &s.out)
        #expect(noPrice == .missingPrice(type: .limit))
        #expect(Self.cancel(&s, "2026-03-03T15:02:00Z", "nope").error == .unknownOrder(id: "nope"))
        #expect(s.engine.account == before)
        #expect(s.engine.book == book)

        // Filled, then cancelled or filled again.
        #expect(Self.fill(&s, "2026-03-03T15:03:00Z", "o1", "ES", 2, "4990").error == nil)
        #expect(Self.cancel(&s, "2026-03-03T15:04:00Z", "o1").error == .alreadyFilled(id: "o1", at: utc("2026-03-03T15:03:00Z")))
        #expect(Self.fill(&s, "2026-03-03T15:04:00Z", "o1", "ES", 1, "4990").error == .alreadyFilled(id: "o1", at: utc("2026-03-03T15:03:00Z")))
        // Cancelled on request, then cancelled again.
        Self.order(&s, "2026-03-03T15:05:00Z", "o2", "ES", -1, price: "5010")
        #expect(Self.cancel(&s, "2026-03-03T15:05:10Z", "o2").error == nil)
        #expect(Self.cancel(&s, "2026-03-03T15:05:20Z", "o2").error == .alreadyCancelled(id: "o2", at: utc("2026-03-03T15:05:10Z")))
    }

    @Test("a fill of an order this rulebook rejected is not applied")
    func fillOfRejectedOrder() throws {
        var s = try Self.scenario()
        Self.order(&s, "2026-03-03T15:01:00Z", "big", "ES", 6, type: .market, price: nil)
        let r = Self.fill(&s, "2026-03-03T15:01:00Z", "big", "ES", 6, "5000")
        #expect(r.error == nil)
        #expect(r.lines == ["fill ignored big rejected(position-limit)"])
        #expect(s.engine.account.isFlat)
    }

    @Test("working orders given at the start are in the book and in the limits")
    func startingWorkingOrders() throws {
        let graph = try scenarioGraph(Self.body)
        let zone = try #require(chicagoZone)
        let calendar = TradingCalendar(CalendarRules(graph.calendar, zone: zone))
        let es = try #require(graph.productIndex("ES"))
        let account = AccountState(productCount: graph.products.count, balance: usd("50000"))
        let w = WorkingOrder(id: "w1", product: es, side: .buy, type: .limit, price: px("4990"), quantity: 5, remaining: 4,
                             placedAt: utc("2026-03-03T14:00:00Z"))
        let engine = PostTradeEngine(graph: graph, calendar: calendar, account: account, at: utc("2026-03-03T15:00:00Z"),
                                     workingOrders: [w])
        #expect(engine.workingBuy(Int(es)) == 4)
        #expect(engine.check(OrderRequest(product: es, quantity: 2))?.kind == .positionLimit)
        #expect(engine.check(OrderRequest(product: es, quantity: 1))?.isAccepted == true)
    }

    @Test("the book remembers a bounded number of ended orders")
    func endedMemoryIsBounded() throws {
        var s = try Self.scenario()
        for k in 0..<(OrderBook.endedCapacity + 4) {
            Self.order(&s, "2026-03-03T15:01:00Z", "x\(k)", "ES", 1, price: "4990")
            _ = Self.cancel(&s, "2026-03-03T15:01:00Z", "x\(k)")
        }
        // The oldest are forgotten (unknown), the newest remembered.
        #expect(Self.cancel(&s, "2026-03-03T15:02:00Z", "x0").error == .unknownOrder(id: "x0"))
        #expect(Self.cancel(&s, "2026-03-03T15:02:00Z", "x\(OrderBook.endedCapacity + 3)").error
                == .alreadyCancelled(id: "x\(OrderBook.endedCapacity + 3)", at: utc("2026-03-03T15:01:00Z")))
    }
}
