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

    @Test("`rulec fmt` formats test files like any rulebook, and keeps their meaning")
    func formatsLikeARulebook() throws {
        let source = try String(contentsOf: RulebookTestFixtures.fixturesDir.appendingPathComponent("passing.test.rules"), encoding: .utf8)
        let (tree, diags) = Parser.parse(source, path: "passing.test.rules")
        #expect(diags.isEmpty)
        #expect(tree.print() == source)
    }
}
