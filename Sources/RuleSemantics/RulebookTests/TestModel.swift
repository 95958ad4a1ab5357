import RuleBase

// The checked form of `test "name" { ... }` blocks (grammar.ebnf section 4): a template, a
// starting account, timed events and what must hold after each. Names are resolved against the
// rulebook the test file imports; the runner (RuleTools) replays them through the engine.

/// One rulebook test, checked: every name it uses exists in the rulebook.
public struct RulebookTest: Sendable, Hashable {
    public var name: Located<String>
    /// The effective template under test.
    public var template: Located<String>
    /// The starting instant; without an offset it is read in the template calendar's zone.
    public var start: Located<LocalDateTime>
    public var state: TestState
    /// What must hold before the first event (an `expect` block written before any `at`).
    public var initial: TestExpectation?
    public var steps: [TestStep]
    /// The `test "name"` header, for failures and reports.
    public var span: Span
}

/// The account a test starts from. Omitted values take the defaults of a state file
/// (README "State file"): the balance is the template's `starting_balance`.
public struct TestState: Sendable, Hashable {
    public var balance: Located<Money>?
    public var dayStart: Money?
    public var weekStart: Money?
    public var highWaterMark: Money?
    public var commission: Money?
    public var positions: [TestPosition] = []
    /// Orders working at the start, in written order (ids unique, checked).
    public var working: [TestWorkingOrder] = []
    /// A restriction already in force at the start.
    public var mode: TestStartMode?
    public init() {}
}

/// How a test's order executes, as the engine's `OrderType` names it (limit and stop rest and
/// need a price).
public enum TestOrderType: String, Sendable, Hashable, CaseIterable {
    case market, limit, stop
    public var rests: Bool { self != .market }
}

/// An order working at the start: `working o1 limit ES buy 2 at 4_990 remaining 1`.
public struct TestWorkingOrder: Sendable, Hashable {
    public var id: Located<String>
    public var type: TestOrderType
    public var product: Located<String>
    /// Signed contracts as placed (buy > 0).
    public var quantity: Int64
    /// The limit or stop price; required for limit and stop orders.
    public var price: DecimalNumber?
    /// Contracts still open (1 ... |quantity|); nil: all of them.
    public var remaining: Int64?
}

/// An open position at the start: signed contracts (long > 0) at an average price.
public struct TestPosition: Sendable, Hashable {
    public var product: Located<String>
    public var quantity: Int64
    public var price: DecimalNumber
    public var mark: DecimalNumber?
}

/// When an event happens: a time of day on the date of the event before it (or of `start`), or a
/// full date-time, both in the calendar's zone unless an offset is written.
public enum TestTime: Sendable, Hashable, CustomStringConvertible {
    case timeOfDay(TimeOfDay)
    case dateTime(LocalDateTime)

    public var description: String {
        switch self {
        case let .timeOfDay(t): return t.description
        case let .dateTime(d): return d.description
        }
    }
}

/// One event of a test and the expectations that follow it.
public struct TestStep: Sendable, Hashable {
    public var at: Located<TestTime>
    public var event: TestEvent
    /// The whole `at ...` line.
    public var span: Span
    public var expectation: TestExpectation?
}

/// The admin actions a test may send (`setAdminAutoLiqAction`); the internal ones are refused.
public enum TestAdminAction: UInt8, Sendable, Hashable, CaseIterable {
    case normal, lockTradingImmediately, liquidateImmediately, liquidateOnlyModeImmediately

    /// The broker's internal values, which it refuses.
    public static let internalNames: Set<String> = [
        "PlaceAutoLiqOnHold", "DisableAutoLiq", "AgreedOnLiqOnlyModeByAutoLiq", "AgreedOnLiquidationByAutoLiq",
    ]

    /// Short forms and the broker's names, as the event stream accepts them.
    public init?(word: String) {
        switch word {
        case "normal", "Normal": self = .normal
        case "lock", "lock_trading", "LockTradingImmediately": self = .lockTradingImmediately
        case "liquidate", "LiquidateImmediately": self = .liquidateImmediately
        case "liquidate_only", "LiquidateOnlyModeImmediately": self = .liquidateOnlyModeImmediately
        default: return nil
        }
    }

    public static let words = ["normal", "lock", "lock_trading", "liquidate", "liquidate_only", "Normal", "LockTradingImmediately",
                               "LiquidateImmediately", "LiquidateOnlyModeImmediately"]

    /// `adminActionReasonCode` values of both published enums (domain.md §5.3); a RuleTools test
    /// keeps this list equal to the engine's `AdminAction.ReasonCode`.
    public static let reasonCodes = [
        "CallIn", "ClosingAccount", "ComplianceRequest", "FullBalanceWithdrawal", "LowLiquidity", "Other",
        "CloseAMLDecision", "CloseComplianceDecision", "CloseCustomerRequest", "CloseDeceased", "CloseEscheatment",
        "CloseFraud", "CloseInactiveUnfundedAccount", "RestrictedAMLRequest", "RestrictedAccountsRequest",
        "RestrictedComplianceRequest", "RestrictedRiskRestriction", "RestrictedTreasuryRequest", "RestrictedW8Expired",
    ]
}

public enum TestEvent: Sendable, Hashable {
    /// Signed contracts (buy > 0) at a price, with the fill's total commission when written and
    /// the id of the working order it executes (`order o1`).
    case fill(product: String, quantity: Int64, price: DecimalNumber, commission: Money?, order: String? = nil)
    case mark(product: String, price: DecimalNumber)
    /// An order to check (signed contracts), with an optional limit price; with an `id` it has a
    /// type and, accepted, is working until filled or cancelled (a limit or stop order has a price).
    case order(product: String, quantity: Int64, limit: DecimalNumber?, id: String? = nil, type: TestOrderType = .market)
    /// A cancel request for the working order with this id.
    case cancel(String)
    case admin(TestAdminAction, reasonCode: String, reason: String?)
    /// One of the broker's internal admin values (`DisableAutoLiq`, ...): the broker refuses it
    /// (`internal_action`), so a test sends it only to see the refusal.
    case internalAdmin(name: String, reasonCode: String, reason: String?)
    /// The account reset after an incident (`changeDemoBalance` and `updateMaxNetLiq`): the
    /// balance becomes this amount, and the day's and week's starting balances and the
    /// high-water mark (max net liquidation) are reset to the new net liquidation.
    case reset(Money)
    case clock
    /// Cash in (a deposit) or, negative, out (a fee or withdrawal).
    case cash(Money)
    case switchCategory(String)
    /// A payout of this much profit, checked against the template's payout conditions.
    case payout(Money)
}

/// The account modes a test can name.
public enum TestMode: String, Sendable, Hashable {
    case normal, liquidateOnly = "liquidate_only", locked
}

/// The rejection codes of the pre-trade check (README "Rejection reasons").
public enum TestRejection: String, Sendable, Hashable, CaseIterable {
    case accountLocked = "ACCOUNT_LOCKED", unknownProduct = "UNKNOWN_PRODUCT", riskTimePeriod = "RISK_TIME_PERIOD"
    case liquidateOnly = "LIQUIDATE_ONLY", restrictedProduct = "RESTRICTED_PRODUCT", positionLimit = "POSITION_LIMIT"
    case groupLimit = "GROUP_LIMIT"
    case newsWindow = "NEWS_WINDOW", scalingPlan = "SCALING_PLAN"
}

/// Why a working order was cancelled, as `cancelled o1 CAUSE` names it (the engine's `CancelCause`).
public enum TestCancelCause: String, Sendable, Hashable, CaseIterable {
    case request, autoLiquidate = "auto_liquidate", admin, flattenAt = "flatten_at", timePeriod = "time_period"
    case categorySwitch = "category_switch"
    case newsWindow = "news_window", flatBy = "flat_by", positionLoss = "max_position_loss"
}

/// Why the engine refused an event that contradicts the order lifecycle: one stable code per
/// `LifecycleError` case (a RuleTools test keeps the two in step).
public enum TestRefusal: String, Sendable, Hashable, CaseIterable {
    case duplicateOrder = "duplicate_order", missingID = "missing_id", missingPrice = "missing_price"
    case unknownOrder = "unknown_order", alreadyFilled = "already_filled", alreadyCancelled = "already_cancelled"
    case overfill, fillMismatch = "fill_mismatch"

    /// The events that can be refused for this reason.
    public var events: String {
        switch self {
        case .duplicateOrder, .missingID, .missingPrice: return "an `order` event with an id"
        case .unknownOrder, .alreadyFilled: return "a `fill ... order ID` or `cancel` event"
        case .alreadyCancelled: return "a `cancel` event"
        case .overfill, .fillMismatch: return "a `fill ... order ID` event"
        }
    }

    /// A test's limit and stop orders always have an id and a price (R6012): the engine never
    /// refuses one of its events for these.
    public var neverInTests: Bool { self == .missingID || self == .missingPrice }

    /// Whether `event` can be refused for this reason.
    public func applies(to event: TestEvent) -> Bool {
        switch event {
        case let .order(_, _, _, id, _): return id != nil && self == .duplicateOrder
        case let .fill(_, _, _, _, order): return order != nil && [.unknownOrder, .alreadyFilled, .overfill, .fillMismatch].contains(self)
        case .cancel: return [.unknownOrder, .alreadyFilled, .alreadyCancelled].contains(self)
        default: return false
        }
    }
}

/// Why positions were flattened, as `flattened` names it.
public enum TestFlattenCause: String, Sendable, Hashable {
    case autoLiquidate = "auto_liquidate", admin, flattenAt = "flatten_at", timePeriod = "time_period"
}

/// The money figures a test can pin after an event.
public enum TestFigure: String, Sendable, Hashable, CaseIterable {
    case balance, netLiq = "net_liq", dayStart = "day_start", weekStart = "week_start"
    case highWaterMark = "high_water_mark", trailingLevel = "trailing_level"
}

/// When a restriction ends, as `unlocks` names it.
public enum TestUnlock: Sendable, Hashable {
    case at(TestTime)
    case never
    case manual
}

/// A threshold of the template, as a tier block names it: `alert daily_loss 600 USD`. `percent`
/// nil matches either unit; the trailing drawdown is `auto_liquidate trailing_drawdown`.
public struct TestRule: Sendable, Hashable, CustomStringConvertible {
    public var tier: Tier
    /// nil: the trailing drawdown.
    public var metric: Metric?
    public var percent: Bool?
    /// The written limit, for the report.
    public var limit: FieldValue?

    public var description: String {
        let m = metric.map(\.description) ?? "trailing_drawdown"
        return "\(tier) \(m)" + (limit.map { " \($0)" } ?? "")
    }
}

/// One thing that must hold after an event.
public enum TestAssertion: Sendable, Hashable {
    case mode(TestMode)
    /// The threshold acted at this event (`breached == true`) or did not (`no ...`).
    case rule(TestRule, breached: Bool)
    /// A position was closed by a flatten: contracts closed, and what else is written.
    case liquidated(TestLiquidation)
    case flattened(TestFlattenCause)
    /// The event's order was accepted, or rejected (for the given reason, when written).
    case orderAccepted
    case orderRejected(TestRejection?)
    case unlocks(TestUnlock)
    case figure(TestFigure, Money)
    /// Net position after the event (signed; 0 is flat), and its average price when written.
    case position(product: String, quantity: Int64, averagePrice: DecimalNumber? = nil)
    /// The admin action of this event was applied (`code` nil), or refused (for that code when
    /// written: `admin refused reason_required`).
    case admin(applied: Bool, code: TestAdminRefusal?)
    /// A cause ended at this event or a boundary before it: a threshold's, or an admin one.
    case released(TestRule?)
    /// The trade date after the event (the session the account is in).
    case tradeDate(CivilDate)
    /// Nothing acted: no breach, no flatten and no liquidation at this event.
    case nothing
    /// A threshold's limit in dollars as it stands now (a percent of the day's or week's
    /// starting balance taken of the current one), before it is breached.
    case limit(TestRule, Money)
    /// The order is working after the event (with that many contracts open, when written).
    case working(id: String, remaining: Int64?)
    /// The order is not working after the event (`no working o1`).
    case notWorking(id: String)
    /// How many orders are working after the event (`working 2`; `no working` is 0).
    case workingCount(Int64)
    /// The order was cancelled at this event (for that cause, when written).
    case cancelled(id: String, cause: TestCancelCause?)
    /// No order (or not this one) was cancelled at this event.
    case notCancelled(id: String?)
    /// The engine refused the event as contradicting the order lifecycle (for that reason, when
    /// written); the account is unchanged. An event refused without this expectation fails.
    case refused(TestRefusal?)
    /// The evaluation's status or objectives so far (TestEvaluation.swift).
    case evaluation(TestEvaluationAssertion)
}

/// `liquidated ES sell 2 at 4_990 realized loss 1_000 USD commission 5 USD`: every part after
/// the product and count is optional.
public struct TestLiquidation: Sendable, Hashable {
    public var product: String
    public var quantity: Int64
    /// The closing trade's side: true for a sell (a long closed), false for a buy.
    public var sell: Bool?
    public var price: DecimalNumber?
    /// Signed realized P&L of the closing fill (a loss is negative).
    public var realized: Money?
    public var commission: Money?
    public init(product: String, quantity: Int64, sell: Bool? = nil, price: DecimalNumber? = nil,
                realized: Money? = nil, commission: Money? = nil) {
        self.product = product
        self.quantity = quantity
        self.sell = sell
        self.price = price
        self.realized = realized
        self.commission = commission
    }
}

/// Why the broker refuses an admin call, as the engine's `AdminAction.Rejection.code` names it
/// (a RuleTools test keeps the two in step).
public enum TestAdminRefusal: String, Sendable, Hashable, CaseIterable {
    case reasonRequired = "reason_required", reasonTooLong = "reason_too_long", internalAction = "internal_action"

    public static let maxReasonLength = 8192

    /// What the broker answers to an admin step of a test; nil when it applies it.
    public static func of(_ event: TestEvent) -> TestAdminRefusal? {
        switch event {
        case .internalAdmin: return .internalAction
        case let .admin(_, code, reason):
            if let r = reason, r.unicodeScalars.count > maxReasonLength { return .reasonTooLong }
            if code == "Other", reason.map({ $0.unicodeScalars.allSatisfy { $0.properties.isWhitespace } }) ?? true { return .reasonRequired }
            return nil
        default: return nil
        }
    }
}

/// A start already restricted: `mode locked auto_liquidate daily_loss` or `mode liquidate_only admin`.
public struct TestStartMode: Sendable, Hashable {
    public var mode: TestMode
    /// The threshold whose cause holds the mode; nil: an admin action.
    public var rule: TestRule?
    public var span: Span
}

/// An `expect { ... }` block: each assertion with its line.
public struct TestExpectation: Sendable, Hashable {
    public var assertions: [Located<TestAssertion>]
    public var span: Span
}
