import RuleBase
import RuleGraph
import Testing
@testable import RuleEngine

@Suite("Pre-trade category switch")
struct PreTradeCategorySwitchTests {
    let fx: PreTradeFixture
    init() throws { fx = try PreTradeFixture.load() }

    /// `small` -> `tight` (ES 2, MES 20, NG restricted, minis 3).
    func switched() throws -> (before: PreTradeCheck, after: PreTradeCheck) {
        let before = try fx.check()
        let tight = try #require(fx.graphs["switched"]?.riskCategory)
        return (before, before.switching(to: tight))
    }

    @Test("positions over the new limits are liquidated to the limit; restricted ones flat; then the group")
    func liquidations() throws {
        let (before, after) = try switched()
        let a = account(before, .normal, ["ES": 4, "MES": -30, "NG": 1, "YM": 3])
        let ls = after.liquidations(for: a.positions)
        #expect(ls.map { after.message(for: $0) } == [
            "sell 2 `ES`: long 4 -> long 2 (position limit long 2)",
            "buy 10 `MES`: short 30 -> short 20 (position limit short 20)",
            "sell 1 `NG`: long 1 -> flat (restricted)",
            // ES 2 + MES 20 x 0.1 = 4 > 3: the heaviest member goes first, one contract is enough.
            "sell 1 `ES`: long 2 -> long 1 (group limit `minis`)",
        ])
        #expect(ls.map { fx.line($0.span) } == ["max_position ES 2", "max_position MES 20", "restrict NG", "max_group minis 3 {"])
        #expect(ls[0] == SwitchLiquidation(product: try #require(after.productIndex("ES")), side: .sell, quantity: 2, from: 4, to: 2,
                                     reason: .positionLimit(side: .long, limit: 2), span: ls[0].span))
    }

    @Test("group excess takes only what it needs, heaviest first, then catalog order")
    func groupOnly() throws {
        let (before, after) = try switched()
        // ES 1 + MES 20 = 3.0: fits. MES 21 alone would be over its own limit, so use ES 2 + MES 15 = 3.5.
        #expect(after.liquidations(for: account(before, .normal, ["ES": 1, "MES": 20]).positions).isEmpty)
        let ls = after.liquidations(for: account(before, .normal, ["ES": -2, "MES": 15]).positions)
        #expect(ls.map { after.message(for: $0) } == ["buy 1 `ES`: short 2 -> short 1 (group limit `minis`)"])
        let micros = after.liquidations(for: account(before, .normal, ["MES": 20, "ES": 0, "YM": 9]).positions)
        #expect(micros.isEmpty)
    }

    @Test("the new category applies at once to orders; positions within limits are untouched")
    func appliesAtOnce() throws {
        let (before, after) = try switched()
        let a = account(before, .normal, ["ES": 2])
        let buy = try order(before, .buy, 1, "ES")
        #expect(before.check(order: buy, account: a, at: tradingHour) == .accepted)
        #expect(after.check(order: buy, account: a, at: tradingHour).kind == .positionLimit)
        #expect(after.check(order: try order(before, .buy, 1, "NG"), account: a, at: tradingHour).kind == .restrictedProduct)
        #expect(after.check(order: try order(before, .buy, 1, "CL"), account: a, at: tradingHour) == .accepted)
        #expect(after.liquidations(for: a.positions).isEmpty)
        // Not yet liquidated (the engine has not run the switch): reducing still passes, adding does not.
        let over = account(before, .normal, ["ES": 4])
        #expect(after.check(order: try order(before, .sell, 1, "ES"), account: over, at: tradingHour) == .accepted)
        // The time period table is shared, not rebuilt.
        #expect(after.isInsideRiskPeriod(at: closeOutHour))
    }

    @Test("switching to no category removes every cap")
    func noCategory() throws {
        let (before, _) = try switched()
        let none = before.switching(to: nil)
        #expect(none.liquidations(for: account(before, .normal, ["ES": 400, "CL": 9]).positions).isEmpty)
        #expect(none.check(order: try order(before, .buy, 50, "CL"), account: PreTradeAccount(), at: tradingHour) == .accepted)
    }
}
