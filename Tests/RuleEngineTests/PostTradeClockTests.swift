import RuleBase
import RuleGraph
import Testing
@testable import RuleEngine

@Suite("Post-trade scenarios: clock, time period, flatten_at, admin, positions")
struct PostTradeClockTests {
    static let plain = """
    template t {
      calendar cme
      starting_balance 50_000 USD
    }
    """

    @Test("a stream that jumps three days passes every boundary in order")
    func threeDayJump() throws {
        var s = try Scenario(Self.plain, at: "2026-03-03T15:00:00Z")
        #expect(s.clock("2026-03-06T15:00:00Z") == [
            "end_of_day 2026-03-03T22:00:00Z", "session_open 2026-03-03T23:00:00Z",
            "end_of_day 2026-03-04T22:00:00Z", "session_open 2026-03-04T23:00:00Z",
            "end_of_day 2026-03-05T22:00:00Z", "session_open 2026-03-05T23:00:00Z",
        ])
        #expect(s.snapshot.tradeDate == day("2026-03-06"))
    }

    @Test("flatten_at fires once, without a lock; one already past never fires (R-17)")
    func flattenAt() throws {
        let body = """
        template t {
          calendar cme
          starting_balance 50_000 USD
          flatten_at 2026-03-03T10:00-06:00
        }
        """
        var s = try Scenario(body, at: "2026-03-03T15:00:00Z")
        s.fill("2026-03-03T15:00:00Z", "ES", 1, "5000.00")
        s.mark("2026-03-03T15:59:00Z", "ES", "5001.00")
        #expect(s.clock("2026-03-03T16:30:00Z") == [
            "flatten_at 2026-03-03T16:00:00Z", "flatten flattenAt", "liquidated ES -1 @ 5001.00 realized 50.00",
        ])
        #expect(s.mode == .normal)
        var late = try Scenario(body, at: "2026-03-03T16:00:01Z")
        late.fill("2026-03-03T16:00:01Z", "ES", 1, "5000.00")
        #expect(late.clock("2026-03-03T17:00:00Z") == [])
    }

    @Test("holiday early close: the Thanksgiving time-period override flattens at 11:55 CST; end of day stays 16:00 (R-29)")
    func thanksgiving() throws {
        let body = """
        time_period close_out {
          start 15:55
          stop 17:00
          on 2026-11-26 start 11:55
        }
        template t {
          calendar cme
          time_period close_out
          starting_balance 50_000 USD
        }
        """
        var s = try Scenario(body, at: "2026-11-26T15:00:00Z")
        s.fill("2026-11-26T15:00:00Z", "ES", 1, "5000.00")
        #expect(s.snapshot.marginUsed == usd("500"))
        s.mark("2026-11-26T17:50:00Z", "ES", "5004.00")
        #expect(s.clock("2026-11-26T23:30:00Z") == [
            "time_period_start 2026-11-26T17:55:00Z", "flatten timePeriod", "liquidated ES -1 @ 5004.00 realized 200.00",
            "end_of_day 2026-11-26T22:00:00Z",
            "time_period_stop 2026-11-26T23:00:00Z",
            "session_open 2026-11-26T23:00:00Z",
        ])
        #expect(s.snapshot.dayStart == usd("50_200"))
    }

    @Test("overnight margin applies inside the time period, day margin outside")
    func overnightMargin() throws {
        let body = """
        time_period close_out {
          start 15:55
          stop 17:00
        }
        template t {
          calendar cme
          time_period close_out
          starting_balance 50_000 USD
        }
        """
        var s = try Scenario(body, at: "2026-03-03T22:05:00Z")        // 16:05 CST, inside
        s.fill("2026-03-03T22:05:00Z", "ES", 1, "5000.00")
        #expect(s.snapshot.marginUsed == usd("13_200"))
        s.clock("2026-03-03T23:00:00Z")
        #expect(s.snapshot.marginUsed == usd("500"))
    }

    @Test("admin: Other needs a reason, a reason over 8,192 scalars is refused, the account is unchanged")
    func adminValidation() throws {
        var s = try Scenario(Self.plain, at: "2026-03-03T15:00:00Z")
        #expect(s.admin("2026-03-03T15:00:00Z", .lockTradingImmediately, .other, reason: nil) == [
            "admin rejected: reason code `Other` requires a reason",
        ])
        #expect(s.admin("2026-03-03T15:00:01Z", .lockTradingImmediately, .other, reason: " \t ") == [
            "admin rejected: reason code `Other` requires a reason",
        ])
        #expect(s.admin("2026-03-03T15:00:02Z", .lockTradingImmediately, .callIn,
                        reason: String(repeating: "é", count: 8193)) == [
            "admin rejected: reason is 8193 characters; at most 8192 are allowed",
        ])
        #expect(s.mode == .normal)
        #expect(s.admin("2026-03-03T15:00:03Z", .lockTradingImmediately, .other,
                        reason: String(repeating: "é", count: 8192)).first == "admin LockTradingImmediately")
        #expect(s.mode == .locked)
    }

    @Test("admin lock keeps positions, never unlocks by itself, and auto-liquidation still runs under it (R-22)")
    func adminLock() throws {
        let body = """
        template t {
          calendar cme
          starting_balance 50_000 USD
          auto_liquidate {
            daily_loss 1_000 USD
          }
        }
        """
        var s = try Scenario(body, at: "2026-03-03T15:00:00Z")
        s.fill("2026-03-03T15:00:00Z", "ES", 1, "5000.00")
        #expect(s.admin("2026-03-03T15:01:00Z", .lockTradingImmediately) == [
            "admin LockTradingImmediately", "restricted admin LockTradingImmediately locked manual",
            "mode normal -> locked",
        ])
        #expect(!s.engine.account.isFlat)
        #expect(s.mark("2026-03-03T15:05:00Z", "ES", "4980.00") == [
            "breach auto_liquidate.daily_loss (USD) 1000.00 >= 1000.00 until 2026-03-03T23:00:00Z",
            "flatten autoLiquidate(0)",
            "liquidated ES -1 @ 4980.00 realized -1000.00",
        ])
        s.clock("2026-03-05T15:00:00Z")
        #expect(s.mode == .locked)
        #expect(s.snapshot.governing?.origin == .admin(.lockTradingImmediately))
    }

    @Test("liquidate-then-lock as the broker documents: LiquidateImmediately flattens and locks; the extra lock is idempotent (R-23)")
    func liquidateThenLock() throws {
        var s = try Scenario(Self.plain, at: "2026-03-03T15:00:00Z", commission: "1.25")
        s.fill("2026-03-03T15:00:00Z", "ES", -2, "5000.00")
        s.mark("2026-03-03T15:01:00Z", "ES", "4995.50")
        #expect(s.admin("2026-03-03T15:02:00Z", .liquidateImmediately) == [
            "admin LiquidateImmediately", "flatten admin", "liquidated ES 2 @ 4995.50 realized 450.00",
            "restricted admin LiquidateImmediately locked manual",
            "mode normal -> locked",
        ])
        // Opening fill paid 2 × 1.25; liquidation 2 × 1.25: 50,000 + 450 − 5.00.
        #expect(s.snapshot.balance == usd("50_445"))
        #expect(s.admin("2026-03-03T15:03:00Z", .lockTradingImmediately) == ["admin LockTradingImmediately"])
        s.clock("2026-03-04T15:00:00Z")
        #expect(s.mode == .locked)
        #expect(s.admin("2026-03-04T15:01:00Z", .normal) == [
            "admin Normal", "released admin LiquidateImmediately locked", "mode locked -> normal",
        ])
        #expect(s.admin("2026-03-04T15:02:00Z", .liquidateOnlyModeImmediately) == [
            "admin LiquidateOnlyModeImmediately",
            "restricted admin LiquidateOnlyModeImmediately liquidate_only manual",
            "mode normal -> liquidate_only",
        ])
    }

    @Test("average price, partial closes and a reversal realize exact P&L")
    func averagePrice() throws {
        var s = try Scenario(Self.plain, at: "2026-03-03T15:00:00Z")
        s.fill("2026-03-03T15:00:00Z", "BIG", 1, "100.00")
        s.fill("2026-03-03T15:00:01Z", "BIG", 2, "103.00")
        let i = Int(s.product("BIG"))
        #expect(s.engine.account.positions[i].averagePrice == px("102"))
        s.fill("2026-03-03T15:00:02Z", "BIG", -2, "104.00")           // (104 − 102) × 2 × 50
        #expect(s.snapshot.balance == usd("50_200"))
        s.mark("2026-03-03T15:00:03Z", "BIG", "101.00")               // (101 − 102) × 1 × 50
        #expect(s.snapshot.netLiq == usd("50_150"))
        s.fill("2026-03-03T15:00:04Z", "BIG", -3, "101.00")           // closes 1 (−50), opens short 2
        #expect(s.snapshot.balance == usd("50_150"))
        #expect(s.engine.account.positions[i].quantity == -2)
        #expect(s.engine.account.positions[i].averagePrice == px("101"))
        s.mark("2026-03-03T15:00:05Z", "BIG", "100.75")               // short gains 0.25 × 2 × 50
        #expect(s.snapshot.netLiq == usd("50_175"))
    }

    @Test("the same inputs twice give the same steps")
    func determinism() throws {
        func run() throws -> [String] {
            var s = try Scenario(dailyTiers, at: "2026-03-03T15:00:00Z")
            var lines = s.fill("2026-03-03T15:00:00Z", "ES", 3, "5000.00")
            for (k, p) in ["4998.00", "4996.50", "4994.25", "4990.00", "4985.75"].enumerated() {
                lines += s.mark("2026-03-03T15:0\(k + 1):00Z", "ES", p)
            }
            lines += s.clock("2026-03-06T00:00:00Z")
            return lines + ["\(s.snapshot)"]
        }
        #expect(try run() == run())
    }
}
