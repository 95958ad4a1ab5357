import RuleBase

// Firm rules (issue 13): what a prop firm enforces in its own backend, beside the broker's
// fields. Each is one template setting (`FieldKey.firm`), merged by `extends` like any other:
// a child's `objectives.profit_target` replaces its parent's, a child's `scaling_plan` block
// replaces the parent's whole plan. None of them is a broker field (README "Firm rules").

/// The key of one firm rule of a template. Objectives are one key each, so a child template
/// can change the target and keep its parent's minimum days.
public enum FirmKey: Int, Sendable, Hashable, Comparable, CaseIterable, CustomStringConvertible {
    case profitTarget, minTradingDays, winningDays, consistency
    case scalingPlan, newsWindows, flatBy, maxPositionLoss
    /// `payout { consistency 40% }`: a payout needs consistency counted from the last payout.
    case payoutConsistency

    public static func < (a: FirmKey, b: FirmKey) -> Bool { a.rawValue < b.rawValue }

    public var description: String {
        ["objectives.profit_target", "objectives.min_trading_days", "objectives.winning_days", "objectives.consistency",
         "scaling_plan", "news_windows", "flat_by", "max_position_loss", "payout.consistency"][rawValue]
    }

    /// An objective of an evaluation (as opposed to a limit on a funded account's trading).
    public var isObjective: Bool { rawValue <= FirmKey.consistency.rawValue }
}

/// The typed value of a firm rule whose value is not plain money or a percent.
public enum FirmValue: Sendable, Hashable, CustomStringConvertible {
    /// `min_trading_days 5`.
    case days(Int64)
    /// `winning_days 5 at_least 50 USD`.
    case winningDays(count: Int64, atLeast: Money)
    case scalingPlan(ScalingPlanDef)
    case newsWindows(NewsWindowsDef)
    case flatBy([FlatByDef])

    public var description: String {
        switch self {
        case let .days(n): return "\(n)"
        case let .winningDays(n, m): return "\(n) at_least \(m.rulebookText)"
        case let .scalingPlan(p): return p.description
        case let .newsWindows(w): return w.description
        case let .flatBy(list): return list.map { "\($0.product.value) \($0.time)" }.joined(separator: ", ")
        }
    }
}

/// A scaling plan: the contracts a funded account may hold by its end-of-day profit, counted
/// over the member products by weight (a micro as 0.1 of a mini).
public struct ScalingPlanDef: Sendable, Hashable, CustomStringConvertible {
    public struct Tier: Sendable, Hashable {
        /// The tier applies when the end-of-day profit is strictly above this (nil: the first tier).
        public var above: Money?
        public var contracts: Int64
        public var span: Span
    }
    /// Tiers in ascending order of `above`; the first has `above == nil`.
    public var tiers: [Tier]
    public var members: [GroupLimit.Member]
    public var span: Span

    public var description: String {
        tiers.map { t in "\(t.contracts)" + (t.above.map { " above \($0.rulebookText)" } ?? "") }.joined(separator: ", ")
            + "; " + members.map { "\($0.product.value) \($0.weight)" }.joined(separator: ", ")
    }
}

/// A dated list of news events, each closing its products to orders from `before` minutes
/// before the event to `after` minutes after it.
public struct NewsWindowsDef: Sendable, Hashable, CustomStringConvertible {
    public struct News: Sendable, Hashable {
        public var at: LocalDateTime
        public var products: [Located<String>]
        public var span: Span
    }
    public var beforeMinutes: Int64
    public var afterMinutes: Int64
    public var beforeSpan: Span?
    public var afterSpan: Span?
    /// Positions in the affected products are closed at each window's start.
    public var flatten: Bool
    public var events: [News]
    public var span: Span

    public var description: String {
        "\(beforeMinutes) min before, \(afterMinutes) min after\(flatten ? ", flatten" : ""); "
            + events.map { "\($0.at) " + $0.products.map(\.value).joined(separator: " ") }.joined(separator: "; ")
    }
}

/// One product's daily flat-by time (in the calendar's zone).
public struct FlatByDef: Sendable, Hashable {
    public var product: Located<String>
    public var time: TimeOfDay
    public var span: Span
}

extension EffectiveTemplate {
    /// The firm rule set under `key`, if any.
    public func firm(_ key: FirmKey) -> Field? { field(.firm(key)) }
    /// Whether the template is an evaluation: it has at least one objective.
    public var isEvaluation: Bool { FirmKey.allCases.contains { $0.isObjective && firm($0) != nil } }
    /// Every firm rule in effect, in key order.
    public var firmFields: [Field] { fields.filter { if case .firm = $0.key { return true }; return false } }
}

extension FirmValue {
    /// The value with every source span blanked: what `diff` compares, since moving text is
    /// not a change of meaning.
    public var withoutSpans: FirmValue {
        let blank = Span(file: FileID(0), start: 0, end: 0)
        func b(_ l: Located<String>) -> Located<String> { Located(l.value, blank) }
        switch self {
        case .days, .winningDays: return self
        case var .scalingPlan(p):
            p.span = blank
            p.tiers = p.tiers.map { var t = $0; t.span = blank; return t }
            p.members = p.members.map { .init(product: b($0.product), weight: $0.weight) }
            return .scalingPlan(p)
        case var .newsWindows(w):
            w.span = blank
            w.beforeSpan = nil
            w.afterSpan = nil
            w.events = w.events.map { .init(at: $0.at, products: $0.products.map(b), span: blank) }
            return .newsWindows(w)
        case let .flatBy(list):
            return .flatBy(list.map { FlatByDef(product: b($0.product), time: $0.time, span: blank) })
        }
    }
}
