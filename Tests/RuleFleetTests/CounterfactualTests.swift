import RuleBase
import RuleSemantics
import RuleGraph
import RuleEngine
import RuleCodecs
import Testing
@testable import RuleFleet

/// Two versions of a small rulebook over one small history, through the library: the exact
/// first divergence and the exact consequences.
@Suite("Counterfactual replay")
struct CounterfactualTests {
    static func rulebook(dailyLoss: String) -> String {
        """
        calendar c {
          timezone "UTC"
          trading_day_starts 00:00
          week_starts monday 00:00
          end_of_day 23:00
        }
        product ES { point_value 50 USD; tick 0.25; day_margin 500 USD; overnight_margin 1_000 USD }
        risk_category small {
          max_position ES 4
        }
        template t {
          calendar c
          starting_balance 50_000 USD
          risk_category small
          auto_liquidate {
            daily_loss \(dailyLoss)
          }
        }

        """
    }

    static func setups(_ text: String) -> [EngineSetup] {
        let (model, diags) = Checker.check(entries: ["r.rules"], options: CheckOptions(isKnownTimeZone: { _ in true })) { _ in
            .loaded(Array(text.utf8))
        }
        precondition(!diags.hasErrors, "\(diags)")
        return Lowering.lower(model).map { g in
            EngineSetup(graph: g, calendar: TradingCalendar(CalendarRules(g.calendar, zone: .utc)), locate: { s in "r.rules:\(s.start)" })
        }
    }

    static let accounts = Array("""
        {"account":"B","template":"t"}
        {"account":"A","template":"t"}

        """.utf8)

    /// A buys 2 ES at 5,000; the price falls 11 points (a daily loss of 1,100), recovers to 5,010,
    /// and A sells the 2 there. B trades one lot and never loses much.
    static let history = Array("""
        {"account":"A","at":"2026-03-03T10:00:00Z","type":"order","id":"a1","product":"ES","side":"buy","qty":2}
        {"account":"A","at":"2026-03-03T10:00:00Z","type":"fill","orderId":"a1","product":"ES","side":"buy","qty":2,"price":5000}
        {"account":"B","at":"2026-03-03T10:00:01Z","type":"fill","product":"ES","side":"buy","qty":1,"price":5000}
        {"account":"A","at":"2026-03-03T10:05:00Z","type":"mark","product":"ES","price":4989}
        {"account":"A","at":"2026-03-03T11:00:00Z","type":"mark","product":"ES","price":5010}
        {"account":"A","at":"2026-03-03T11:00:01Z","type":"order","id":"a2","product":"ES","side":"sell","qty":2}
        {"account":"A","at":"2026-03-03T11:00:01Z","type":"fill","orderId":"a2","product":"ES","side":"sell","qty":2,"price":5010}
        {"account":"B","at":"2026-03-03T11:00:02Z","type":"mark","product":"ES","price":4995}

        """.utf8)

    static func run(old: String, new: String, jobs: Int = 1) throws -> CounterfactualResult {
        let o = setups(rulebook(dailyLoss: old)), n = setups(rulebook(dailyLoss: new))
        let r = CounterfactualReplay(old: CounterfactualSide(templates: o, accounts: try AccountsFile.parse(accounts, templates: o).get()),
                                     new: CounterfactualSide(templates: n, accounts: try AccountsFile.parse(accounts, templates: n).get()),
                                     options: ReplayOptions(jobs: jobs))
        var done = false
        return r.run(read: {
            if done { return nil }
            done = true
            return history
        })
    }

    @Test("a higher daily loss limit spares A its liquidation and lets its closing order through")
    func sparedLiquidation() throws {
        let r = try Self.run(old: "1_000 USD", new: "1_250 USD")
        #expect(r.stopped == nil)
        #expect(r.accounts.map(\.account) == ["A", "B"])
        let a = r.accounts[0], b = r.accounts[1]
        #expect(!b.diverged && b.changedLines == 0)
        let d = try #require(a.divergence)
        #expect(d.line == 4)
        #expect(d.at == Instant(epochSeconds: 1_772_532_300))
        #expect(d.event == "mark ES 4989.00")
        #expect(d.new.isEmpty)
        #expect(d.old.count == 4)
        #expect(d.old[0].hasPrefix("AUTO-LIQUIDATE auto_liquidate.daily_loss (USD): daily loss 1,100.00 >= 1,000.00"))
        #expect(d.old[2] == "LIQUIDATED ES sell 2 @ 4989.00, realized -1,100.00, commission 0.00")
        #expect(d.old[3] == "MODE normal -> locked")
        // Old: liquidated at 4,989 (-1,100), the sell order rejected (locked), its fill ignored.
        #expect(a.old.summary.liquidations == 1 && a.old.lockings == 1)
        #expect(a.old.summary.realized == Money(units: -1_100 * Money.scale))
        #expect(a.old.summary.ordersRejected == 1)
        // New: closed by the trader at 5,010 (+1,000).
        #expect(a.new.summary.liquidations == 0 && a.new.lockings == 0)
        #expect(a.new.summary.realized == Money(units: 1_000 * Money.scale))
        #expect(a.newlyAccepted == 1 && a.newlyRejected == 0)
        #expect(a.realizedDelta == Money(units: 2_100 * Money.scale))
        // Lines 4 (the breach), 6 (the order's verdict) and 7 (the fill ignored on the old side).
        #expect(a.changedLines == 3)
        let t = r.totals
        #expect(t.accounts == 2 && t.diverged == 1)
        #expect(t.noLongerLiquidated == 1 && t.newlyLiquidated == 0)
        #expect(t.noLongerLocked == 1 && t.newlyLocked == 0)
        #expect(t.ordersNewlyAccepted == 1 && t.ordersNewlyRejected == 0)
        #expect(t.realizedDelta == Money(units: 2_100 * Money.scale))
    }

    @Test("the reverse change is the mirror image")
    func mirror() throws {
        let r = try Self.run(old: "1_250 USD", new: "1_000 USD")
        #expect(r.totals.newlyLiquidated == 1 && r.totals.newlyLocked == 1 && r.totals.ordersNewlyRejected == 1)
        #expect(r.totals.realizedDelta == Money(units: -2_100 * Money.scale))
        #expect(r.accounts[0].divergence?.old.isEmpty == true)
    }

    @Test("the same limit written another way diverges nowhere, with any number of jobs")
    func sameMeaning() throws {
        for jobs in [1, 2, 3] {
            let r = try Self.run(old: "1_000 USD", new: "1000.00 USD", jobs: jobs)
            #expect(r.totals.diverged == 0 && r.totals.changedLines == 0)
        }
    }

    @Test("a breach both sides make at the same line is the same decision, even with another limit")
    func movedLimit() throws {
        let r = try Self.run(old: "1_000 USD", new: "1_050 USD")
        #expect(r.totals.diverged == 0, "\(r.accounts.compactMap(\.divergence))")
    }
}
