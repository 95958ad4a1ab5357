import RuleBase
import RuleGraph
import Testing
@testable import RuleEngine

/// Daily tiers on a 50,000 USD account; Tue 3 Mar 2026 (CST): session opened Mon 17:00 CST =
/// 23:00Z, end of day 16:00 CST = 22:00Z, next open 17:00 CST = 23:00Z.
let dailyTiers = """
template t {
  calendar cme
  starting_balance 50_000 USD
  alert {
    daily_loss 600 USD
    daily_loss 1.2%
  }
  liquidate_only {
    daily_loss 800 USD
  }
  auto_liquidate {
    daily_loss 1_000 USD
    daily_loss 2%
  }
}
"""

@Suite("Post-trade scenarios: daily loss tiers")
struct DailyLossScenarioTests {
    @Test("a loss one tick short of 600.00 raises nothing; exactly 600.00 raises both alerts (R-1)")
    func exactlyAtTheAlert() throws {
        var s = try Scenario(dailyTiers, at: "2026-03-03T15:00:00Z")
        #expect(s.fill("2026-03-03T15:00:00Z", "ES", 2, "5000.00") == [])
        // (4994.25 − 5000) × 2 × 50 = −575.00
        #expect(s.mark("2026-03-03T15:01:00Z", "ES", "4994.25") == [])
        #expect(s.snapshot.netLiq == usd("49_425"))
        // (4994 − 5000) × 2 × 50 = −600.00: the dollar alert and 1.2% × 50,000 = 600.00.
        #expect(s.mark("2026-03-03T15:02:00Z", "ES", "4994.00") == [
            "breach alert.daily_loss (USD) 600.00 >= 600.00",
            "breach alert.daily_loss (%) 600.00 >= 600.00",
        ])
        // Latched for the day (R-10): a deeper loss does not repeat them.
        #expect(s.mark("2026-03-03T15:03:00Z", "ES", "4993.50") == [])
        #expect(s.mode == .normal)
    }

    @Test("liquidate-only at 800.00 until the next open; auto-liquidation at 1,000.00 flattens at the mark and locks")
    func liquidateOnlyThenAutoLiquidate() throws {
        var s = try Scenario(dailyTiers, at: "2026-03-03T15:00:00Z", commission: "2.50")
        s.fill("2026-03-03T15:00:00Z", "ES", 2, "5000.00", commission: "0")
        s.mark("2026-03-03T15:02:00Z", "ES", "4994.00")
        #expect(s.mark("2026-03-03T15:04:00Z", "ES", "4992.00") == [
            "breach liquidate_only.daily_loss (USD) 800.00 >= 800.00 until 2026-03-03T23:00:00Z",
            "mode normal -> liquidate_only",
        ])
        // 4990: loss 1,000.00 = both the dollar limit and 2% × 50,000. Liquidation sells 2 at the
        // triggering mark, realizing −1,000.00, and charges 2 × 2.50 commission (R-5).
        #expect(s.mark("2026-03-03T15:05:00Z", "ES", "4990.00") == [
            "breach auto_liquidate.daily_loss (USD) 1000.00 >= 1000.00 until 2026-03-03T23:00:00Z",
            "breach auto_liquidate.daily_loss (%) 1000.00 >= 1000.00 until 2026-03-03T23:00:00Z",
            "flatten autoLiquidate(0)",
            "liquidated ES -2 @ 4990.00 realized -1000.00",
            "mode liquidate_only -> locked",
        ])
        #expect(s.snapshot.balance == usd("48_995"))
        #expect(s.snapshot.netLiq == usd("48_995"))
        #expect(s.engine.account.isFlat)
        // 16:00 CST end of day, then the 17:00 CST open releases every daily cause.
        #expect(s.clock("2026-03-03T23:00:00Z") == [
            "end_of_day 2026-03-03T22:00:00Z",
            "session_open 2026-03-03T23:00:00Z",
            "released liquidate_only.daily_loss (USD) liquidate_only",
            "released auto_liquidate.daily_loss (USD) locked",
            "released auto_liquidate.daily_loss (%) locked",
            "mode locked -> normal",
        ])
        #expect(s.snapshot.dayStart == usd("48_995"))
        #expect(s.snapshot.tradeDate == day("2026-03-04"))
    }

    @Test("several tiers in one event: all reported strongest first, the mode is the strongest")
    func severalTiersInOneEvent() throws {
        var s = try Scenario(dailyTiers, at: "2026-03-03T15:00:00Z")
        s.fill("2026-03-03T15:00:00Z", "ES", 2, "5000.00")
        #expect(s.mark("2026-03-03T15:05:00Z", "ES", "4989.75") == [
            "breach auto_liquidate.daily_loss (USD) 1025.00 >= 1000.00 until 2026-03-03T23:00:00Z",
            "breach auto_liquidate.daily_loss (%) 1025.00 >= 1000.00 until 2026-03-03T23:00:00Z",
            "breach liquidate_only.daily_loss (USD) 1025.00 >= 800.00 until 2026-03-03T23:00:00Z",
            "breach alert.daily_loss (USD) 1025.00 >= 600.00",
            "breach alert.daily_loss (%) 1025.00 >= 600.00",
            "flatten autoLiquidate(0)",
            "liquidated ES -2 @ 4989.75 realized -1025.00",
            "mode normal -> locked",
        ])
        #expect(s.snapshot.governing?.release == .nextSessionOpen)
    }

    @Test("the percent tier uses the day's starting balance, not the initial one")
    func percentOfDayStart() throws {
        var s = try Scenario(dailyTiers, at: "2026-03-03T15:00:00Z")
        s.fill("2026-03-03T15:00:00Z", "ES", 1, "5000.00")
        s.fill("2026-03-03T15:30:00Z", "ES", -1, "4990.00")          // −500.00 realized
        #expect(s.snapshot.balance == usd("49_500"))
        s.clock("2026-03-03T23:00:00Z")                                  // SOD = 49,500.00
        #expect(s.snapshot.dayStart == usd("49_500"))
        // 1.2% of 49,500.00 = 594.00: a loss of 594.00 reaches it; the dollar alert (600) does not.
        s.fill("2026-03-04T15:00:00Z", "CL", 1, "70.00")
        #expect(s.mark("2026-03-04T15:01:00Z", "CL", "69.407") == [])  // −593.00
        #expect(s.mark("2026-03-04T15:02:00Z", "CL", "69.406") == [     // −594.00
            "breach alert.daily_loss (%) 594.00 >= 594.00",
        ])
    }
}

@Suite("Post-trade scenarios: trailing drawdown")
struct TrailingScenarioTests {
    static func trailing(_ mode: String, cap: String? = nil) -> String {
        """
        template t {
          calendar cme
          starting_balance 50_000 USD
          trailing_drawdown 2_000 USD {
            mode \(mode)
        \(cap.map { "    stop_trailing_at \($0)" } ?? "")
          }
        }
        """
    }

    @Test("same events, end_of_day vs real_time: only real time follows open profit and busts at exactly the level")
    func endOfDayVersusRealTime() throws {
        var eod = try Scenario(Self.trailing("end_of_day"), at: "2026-03-03T15:00:00Z")
        var rt = try Scenario(Self.trailing("real_time"), at: "2026-03-03T15:00:00Z")
        eod.fill("2026-03-03T15:00:00Z", "ES", 1, "5000.00")
        rt.fill("2026-03-03T15:00:00Z", "ES", 1, "5000.00")
        // +30 points × 50 = +1,500.00 open profit.
        eod.mark("2026-03-03T16:00:00Z", "ES", "5030.00")
        rt.mark("2026-03-03T16:00:00Z", "ES", "5030.00")
        #expect(eod.snapshot.highWaterMark == usd("50_000"))
        #expect(eod.snapshot.trailingLevel == usd("48_000"))
        #expect(rt.snapshot.highWaterMark == usd("51_500"))
        #expect(rt.snapshot.trailingLevel == usd("49_500"))
        // Back to 4990: NL 49,500.00 = the real-time level exactly (R-1) -> flatten, permanent lock.
        #expect(eod.mark("2026-03-03T17:00:00Z", "ES", "4990.00") == [])
        #expect(rt.mark("2026-03-03T17:00:00Z", "ES", "4990.00") == [
            "breach trailing_drawdown 49500.00 <= 49500.00 permanent",
            "flatten autoLiquidate(0)",
            "liquidated ES -1 @ 4990.00 realized -500.00",
            "mode normal -> locked",
        ])
        // EOD: 16:00 CST takes NL at the close, open P&L included (R-13): 49,500 < 50,000, no move.
        eod.clock("2026-03-03T22:30:00Z")
        #expect(eod.snapshot.highWaterMark == usd("50_000"))
        eod.mark("2026-03-04T15:00:00Z", "ES", "5050.00")              // NL 52,500 intraday
        #expect(eod.snapshot.trailingLevel == usd("48_000"))
        #expect(eod.clock("2026-03-04T22:00:00Z") == ["end_of_day 2026-03-04T22:00:00Z"])
        #expect(eod.snapshot.highWaterMark == usd("52_500"))
        #expect(eod.snapshot.trailingLevel == usd("50_500"))
    }

    @Test("a breached trailing drawdown stays locked through the next opens; admin Normal clears it without re-firing (R-11)")
    func permanentLock() throws {
        var s = try Scenario(Self.trailing("real_time"), at: "2026-03-03T15:00:00Z")
        s.fill("2026-03-03T15:00:00Z", "ES", 1, "5000.00")
        s.mark("2026-03-03T15:10:00Z", "ES", "4960.00")                 // NL 48,000.00 = level
        #expect(s.mode == .locked)
        #expect(s.snapshot.governing?.release == .permanent)
        let lines = s.clock("2026-03-05T15:00:00Z")
        #expect(lines == [
            "end_of_day 2026-03-03T22:00:00Z", "session_open 2026-03-03T23:00:00Z",
            "end_of_day 2026-03-04T22:00:00Z", "session_open 2026-03-04T23:00:00Z",
        ])
        #expect(s.mode == .locked)
        #expect(s.admin("2026-03-05T15:01:00Z", .normal) == [
            "admin Normal", "released trailing_drawdown locked", "mode locked -> normal",
        ])
        #expect(s.mark("2026-03-05T15:02:00Z", "ES", "4950.00") == [])
    }

    @Test("the cap stops the level at 50,100.00 (R-14), and touching it busts")
    func cap() throws {
        var s = try Scenario(Self.trailing("real_time", cap: "50_100 USD"), at: "2026-03-03T15:00:00Z")
        s.fill("2026-03-03T15:00:00Z", "ES", 1, "5000.00")
        s.mark("2026-03-03T15:01:00Z", "ES", "5060.00")                 // NL 53,000.00
        #expect(s.snapshot.highWaterMark == usd("53_000"))
        #expect(s.snapshot.trailingLevel == usd("50_100"))              // min(51,000, 50,100)
        #expect(s.mark("2026-03-03T15:02:00Z", "ES", "5002.25") == [])  // NL 50,112.50
        #expect(s.mark("2026-03-03T15:03:00Z", "ES", "5002.00") == [    // NL 50,100.00
            "breach trailing_drawdown 50100.00 <= 50100.00 permanent",
            "flatten autoLiquidate(0)",
            "liquidated ES -1 @ 5002.00 realized 100.00",
            "mode normal -> locked",
        ])
        #expect(s.snapshot.balance == usd("50_100"))
    }
}
