import Testing
import RuleBase

@Suite("Civil dates, times of day and instants")
struct CivilTimeTests {
    @Test("days since the epoch round-trip through the date, 0001-01-01 to 9999-12-31")
    func daysRoundTrip() throws {
        let first = try #require(CivilDate(year: 1, month: 1, day: 1)).daysSinceEpoch
        let last = try #require(CivilDate(year: 9999, month: 12, day: 31)).daysSinceEpoch
        var previous: CivilDate?
        var mismatches: [Int64] = []
        var day = first
        while day <= last {
            let date = CivilDate(daysSinceEpoch: day)
            var ok = date.daysSinceEpoch == day
                && CivilDate(year: Int(date.year), month: Int(date.month), day: Int(date.day)) == date
            if let p = previous { ok = ok && p < date && p.adding(days: 3) == date }
            if !ok { mismatches.append(day) }
            previous = date
            day += 3                               // every weekday and month-end residue is covered
        }
        #expect(mismatches == [])
        #expect(last - first == 3_652_058)
    }

    @Test("known dates map to known day numbers and weekdays", arguments: [
        (1970, 1, 1, Int64(0), Weekday.thursday),
        (1969, 12, 31, -1, .wednesday),
        (2000, 2, 29, 11_016, .tuesday),
        (2026, 11, 26, 20_783, .thursday),        // Thanksgiving
        (2026, 12, 31, 20_818, .thursday),
        (2027, 1, 3, 20_821, .sunday),
        (1, 1, 1, -719_162, .monday),
        (9999, 12, 31, 2_932_896, .friday),
    ])
    func knownDates(year: Int, month: Int, day: Int, days: Int64, weekday: Weekday) throws {
        let d = try #require(CivilDate(year: year, month: month, day: day))
        #expect(d.daysSinceEpoch == days)
        #expect(d.weekday == weekday)
        #expect(CivilDate(daysSinceEpoch: days) == d)
    }

    @Test("weekdays advance by one every day, before and after the epoch")
    func weekdaysCycle() {
        for day in Int64(-800)...800 {
            let today = CivilDate(daysSinceEpoch: day).weekday
            let tomorrow = CivilDate(daysSinceEpoch: day + 1).weekday
            #expect(tomorrow.rawValue == (today.rawValue + 1) % 7)
        }
    }

    @Test("dates that do not exist are rejected", arguments: [
        (2026, 2, 29), (2026, 2, 30), (2026, 4, 31), (1900, 2, 29), (2026, 13, 1), (2026, 0, 10),
        (2026, 1, 0), (0, 1, 1), (10_000, 1, 1),
    ])
    func invalidDates(year: Int, month: Int, day: Int) {
        #expect(CivilDate(year: year, month: month, day: day) == nil)
    }

    @Test("leap years follow the Gregorian rule", arguments: [
        (2024, true), (2026, false), (1900, false), (2000, true), (2100, false), (2400, true),
    ])
    func leapYears(year: Int, leap: Bool) {
        #expect(CivilDate.isLeap(year) == leap)
        #expect(CivilDate.daysIn(year: year, month: 2) == (leap ? 29 : 28))
    }

    @Test("times of day: range, fields and spelling", arguments: [
        (0, 0, 0, "00:00"), (16, 0, 0, "16:00"), (16, 0, 30, "16:00:30"), (23, 59, 59, "23:59:59"), (9, 5, 0, "09:05"),
    ])
    func timeOfDay(hour: Int, minute: Int, second: Int, text: String) throws {
        let t = try #require(TimeOfDay(hour: hour, minute: minute, second: second))
        #expect((t.hour, t.minute, t.second) == (hour, minute, second))
        #expect(t.description == text)
        #expect(t.seconds == Int32(hour * 3600 + minute * 60 + second))
    }

    @Test("times of day out of range are rejected", arguments: [(24, 0, 0), (25, 0, 0), (12, 60, 0), (12, 0, 60), (-1, 0, 0)])
    func invalidTimes(hour: Int, minute: Int, second: Int) {
        #expect(TimeOfDay(hour: hour, minute: minute, second: second) == nil)
    }

    @Test("weekday names round-trip")
    func weekdayNames() {
        for w in Weekday.allCases { #expect(Weekday(name: w.description) == w) }
        #expect(Weekday(name: "Sunday") == nil)
    }

    @Test("instants and offsets print as ISO-8601", arguments: [
        (Int64(0), "1970-01-01T00:00:00Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (1_798_839_900_000, "2027-01-01T21:45:00Z"),
        (1_798_839_900_123, "2027-01-01T21:45:00.123Z"),
    ])
    func instantText(millis: Int64, text: String) {
        #expect(Instant(millis: millis).description == text)
    }

    @Test("a date-time with an offset is an instant; without one it is only a wall time")
    func localDateTime() throws {
        let date = try #require(CivilDate(year: 2026, month: 12, day: 31))
        let time = try #require(TimeOfDay(hour: 15, minute: 45))
        let chicago = LocalDateTime(date: date, time: time, offset: UTCOffset(seconds: -21_600))
        #expect(chicago.description == "2026-12-31T15:45-06:00")
        #expect(chicago.instant?.description == "2026-12-31T21:45:00Z")
        #expect(chicago.instant?.formatted(offsetSeconds: -21_600) == "2026-12-31T15:45:00-06:00")
        let wall = LocalDateTime(date: date, time: time, offset: nil)
        #expect(wall.instant == nil)
        #expect(wall.description == "2026-12-31T15:45")
        #expect(UTCOffset(seconds: 0).description == "Z")
        #expect(UTCOffset(seconds: 19_800).description == "+05:30")
    }
}
