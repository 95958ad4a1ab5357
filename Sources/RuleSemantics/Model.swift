import RuleBase
import RuleSyntax

/// An exchange calendar: its zone and the clock of its sessions.
public struct CalendarDef: Sendable, Hashable {
    public var name: Located<String>
    public var timezone: Located<String>?
    public var tradingDayStarts: Located<TimeOfDay>?
    public var weekStartDay: Located<Weekday>?
    public var weekStartTime: Located<TimeOfDay>?
    public var endOfDay: Located<TimeOfDay>?
    public var holidays: [Located<CivilDate>] = []
    public var earlyCloses: [EarlyClose] = []

    public struct EarlyClose: Sendable, Hashable {
        public var date: CivilDate
        public var time: TimeOfDay
        public var span: Span
    }

    // Defaults of the CME equity calendar (domain.md §1.1, §8).
    public var effectiveTradingDayStarts: TimeOfDay { tradingDayStarts?.value ?? TimeOfDay(seconds: 17 * 3600) }
    public var effectiveWeekStartDay: Weekday { weekStartDay?.value ?? .sunday }
    public var effectiveWeekStartTime: TimeOfDay { weekStartTime?.value ?? effectiveTradingDayStarts }
    public var effectiveEndOfDay: TimeOfDay { endOfDay?.value ?? TimeOfDay(seconds: 16 * 3600) }
}

/// A tradable product and its contract economics.
public struct ProductDef: Sendable, Hashable {
    public var symbol: Located<String>
    public var description: String?
    public var pointValue: Located<Money>?
    public var tick: Located<DecimalNumber>?
    public var dayMargin: Located<Money>?
    public var overnightMargin: Located<Money>?
}

/// A daily window `[start, stop)` in the calendar's zone with dated overrides (RiskTimePeriod).
public struct TimePeriodDef: Sendable, Hashable {
    public var name: Located<String>
    public var start: Located<TimeOfDay>?
    public var stop: Located<TimeOfDay>?
    public var overrides: [Override] = []

    /// A holiday edit: on `date` the window starts (and/or stops) at other times.
    public struct Override: Sendable, Hashable {
        public var date: CivilDate
        public var start: TimeOfDay?
        public var stop: TimeOfDay?
        public var span: Span
    }
}

/// A contract limit for one product: long and/or short side.
public struct PositionLimit: Sendable, Hashable {
    public var product: Located<String>
    public var long: Int64?
    public var short: Int64?
    /// The first setting that limits the product.
    public var span: Span
    /// The settings behind each side (`max_position` sets both; `max_long`/`max_short` one).
    public var longSpan: Span?
    public var shortSpan: Span?

    public init(product: Located<String>, long: Int64?, short: Int64?, span: Span) {
        self.product = product
        self.long = long
        self.short = short
        self.span = span
        self.longSpan = long == nil ? nil : span
        self.shortSpan = short == nil ? nil : span
    }
}

/// An aggregate limit: Σ weight × |net position| over member products ≤ limit.
public struct GroupLimit: Sendable, Hashable {
    public var name: Located<String>
    public var limit: Located<Int64>
    public var members: [Member]
    public struct Member: Sendable, Hashable {
        public var product: Located<String>
        public var weight: DecimalNumber
    }
}

/// A RiskCategory: lot limits and restricted products.
public struct RiskCategoryDef: Sendable, Hashable {
    public var name: Located<String>
    public var limits: [PositionLimit] = []
    public var groups: [GroupLimit] = []
    public var restricted: [Located<String>] = []
}

public enum Tier: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case alert = 1, liquidateOnly = 2, autoLiquidate = 3
    public static func < (a: Tier, b: Tier) -> Bool { a.rawValue < b.rawValue }
    public var description: String { ["", "alert", "liquidate_only", "auto_liquidate"][rawValue] }
}

public enum Metric: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case dailyLoss, weeklyLoss, dailyProfit, weeklyProfit, margin
    public static func < (a: Metric, b: Metric) -> Bool { a.rawValue < b.rawValue }
    public var description: String { ["daily_loss", "weekly_loss", "daily_profit", "weekly_profit", "margin"][rawValue] }
    /// Weekly metrics use the week's starting balance as their percent base.
    public var isWeekly: Bool { self == .weeklyLoss || self == .weeklyProfit }
}

public enum TrailingMode: String, Sendable, Hashable, CustomStringConvertible {
    case endOfDay = "end_of_day", realTime = "real_time"
    public var description: String { rawValue }
}

/// The key of one setting of an effective template. `extends` merges by key: a child's value
/// for a key replaces the parent's.
public enum FieldKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    case calendar, timePeriod, riskCategory, startingBalance
    case threshold(Tier, Metric, percent: Bool)
    case trailingAmount, trailingMode, trailingCap
    case flattenAt, doNotUnlock
    /// A firm rule (FirmRules/FirmModel.swift): none of them is a broker field.
    case firm(FirmKey)

    public static func < (a: FieldKey, b: FieldKey) -> Bool { a.slot < b.slot }

    /// The key's position in key order, from 0 to `slotCount - 1`: a dense index for merging.
    var slot: Int {
        switch self {
        case .calendar: return 0
        case .timePeriod: return 1
        case .riskCategory: return 2
        case .startingBalance: return 3
        case let .threshold(t, m, p): return 4 + (t.rawValue - 1) * 10 + m.rawValue * 2 + (p ? 1 : 0)
        case .trailingAmount: return 34
        case .trailingMode: return 35
        case .trailingCap: return 36
        case .flattenAt: return 37
        case .doNotUnlock: return 38
        case let .firm(k): return 39 + k.rawValue
        }
    }
    static let slotCount = 39 + FirmKey.allCases.count

    /// The setting path as a rulebook author reads it: `auto_liquidate.daily_loss (%)`.
    public var description: String {
        switch self {
        case .calendar: return "calendar"
        case .timePeriod: return "time_period"
        case .riskCategory: return "risk_category"
        case .startingBalance: return "starting_balance"
        case let .threshold(t, m, p): return "\(t).\(m)\(p ? " (%)" : " (USD)")"
        case .trailingAmount: return "trailing_drawdown"
        case .trailingMode: return "trailing_drawdown.mode"
        case .trailingCap: return "trailing_drawdown.stop_trailing_at"
        case .flattenAt: return "flatten_at"
        case .doNotUnlock: return "do_not_unlock"
        case let .firm(k): return k.description
        }
    }
}

/// A setting's value, typed.
public enum FieldValue: Sendable, Hashable, CustomStringConvertible {
    case name(String)
    case money(Money)
    case percent(Ratio)
    case trailingMode(TrailingMode)
    case dateTime(LocalDateTime)
    case flag
    /// A firm rule's structured value (FirmRules/FirmModel.swift).
    case firm(FirmValue)

    public var description: String {
        switch self {
        case let .name(n): return n
        case let .money(m): return m.rulebookText
        case let .percent(r): return r.description
        case let .trailingMode(m): return m.rawValue
        case let .dateTime(d): return d.description
        case .flag: return "on"
        case let .firm(v): return v.description
        }
    }
}

/// One setting of an effective template, with where it was written and by which template.
public struct Field: Sendable, Hashable {
    public var key: FieldKey
    public var value: FieldValue
    /// The whole setting in the source (name through last value).
    public var span: Span
    /// The value's span, for carets.
    public var valueSpan: Span
    /// The template that wrote it (the template itself or an ancestor).
    public var origin: String
}

/// A template as written: its own settings only.
public struct TemplateDef: Sendable, Hashable {
    public var name: Located<String>
    public var parent: Located<String>?
    public var fields: [Field]
    public var span: Span
}

/// A template after `extends` merging: what gets evaluated, compared and exported.
public struct EffectiveTemplate: Sendable, Hashable {
    public var name: Located<String>
    /// The template and its ancestors, nearest first.
    public var chain: [String]
    /// Every setting in effect, sorted by key.
    public var fields: [Field]

    public func field(_ key: FieldKey) -> Field? { fields.first { $0.key == key } }

    public var calendarName: String? { if case let .name(n)? = field(.calendar)?.value { return n }; return nil }
    public var timePeriodName: String? { if case let .name(n)? = field(.timePeriod)?.value { return n }; return nil }
    public var riskCategoryName: String? { if case let .name(n)? = field(.riskCategory)?.value { return n }; return nil }
    public var startingBalance: Money? { if case let .money(m)? = field(.startingBalance)?.value { return m }; return nil }
    public var trailingAmount: Money? { if case let .money(m)? = field(.trailingAmount)?.value { return m }; return nil }
    public var trailingMode: TrailingMode {
        if case let .trailingMode(m)? = field(.trailingMode)?.value { return m }
        return .endOfDay
    }
    public var trailingCap: Money? { if case let .money(m)? = field(.trailingCap)?.value { return m }; return nil }
    public var flattenAt: LocalDateTime? { if case let .dateTime(d)? = field(.flattenAt)?.value { return d }; return nil }
    public var doNotUnlock: Bool { field(.doNotUnlock) != nil }
    /// Threshold settings, ordered by tier, metric, unit.
    public var thresholds: [Field] { fields.filter { if case .threshold = $0.key { return true }; return false } }
}

/// The checked rulebook: every definition of the entry files and their imports, resolved.
public struct CheckedRulebook: Sendable {
    public var sources: SourceMap
    /// Parsed files in load order (entry files first).
    public var trees: [SyntaxTree]
    public var calendars: [String: CalendarDef] = [:]
    public var products: [String: ProductDef] = [:]
    public var timePeriods: [String: TimePeriodDef] = [:]
    public var riskCategories: [String: RiskCategoryDef] = [:]
    public var templates: [String: TemplateDef] = [:]
    /// Effective templates sorted by name.
    public var effectiveTemplates: [EffectiveTemplate] = []
    /// Files given on the command line (as opposed to ones only imported).
    public var entryFiles: Set<FileID> = []
    /// Rulebook tests (`test` blocks, grammar.ebnf section 4) of every loaded file, in load order.
    public var tests: [RulebookTest] = []

    public func effective(_ name: String) -> EffectiveTemplate? { effectiveTemplates.first { $0.name.value == name } }
}
