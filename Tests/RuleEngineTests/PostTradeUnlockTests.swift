import RuleBase
import RuleGraph
import Testing
@testable import RuleEngine

@Suite("Post-trade scenarios: unlock rules, weekly and profit limits, DST")
struct PostTradeUnlockTests {
    @Test("do_not_unlock holds a daily-loss lock through the open until an admin Normal; liquidate-only still ends at the open (R-16)")
    func doNotUnlock() throws {
        let body = """
        template t {
          calendar cme
          starting_balance 50_000 USD
          liquidate_only {
            daily_loss 800 USD
          }
          auto_liquidate {
            daily_loss 1_000 USD
          }
          do_not_unlock
        }
        """
        var s = try Scenario(body, at: "2026-03-03T15:00:00Z")
        s.fill("2026-03-03T15:00:00Z", "ES", 2, "5000.00")
        #expect(s.mark("2026-03-03T15:05:00Z", "ES", "4990.00") == [
            "breach auto_liquidate.daily_loss (USD) 1000.00 >= 1000.00 manual",
            "breach liquidate_only.daily_loss (USD) 1000.00 >= 800.00 until 2026-03-03T23:00:00Z",
            "flatten autoLiquidate(0)",
            "liquidated ES -2 @ 4990.00 realized -1000.00",
            "mode normal -> locked",
        ])
        // "Bounced market": the open releases the liquidate-only tier, not the manual lock.
        #expect(s.clock("2026-03-04T15:00:00Z") == [
            "end_of_day 2026-03-03T22:00:00Z",
            "session_open 2026-03-03T23:00:00Z",
            "released liquidate_only.daily_loss (USD) liquidate_only",
        ])
        #expect(s.mode == .locked)
        #expect(s.snapshot.governing?.release == .manual)
        #expect(s.admin("2026-03-04T15:01:00Z", .normal) == [
            "admin Normal", "released auto_liquidate.daily_loss (USD) locked", "mode locked -> normal",
        ])
        // The flag persists: the next day's breach locks manually again.
        s.clock("2026-03-04T23:00:00Z")
        s.fill("2026-03-05T15:00:00Z", "ES", 2, "5000.00")
        s.mark("2026-03-05T15:05:00Z", "ES", "4990.00")
        #expect(s.mode == .locked)
        #expect(s.snapshot.governing?.release == .manual)
    }

    @Test("a weekly limit locks across the weekend until the Sunday open, on the DST weekend at 22:00Z (CDT)")
    func weeklyAcrossWeekendAndDST() throws {
        let body = """
        template t {
          calendar cme
          starting_balance 50_000 USD
          auto_liquidate {
            weekly_loss 2_000 USD
          }
        }
        """
        var s = try Scenario(body, at: "2026-03-02T15:00:00Z")   // Mon 2 Mar 09:00 CST
        s.fill("2026-03-02T15:00:00Z", "ES", 1, "5000.00")
        s.fill("2026-03-02T16:00:00Z", "ES", -1, "4970.00")       // −1,500.00
        s.clock("2026-03-03T15:00:00Z")
        #expect(s.snapshot.dayStart == usd("48_500"))
        #expect(s.snapshot.weekStart == usd("50_000"))
        s.fill("2026-03-03T15:00:00Z", "ES", 1, "5000.00")
        // −10 × 50 = −500.00 more: weekly loss 2,000.00 exactly. Next week start strictly after
        // Sunday 8 March 17:00 CDT = 22:00Z, the first open after the spring change.
        #expect(s.mark("2026-03-03T15:30:00Z", "ES", "4990.00") == [
            "breach auto_liquidate.weekly_loss (USD) 2000.00 >= 2000.00 until 2026-03-08T22:00:00Z",
            "flatten autoLiquidate(0)",
            "liquidated ES -1 @ 4990.00 realized -500.00",
            "mode normal -> locked",
        ])
        s.clock("2026-03-07T18:00:00Z")                               // Saturday
        #expect(s.mode == .locked)
        #expect(s.clock("2026-03-08T21:59:59Z") == [])
        #expect(s.mode == .locked)
        // Boundaries come before an event at the same instant.
        #expect(s.clock("2026-03-08T22:00:00Z") == [
            "session_open 2026-03-08T22:00:00Z",
            "week_start 2026-03-08T22:00:00Z",
            "released auto_liquidate.weekly_loss (USD) locked",
            "mode locked -> normal",
        ])
        #expect(s.snapshot.weekStart == usd("48_000"))
        #expect(s.snapshot.dayStart == usd("48_000"))
        #expect(s.snapshot.tradeDate == day("2026-03-09"))
        // Monday's end of day is 16:00 CDT = 21:00Z.
        #expect(s.clock("2026-03-09T21:00:00Z") == ["end_of_day 2026-03-09T21:00:00Z"])
    }

    @Test("a daily and a weekly lock in one event: the latest release governs (R-12)")
    func latestReleaseGoverns() throws {
        let body = """
        template t {
          calendar cme
          starting_balance 50_000 USD
          auto_liquidate {
            daily_loss 1_000 USD
            weekly_loss 1_000 USD
          }
        }
        """
        var s = try Scenario(body, at: "2026-03-03T15:00:00Z")
        s.fill("2026-03-03T15:00:00Z", "ES", 1, "5000.00")
        #expect(s.mark("2026-03-03T15:05:00Z", "ES", "4980.00") == [
            "breach auto_liquidate.daily_loss (USD) 1000.00 >= 1000.00 until 2026-03-03T23:00:00Z",
            "breach auto_liquidate.weekly_loss (USD) 1000.00 >= 1000.00 until 2026-03-08T22:00:00Z",
            "flatten autoLiquidate(0)",
            "liquidated ES -1 @ 4980.00 realized -1000.00",
            "mode normal -> locked",
        ])
        #expect(s.snapshot.governing?.releaseAt == utc("2026-03-08T22:00:00Z"))
        s.clock("2026-03-04T15:00:00Z")
        #expect(s.mode == .locked)
    }

    @Test("daily and weekly profit triggers lock until the next open and the next week start")
    func profitTriggers() throws {
        let body = """
        template t {
          calendar cme
          starting_balance 50_000 USD
          auto_liquidate {
            daily_profit 1_500 USD
            weekly_profit 2_000 USD
          }
          do_not_unlock
        }
        """
        var s = try Scenario(body, at: "2026-03-03T15:00:00Z")
        s.fill("2026-03-03T15:00:00Z", "ES", 1, "5000.00")
        #expect(s.mark("2026-03-03T15:05:00Z", "ES", "5029.75") == [])   // +1,487.50
        #expect(s.mark("2026-03-03T15:06:00Z", "ES", "5030.00") == [     // +1,500.00
            "breach auto_liquidate.daily_profit (USD) 1500.00 >= 1500.00 until 2026-03-03T23:00:00Z",
            "flatten autoLiquidate(0)",
            "liquidated ES -1 @ 5030.00 realized 1500.00",
            "mode normal -> locked",
        ])
        // do_not_unlock does not apply to profit: the open releases it.
        s.clock("2026-03-03T23:00:00Z")
        #expect(s.mode == .normal)
        s.fill("2026-03-04T15:00:00Z", "ES", 1, "5000.00")
        #expect(s.mark("2026-03-04T15:05:00Z", "ES", "5010.00") == [     // week +2,000.00
            "breach auto_liquidate.weekly_profit (USD) 2000.00 >= 2000.00 until 2026-03-08T22:00:00Z",
            "flatten autoLiquidate(1)",
            "liquidated ES -1 @ 5010.00 realized 500.00",
            "mode normal -> locked",
        ])
    }

    @Test("margin tiers are state-based: liquidate-only clears on reducing; auto-liquidation flattens without a lock (R-9)")
    func marginTiers() throws {
        let body = """
        template t {
          calendar cme
          starting_balance 50_000 USD
          alert {
            margin 30%
          }
          liquidate_only {
            margin 40%
          }
          auto_liquidate {
            margin 50%
          }
        }
        """
        var s = try Scenario(body, at: "2026-03-03T15:00:00Z")
        // 2 × 10,000.00 day margin ÷ 50,000.00 = 40% exactly.
        #expect(s.fill("2026-03-03T15:00:00Z", "BIG", 2, "100.00") == [
            "breach liquidate_only.margin (%) 40.00% >= 40.00% when_cleared",
            "breach alert.margin (%) 40.00% >= 30.00%",
            "mode normal -> liquidate_only",
        ])
        #expect(s.fill("2026-03-03T15:01:00Z", "BIG", -1, "100.00") == [
            "released liquidate_only.margin (%) liquidate_only",
            "mode liquidate_only -> normal",
        ])
        #expect(s.fill("2026-03-03T15:02:00Z", "BIG", 2, "100.00") == [
            "breach auto_liquidate.margin (%) 60.00% >= 50.00% when_cleared",
            "breach liquidate_only.margin (%) 60.00% >= 40.00% when_cleared",
            "flatten autoLiquidate(0)",
            "liquidated BIG -3 @ 100.00 realized 0.00",
            "mode normal -> liquidate_only",
            "released liquidate_only.margin (%) liquidate_only",
            "mode liquidate_only -> normal",
        ])
        #expect(s.mode == .normal)
    }
}
