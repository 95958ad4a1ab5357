import Foundation
import RuleBase

/// How a wall-clock date and time maps onto the UTC time line in one time zone.
public enum LocalResolution: Hashable, Sendable {
    /// The wall time occurs exactly once.
    case unique(Instant)
    /// The wall time occurs twice, in the autumn overlap when clocks fall back.
    case ambiguous(earlier: Instant, later: Instant)
    /// The wall time never occurs (spring-forward gap); the instant is the wall time shifted forward by the gap.
    case skipped(after: Instant)

    /// The one instant the engine uses: the earlier of an overlap, the shifted instant for a gap.
    @inlinable public var resolved: Instant {
        switch self {
        case .unique(let i): return i
        case .ambiguous(let earlier, _): return earlier
        case .skipped(let after): return after
        }
    }
}

/// A time zone's UTC offsets, read once from the host tz database and then answered without Foundation.
///
/// `transitions[i]` is the instant (UTC millis) from which `offsets[i + 1]` applies; `offsets[0]`
/// applies before the first transition. Outside the loaded year range the edge offsets extend.
public struct ZoneRules: Hashable, Sendable, CustomStringConvertible {
    /// The tz database name (`America/Chicago`), or a label for fixed offsets.
    public let identifier: String
    // INVARIANT: strictly ascending, and offsets.count == transitions.count + 1.
    @usableFromInline let transitions: [Int64]
    @usableFromInline let offsets: [Int32]

    /// Offsets never exceed a day in magnitude, so every candidate interval lies within this many seconds.
    @usableFromInline static let maxOffsetSeconds: Int64 = 26 * 3600

    /// A zone with a fixed UTC offset, for tests and for rulebooks that state an offset.
    public init(fixedOffsetSeconds: Int32, identifier: String? = nil) {
        self.identifier = identifier ?? UTCOffset(seconds: fixedOffsetSeconds).description
        self.transitions = []
        self.offsets = [fixedOffsetSeconds]
    }

    /// A zone from explicit transitions `(from instant, new offset)`, for tests of odd zones.
    ///
    /// Transitions are sorted; ones that do not change the offset are dropped.
    public init(identifier: String, initialOffsetSeconds: Int32, transitions: [(at: Instant, offsetSeconds: Int32)]) {
        var times: [Int64] = []
        var offs: [Int32] = [initialOffsetSeconds]
        for t in transitions.sorted(by: { $0.at < $1.at }) {
            guard let last = offs.last, t.offsetSeconds != last else { continue }
            if let lastTime = times.last, lastTime == t.at.millis {
                offs[offs.count - 1] = t.offsetSeconds
                continue
            }
            times.append(t.at.millis)
            offs.append(t.offsetSeconds)
        }
        self.identifier = identifier
        self.transitions = times
        self.offsets = offs
    }

    /// Coordinated Universal Time.
    public static let utc = ZoneRules(fixedOffsetSeconds: 0, identifier: "UTC")

    /// Reads a zone's offset changes from the host tz database; nil when the name is unknown.
    ///
    /// This is the only place Foundation is called; the years bound the precomputed table.
    public static func load(identifier: String, years: ClosedRange<Int> = 1970...2100) -> ZoneRules? {
        guard let tz = TimeZone(identifier: identifier),
              let first = CivilDate(year: years.lowerBound, month: 1, day: 1),
              let last = CivilDate(year: years.upperBound, month: 12, day: 31) else { return nil }
        let startSeconds = first.daysSinceEpoch * 86_400
        let endSeconds = (last.daysSinceEpoch + 1) * 86_400
        // Foundation speaks TimeInterval; the conversion happens only here, on whole seconds.
        var cursor = Date(timeIntervalSince1970: TimeInterval(startSeconds))
        let end = Date(timeIntervalSince1970: TimeInterval(endSeconds))
        let initial = Int32(tz.secondsFromGMT(for: cursor))
        var current = initial
        var found: [(at: Instant, offsetSeconds: Int32)] = []
        // Each step must advance; a zone has at most a handful of transitions per year.
        var budget = (years.count + 1) * 16
        while budget > 0, let next = tz.nextDaylightSavingTimeTransition(after: cursor), next < end, next > cursor {
            budget -= 1
            let offset = Int32(tz.secondsFromGMT(for: next))
            if offset != current {
                let seconds = Int64(next.timeIntervalSince1970.rounded(.down))
                found.append((Instant(epochSeconds: seconds), offset))
                current = offset
            }
            cursor = next
        }
        return ZoneRules(identifier: identifier, initialOffsetSeconds: initial, transitions: found)
    }

    public var description: String { identifier }

    /// The number of offset changes in the loaded table.
    public var transitionCount: Int { transitions.count }

    /// Index of the offset interval containing `millis`: the number of transitions at or before it.
    @inlinable func intervalIndex(millis: Int64) -> Int {
        var lo = 0
        var hi = transitions.count
        while lo < hi {
            let mid = (lo &+ hi) >> 1
            if transitions[mid] <= millis { lo = mid &+ 1 } else { hi = mid }
        }
        return lo
    }

    /// The UTC offset in seconds in force at an instant.
    @inlinable public func offset(at instant: Instant) -> Int32 {
        offsets[intervalIndex(millis: instant.millis)]
    }

    /// The wall-clock date and time of an instant in this zone.
    @inlinable public func local(at instant: Instant) -> (date: CivilDate, time: TimeOfDay) {
        let local = instant.epochSeconds &+ Int64(offset(at: instant))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        return (CivilDate(daysSinceEpoch: days), TimeOfDay(seconds: Int32(local - days * 86_400)))
    }

    /// The wall-clock calendar date of an instant in this zone.
    @inlinable public func localDate(at instant: Instant) -> CivilDate {
        let local = instant.epochSeconds &+ Int64(offset(at: instant))
        return CivilDate(daysSinceEpoch: local >= 0 ? local / 86_400 : (local - 86_399) / 86_400)
    }

    /// Where a wall-clock date and time falls on the time line: once, twice (overlap) or never (gap).
    public func instant(date: CivilDate, time: TimeOfDay) -> LocalResolution {
        let wall = date.daysSinceEpoch * 86_400 + Int64(time.seconds)
        // Interval j covers UTC seconds [T(j-1), T(j)) with offset o(j); wall w lies in it when
        // w - o(j) does. Only intervals within the largest offset of w can qualify.
        let first = intervalIndex(millis: (wall - Self.maxOffsetSeconds) * 1000)
        let last = intervalIndex(millis: (wall + Self.maxOffsetSeconds) * 1000)
        var earliest: Int64?
        var latest: Int64?
        for j in first...last {
            let utc = wall - Int64(offsets[j])
            if j > 0, utc * 1000 < transitions[j - 1] { continue }
            if j < transitions.count, utc * 1000 >= transitions[j] { continue }
            if earliest == nil || utc < (earliest ?? utc) { earliest = utc }
            if latest == nil || utc > (latest ?? utc) { latest = utc }
        }
        if let e = earliest, let l = latest {
            return e == l ? .unique(Instant(epochSeconds: e)) : .ambiguous(earlier: Instant(epochSeconds: e), later: Instant(epochSeconds: l))
        }
        // A gap: the wall time lies after a transition's pre-offset wall clock ends and before its
        // post-offset wall clock begins. Reading it with the pre-transition offset shifts it forward.
        for i in max(first - 1, 0)..<min(last + 1, transitions.count) {
            let before = Int64(offsets[i])
            let after = Int64(offsets[i + 1])
            let t = transitions[i] / 1000
            if after > before, wall >= t + before, wall < t + after {
                return .skipped(after: Instant(epochSeconds: wall - before))
            }
        }
        // INVARIANT: every wall time is matched or inside a gap; this reading keeps the answer total.
        return .skipped(after: Instant(epochSeconds: wall - Int64(offsets[first])))
    }

    /// The instant for a wall time: the earlier of an overlap, the gap-shifted instant for a skipped time.
    @inlinable public func resolve(date: CivilDate, time: TimeOfDay) -> Instant {
        instant(date: date, time: time).resolved
    }
}
