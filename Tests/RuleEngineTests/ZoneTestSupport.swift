import RuleBase
@testable import RuleEngine

/// America/Chicago from the host tz database, loaded once for every test.
let chicagoZone: ZoneRules? = ZoneRules.load(identifier: "America/Chicago")

/// An instant from `2026-03-08T07:59:59Z`; the tables are written this way to read like timestamps.
func utc(_ text: String) -> Instant {
    let p = text.split(whereSeparator: { "-T:Z".contains($0) }).compactMap { Int($0) }
    precondition(p.count == 6, "bad test timestamp \(text)")
    guard let date = CivilDate(year: p[0], month: p[1], day: p[2]) else { preconditionFailure("bad date \(text)") }
    return Instant(epochSeconds: date.daysSinceEpoch * 86_400 + Int64(p[3] * 3600 + p[4] * 60 + p[5]))
}

/// A calendar date from `2026-11-26`.
func day(_ text: String) -> CivilDate {
    let p = text.split(separator: "-").compactMap { Int($0) }
    guard p.count == 3, let date = CivilDate(year: p[0], month: p[1], day: p[2]) else { preconditionFailure("bad date \(text)") }
    return date
}

/// A wall time from `17:00` or `01:59:59`.
func wall(_ text: String) -> TimeOfDay {
    let p = text.split(separator: ":").compactMap { Int($0) }
    guard let t = TimeOfDay(hour: p[0], minute: p[1], second: p.count > 2 ? p[2] : 0) else { preconditionFailure("bad time \(text)") }
    return t
}
