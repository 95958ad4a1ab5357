import RuleBase
import RuleSemantics

/// Whether a change allows an account more risk or less: the question a reviewer of a
/// rulebook pull request asks first.
public enum Direction: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Less risk allowed: a lower limit, a new restriction, an earlier flat window.
    case tightens
    /// More risk allowed: a higher limit, a removed restriction, real-time to end-of-day trailing.
    case loosens
    /// Meaning changes but not the amount of risk (a renamed definition, a calendar
    /// correction, a point value).
    case neutral
    /// Tighter for some accounts and looser for others: a dollar threshold replaced by a
    /// percent one of the same tier and metric (or back), which agree at one balance only.
    case contextDependent = "context-dependent"

    public static func < (a: Direction, b: Direction) -> Bool { a.rank < b.rank }

    /// `3 loosen, 1 tightens, 2 neutral`: the non-zero counts, loosening first.
    public static func tally(_ count: (Direction) -> Int) -> String {
        var parts: [String] = []
        for d in allCases.sorted() {
            let n = count(d)
            guard n > 0 else { continue }
            switch d {
            case .loosens: parts.append("\(n) \(n == 1 ? "loosens" : "loosen")")
            case .tightens: parts.append("\(n) \(n == 1 ? "tightens" : "tighten")")
            case .neutral: parts.append("\(n) neutral")
            case .contextDependent: parts.append("\(n) context-dependent")
            }
        }
        return parts.joined(separator: ", ")
    }
    private var rank: Int {
        switch self {
        case .loosens: return 0
        case .contextDependent: return 1
        case .tightens: return 2
        case .neutral: return 3
        }
    }
}

/// What happened to one setting.
public enum ChangeKind: String, Sendable, Hashable {
    case added, removed, changed
}

/// Where a setting was written, as `file:line` for people.
public struct SourceLine: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }
    public var description: String { "\(file):\(line)" }
}

/// One setting as an effective template sees it, after imports, `extends` and references
/// are resolved. Spans are ignored by `==`: only meaning is compared.
public enum SettingValue: Sendable, Hashable {
    case money(Money)
    case percent(Ratio)
    case count(Int64)
    case weight(DecimalNumber)
    case number(DecimalNumber)
    case time(TimeOfDay)
    case weekTime(Weekday, TimeOfDay)
    case dateTime(LocalDateTime)
    case name(String)
    case text(String)
    case mode(TrailingMode)
    case flag
    /// A risk category's rule for one product: restricted, or long/short limits (nil = no cap).
    case lot(long: Int64?, short: Int64?, restricted: Bool)
    /// A time period's dated override.
    case window(start: TimeOfDay?, stop: TimeOfDay?)
    /// A firm rule's structured value (objectives, scaling plan, news windows, flat-by).
    case firm(FirmValue)

    /// The value as a rulebook author would write it, with its unit.
    public var text: String {
        switch self {
        case let .money(m): return m.rulebookText
        case let .percent(r): return r.description
        case let .count(n): return n == 1 ? "1 contract" : "\(n) contracts"
        case let .weight(d), let .number(d): return d.description
        case let .time(t): return t.description
        case let .weekTime(d, t): return "\(d) \(t)"
        case let .dateTime(d): return d.description
        case let .name(n): return n
        case let .text(s): return s
        case let .mode(m): return m.rawValue
        case .flag: return "on"
        case let .lot(long, short, restricted):
            if restricted { return "restrict" }
            if let l = long, let s = short, l == s { return "max_position \(l)" }
            return [long.map { "max_long \($0)" }, short.map { "max_short \($0)" }].compactMap { $0 }.joined(separator: ", ")
        case let .window(start, stop):
            return [start.map { "start \($0)" }, stop.map { "stop \($0)" }].compactMap { $0 }.joined(separator: " ")
        case let .firm(v): return v.description
        }
    }

    /// The unit or kind of the value, for machine readers: `USD`, `%`, `contracts`, `time`.
    public var unit: String {
        switch self {
        case .money: return "USD"
        case .percent: return "%"
        case .count, .lot: return "contracts"
        case .weight: return "weight"
        case .number: return "number"
        case .time: return "time"
        case .weekTime: return "weekday time"
        case .dateTime: return "date-time"
        case .name: return "name"
        case .text: return "text"
        case .mode: return "mode"
        case .flag: return "flag"
        case .window: return "window"
        case .firm: return "firm rule"
        }
    }

    /// The bare number for numeric values (`1000.00` dollars, `1.5` percent points, `5`).
    public var amount: String? {
        switch self {
        case let .money(m): return m.formatted(grouping: false)
        case let .percent(r): return r.percentText
        case let .count(n): return String(n)
        case let .weight(d), let .number(d): return d.description
        default: return nil
        }
    }
}

/// The identity of one setting of an effective template's semantic view: a template field,
/// or a setting of a definition the template refers to (its calendar, time period, risk
/// category) or a product it may trade. Ordered for output: calendar, time period, risk
/// category, the template's own settings, products.
public enum SettingKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    case field(FieldKey)
    case calendarZone, calendarDayStart, calendarWeekStart, calendarEndOfDay
    case holiday(CivilDate), earlyClose(CivilDate)
    case periodStart, periodStop, periodOverride(CivilDate)
    case lotLimit(String)
    case group(String), groupMember(String, String)
    case product(String), pointValue(String), tick(String), dayMargin(String), overnightMargin(String)

    private var section: Int {
        switch self {
        case .field(.calendar), .calendarZone, .calendarDayStart, .calendarWeekStart, .calendarEndOfDay, .holiday, .earlyClose: return 0
        case .field(.timePeriod), .periodStart, .periodStop, .periodOverride: return 1
        case .field(.riskCategory), .lotLimit, .group, .groupMember: return 2
        case .field: return 3
        case .product, .pointValue, .tick, .dayMargin, .overnightMargin: return 4
        }
    }

    private var detail: (Int, String, Int, String) {
        switch self {
        case .field: return (0, "", 0, "")
        case .calendarZone: return (1, "", 0, "")
        case .calendarDayStart: return (2, "", 0, "")
        case .calendarWeekStart: return (3, "", 0, "")
        case .calendarEndOfDay: return (4, "", 0, "")
        case let .holiday(d): return (5, d.description, 0, "")
        case let .earlyClose(d): return (5, d.description, 1, "")
        case .periodStart: return (1, "", 0, "")
        case .periodStop: return (2, "", 0, "")
        case let .periodOverride(d): return (3, d.description, 0, "")
        case let .lotLimit(p): return (1, p, 0, "")
        case let .group(g): return (2, g, 0, "")
        case let .groupMember(g, p): return (2, g, 1, p)
        case let .product(p): return (0, p, 0, "")
        case let .pointValue(p): return (0, p, 1, "")
        case let .tick(p): return (0, p, 2, "")
        case let .dayMargin(p): return (0, p, 3, "")
        case let .overnightMargin(p): return (0, p, 4, "")
        }
    }

    public static func < (a: SettingKey, b: SettingKey) -> Bool {
        if a.section != b.section { return a.section < b.section }
        if case let .field(x) = a, case let .field(y) = b { return x < y }
        let (l, r) = (a.detail, b.detail)
        if l.0 != r.0 { return l.0 < r.0 }
        if l.1 != r.1 { return l.1.utf8.lexicographicallyPrecedes(r.1.utf8) }
        if l.2 != r.2 { return l.2 < r.2 }
        return l.3.utf8.lexicographicallyPrecedes(r.3.utf8)
    }

    /// The setting's path as a rulebook author reads it.
    public var description: String {
        switch self {
        case let .field(k): return k.description
        case .calendarZone: return "calendar.timezone"
        case .calendarDayStart: return "calendar.trading_day_starts"
        case .calendarWeekStart: return "calendar.week_starts"
        case .calendarEndOfDay: return "calendar.end_of_day"
        case let .holiday(d): return "calendar.holiday \(d)"
        case let .earlyClose(d): return "calendar.early_close \(d)"
        case .periodStart: return "time_period.start"
        case .periodStop: return "time_period.stop"
        case let .periodOverride(d): return "time_period.on \(d)"
        case let .lotLimit(p): return "risk_category.\(p)"
        case let .group(g): return "risk_category.max_group \(g)"
        case let .groupMember(g, p): return "risk_category.max_group \(g).\(p)"
        case let .product(p): return "product \(p)"
        case let .pointValue(p): return "product \(p).point_value"
        case let .tick(p): return "product \(p).tick"
        case let .dayMargin(p): return "product \(p).day_margin"
        case let .overnightMargin(p): return "product \(p).overnight_margin"
        }
    }
}

/// One changed setting of one template, with both sides and a direction.
public struct SettingChange: Sendable, Hashable {
    /// The setting's path, e.g. `auto_liquidate.daily_loss (USD)` or `risk_category.ES`.
    public var setting: String
    public var kind: ChangeKind
    public var old: SettingValue?
    public var new: SettingValue?
    public var direction: Direction
    /// Why the direction is what it is, in the domain's words.
    public var reason: String
    public var oldSource: SourceLine?
    public var newSource: SourceLine?

    public init(setting: String, kind: ChangeKind, old: SettingValue?, new: SettingValue?, direction: Direction,
                reason: String, oldSource: SourceLine? = nil, newSource: SourceLine? = nil) {
        self.setting = setting
        self.kind = kind
        self.old = old
        self.new = new
        self.direction = direction
        self.reason = reason
        self.oldSource = oldSource
        self.newSource = newSource
    }
}

/// The changes of one effective template, in setting order.
public struct TemplateChange: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable { case added, removed, changed }
    public var template: String
    public var status: Status
    public var changes: [SettingChange]
    /// The `template` declaration on each side.
    public var oldSource: SourceLine?
    public var newSource: SourceLine?

    public func count(_ d: Direction) -> Int { changes.filter { $0.direction == d }.count }
}

/// Everything that changed in meaning between two rulebooks, template by template.
public struct RulebookDiff: Sendable, Hashable {
    /// How the two sides are shown (`old.rules`, `main`, `HEAD`).
    public var oldLabel: String
    public var newLabel: String
    /// Templates with at least one change, sorted by name.
    public var templates: [TemplateChange]

    public var isEmpty: Bool { templates.isEmpty }
    public var changeCount: Int { templates.reduce(0) { $0 + $1.changes.count } }
    public func count(_ d: Direction) -> Int { templates.reduce(0) { $0 + $1.count(d) } }
    public func contains(_ d: Direction) -> Bool { count(d) > 0 }

    /// The `--fail-on` gates: `loosen` fails on a loosening or a context-dependent change
    /// (looser for some accounts is looser), `loosen-only` on a loosening alone,
    /// `context-dependent` on a context-dependent change alone, `tighten` on a tightening,
    /// `any` on any change.
    public static let failOnChoices = ["loosen", "loosen-only", "context-dependent", "tighten", "any"]

    public func fails(on gate: String) -> Bool {
        switch gate {
        case "loosen": return contains(.loosens) || contains(.contextDependent)
        case "loosen-only": return contains(.loosens)
        case "context-dependent": return contains(.contextDependent)
        case "tighten": return contains(.tightens)
        case "any": return !isEmpty
        default: return false
        }
    }

    /// `2 templates changed: 3 loosen, 1 tightens, 1 neutral`, or `no semantic changes`.
    public var summary: String {
        guard !isEmpty else { return "no semantic changes" }
        let n = templates.count
        return "\(n) \(n == 1 ? "template" : "templates") changed: " + Direction.tally(count)
    }
}
