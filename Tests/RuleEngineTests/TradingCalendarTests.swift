import RuleBase
import Testing
@testable import RuleEngine

/// The CME equity calendar for late 2026 with the holidays and early closes the tests need.
func cmeCalendar(extraHolidays: [String] = []) throws -> TradingCalendar {
    let zone = try #require(chicagoZone)
    return TradingCalendar(CalendarRules(
        zone: zone,
        holidays: Set((["2026-12-25", "2027-01-01"] + extraHolidays).map(day)),
        earlyCloses: [day("2026-11-26"): wall("12:00"), day("2026-11-27"): wall("12:15"), day("2026-12-24"): wall("12:15")]))
}

@Suite("TradingCalendar")
struct TradingCalendarTests {
    @Test("default rules are the CME session: 17:00 open, Sunday 17:00 week, 16:00 end of day")
    func defaults() throws {
        let rules = CalendarRules(zone: .utc)
        #expect(rules.tradingDayStarts == wall("17:00"))
        #expect(rules.weekStartDay == .sunday)
        #expect(rules.weekStartTime == wall("17:00"))
        #expect(rules.endOfDay == wall("16:00"))
    }

    @Test("trade dates are weekdays that are not holidays", arguments: [
        ("2026-12-24", true), ("2026-12-25", false), ("2026-12-26", false), ("2026-12-27", false),
        ("2026-12-28", true), ("2026-11-26", true), ("2026-11-27", true),
    ])
    func tradeDates(date: String, isTradeDate: Bool) throws {
        #expect(try cmeCalendar().isTradeDate(day(date)) == isTradeDate)
    }

    @Test("session opens and ends of day for ordinary weeks in CST and CDT", arguments: [
        ("2026-01-12", "2026-01-11T23:00:00Z", "2026-01-12T22:00:00Z"),  // Monday opens Sunday 17:00 CST
        ("2026-01-13", "2026-01-12T23:00:00Z", "2026-01-13T22:00:00Z"),
        ("2026-01-16", "2026-01-15T23:00:00Z", "2026-01-16T22:00:00Z"),
        ("2026-06-15", "2026-06-14T22:00:00Z", "2026-06-15T21:00:00Z"),  // CDT
        ("2026-06-19", "2026-06-18T22:00:00Z", "2026-06-19T21:00:00Z"),
        ("2026-03-09", "2026-03-08T22:00:00Z", "2026-03-09T21:00:00Z"),  // opens on the spring-forward Sunday
        ("2026-11-02", "2026-11-01T23:00:00Z", "2026-11-02T22:00:00Z"),  // opens on the fall-back Sunday
        ("2026-11-26", "2026-11-25T23:00:00Z", "2026-11-26T22:00:00Z"),  // Thanksgiving: EOD stays 16:00
    ])
    func opensAndEnds(tradeDate: String, open: String, eod: String) throws {
        let cal = try cmeCalendar()
        #expect(cal.sessionOpen(of: day(tradeDate)) == utc(open))
        #expect(cal.endOfDay(of: day(tradeDate)) == utc(eod))
    }

    @Test("next session open strictly after an instant skips weekends and holidays (R-6)", arguments: [
        ("2026-01-13T22:00:00Z", "2026-01-13T23:00:00Z", "2026-01-14"),  // Tue EOD -> Tue 17:00
        ("2026-01-13T23:00:00Z", "2026-01-14T23:00:00Z", "2026-01-15"),  // exactly at an open -> the next one
        ("2026-01-13T22:59:59Z", "2026-01-13T23:00:00Z", "2026-01-14"),
        ("2026-01-16T22:00:00Z", "2026-01-18T23:00:00Z", "2026-01-19"),  // Fri EOD -> Sun 17:00
        ("2026-01-17T12:00:00Z", "2026-01-18T23:00:00Z", "2026-01-19"),  // Saturday
        ("2026-11-26T18:00:00Z", "2026-11-26T23:00:00Z", "2026-11-27"),  // Thanksgiving early close -> 17:00 reopen
        ("2026-12-24T22:00:00Z", "2026-12-27T23:00:00Z", "2026-12-28"),  // Christmas Eve EOD -> Sun 27 Dec
        ("2026-12-25T18:00:00Z", "2026-12-27T23:00:00Z", "2026-12-28"),
        ("2026-12-31T22:00:00Z", "2027-01-03T23:00:00Z", "2027-01-04"),  // New Year's Day holiday
        ("2026-03-06T22:00:00Z", "2026-03-08T22:00:00Z", "2026-03-09"),  // spring-forward weekend
        ("2026-10-30T21:00:00Z", "2026-11-01T23:00:00Z", "2026-11-02"),  // fall-back weekend
    ])
    func nextOpen(after: String, open: String, tradeDate: String) throws {
        let cal = try cmeCalendar()
        #expect(cal.nextSessionOpen(after: utc(after)) == utc(open))
        #expect(cal.nextSession(after: utc(after)).tradeDate == day(tradeDate))
    }

    @Test("a Monday holiday moves the next open to Monday 17:00 for Tuesday")
    func mondayHoliday() throws {
        let cal = try cmeCalendar(extraHolidays: ["2026-01-19"])
        #expect(cal.nextSession(after: utc("2026-01-16T22:00:00Z")) == (day("2026-01-20"), utc("2026-01-19T23:00:00Z")))
    }

    @Test("weekends are 48 h around spring forward and 50 h around fall back")
    func weekendLengths() throws {
        let cal = try cmeCalendar()
        let springClose = cal.endOfDay(of: day("2026-03-06"))
        #expect(springClose == utc("2026-03-06T22:00:00Z"))
        #expect(cal.nextSessionOpen(after: springClose).epochSeconds - springClose.epochSeconds == 48 * 3600)
        let fallClose = cal.endOfDay(of: day("2026-10-30"))
        #expect(cal.nextSessionOpen(after: fallClose).epochSeconds - fallClose.epochSeconds == 50 * 3600)
    }

    @Test("Thanksgiving is a trade date with an early close and a 16:00 end of day")
    func thanksgiving() throws {
        let cal = try cmeCalendar()
        let thursday = day("2026-11-26")
        #expect(cal.isTradeDate(thursday))
        #expect(cal.earlyClose(of: thursday) == utc("2026-11-26T18:00:00Z"))
        #expect(cal.earlyClose(of: day("2026-11-27")) == utc("2026-11-27T18:15:00Z"))
        #expect(cal.earlyClose(of: day("2026-11-25")) == nil)
        #expect(cal.endOfDay(of: thursday) == utc("2026-11-26T22:00:00Z"))
        #expect(cal.tradeDate(at: utc("2026-11-26T19:00:00Z")) == thursday)
    }

    @Test("the current trade date is that of the latest session open", arguments: [
        ("2026-01-11T23:00:00Z", "2026-01-12"),  // exactly at Sunday's open
        ("2026-01-11T22:59:59Z", "2026-01-09"),  // one second before: still Friday's
        ("2026-01-10T12:00:00Z", "2026-01-09"),  // Saturday
        ("2026-01-13T22:30:00Z", "2026-01-13"),  // in the 16:00-17:00 break
        ("2026-01-13T21:59:59Z", "2026-01-13"),
        ("2026-03-08T22:00:00Z", "2026-03-09"),  // CDT open on the DST Sunday
        ("2026-03-08T21:59:59Z", "2026-03-06"),
        ("2026-12-25T18:00:00Z", "2026-12-24"),  // Christmas Day
        ("2026-12-27T23:00:00Z", "2026-12-28"),
    ])
    func currentTradeDate(at: String, tradeDate: String) throws {
        let cal = try cmeCalendar()
        #expect(cal.tradeDate(at: utc(at)) == day(tradeDate))
        #expect(cal.latestSessionOpen(atOrBefore: utc(at)) == cal.sessionOpen(of: day(tradeDate)))
    }

    @Test("the in-session trade date is nil in the break and at the weekend", arguments: [
        ("2026-01-11T23:00:00Z", "2026-01-12"),
        ("2026-01-13T21:59:59Z", "2026-01-13"),
        ("2026-01-13T22:00:00Z", nil),  // exactly at end of day
        ("2026-01-13T22:30:00Z", nil),
        ("2026-01-10T12:00:00Z", nil),
        ("2026-12-25T18:00:00Z", nil),
    ])
    func inSession(at: String, tradeDate: String?) throws {
        #expect(try cmeCalendar().tradeDateInSession(at: utc(at)) == tradeDate.map(day))
    }

    @Test("week starts are Sunday 17:00 CT, strictly after for next and at-or-before for latest (R-7)", arguments: [
        ("2026-03-04T12:00:00Z", "2026-03-08T22:00:00Z", "2026-03-01T23:00:00Z"),
        ("2026-03-08T22:00:00Z", "2026-03-15T22:00:00Z", "2026-03-08T22:00:00Z"),  // exactly at the start
        ("2026-03-08T21:59:59Z", "2026-03-08T22:00:00Z", "2026-03-01T23:00:00Z"),
        ("2026-10-30T12:00:00Z", "2026-11-01T23:00:00Z", "2026-10-25T22:00:00Z"),
        ("2026-12-27T23:30:00Z", "2027-01-03T23:00:00Z", "2026-12-27T23:00:00Z"),
    ])
    func weekStarts(at: String, next: String, latest: String) throws {
        let cal = try cmeCalendar()
        #expect(cal.nextWeekStart(after: utc(at)) == utc(next))
        #expect(cal.latestWeekStart(atOrBefore: utc(at)) == utc(latest))
    }

    @Test("next occurrence of a wall time is DST-correct and once per day", arguments: [
        ("16:00", "2026-03-07T00:00:00Z", "2026-03-07T22:00:00Z"),
        ("16:00", "2026-03-07T22:00:00Z", "2026-03-08T21:00:00Z"),
        ("02:30", "2026-03-07T12:00:00Z", "2026-03-08T08:30:00Z"),  // skipped: shifted to 03:30 CDT
        ("02:30", "2026-03-08T08:30:00Z", "2026-03-09T07:30:00Z"),
        ("01:30", "2026-11-01T00:00:00Z", "2026-11-01T06:30:00Z"),  // ambiguous: the earlier 01:30
        ("01:30", "2026-11-01T06:30:00Z", "2026-11-02T07:30:00Z"),  // not the repeated 01:30
    ])
    func nextOccurrence(time: String, after: String, expected: String) throws {
        #expect(try cmeCalendar().nextOccurrence(of: wall(time), after: utc(after)) == utc(expected))
    }

    @Test("daily occurrences across spring forward")
    func dailyOccurrences() throws {
        let got = try cmeCalendar().dailyOccurrences(of: wall("16:00"), after: utc("2026-03-06T00:00:00Z"), through: utc("2026-03-09T21:00:00Z"))
        #expect(got == ["2026-03-06T22:00:00Z", "2026-03-07T22:00:00Z", "2026-03-08T21:00:00Z", "2026-03-09T21:00:00Z"].map(utc))
    }

    @Test("a stream that jumps three days over the spring-forward weekend sees every boundary in order")
    func boundariesOverThreeDayJump() throws {
        let got = try cmeCalendar().boundaries(after: utc("2026-03-05T23:30:00Z"), through: utc("2026-03-09T22:30:00Z"))
        #expect(got == [
            Boundary(instant: utc("2026-03-06T22:00:00Z"), kind: .endOfDay(day("2026-03-06"))),
            Boundary(instant: utc("2026-03-08T22:00:00Z"), kind: .sessionOpen(day("2026-03-09"))),
            Boundary(instant: utc("2026-03-08T22:00:00Z"), kind: .weekStart),
            Boundary(instant: utc("2026-03-09T21:00:00Z"), kind: .endOfDay(day("2026-03-09"))),
            Boundary(instant: utc("2026-03-09T22:00:00Z"), kind: .sessionOpen(day("2026-03-10"))),
        ])
    }

    @Test("boundaries over Christmas skip the holiday's open and end of day")
    func boundariesOverChristmas() throws {
        let got = try cmeCalendar().boundaries(after: utc("2026-12-24T12:00:00Z"), through: utc("2026-12-28T23:00:00Z"))
        #expect(got == [
            Boundary(instant: utc("2026-12-24T22:00:00Z"), kind: .endOfDay(day("2026-12-24"))),
            Boundary(instant: utc("2026-12-27T23:00:00Z"), kind: .sessionOpen(day("2026-12-28"))),
            Boundary(instant: utc("2026-12-27T23:00:00Z"), kind: .weekStart),
            Boundary(instant: utc("2026-12-28T22:00:00Z"), kind: .endOfDay(day("2026-12-28"))),
            Boundary(instant: utc("2026-12-28T23:00:00Z"), kind: .sessionOpen(day("2026-12-29"))),
        ])
    }

    @Test("boundaries exclude the start instant and include the end instant")
    func boundaryInterval() throws {
        let cal = try cmeCalendar()
        let open = utc("2026-01-13T23:00:00Z")
        #expect(cal.boundaries(after: open, through: utc("2026-01-14T21:59:59Z")).isEmpty)
        #expect(cal.boundaries(after: utc("2026-01-13T22:59:59Z"), through: open) ==
                [Boundary(instant: open, kind: .sessionOpen(day("2026-01-14")))])
        #expect(cal.boundaries(after: open, through: open).isEmpty)
    }

    @Test("the next boundary matches the first listed boundary", arguments: [
        "2026-01-13T23:00:00Z", "2026-01-16T22:00:00Z", "2026-03-07T12:00:00Z", "2026-12-24T22:00:00Z", "2026-12-25T00:00:00Z",
    ])
    func nextBoundary(after: String) throws {
        let cal = try cmeCalendar()
        let first = cal.boundaries(after: utc(after), through: utc(after).adding(seconds: 8 * 86_400)).first
        #expect(cal.nextBoundary(after: utc(after)) == first)
    }

    @Test("boundaries listed in pieces equal boundaries listed at once, across a whole year")
    func boundariesCompose() throws {
        let cal = try cmeCalendar()
        let start = utc("2026-01-01T00:00:00Z")
        let whole = cal.boundaries(after: start, through: utc("2027-01-01T00:00:00Z"))
        var pieces: [Boundary] = []
        var t = start
        for step in 0..<400 {
            let next = t.adding(seconds: Int64(3_600 * (1 + (step * 37) % 50)))
            cal.boundaries(after: t, through: next, into: &pieces)
            t = next
        }
        #expect(pieces.prefix(whole.count).elementsEqual(whole))
        #expect(zip(whole, whole.dropFirst()).allSatisfy { $0.precedes($1) })
        // 52 Sunday week starts in 2026 (4 Jan ... 27 Dec) and one open per trade date.
        #expect(whole.filter { $0.kind == .weekStart }.count == 52)
        for b in whole {
            if case .sessionOpen(let d) = b.kind { #expect(cal.tradeDate(at: b.instant) == d) }
        }
    }
}
