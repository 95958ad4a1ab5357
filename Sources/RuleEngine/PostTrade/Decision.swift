import RuleBase
import RuleGraph

/// What the engine reports, one step at a time. A step is one input event or one clock
/// boundary; its items say what acted and what changed, in order.
public struct Step: Sendable, Hashable {
    public enum Origin: Sendable, Hashable {
        /// An input event (its index in the caller's stream is the caller's business).
        case event
        /// The template's time period starts: flatten, overnight margins.
        case timePeriodStart
        /// The template's time period ends: day margins again.
        case timePeriodStop
        /// The rulebook's one-time `flatten_at`.
        case flattenAt
        /// End of day of a trade date: the EOD trailing update.
        case endOfDay(CivilDate)
        /// A session opens: next-open causes release, new day's starting balance, daily latches re-arm.
        case sessionOpen(CivilDate)
        /// The trading week starts: weekly causes release, new week's starting balance.
        case weekStart
        /// A firm rule closed positions on the clock: a news window's start, a flat-by time.
        case firm(FirmFlatten)

        public var name: String {
            switch self {
            case .event: return "event"
            case .timePeriodStart: return "time_period_start"
            case .timePeriodStop: return "time_period_stop"
            case .flattenAt: return "flatten_at"
            case .endOfDay: return "end_of_day"
            case .sessionOpen: return "session_open"
            case .weekStart: return "week_start"
            case .firm(let f): return f.name
            }
        }

        /// Processing order among boundaries at one instant (§2.3: flatten, then EOD; at the open,
        /// releases and SOD before SOW).
        var rank: Int {
            switch self {
            case .timePeriodStart: return 0
            case .flattenAt: return 1
            case .endOfDay: return 2
            case .timePeriodStop: return 3
            case .sessionOpen: return 4
            case .weekStart: return 5
            case .firm: return 6
            case .event: return 7
            }
        }
    }

    public var at: Instant
    public var origin: Origin
    /// The account after the step.
    public var snapshot: Snapshot
    /// The step's items in `Outcome.items`.
    public var items: Range<Int>
}

/// The account's numbers and mode after a step.
public struct Snapshot: Sendable, Hashable {
    public var tradeDate: CivilDate
    public var balance: Money
    public var netLiq: Money
    public var dayStart: Money
    public var weekStart: Money
    public var highWaterMark: Money
    /// nil when the template has no trailing drawdown.
    public var trailingLevel: Money?
    public var marginUsed: Money
    public var mode: AccountModeKind
    /// When the current mode began (nil in normal mode).
    public var modeSince: Instant?
    /// The cause holding the mode, and so its release (nil in normal mode).
    public var governing: Cause?
    /// Working orders in the book after the step.
    public var working: Int32 = 0
    /// The evaluation after the step (nil when the template has no objectives).
    public var evaluation: EvaluationSnapshot? = nil
    /// The scaling tier in force (nil without a scaling plan).
    public var scalingTier: Int32? = nil
}

/// A threshold test that acted: its tier, the metric value and the limit it reached.
public struct Breach: Sendable, Hashable {
    /// Index in `RuleGraph.tests` (and so in `testSpans` for the rulebook line).
    public var test: Int32
    public var tier: TierKind
    public var measure: Measure
    public var release: UnlockRule
    public var releaseAt: Instant?
}

/// A metric value beside its limit, both exact: money units, or for margin a percentage in
/// 1/10,000 of a percent point (value rounded toward zero; the decision itself is exact).
public struct Measure: Sendable, Hashable {
    public enum Unit: UInt8, Sendable, Hashable { case money, percent }
    public var unit: Unit
    public var value: Int64
    /// The limit as compared: money (for a percent of SOD/SOW, that percent of it) or percent.
    public var limit: Int64
    /// `value ≥ limit` for losses, profits and margin; `value ≤ limit` for the trailing drawdown.
    public var atMost: Bool
    public var breached: Bool
}

/// Why positions were flattened.
public enum FlattenCause: Sendable, Hashable {
    /// An auto-liquidate tier (the first breached in decision order).
    case autoLiquidate(Int32)
    case admin
    case flattenAt
    case timePeriod
    /// A firm rule closed some products only (news window, flat-by, max position loss).
    case firm(FirmFlatten)
}

/// One position closed by a flatten, at the product's last mark.
public struct Liquidation: Sendable, Hashable {
    public var product: Int32
    /// Signed quantity of the closing fill (a long of 2 closes with −2).
    public var quantity: Int64
    public var price: Price
    public var realized: Money
    public var commission: Money
}

public enum DecisionItem: Sendable, Hashable {
    /// A threshold acted (alert, liquidate-only or auto-liquidate); every breached rule is reported.
    case breach(Breach)
    /// Working orders cancelled and every position closed; the cancels, then the liquidations follow.
    case flatten(FlattenCause)
    /// A working order left the book by a cancel event or by the rules (the flatten or category
    /// switch before it says why).
    case cancelled(Cancellation)
    /// A fill naming an order that this rulebook rejected or already cancelled: under these rules
    /// it could not have executed, so it is not applied (a counterfactual replay meets these).
    case fillIgnored(id: String, ending: OrderEnding)
    /// A cancel naming an order that this rulebook rejected or already cancelled: nothing to do.
    case cancelIgnored(id: String, ending: OrderEnding)
    case liquidated(Liquidation)
    /// A cause started (auto-liquidate locks and liquidate-only tiers also appear as breaches).
    case restricted(Cause)
    /// A cause ended: clock release, margin condition cleared, or admin `Normal`.
    case released(Cause)
    case modeChanged(from: AccountModeKind, to: AccountModeKind)
    /// An admin action was applied.
    case admin(AdminAction.Kind)
    /// An admin action was refused, as the broker would; nothing changed.
    case adminRejected(AdminAction.Rejection)
    /// A fill whose numbers do not fit was refused; nothing changed.
    case fillRejected
    /// An order checked by the pre-trade rules against the account as it stood (mode, positions,
    /// the risk category in force, the risk time period). An accepted order does not fill by
    /// itself: fills are separate events.
    case order(OrderRequest, OrderDecision)
    /// An order whose quantity is 0 or beyond `Order.maxQuantity`: not checked, nothing changed.
    case orderInvalid(OrderRequest)
    /// `switchRiskCategory` applied: the category applies to orders from now on; `liquidations`
    /// is what the new limits forced out, each followed by its `.liquidated` fill.
    case categorySwitched(name: String, liquidations: [SwitchLiquidation])
    /// A category switch that changed nothing: an unknown category name, or the category already
    /// in force (the broker skips such accounts, domain.md §4.6).
    case categorySwitchSkipped(name: String, reason: CategorySwitchSkip)
    /// The evaluation passed or failed at this step (README "Evaluation status").
    case evaluation(EvaluationStatus)
    /// A session open put another scaling tier in force (indices in `ScalingPlanNode.tiers`).
    case scalingTier(from: Int32, to: Int32)
    /// A payout event: paid, or refused by the payout conditions (nothing changed).
    case payout(PayoutDecision)
}

/// Why a category switch did nothing.
public enum CategorySwitchSkip: UInt8, Sendable, Hashable {
    /// The rulebook has no risk category of that name.
    case unknownCategory
    /// The account is already in that category.
    case alreadyInForce
}

/// A reusable buffer of steps and items: the caller clears it between events, keeping capacity,
/// so that the hot path does not allocate.
public struct Outcome: Sendable {
    public private(set) var steps: [Step] = []
    public private(set) var items: [DecisionItem] = []

    public init(capacity: Int = 64) {
        steps.reserveCapacity(capacity)
        items.reserveCapacity(capacity * 4)
    }

    public mutating func removeAll() {
        steps.removeAll(keepingCapacity: true)
        items.removeAll(keepingCapacity: true)
    }

    public func items(of step: Step) -> ArraySlice<DecisionItem> { items[step.items] }

    @inline(__always) mutating func append(_ item: DecisionItem) { items.append(item) }
    @inline(__always) mutating func append(_ step: Step) { steps.append(step) }
    @inline(__always) var itemCount: Int { items.count }
}
