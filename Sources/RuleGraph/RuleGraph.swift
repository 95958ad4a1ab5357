import RuleBase

/// The typed rule graph of one effective template: plain arrays of nodes, walked by one
/// `switch`, with source spans in side tables so `--explain` can reach a line without slowing
/// the evaluation loop. It carries everything the engine needs and nothing of the syntax.
public struct RuleGraph: Sendable, Hashable {
    public var template: String
    /// Post-trade threshold tests in decision order: strongest tier first, then declaration
    /// order within a tier. The trailing drawdown is one of them (op `.trailing`).
    public var tests: [ThresholdNode]
    /// Parallel to `tests`: the setting each test came from.
    public var testSpans: [Span]
    /// Parallel to `tests`: the broker-level field.
    public var testFields: [GraphField]
    public var startingBalance: Money?
    public var trailing: TrailingNode?
    public var flattenAt: FlattenNode?
    public var doNotUnlock: Bool
    public var doNotUnlockSpan: Span?
    public var calendar: CalendarNode?
    public var products: [ProductNode]
    public var riskCategory: RiskCategoryNode?
    /// Every risk category of the rulebook, by name, for category-switch events.
    public var categories: [RiskCategoryNode]
    public var timePeriod: TimePeriodNode?
    /// The firm's own rules (FirmRulesGraph.swift); empty for a broker-only template.
    public var firm = FirmRulesNode()

    public init(template: String) {
        self.template = template
        self.tests = []
        self.testSpans = []
        self.testFields = []
        self.doNotUnlock = false
        self.products = []
        self.categories = []
    }

    /// A risk category of the rulebook by name (for `switchRiskCategory`).
    public func category(named name: String) -> RiskCategoryNode? {
        categories.first { $0.name == name }
    }

    /// Index of a product by symbol, or nil if the rulebook does not know it.
    public func productIndex(_ symbol: String) -> Int32? {
        products.firstIndex { $0.symbol == symbol }.map { Int32($0) }
    }
}

/// The metric a threshold reads (design.md §3 "metrics").
public enum MetricKind: UInt8, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case dailyLoss, weeklyLoss, dailyProfit, weeklyProfit, margin, trailing
    public var description: String {
        ["daily_loss", "weekly_loss", "daily_profit", "weekly_profit", "margin", "trailing_drawdown"][Int(rawValue)]
    }
}

/// What a tier does when its test is breached.
public enum TierKind: UInt8, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case alert = 1, liquidateOnly = 2, autoLiquidate = 3
    public static func < (a: TierKind, b: TierKind) -> Bool { a.rawValue < b.rawValue }
    public var description: String { ["none", "alert", "liquidate_only", "auto_liquidate"][Int(rawValue)] }
}

/// How a breach ends (domain.md §2.2).
public enum UnlockRule: UInt8, Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Alerts: no restriction at all.
    case none
    /// Margin tiers: clears as soon as the condition clears (R-9).
    case stateBased
    /// Next session open on the calendar (R-6).
    case nextSessionOpen
    /// Next week start strictly after the breach (R-7).
    case nextWeekStart
    /// Only an admin `Normal` (do_not_unlock on daily-loss auto-liquidation).
    case manual
    /// Never (trailing drawdown).
    case permanent
    public static func < (a: UnlockRule, b: UnlockRule) -> Bool { a.rawValue < b.rawValue }
    public var description: String {
        ["none", "when_cleared", "next_session_open", "next_week_start", "manual", "permanent"][Int(rawValue)]
    }
}

/// One post-trade test. Opcode `op` selects the comparison; all money is in `Money` units.
public struct ThresholdNode: Sendable, Hashable {
    public enum Op: UInt8, Sendable, Hashable {
        /// metric ≥ limit (dollars).
        case money
        /// metric ≥ numerator/denominator × period start balance.
        case percentOfStart
        /// margin used ≥ numerator/denominator × net liquidation (or NL ≤ 0 with margin in use).
        case marginPercent
        /// net liquidation ≤ trailing level.
        case trailing
    }
    public var op: Op
    public var metric: MetricKind
    public var tier: TierKind
    public var unlock: UnlockRule
    /// money: limit units; percents: numerator.
    public var limit: Int64
    /// percents: denominator; otherwise 1.
    public var denominator: Int64
    /// The metric's sign and period, precomputed for a branch-light evaluation:
    /// value = (weekly ? sow − nl : sod − nl) × (profit ? −1 : 1).
    public var weekly: Bool
    public var profit: Bool
}

/// Broker-level identity of a test, for explain, diff and the broker JSON.
public struct GraphField: Sendable, Hashable, CustomStringConvertible {
    public var tier: TierKind
    public var metric: MetricKind
    public var percent: Bool
    public var description: String {
        metric == .trailing ? "trailing_drawdown" : "\(tier).\(metric)\(percent ? " (%)" : " (USD)")"
    }
}

public struct TrailingNode: Sendable, Hashable {
    public enum Mode: UInt8, Sendable, Hashable { case endOfDay, realTime }
    public var amount: Money
    public var cap: Money?
    public var mode: Mode
    public var span: Span
    public var modeSpan: Span?
    public var capSpan: Span?

    /// `min(hwm − amount, cap)` (R-14).
    @inline(__always)
    public func level(highWaterMark hwm: Money) -> Money {
        let raw = hwm - amount
        if let c = cap, c < raw { return c }
        return raw
    }
}

/// A one-time flatten: wall time in a zone, or an exact instant when an offset was written.
public struct FlattenNode: Sendable, Hashable {
    public var at: LocalDateTime
    public var span: Span
}

public struct CalendarNode: Sendable, Hashable {
    public var name: String
    public var timezone: String
    public var tradingDayStarts: TimeOfDay
    public var weekStartDay: Weekday
    public var weekStartTime: TimeOfDay
    public var endOfDay: TimeOfDay
    public var holidays: [CivilDate]
    public var earlyCloses: [CivilDate: TimeOfDay]
    public var span: Span
}

public struct ProductNode: Sendable, Hashable {
    public var symbol: String
    public var pointValue: Money
    public var tick: DecimalNumber?
    public var dayMargin: Money
    public var overnightMargin: Money
    public var span: Span
}

/// Pre-trade limits, indexed by product index of `RuleGraph.products`.
public struct RiskCategoryNode: Sendable, Hashable {
    public var name: String
    /// Per product: the long and short limits, `Int64.max` when none.
    public var longLimit: [Int64]
    public var shortLimit: [Int64]
    public var restricted: [Bool]
    /// Per product: the span of the rule that limits or restricts it.
    /// Per product: the settings behind the long and the short limit.
    public var longLimitSpans: [Span?]
    public var shortLimitSpans: [Span?]
    public var restrictSpans: [Span?]
    public var groups: [GroupNode]
    public var span: Span
}

/// Σ weight × |position| ≤ limit, with weights as exact fractions over a common denominator.
public struct GroupNode: Sendable, Hashable {
    public var name: String
    /// limit × denominator.
    public var scaledLimit: Int64
    public var denominator: Int64
    /// Per product index: weight × denominator (0 when not a member).
    public var scaledWeights: [Int64]
    public var span: Span
}

public struct TimePeriodNode: Sendable, Hashable {
    public var name: String
    public var start: TimeOfDay
    public var stop: TimeOfDay
    public var overrides: [Override]
    public var span: Span
    public struct Override: Sendable, Hashable {
        public var date: CivilDate
        public var start: TimeOfDay
        public var stop: TimeOfDay
        public var span: Span
    }
}

extension RuleGraph {
    /// The graph with every source span blanked: what `fmt` and `diff` compare, since moving
    /// text must not count as a change of meaning.
    public func withoutSpans() -> RuleGraph {
        let blank = Span(file: FileID(0), start: 0, end: 0)
        var g = self
        g.testSpans = testSpans.map { _ in blank }
        g.doNotUnlockSpan = doNotUnlockSpan.map { _ in blank }
        if var t = g.trailing {
            t.span = blank
            t.modeSpan = t.modeSpan.map { _ in blank }
            t.capSpan = t.capSpan.map { _ in blank }
            g.trailing = t
        }
        g.flattenAt?.span = blank
        g.calendar?.span = blank
        g.products = products.map { var p = $0; p.span = blank; return p }
        if var rc = g.riskCategory {
            rc.span = blank
            rc.longLimitSpans = rc.longLimitSpans.map { $0.map { _ in blank } }
            rc.shortLimitSpans = rc.shortLimitSpans.map { $0.map { _ in blank } }
            rc.restrictSpans = rc.restrictSpans.map { $0.map { _ in blank } }
            rc.groups = rc.groups.map { var x = $0; x.span = blank; return x }
            g.riskCategory = rc
        }
        g.categories = categories.map { c in
            var rc = c
            rc.span = blank
            rc.longLimitSpans = rc.longLimitSpans.map { $0.map { _ in blank } }
            rc.shortLimitSpans = rc.shortLimitSpans.map { $0.map { _ in blank } }
            rc.restrictSpans = rc.restrictSpans.map { $0.map { _ in blank } }
            rc.groups = rc.groups.map { var x = $0; x.span = blank; return x }
            return rc
        }
        if var tp = g.timePeriod {
            tp.span = blank
            tp.overrides = tp.overrides.map { var o = $0; o.span = blank; return o }
            g.timePeriod = tp
        }
        g.firm = firm.withoutSpans()
        return g
    }

    /// Same rules, wherever they are written.
    public func sameMeaning(as other: RuleGraph) -> Bool { withoutSpans() == other.withoutSpans() }
}
