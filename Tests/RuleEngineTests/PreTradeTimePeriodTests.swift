import RuleBase
import RuleGraph
import Testing
@testable import RuleEngine

@Suite("Pre-trade risk time period")
struct PreTradeTimePeriodTests {
    let fx: PreTradeFixture
    init() throws { fx = try PreTradeFixture.load() }

    @Test("close_out [15:55, 17:00) Chicago: edges to the second in CST, CDT, on the holiday override", arguments: [
        // CST (UTC-6): 15:55 = 21:55Z, 17:00 = 23:00Z
        ("2026-01-13T21:54:59Z", false), ("2026-01-13T21:55:00Z", true),
        ("2026-01-13T22:59:59Z", true), ("2026-01-13T23:00:00Z", false),
        // CDT (UTC-5): 15:55 = 20:55Z, 17:00 = 22:00Z
        ("2026-06-15T20:54:59Z", false), ("2026-06-15T20:55:00Z", true),
        ("2026-06-15T21:59:59Z", true), ("2026-06-15T22:00:00Z", false),
        // DST Sundays: the window follows the wall clock on the day the clocks change.
        ("2026-03-08T20:54:59Z", false), ("2026-03-08T20:55:00Z", true), ("2026-03-08T22:00:00Z", false),
        ("2026-11-01T21:54:59Z", false), ("2026-11-01T21:55:00Z", true), ("2026-11-01T23:00:00Z", false),
        // Thanksgiving 2026-11-26: `on 2026-11-26 start 11:55` (CST) = 17:55Z; stop unchanged.
        ("2026-11-26T17:54:59Z", false), ("2026-11-26T17:55:00Z", true),
        ("2026-11-26T21:00:00Z", true), ("2026-11-26T22:59:59Z", true), ("2026-11-26T23:00:00Z", false),
        // The next day is back to 15:55.
        ("2026-11-27T17:55:00Z", false), ("2026-11-27T21:54:59Z", false), ("2026-11-27T21:55:00Z", true),
    ])
    func closeOut(at: String, inside: Bool) throws {
        let c = try fx.check()
        #expect(c.isInsideRiskPeriod(at: utc(at)) == inside)
        let d = c.check(order: try order(c, .buy, 1, "ES"), account: PreTradeAccount(), at: utc(at))
        #expect(d.kind == (inside ? .riskTimePeriod : nil))
    }

    @Test("overnight [15:55, 07:00) crosses midnight, DST nights included", arguments: [
        ("2026-06-15T20:54:59Z", false), ("2026-06-15T20:55:00Z", true),   // Mon 15:55 CDT
        ("2026-06-16T05:00:00Z", true),                                    // midnight local
        ("2026-06-16T11:59:59Z", true), ("2026-06-16T12:00:00Z", false),   // Tue 07:00 CDT
        ("2026-06-16T15:00:00Z", false),
        // Spring forward: Sat 2026-03-07 15:55 CST -> Sun 07:00 CDT (12:00Z)
        ("2026-03-07T21:55:00Z", true), ("2026-03-08T08:30:00Z", true),
        ("2026-03-08T11:59:59Z", true), ("2026-03-08T12:00:00Z", false),
        // Fall back: Sat 2026-10-31 15:55 CDT -> Sun 07:00 CST (13:00Z)
        ("2026-10-31T20:55:00Z", true), ("2026-11-01T12:59:59Z", true), ("2026-11-01T13:00:00Z", false),
        // Thanksgiving: `on 2026-11-26 start 11:55 stop 08:30` = Thu 17:55Z to Fri 08:30 CST (14:30Z)
        ("2026-11-26T17:54:59Z", false), ("2026-11-26T17:55:00Z", true),
        ("2026-11-27T13:00:00Z", true), ("2026-11-27T14:29:59Z", true), ("2026-11-27T14:30:00Z", false),
        // Wednesday's window ends at the usual 07:00 Thursday (13:00Z), before the override starts.
        ("2026-11-26T12:59:59Z", true), ("2026-11-26T13:00:00Z", false),
    ])
    func overnight(at: String, inside: Bool) throws {
        #expect(try fx.check("night").isInsideRiskPeriod(at: utc(at)) == inside)
    }

    @Test("next start and stop are strictly after the instant; a rejection says when trading resumes")
    func nextEdges() throws {
        let c = try fx.check()
        #expect(c.nextRiskPeriodStart(after: utc("2026-11-26T12:00:00Z")) == utc("2026-11-26T17:55:00Z"))
        #expect(c.nextRiskPeriodStart(after: utc("2026-11-26T17:55:00Z")) == utc("2026-11-27T21:55:00Z"))
        #expect(c.nextRiskPeriodStop(after: utc("2026-11-26T18:00:00Z")) == utc("2026-11-26T23:00:00Z"))
        #expect(c.nextRiskPeriodStop(after: utc("2026-11-26T12:00:00Z")) == utc("2026-11-26T23:00:00Z"))
        #expect(c.nextRiskPeriodStop(after: utc("2026-11-26T23:00:00Z")) == utc("2026-11-27T23:00:00Z"))
        let w = try #require(c.riskPeriodWindow(containing: utc("2026-11-26T20:00:00Z")))
        #expect(w.start == utc("2026-11-26T17:55:00Z") && w.stop == utc("2026-11-26T23:00:00Z"))
        #expect(w.date == day("2026-11-26") && w.overrideIndex == 0)
        let r = try #require(c.check(order: try order(c, .buy, 1, "ES"), account: PreTradeAccount(), at: utc("2026-11-26T20:00:00Z")).rejection)
        #expect(r.reason == .riskTimePeriod(until: utc("2026-11-26T23:00:00Z")))
        #expect(fx.line(r.span) == "on 2026-11-26 start 11:55")
        // Windows in a range, in order: Wed, Thu (override), Fri.
        let s = try #require(c.schedule)
        let ws = s.windows(after: utc("2026-11-25T12:00:00Z"), through: utc("2026-11-27T23:59:00Z"))
        #expect(ws.map(\.start) == [utc("2026-11-25T21:55:00Z"), utc("2026-11-26T17:55:00Z"), utc("2026-11-27T21:55:00Z")])
    }

    @Test("an override that runs into the next window merges with it")
    func merged() throws {
        // `on 2026-06-15 start 17:00 stop 16:30`: Mon 17:00 to Tue 16:30 CDT, overlapping Tue's 16:00-17:00.
        let c = try fx.check("odd")
        #expect(!c.isInsideRiskPeriod(at: utc("2026-06-15T21:30:00Z")))   // Mon 16:30: Monday's window was replaced
        #expect(c.isInsideRiskPeriod(at: utc("2026-06-15T22:00:00Z")))
        let w = try #require(c.riskPeriodWindow(containing: utc("2026-06-16T12:00:00Z")))
        #expect(w.start == utc("2026-06-15T22:00:00Z") && w.stop == utc("2026-06-16T22:00:00Z"))
        #expect(c.isInsideRiskPeriod(at: utc("2026-06-16T21:59:59Z")) && !c.isInsideRiskPeriod(at: utc("2026-06-16T22:00:00Z")))
        // Out of the table the direct computation merges the same way.
        let direct = try #require(c.schedule?.slowWindow(containing: utc("2026-06-16T12:00:00Z").millis))
        #expect(direct.start == w.start.millis && direct.stop == w.stop.millis)
    }

    @Test("the table and the direct computation agree, inside and outside the table's years")
    func tableAgreesWithRules() throws {
        for template in ["day", "night", "odd"] {
            let c = try fx.check(template)
            let s = try #require(c.schedule)
            let narrow = RiskPeriodSchedule(period: s.period, zone: s.zone, years: 2026...2026)
            // Deterministic sample: every 66 minutes 43 seconds through 2025-2027, plus every edge ±1 s.
            var t = utc("2025-01-01T00:00:00Z").millis
            let end = utc("2028-01-01T00:00:00Z").millis
            var probes: [Int64] = []
            while t < end { probes.append(t); t += 4_003_000 }
            for w in s.windows(after: utc("2025-01-01T00:00:00Z"), through: utc("2027-12-31T00:00:00Z")) {
                for e in [w.start.millis, w.stop.millis] { probes += [e - 1000, e, e + 1000] }
            }
            var disagreements = 0
            for p in probes {
                let i = Instant(millis: p)
                let table = s.window(containing: i)
                let rule = s.slowWindow(containing: p).map(s.riskWindow)
                let other = narrow.window(containing: i)
                if table != rule || table != other || s.nextWindow(after: i) != narrow.nextWindow(after: i) { disagreements += 1 }
            }
            #expect(disagreements == 0, "\(template)")
        }
    }
}
