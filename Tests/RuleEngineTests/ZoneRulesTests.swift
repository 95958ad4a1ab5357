import Foundation
import RuleBase
import Testing
@testable import RuleEngine

@Suite("ZoneRules")
struct ZoneRulesTests {
    @Test("Chicago offsets around both 2026 transitions, to the second", arguments: [
        ("2026-03-08T07:59:59Z", Int32(-21_600)),  // 01:59:59 CST
        ("2026-03-08T08:00:00Z", -18_000),         // 03:00:00 CDT
        ("2026-03-08T08:00:01Z", -18_000),
        ("2026-11-01T06:59:59Z", -18_000),         // 01:59:59 CDT
        ("2026-11-01T07:00:00Z", -21_600),         // 01:00:00 CST
        ("2026-11-01T07:00:01Z", -21_600),
        ("2026-01-15T12:00:00Z", -21_600),
        ("2026-07-15T12:00:00Z", -18_000),
        ("2027-03-14T07:59:59Z", -21_600),
        ("2027-03-14T08:00:00Z", -18_000),
        ("2027-11-07T06:59:59Z", -18_000),
        ("2027-11-07T07:00:00Z", -21_600),
    ])
    func chicagoOffsets(at text: String, offset: Int32) throws {
        let zone = try #require(chicagoZone)
        #expect(zone.offset(at: utc(text)) == offset)
    }

    @Test("a millisecond before a transition still has the old offset")
    func millisecondBeforeTransition() throws {
        let zone = try #require(chicagoZone)
        let t = utc("2026-03-08T08:00:00Z")
        #expect(zone.offset(at: Instant(millis: t.millis - 1)) == -21_600)
        #expect(zone.offset(at: t) == -18_000)
    }

    @Test("wall clock of instants around the transitions", arguments: [
        ("2026-03-08T07:59:59Z", "2026-03-08", "01:59:59"),
        ("2026-03-08T08:00:00Z", "2026-03-08", "03:00:00"),
        ("2026-11-01T06:30:00Z", "2026-11-01", "01:30:00"),  // first 01:30, CDT
        ("2026-11-01T07:30:00Z", "2026-11-01", "01:30:00"),  // second 01:30, CST
        ("2026-03-07T05:59:59Z", "2026-03-06", "23:59:59"),
        ("2026-03-07T06:00:00Z", "2026-03-07", "00:00:00"),
    ])
    func localTime(at text: String, date: String, time: String) throws {
        let zone = try #require(chicagoZone)
        let local = zone.local(at: utc(text))
        #expect(local.date == day(date))
        #expect(local.time == wall(time))
        #expect(zone.localDate(at: utc(text)) == day(date))
    }

    @Test("wall times resolve to unique, ambiguous and skipped instants", arguments: [
        ("2026-03-08", "01:59:59", LocalResolution.unique(utc("2026-03-08T07:59:59Z"))),
        ("2026-03-08", "02:00:00", .skipped(after: utc("2026-03-08T08:00:00Z"))),
        ("2026-03-08", "02:30:00", .skipped(after: utc("2026-03-08T08:30:00Z"))),
        ("2026-03-08", "02:59:59", .skipped(after: utc("2026-03-08T08:59:59Z"))),
        ("2026-03-08", "03:00:00", .unique(utc("2026-03-08T08:00:00Z"))),
        ("2026-11-01", "00:59:59", .unique(utc("2026-11-01T05:59:59Z"))),
        ("2026-11-01", "01:00:00", .ambiguous(earlier: utc("2026-11-01T06:00:00Z"), later: utc("2026-11-01T07:00:00Z"))),
        ("2026-11-01", "01:30:00", .ambiguous(earlier: utc("2026-11-01T06:30:00Z"), later: utc("2026-11-01T07:30:00Z"))),
        ("2026-11-01", "01:59:59", .ambiguous(earlier: utc("2026-11-01T06:59:59Z"), later: utc("2026-11-01T07:59:59Z"))),
        ("2026-11-01", "02:00:00", .unique(utc("2026-11-01T08:00:00Z"))),
        ("2026-11-26", "12:00:00", .unique(utc("2026-11-26T18:00:00Z"))),
    ])
    func resolution(date: String, time: String, expected: LocalResolution) throws {
        let zone = try #require(chicagoZone)
        #expect(zone.instant(date: day(date), time: wall(time)) == expected)
    }

    @Test("resolve picks the earlier of an overlap and the shifted instant of a gap", arguments: [
        ("2026-11-01", "01:30:00", "2026-11-01T06:30:00Z"),
        ("2026-03-08", "02:30:00", "2026-03-08T08:30:00Z"),
        ("2026-03-08", "17:00:00", "2026-03-08T22:00:00Z"),
        ("2026-03-01", "17:00:00", "2026-03-01T23:00:00Z"),
    ])
    func resolveConvenience(date: String, time: String, expected: String) throws {
        let zone = try #require(chicagoZone)
        #expect(zone.resolve(date: day(date), time: wall(time)) == utc(expected))
    }

    @Test("unknown zone names load as nil", arguments: ["Nowhere/Atlantis", "", "America/Chicag0"])
    func unknownZone(name: String) {
        #expect(ZoneRules.load(identifier: name) == nil)
    }

    @Test("UTC and fixed offsets have no transitions")
    func fixedOffsets() {
        let t = utc("2026-03-08T08:00:00Z")
        #expect(ZoneRules.utc.offset(at: t) == 0)
        #expect(ZoneRules.utc.transitionCount == 0)
        let cst = ZoneRules(fixedOffsetSeconds: -21_600)
        #expect(cst.identifier == "-06:00")
        #expect(cst.offset(at: t) == -21_600)
        #expect(cst.local(at: t).time == wall("02:00"))
        #expect(cst.instant(date: day("2026-03-08"), time: wall("02:30")) == .unique(utc("2026-03-08T08:30:00Z")))
    }

    @Test("explicit transitions drop no-op changes and resolve a half-hour overlap")
    func explicitTransitions() {
        let change = utc("2026-04-05T15:00:00Z")
        let zone = ZoneRules(identifier: "Test/HalfHour", initialOffsetSeconds: 37_800,
                             transitions: [(at: change, offsetSeconds: 36_000), (at: utc("2027-01-01T00:00:00Z"), offsetSeconds: 36_000)])
        #expect(zone.transitionCount == 1)
        #expect(zone.offset(at: Instant(millis: change.millis - 1)) == 37_800)
        #expect(zone.offset(at: change) == 36_000)
        // Clocks go back from 01:30 to 01:00 local on 6 April, so 01:15 happens at +10:30 and again at +10:00.
        #expect(zone.instant(date: day("2026-04-06"), time: wall("01:15")) ==
                .ambiguous(earlier: utc("2026-04-05T14:45:00Z"), later: utc("2026-04-05T15:15:00Z")))
        #expect(zone.instant(date: day("2026-04-06"), time: wall("01:45")) == .unique(utc("2026-04-05T15:45:00Z")))
    }

    @Test("Chicago loads two transitions a year for 1970...2100")
    func chicagoTableSize() throws {
        let zone = try #require(chicagoZone)
        #expect(zone.transitionCount > 240 && zone.transitionCount < 280)
        #expect(zone.identifier == "America/Chicago")
    }

    @Test("offset(at:) agrees with Foundation across 2024–2027", arguments: [
        "America/Chicago", "America/New_York", "Europe/London", "Australia/Sydney", "Asia/Kolkata", "Europe/Moscow",
    ])
    func agreesWithFoundation(name: String) throws {
        let zone = try #require(ZoneRules.load(identifier: name))
        let tz = try #require(TimeZone(identifier: name))
        let start = utc("2024-01-01T00:00:00Z").epochSeconds
        let end = utc("2028-01-01T00:00:00Z").epochSeconds
        var samples: [Int64] = Array(stride(from: start, to: end, by: 7_919))
        // Both sides of every transition, to the second.
        for i in 0..<zone.transitionCount {
            let s = zone.transitions[i] / 1000
            if s >= start, s < end { samples += [s - 1, s, s + 1] }
        }
        var mismatches = 0
        for s in samples {
            let instant = Instant(epochSeconds: s)
            let expected = Int32(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(s))))
            if zone.offset(at: instant) != expected { mismatches += 1 }
            // The wall time maps back to the instant (round trip through instant(date:time:)).
            let local = zone.local(at: instant)
            switch zone.instant(date: local.date, time: local.time) {
            case .unique(let i): if i != instant { mismatches += 1 }
            case .ambiguous(let a, let b): if a != instant && b != instant { mismatches += 1 }
            case .skipped: mismatches += 1
            }
        }
        #expect(samples.count > 15_000)
        #expect(mismatches == 0)
    }
}
