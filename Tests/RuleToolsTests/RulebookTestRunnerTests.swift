import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import RuleBase
import RuleSemantics
import RuleEngine
import RuleTools

/// `rulec test`'s runner: golden reports for passing and failing test files, and the readings
/// behind them (README "Rulebook tests").
@Suite("Rulebook test runner")
struct RulebookTestRunnerTests {
    @Test("a passing file: one `ok` line per test, the summary and the coverage")
    func passingGolden() {
        let r = RulebookTestFixtures.run(["passing.test.rules"])
        #expect(r.passed == 2 && r.failed == 0)
        RulebookTestFixtures.expectGolden(r.text(coverage: true), "passing.txt")
        RulebookTestFixtures.expectGolden(r.junit(), "passing.junit.xml")
    }

    @Test("a failing file: each failure shows its event, expected and actual")
    func failingGolden() {
        let r = RulebookTestFixtures.run(["failing.test.rules"])
        #expect(r.passed == 1 && r.failed == 5)
        RulebookTestFixtures.expectGolden(r.text(coverage: false), "failing.txt")
        RulebookTestFixtures.expectGolden(r.junit(), "failing.junit.xml")
    }

    @Test("a failing test stops at the first event that diverged; later events are not replayed")
    func stopsAtFirstDivergence() throws {
        let r = RulebookTestFixtures.run(["failing.test.rules"])
        let f = try #require(r.results.first { $0.name == "wrong mode" }?.failure)
        #expect(f.event?.line == 13)
        #expect(f.event?.text == "at 09:50 mark ES 5_996")
        #expect(f.mismatches.map(\.expected) == ["mode locked", "unlocks manual"])
        #expect(f.mismatches.map(\.actual) == ["mode liquidate_only", "unlocks 2026-11-23T17:00-06:00"])
    }

    @Test("an `expect` before the first event checks the starting state")
    func startingState() throws {
        let r = RulebookTestFixtures.run(["failing.test.rules"])
        let f = try #require(r.results.first { $0.name == "the starting state" }?.failure)
        #expect(f.event == nil)
        // balance 30,000 raises the high-water mark to 30,000; the level is capped at 25,100.
        #expect(f.mismatches.map(\.actual) == ["trailing_level 25_100 USD", "day_start 30_000 USD"])
    }

    @Test("events must be in time order")
    func timeOrder() throws {
        let r = RulebookTestFixtures.run(["failing.test.rules"])
        let f = try #require(r.results.first { $0.name == "events out of order" }?.failure)
        #expect(f.mismatches.first?.actual.hasSuffix("earlier: events must be in time order") == true)
    }

    @Test("coverage marks what a test exercised and lists the rest with its line")
    func coverage() throws {
        let r = RulebookTestFixtures.run(["passing.test.rules"])
        let c = try #require(r.coverage.first)
        #expect(r.coverage.count == 1 && c.template == "small_account" && c.tested)
        let reached = Set(c.items.filter(\.exercised).map(\.setting))
        #expect(reached == ["calendar cme", "time_period close_out", "starting_balance 25_000 USD",
                            "alert daily_loss 300 USD", "liquidate_only daily_loss 400 USD",
                            "auto_liquidate daily_loss 500 USD", "auto_liquidate daily_loss 2%",
                            "trailing_drawdown stop_trailing_at 25_100 USD"])
        let missing = r.unexercised.map { "\($0.setting) \($0.source?.description ?? "-")" }
        #expect(missing.contains("max_group minis 2 account.rules:42"))
        #expect(missing.contains("flatten_at 2026-12-18T08:00-06:00 account.rules:72"))
    }

    @Test("an account template no test names is listed as not exercised")
    func untestedTemplate() throws {
        let r = RulebookTestFixtures.run(["passing.test.rules", "account.rules"])
        // account.rules defines small_account; the tests name it, so nothing is added.
        #expect(r.coverage.map(\.template) == ["small_account"])
        var session = TestSession(zone: RulebookTestFixtures.zone)
        session.run(RulebookTestFixtures.check("account.rules").0)
        let alone = session.report()
        #expect(alone.results.isEmpty)
        #expect(alone.unexercised.map(\.setting) == ["template small_account (no test names it)"])
    }

    @Test("the same tests give the same report, byte for byte")
    func deterministic() {
        let a = RulebookTestFixtures.run(["passing.test.rules", "failing.test.rules"])
        let b = RulebookTestFixtures.run(["passing.test.rules", "failing.test.rules"])
        #expect(a == b)
        #expect(a.text(coverage: true) == b.text(coverage: true))
    }

    @Test("JUnit output is well-formed XML with the counts of the run")
    func junitIsXML() throws {
        let r = RulebookTestFixtures.run(["passing.test.rules", "failing.test.rules"])
        let xml = r.junit()
        let parser = XMLParser(data: Data(xml.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(counter.counts["testsuites"] == 1)
        #expect(counter.counts["testsuite"] == 2)
        #expect(counter.counts["testcase"] == 8)
        #expect(counter.counts["failure"] == 5)
        #expect(xml.contains("<testsuites name=\"rulec test\" tests=\"8\" failures=\"5\" errors=\"0\" time=\"0\">"))
    }

    @Test("XML escaping", arguments: [("a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c&apos;"), ("tab\tok", "tab\tok"), ("\u{1}", "\u{FFFD}")])
    func xmlEscaping(_ input: String, _ escaped: String) {
        #expect(TestRunReport.xml(input) == escaped)
    }

    @Test("the test syntax's admin reason codes are the engine's")
    func reasonCodes() {
        #expect(TestAdminAction.reasonCodes == AdminAction.ReasonCode.allCases.map(\.description))
        for w in TestAdminAction.words { #expect(AdminAction.Kind(name: w) != nil, "\(w)") }
    }

    @Test("the test syntax's admin refusal codes and internal actions are the engine's")
    func adminRefusalCodes() {
        #expect(TestAdminRefusal.allCases.map(\.rawValue) == AdminAction.Rejection.allCases.map(\.code))
        #expect(TestAdminAction.internalNames == AdminAction.Kind.internalNames)
        #expect(TestAdminRefusal.maxReasonLength == AdminAction.maxReasonLength)
    }

    @Test("review expectations hold on the fixture scenarios")
    func reviewScenarios() {
        let r = RulebookTestFixtures.run(["review.test.rules"])
        #expect(r.failed == 0 && r.results.count == 5, "\(r.text(coverage: false))")
    }

    /// A review expectation that does not hold shows what the engine did, in the test's words.
    @Test(arguments: [
        ("  at 09:30 admin DisableAutoLiq Other \"x\"\n  expect {\n    admin applied\n  }",
         "admin refused internal_action: admin action `DisableAutoLiq` is internal to the broker and cannot be set (R-25)"),
        ("  commission 2.50 USD\n  at 09:30 fill ES buy 1 at 6_000\n  at 09:31 mark ES 5_990\n  expect {\n    liquidated ES buy 1\n  }",
         "liquidated ES sell 1 at 5_990 realized loss 500 USD commission 2.5 USD"),
        ("  at 09:30 fill ES buy 1 at 6_000\n  expect {\n    limit auto_liquidate daily_loss 2% 400 USD\n  }",
         "limit auto_liquidate daily_loss 500 USD"),
        ("  at 09:30 clock\n  expect {\n    trade_date 2026-11-24\n  }", "trade_date 2026-11-23"),
        ("  at 09:30 fee 350 USD\n  expect {\n    nothing\n  }", "alert daily_loss 300 USD"),
        ("  at 17:00 clock\n  expect {\n    released admin\n  }", "nothing released"),
    ])
    func reviewMismatch(body: String, actual: String) throws {
        let source = "import \"account.rules\"\ntest \"t\" {\n  template small_account\n  start 2026-11-23T09:00\n\(body)\n}\n"
        let account = try String(contentsOf: RulebookTestFixtures.fixturesDir.appendingPathComponent("account.rules"), encoding: .utf8)
        let (rb, diags) = Checker.check(source: source, path: "t.test.rules", files: ["account.rules": account])
        #expect(!diags.hasErrors, "\(diags.map(\.message))")
        var session = TestSession(zone: RulebookTestFixtures.zone)
        session.run(rb)
        let mismatch = session.report().results.first?.failure?.mismatches.first
        #expect(mismatch?.actual == actual)
    }

    @Test("order expectations: accepted, and rejected with the pre-trade check's reason")
    func orders() throws {
        let r = RulebookTestFixtures.run(["orders.test.rules"])
        #expect(r.failed == 0, "\(r.text(coverage: false))")
        // Each kind of pre-trade rule is exercised by the order it rejected.
        let c = try #require(r.coverage.first)
        let reached = Set(c.items.filter(\.exercised).map(\.setting))
        for s in ["risk_category small", "max_position ES 2", "restrict NG", "max_group minis 2", "time_period close_out"] {
            #expect(reached.contains(s), "\(s)")
        }
        #expect(!reached.contains("max_position MES 20"))
    }

    @Test("an order expectation that does not hold shows the engine's verdict")
    func orderMismatch() throws {
        let source = """
            import "account.rules"
            test "t" {
              template small_account
              start 2026-11-23T09:00
              at 09:30 order ES buy 3
              expect {
                order accepted
              }
            }
            """
        let account = try String(contentsOf: RulebookTestFixtures.fixturesDir.appendingPathComponent("account.rules"), encoding: .utf8)
        let (rb, diags) = Checker.check(source: source, path: "t.test.rules", files: ["account.rules": account])
        #expect(diags.isEmpty)
        var session = TestSession(zone: RulebookTestFixtures.zone)
        session.run(rb)
        let f = try #require(session.report().results.first?.failure)
        #expect(f.mismatches.map(\.actual) == ["order rejected POSITION_LIMIT"])
    }

    @Test("after a category switch, orders do not count for the template's own category")
    func switchedCategory() throws {
        let source = """
            import "account.rules"
            test "t" {
              template small_account
              start 2026-11-23T09:00
              at 09:30 switch_category tiny
              at 09:31 order ES buy 2
              expect {
                order rejected POSITION_LIMIT
              }
            }
            """
        let account = try String(contentsOf: RulebookTestFixtures.fixturesDir.appendingPathComponent("account.rules"), encoding: .utf8)
        let (rb, _) = Checker.check(source: source, path: "t.test.rules", files: ["account.rules": account])
        var session = TestSession(zone: RulebookTestFixtures.zone)
        session.run(rb)
        let r = session.report()
        #expect(r.failed == 0, "\(r.text(coverage: false))")
        #expect(r.coverage.first?.items.first { $0.setting == "max_position ES 2" }?.exercised == false)
    }
}

/// The order lifecycle in rulebook tests: each expectation once where it holds and once where
/// it does not, with the engine's answer written the way a test says it.
@Suite("Rulebook test runner: working orders, cancels, refusals")
struct RulebookTestLifecycleTests {
    /// Runs one test of `small_account` (ES at most 2, auto-liquidation at 500 USD daily loss) whose
    /// start has `working w1 limit ES buy 2 at 5_990 remaining 1`; returns the actual side of each
    /// mismatch (empty: the test passed).
    static func run(_ body: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        let source = """
            import "account.rules"
            test "t" {
              template small_account
              start 2026-11-23T09:00
              working w1 limit ES buy 2 at 5_990 remaining 1
            \(body)
            }
            """
        let account = try String(contentsOf: RulebookTestFixtures.fixturesDir.appendingPathComponent("account.rules"), encoding: .utf8)
        let (rb, diags) = Checker.check(source: source, path: "t.test.rules", files: ["account.rules": account])
        #expect(diags.isEmpty, "\(diags.map(\.message))", sourceLocation: sourceLocation)
        var session = TestSession(zone: RulebookTestFixtures.zone)
        session.run(rb)
        let r = try #require(session.report().results.first, sourceLocation: sourceLocation)
        return r.failure?.mismatches.map(\.actual) ?? []
    }

    static func expect(_ event: String, _ line: String) -> String { "  \(event)\n  expect {\n    \(line)\n  }" }

    @Test("each lifecycle expectation, where it holds and where it does not", arguments: [
        // working ID [remaining N]
        (expect("at 09:30 clock", "working w1 remaining 1"), []),
        (expect("at 09:30 clock", "working w1 remaining 2"), ["working w1 remaining 1"]),
        (expect("at 09:30 fill ES buy 1 at 5_990 order w1", "no working w1"), []),
        (expect("at 09:30 fill ES buy 1 at 5_990 order w1", "working w1"), ["no working w1 (filled)"]),
        (expect("at 09:30 clock", "no working w1"), ["working w1 remaining 1"]),
        // working N, no working
        (expect("at 09:30 order o1 stop ES sell 1 at 5_980", "working 2"), []),
        (expect("at 09:30 order o1 stop ES sell 1 at 5_980", "working 1"), ["working 2 (w1, o1)"]),
        (expect("at 09:30 cancel w1", "no working"), []),
        (expect("at 09:30 clock", "no working"), ["working 1 (w1)"]),
        // cancelled ID [CAUSE], no cancelled [ID]
        (expect("at 09:30 cancel w1", "cancelled w1 request"), []),
        (expect("at 09:30 cancel w1", "cancelled w1 auto_liquidate"), ["cancelled w1 request"]),
        (expect("at 15:55 clock", "cancelled w1 time_period"), []),
        (expect("at 09:30 clock", "cancelled w1"), ["no cancelled"]),
        (expect("at 09:30 clock", "no cancelled"), []),
        (expect("at 09:30 cancel w1", "no cancelled"), ["cancelled w1 request"]),
        (expect("at 09:30 cancel w1", "no cancelled w1"), ["cancelled w1 request"]),
        // refused [CODE]
        (expect("at 09:30 fill ES buy 2 at 5_990 order w1", "refused overfill"), []),
        (expect("at 09:30 fill ES buy 2 at 5_990 order w1", "refused fill_mismatch"),
         ["refused overfill: a fill of 2 for order `w1`, which has 1 open"]),
        (expect("at 09:30 fill ES sell 1 at 5_990 order w1", "refused fill_mismatch"), []),
        (expect("at 09:30 order w1 limit ES buy 1 at 5_985", "refused duplicate_order"), []),
        (expect("at 09:30 cancel w9", "refused unknown_order"), []),
        (expect("at 09:30 cancel w1", "refused"), ["not refused: the event applied"]),
        (expect("at 09:30 fill ES buy 1 at 5_990 order w1\n  at 09:31 cancel w1", "refused already_filled"), []),
        (expect("at 09:30 cancel w1\n  at 09:31 cancel w1", "refused already_cancelled"), []),
        (expect("at 09:30 cancel w1\n  at 09:31 cancel w1", "refused already_filled"),
         ["refused already_cancelled: order `w1` was already cancelled at 2026-11-23T09:30-06:00"]),
        // A refusal nobody expected fails the test, with or without an `expect` block.
        ("  at 09:30 fill ES buy 2 at 5_990 order w1", ["refused overfill: a fill of 2 for order `w1`, which has 1 open"]),
        (expect("at 09:30 fill ES buy 2 at 5_990 order w1", "position ES flat"),
         ["refused overfill: a fill of 2 for order `w1`, which has 1 open"]),
    ] as [(String, [String])])
    func expectations(_ body: String, _ actual: [String]) throws {
        #expect(try Self.run(body) == actual)
    }

    @Test("a refused event changes nothing: the account and the book stay as they were")
    func refusalChangesNothing() throws {
        #expect(try Self.run(Self.expect("at 09:30 fill ES buy 2 at 5_990 order w1", """
            refused overfill
                position ES flat
                working w1 remaining 1
                balance 25_000 USD
            """)) == [])
    }

    @Test("the expected line of an unexpected refusal says the event should have applied")
    func unexpectedRefusalLine() throws {
        let source = """
            import "account.rules"
            test "t" {
              template small_account
              start 2026-11-23T09:00
              working w1 limit ES buy 2 at 5_990
              at 09:30 fill ES buy 3 at 5_990 order w1
            }
            """
        let account = try String(contentsOf: RulebookTestFixtures.fixturesDir.appendingPathComponent("account.rules"), encoding: .utf8)
        let (rb, _) = Checker.check(source: source, path: "t.test.rules", files: ["account.rules": account])
        var session = TestSession(zone: RulebookTestFixtures.zone)
        session.run(rb)
        let text = session.report().text(coverage: false)
        #expect(text == """
            FAIL t
              t.test.rules:6: at 09:30 fill ES buy 3 at 5_990 order w1
                expected  the event applied
                actual    refused overfill: a fill of 3 for order `w1`, which has 2 open
            0 passed, 1 failed

            """)
    }

    @Test("working quantities count toward the lot limit; partial fills, then the auto-liquidation cancels the rest")
    func scenario() throws {
        // w1 (1 open) + a new buy of 2 = 3 > 2: rejected. Fill w1 at 5,990, mark 5,980: 1 × 10 × 50 =
        // 500 USD down: auto-liquidation cancels o1 and closes the long at 5,980.
        #expect(try Self.run("""
              at 09:30 order ES buy 2
              expect {
                order rejected POSITION_LIMIT
              }
              at 09:31 order ES buy 1
              expect {
                order accepted
              }
              at 09:32 fill ES buy 1 at 5_990 order w1
              at 09:33 order o1 limit ES buy 1 at 5_975
              at 09:40 mark ES 5_980
              expect {
                auto_liquidate daily_loss 500 USD
                cancelled o1 auto_liquidate
                no working
                liquidated ES 1 at 5_980
                balance 24_500 USD
              }
              at 09:41 fill ES buy 1 at 5_975 order o1 # too late: cancelled, not applied
              expect {
                position ES flat
                no working
              }
            """) == [])
    }

    @Test("every LifecycleError has its own refusal code, and every code a case")
    func refusalCodes() {
        let t = Instant(millis: 0)
        let o = WorkingOrder(id: "o", product: 0, side: .buy, type: .limit, price: nil, quantity: 1, placedAt: t)
        let errors: [LifecycleError] = [
            .duplicateOrder(id: "o", placedAt: t), .missingID(type: .limit), .missingPrice(type: .stop), .unknownOrder(id: "o"),
            .alreadyFilled(id: "o", at: t), .alreadyCancelled(id: "o", at: t), .overfill(id: "o", remaining: 1, quantity: 2),
            .fillMismatch(id: "o", order: o),
        ]
        #expect(errors.map(\.testRefusal) == TestRefusal.allCases)
    }
}

/// Counts elements by name while XMLParser checks the document.
final class ElementCounter: NSObject, XMLParserDelegate, @unchecked Sendable {
    var counts: [String: Int] = [:]
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        counts[name, default: 0] += 1
    }
}
