import Foundation
import Testing
import RuleBase
import RuleSyntax
import RuleSemantics
import RuleTools

/// The checker's view of `test` blocks: names resolve in the imported rulebook, and every
/// mistake is an R6xxx diagnostic (or the generic one for a malformed value).
@Suite("Rulebook test checker")
struct RulebookTestCheckerTests {
    @Test("golden diagnostics for a file of broken tests")
    func errorsGolden() {
        RulebookTestFixtures.expectGolden(RulebookTestFixtures.rendered("errors.test.rules"), "errors.txt")
    }

    @Test("every R6xxx code has a case in the golden file")
    func everyCodeIsExercised() {
        let text = RulebookTestFixtures.rendered("errors.test.rules")
        for code in DiagnosticCode.testCodes {
            #expect(text.contains("error[\(code.id)]"), "\(code.id) \(code.name)")
        }
    }

    @Test("test codes are R6xxx, unique, and distinct from every other phase's")
    func codes() {
        let all = DiagnosticCode.syntaxCodes + DiagnosticCode.semanticCodes + DiagnosticCode.testCodes
        #expect(Set(all.map(\.number)).count == all.count)
        #expect(Set(all.map(\.name)).count == all.count)
        for c in DiagnosticCode.testCodes { #expect((6000..<7000).contains(Int(c.number))) }
    }

    /// A test against the fixture rulebook, checked in memory.
    static func check(_ body: String) -> (CheckedRulebook, [String]) {
        let account = (try? String(contentsOf: RulebookTestFixtures.fixturesDir.appendingPathComponent("account.rules"), encoding: .utf8)) ?? ""
        let source = "import \"account.rules\"\n\ntest \"t\" {\n  template small_account\n  start 2026-11-23T09:00\n\(body)\n}\n"
        let (rb, diags) = Checker.check(source: source, path: "t.test.rules", files: ["account.rules": account])
        return (rb, diags.map { "\($0.code.id) \($0.message)" })
    }

    @Test("the checked model: state, events with their times, expectations", arguments: [
        ("  at 09:30 fill ES buy 2 at 6_000.25 commission 5 USD",
         TestEvent.fill(product: "ES", quantity: 2, price: DecimalNumber(mantissa: 600_025, scale: 2), commission: Money(dollars: 5))),
        ("  at 09:30 fill MES sell 3 at 6_000", .fill(product: "MES", quantity: -3, price: DecimalNumber(mantissa: 6000, scale: 0), commission: nil)),
        ("  at 09:30 mark ES 5_990.5", .mark(product: "ES", price: DecimalNumber(mantissa: 59905, scale: 1))),
        ("  at 09:30 order ES sell 1 at 6_001", .order(product: "ES", quantity: -1, limit: DecimalNumber(mantissa: 6001, scale: 0))),
        ("  at 09:30 admin liquidate_only Other \"review\"", .admin(.liquidateOnlyModeImmediately, reasonCode: "Other", reason: "review")),
        ("  at 09:30 admin LockTradingImmediately CallIn", .admin(.lockTradingImmediately, reasonCode: "CallIn", reason: nil)),
        ("  at 09:30 clock", .clock),
        ("  at 09:30 cash 100 USD", .cash(Money(dollars: 100))),
        ("  at 09:30 fee 25 USD", .cash(Money(dollars: -25))),
        ("  at 09:30 switch_category tiny", .switchCategory("tiny")),
    ])
    func events(_ line: String, _ event: TestEvent) throws {
        let (rb, diags) = Self.check(line)
        #expect(diags == [])
        let t = try #require(rb.tests.first)
        #expect(t.steps.map(\.event) == [event])
        #expect(t.steps.first?.at.value == .timeOfDay(TimeOfDay(seconds: 9 * 3600 + 1800)))
    }

    @Test("starting state: balance, anchors, commission and positions")
    func state() throws {
        let (rb, diags) = Self.check("""
              balance 30_000 USD
              day_start 29_000 USD
              week_start 28_000 USD
              high_water_mark 31_000 USD
              commission 2.5 USD
              position ES short 2 at 6_000 mark 5_990
            """)
        #expect(diags == [])
        let s = try #require(rb.tests.first?.state)
        #expect(s.balance?.value == Money(dollars: 30_000) && s.dayStart == Money(dollars: 29_000))
        #expect(s.weekStart == Money(dollars: 28_000) && s.highWaterMark == Money(dollars: 31_000))
        #expect(s.commission == Money(units: 25_000))
        #expect(s.positions.map(\.quantity) == [-2] && s.positions.first?.mark == DecimalNumber(mantissa: 5990, scale: 0))
    }

    @Test("expectations resolve against the effective template", arguments: [
        ("alert daily_loss", true), ("alert daily_loss 300 USD", true), ("auto_liquidate daily_loss 2%", true),
        ("auto_liquidate trailing_drawdown", true), ("auto_liquidate trailing_drawdown 1_500 USD", true),
        ("no liquidate_only daily_loss 400 USD", true), ("liquidated ES 2 at 5_990", true), ("position MES short 3", true),
        ("position ES flat", true), ("unlocks 2026-11-24T17:00", true), ("unlocks never", true), ("trailing_level 23_500 USD", true),
        ("flattened flatten_at", true), ("mode liquidate_only", true),
        ("alert daily_loss 2%", false), ("alert margin", false), ("auto_liquidate trailing_drawdown 1_000 USD", false),
        ("mode halted", false), ("flattened lunch", false), ("position ES 2", false), ("unlocks later", false),
    ])
    func expectations(_ line: String, _ valid: Bool) {
        let (_, diags) = Self.check("  at 09:30 clock\n  expect {\n    \(line)\n  }")
        #expect(diags.isEmpty == valid, "\(diags)")
    }

    @Test("working orders of the start: type, side, price and what is left open")
    func workingOrders() throws {
        let (rb, diags) = Self.check("""
              working w1 limit ES buy 2 at 5_990.25 remaining 1
              working "A-2" stop MES sell 3 at 5_980
              working m1 market ES buy 1
            """)
        #expect(diags == [])
        let w = try #require(rb.tests.first?.state.working)
        #expect(w.map(\.id.value) == ["w1", "A-2", "m1"])
        #expect(w.map(\.type) == [.limit, .stop, .market])
        #expect(w.map(\.quantity) == [2, -3, 1])
        #expect(w.map(\.price) == [DecimalNumber(mantissa: 599_025, scale: 2), DecimalNumber(mantissa: 5980, scale: 0), nil])
        #expect(w.map(\.remaining) == [1, nil, nil])
    }

    @Test("lifecycle events: orders with an id and a type, fills naming their order, cancels", arguments: [
        ("  at 09:30 order o1 limit ES buy 2 at 5_990",
         TestEvent.order(product: "ES", quantity: 2, limit: DecimalNumber(mantissa: 5990, scale: 0), id: "o1", type: .limit)),
        ("  at 09:30 order \"B 7\" stop ES sell 1 at 5_980",
         .order(product: "ES", quantity: -1, limit: DecimalNumber(mantissa: 5980, scale: 0), id: "B 7", type: .stop)),
        ("  at 09:30 order m1 market MES buy 4", .order(product: "MES", quantity: 4, limit: nil, id: "m1", type: .market)),
        ("  at 09:30 fill ES buy 1 at 5_990 order w1",
         .fill(product: "ES", quantity: 1, price: DecimalNumber(mantissa: 5990, scale: 0), commission: nil, order: "w1")),
        ("  at 09:30 fill ES buy 1 at 5_990 commission 2.5 USD order w1",
         .fill(product: "ES", quantity: 1, price: DecimalNumber(mantissa: 5990, scale: 0), commission: Money(units: 25_000), order: "w1")),
        ("  at 09:30 cancel w1", .cancel("w1")),
    ])
    func lifecycleEvents(_ line: String, _ event: TestEvent) throws {
        let (rb, diags) = Self.check("  working w1 limit ES buy 2 at 5_990\n" + line)
        #expect(diags == [])
        #expect(try #require(rb.tests.first).steps.map(\.event) == [event])
    }

    @Test("lifecycle expectations resolve against the orders placed so far", arguments: [
        ("working w1", TestAssertion.working(id: "w1", remaining: nil)),
        ("working w1 remaining 1", .working(id: "w1", remaining: 1)),
        ("working o1", .working(id: "o1", remaining: nil)),
        ("working 2", .workingCount(2)),
        ("no working", .workingCount(0)),
        ("no working w1", .notWorking(id: "w1")),
        ("cancelled w1", .cancelled(id: "w1", cause: nil)),
        ("cancelled w1 request", .cancelled(id: "w1", cause: .request)),
        ("cancelled w1 auto_liquidate", .cancelled(id: "w1", cause: .autoLiquidate)),
        ("cancelled w1 category_switch", .cancelled(id: "w1", cause: .categorySwitch)),
        ("no cancelled", .notCancelled(id: nil)),
        ("no cancelled o1", .notCancelled(id: "o1")),
        ("refused", .refused(nil)),
        ("refused duplicate_order", .refused(.duplicateOrder)),
    ])
    func lifecycleExpectations(_ line: String, _ assertion: TestAssertion) throws {
        let (rb, diags) = Self.check("  working w1 limit ES buy 2 at 5_990\n  at 09:30 order o1 limit ES buy 1 at 5_980\n  expect {\n    \(line)\n  }")
        #expect(diags == [])
        #expect(try #require(rb.tests.first?.steps.first?.expectation).assertions.map(\.value) == [assertion])
    }

    @Test("lifecycle mistakes are R6xxx diagnostics", arguments: [
        ("  working w1 limit ES buy 2", "R6012 a `limit` order needs a price"),
        ("  working w1 market ES buy 2 remaining 3", "R6013 order `w1` has 3 contracts open but was placed for 2"),
        ("  working w1 market ES buy 2\n  working w1 market ES buy 1", "R6011 two working orders are named `w1`"),
        ("  working w1 limit EZ buy 1 at 5_990", "R6002 unknown product `EZ`"),
        ("  at 09:30 order stop ES sell 1 at 5_980", "R6012 a `stop` order needs an id"),
        ("  at 09:30 fill ES buy 1 at 5_990 order w9", "R6010 no order `w9` is placed before this event"),
        ("  at 09:30 cancel w9\n  expect {\n    refused already_cancelled\n  }", "R6010 no order `w9` is placed before this event"),
        ("  at 09:30 clock\n  expect {\n    working w9\n  }", "R6010 no order `w9` is placed up to this event"),
        ("  at 09:30 clock\n  expect {\n    cancelled w1 lunch\n  }", "R6010 no order `w1` is placed up to this event"),
        ("  at 09:30 order o1 market ES buy 1\n  expect {\n    refused overfill\n  }",
         "R6009 a `refused overfill` expectation needs a `fill ... order ID` event just before it"),
        ("  at 09:30 order ES buy 1\n  expect {\n    refused\n  }",
         "R6009 a `refused` expectation needs an `order` with an id, a `fill ... order ID` or a `cancel` event just before it"),
    ])
    func lifecycleMistakes(_ body: String, _ diagnostic: String) {
        let (_, diags) = Self.check(body)
        #expect(diags == [diagnostic])
    }

    @Test("a fill or cancel of an unknown id is fine when the test expects its refusal")
    func expectedUnknownOrder() {
        for e in ["refused unknown_order", "refused"] {
            let (_, diags) = Self.check("  at 09:30 cancel w9\n  expect {\n    \(e)\n  }")
            #expect(diags == [], "\(e)")
        }
    }

    @Test("`rulec fmt` formats test files like any rulebook, and keeps their meaning")
    func formatsLikeARulebook() throws {
        let source = try String(contentsOf: RulebookTestFixtures.fixturesDir.appendingPathComponent("passing.test.rules"), encoding: .utf8)
        let (tree, diags) = Parser.parse(source, path: "passing.test.rules")
        #expect(diags.isEmpty)
        #expect(tree.print() == source)
    }

    // MARK: Review expectations

    @Test("review expectations and start states that are malformed or cannot hold", arguments: [
        ("  at 09:30 fill ES buy 1 at 6_000\n  expect {\n    admin applied\n  }",
         "R6009 an `admin` expectation needs an `admin` event just before it"),
        ("  at 09:30 admin lock Other \"x\"\n  expect {\n    admin refused too_long\n  }",
         "R6007 unknown admin refusal code `too_long`"),
        ("  mode locked liquidate_only daily_loss",
         "R6005 `liquidate_only daily_loss` cannot hold the account locked"),
        ("  mode liquidate_only margin",
         "R3001 a start's restriction is held by `admin` or a threshold, found the keyword `margin`"),
        ("  at 09:30 clock\n  expect {\n    limit auto_liquidate daily_loss 500 USD\n  }",
         "R6005 template `small_account` has `auto_liquidate daily_loss` in USD and in percent; say which"),
        ("  at 09:30 clock\n  expect {\n    limit auto_liquidate trailing_drawdown 1_500 USD\n  }",
         "R6005 a `limit` expectation is for a loss or profit threshold, not `auto_liquidate trailing_drawdown`"),
        ("  at 09:30 clock\n  expect {\n    liquidated ES sell 1 realized lost 5 USD\n  }",
         "R3001 `realized` is followed by `loss` or `profit`, found `lost`"),
    ])
    func reviewExpectationErrors(body: String, message: String) {
        let (_, diags) = Self.check(body)
        #expect(diags.contains(message), "\(diags)")
    }

    @Test("well-formed review expectations check clean")
    func reviewExpectationsClean() {
        let body = """
              mode locked auto_liquidate daily_loss 500 USD
              at 09:30 admin DisableAutoLiq Other "x"
              expect {
                admin refused internal_action
                nothing
              }
              at 09:31 reset 25_000 USD
              expect {
                trade_date 2026-11-23
                limit auto_liquidate daily_loss 2% 500 USD
                position ES flat
              }
              at 17:00 clock
              expect {
                released auto_liquidate daily_loss
              }
            """
        let (rb, diags) = Self.check(body)
        #expect(diags == [], "\(diags)")
        #expect(rb.tests.first?.state.mode?.mode == .locked)
    }
}
