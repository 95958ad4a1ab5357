/// An instant on the UTC time line, in milliseconds since 1970-01-01T00:00:00Z.
public struct Instant: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let millis: Int64
    public init(millis: Int64) { self.millis = millis }
    public init(epochSeconds: Int64) { self.millis = epochSeconds &* 1000 }
    public var epochSeconds: Int64 { millis >= 0 ? millis / 1000 : (millis - 999) / 1000 }
    public static func < (a: Instant, b: Instant) -> Bool { a.millis < b.millis }
    public func adding(seconds: Int64) -> Instant { Instant(millis: millis &+ seconds &* 1000) }

    /// ISO-8601 in UTC: `2026-11-26T18:00:00Z` (milliseconds shown only when non-zero).
    public var description: String {
        let secs = epochSeconds
        let ms = millis - secs * 1000
        let days = secs >= 0 ? secs / 86_400 : (secs - 86_399) / 86_400
        let tod = secs - days * 86_400
        let date = CivilDate(daysSinceEpoch: days)
        let t = TimeOfDay(seconds: Int32(tod))
        let frac = ms == 0 ? "" : "." + String(String(ms + 1000).dropFirst())
        return "\(date)T\(t.textWithSeconds)\(frac)Z"
    }

    /// ISO-8601 with the given UTC offset: `2026-11-26T12:00:00-06:00`.
    public func formatted(offsetSeconds: Int32) -> String {
        let local = epochSeconds + Int64(offsetSeconds)
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let tod = local - days * 86_400
        return "\(CivilDate(daysSinceEpoch: days))T\(TimeOfDay(seconds: Int32(tod)).textWithSeconds)\(UTCOffset(seconds: offsetSeconds))"
    }
}

/// A wall-clock time of day, `00:00:00` up to `23:59:59`.
public struct TimeOfDay: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let seconds: Int32
    public init(seconds: Int32) { self.seconds = seconds }
    public init?(hour: Int, minute: Int, second: Int = 0) {
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else { return nil }
        self.seconds = Int32(hour * 3600 + minute * 60 + second)
    }
    public var hour: Int { Int(seconds) / 3600 }
    public var minute: Int { Int(seconds) / 60 % 60 }
    public var second: Int { Int(seconds) % 60 }
    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { a.seconds < b.seconds }
    /// `16:00`, or `16:00:30` when seconds are present.
    public var description: String { second == 0 ? "\(two(hour)):\(two(minute))" : textWithSeconds }
    public var textWithSeconds: String { "\(two(hour)):\(two(minute)):\(two(second))" }
}

@inline(__always) func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }

public enum Weekday: Int, Sendable, Hashable, CaseIterable, Comparable, CustomStringConvertible {
    case sunday = 0, monday, tuesday, wednesday, thursday, friday, saturday
    public static func < (a: Weekday, b: Weekday) -> Bool { a.rawValue < b.rawValue }
    public var description: String {
        ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"][rawValue]
    }
    public init?(name: String) {
        guard let w = Weekday.allCases.first(where: { $0.description == name }) else { return nil }
        self = w
    }
}

/// A proleptic Gregorian calendar date.
public struct CivilDate: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int32
    public let month: UInt8
    public let day: UInt8

    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month),
              day >= 1, day <= CivilDate.daysIn(year: year, month: month) else { return nil }
        self.year = Int32(year)
        self.month = UInt8(month)
        self.day = UInt8(day)
    }

    /// From days since 1970-01-01 (H. Hinnant's civil_from_days).
    public init(daysSinceEpoch z0: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = Int32(m <= 2 ? y + 1 : y)
        self.month = UInt8(m)
        self.day = UInt8(d)
    }

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
    public var daysSinceEpoch: Int64 {
        let m = Int64(month), d = Int64(day)
        let y = Int64(year) - (m <= 2 ? 1 : 0)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public var weekday: Weekday {
        let z = daysSinceEpoch
        let w = z >= -4 ? (z + 4) % 7 : (z + 5) % 7 + 6
        return Weekday(rawValue: Int(w)) ?? .sunday
    }

    public func adding(days: Int64) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + days) }

    public static func < (a: CivilDate, b: CivilDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
    public var description: String {
        let y = String(year)
        return String(repeating: "0", count: max(0, 4 - y.count)) + y + "-" + two(Int(month)) + "-" + two(Int(day))
    }
}

/// A fixed offset from UTC, `Z` or `±HH:MM`.
public struct UTCOffset: Hashable, Sendable, CustomStringConvertible {
    public let seconds: Int32
    public init(seconds: Int32) { self.seconds = seconds }
    public var description: String {
        if seconds == 0 { return "Z" }
        let a = abs(Int(seconds))
        return (seconds < 0 ? "-" : "+") + two(a / 3600) + ":" + two(a / 60 % 60)
    }
}

/// A date and wall time, optionally with an explicit offset (`2026-12-31T15:45-06:00`).
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let date: CivilDate
    public let time: TimeOfDay
    public let offset: UTCOffset?
    public init(date: CivilDate, time: TimeOfDay, offset: UTCOffset?) {
        self.date = date
        self.time = time
        self.offset = offset
    }
    /// Seconds since the epoch as if this wall time were UTC.
    public var wallSeconds: Int64 { date.daysSinceEpoch * 86_400 + Int64(time.seconds) }
    /// The instant, when an offset was written.
    public var instant: Instant? {
        guard let o = offset else { return nil }
        return Instant(epochSeconds: wallSeconds - Int64(o.seconds))
    }
    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool { (a.date, a.time) < (b.date, b.time) }
    public var description: String { "\(date)T\(time)\(offset.map { "\($0)" } ?? "")" }
}
