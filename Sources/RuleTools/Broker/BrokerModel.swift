import RuleBase
import RuleJSON
import RuleSemantics

/// The broker's post-trade risk fields (`userAccountAutoLiq` / `postTradeRisk`, domain.md
/// §3.1), in the order the broker documents them and rulec writes them.
public enum PostTradeField: String, CaseIterable, Sendable, Hashable, CustomStringConvertible {
    case marginPercentageAlert, marginPercentageLiqOnly, marginPercentageAutoLiq
    case dailyLossAlert, dailyLossPercentageAlert
    case dailyLossLiqOnly, dailyLossPercentageLiqOnly
    case dailyLossAutoLiq, dailyLossPercentageAutoLiq
    case weeklyLossAutoLiq, dailyProfitAutoLiq, weeklyProfitAutoLiq
    case trailingMaxDrawdown, trailingMaxDrawdownLimit, trailingMaxDrawdownMode
    case flattenTimestamp, doNotUnlock

    /// The JSON type of a field's value.
    public enum Kind: Sendable, Hashable {
        /// Dollars, a JSON number (the broker's double), exact in rulec.
        case money
        /// Percentage points, a JSON number: `2.5` is 2.5 % (R-4).
        case percent
        /// `"EOD"` or `"RealTime"`.
        case mode
        /// ISO-8601 date-time with a UTC offset.
        case dateTime
        /// A boolean; `false` is the same as omitted.
        case flag
    }

    public var description: String { rawValue }

    public var kind: Kind {
        switch self {
        case .marginPercentageAlert, .marginPercentageLiqOnly, .marginPercentageAutoLiq,
             .dailyLossPercentageAlert, .dailyLossPercentageLiqOnly, .dailyLossPercentageAutoLiq:
            return .percent
        case .trailingMaxDrawdownMode: return .mode
        case .flattenTimestamp: return .dateTime
        case .doNotUnlock: return .flag
        default: return .money
        }
    }

    /// The rulebook setting the field maps to.
    public var key: FieldKey {
        switch self {
        case .marginPercentageAlert: return .threshold(.alert, .margin, percent: true)
        case .marginPercentageLiqOnly: return .threshold(.liquidateOnly, .margin, percent: true)
        case .marginPercentageAutoLiq: return .threshold(.autoLiquidate, .margin, percent: true)
        case .dailyLossAlert: return .threshold(.alert, .dailyLoss, percent: false)
        case .dailyLossPercentageAlert: return .threshold(.alert, .dailyLoss, percent: true)
        case .dailyLossLiqOnly: return .threshold(.liquidateOnly, .dailyLoss, percent: false)
        case .dailyLossPercentageLiqOnly: return .threshold(.liquidateOnly, .dailyLoss, percent: true)
        case .dailyLossAutoLiq: return .threshold(.autoLiquidate, .dailyLoss, percent: false)
        case .dailyLossPercentageAutoLiq: return .threshold(.autoLiquidate, .dailyLoss, percent: true)
        case .weeklyLossAutoLiq: return .threshold(.autoLiquidate, .weeklyLoss, percent: false)
        case .dailyProfitAutoLiq: return .threshold(.autoLiquidate, .dailyProfit, percent: false)
        case .weeklyProfitAutoLiq: return .threshold(.autoLiquidate, .weeklyProfit, percent: false)
        case .trailingMaxDrawdown: return .trailingAmount
        case .trailingMaxDrawdownLimit: return .trailingCap
        case .trailingMaxDrawdownMode: return .trailingMode
        case .flattenTimestamp: return .flattenAt
        case .doNotUnlock: return .doNotUnlock
        }
    }

    /// The broker field of a rulebook setting; nil when the broker has none (a lossy construct)
    /// or the setting is not post-trade (calendar, time period, category, starting balance).
    public init?(key: FieldKey) {
        guard let f = PostTradeField.allCases.first(where: { $0.key == key }) else { return nil }
        self = f
    }
}

/// A post-trade settings object. Values use the rulebook's exact types: `.money` for dollars,
/// `.percent` for percentage points, `.trailingMode`, `.dateTime` (always with an offset) and
/// `.flag` for `doNotUnlock: true`. An absent field is not evaluated.
public struct BrokerPostTrade: Sendable, Hashable {
    public var values: [PostTradeField: FieldValue]
    public init(_ values: [PostTradeField: FieldValue] = [:]) { self.values = values }
    public subscript(_ f: PostTradeField) -> FieldValue? {
        get { values[f] }
        set { values[f] = newValue }
    }
    public var isEmpty: Bool { values.isEmpty }
}

/// One `userAccountPositionLimit` with `totalBy: "Product"`: a per-product lot limit.
public struct BrokerPositionLimit: Sendable, Hashable {
    public var productSymbol: String
    public var longLimit: Int64?
    public var shortLimit: Int64?
    public init(productSymbol: String, longLimit: Int64?, shortLimit: Int64?) {
        self.productSymbol = productSymbol
        self.longLimit = longLimit
        self.shortLimit = shortLimit
    }
}

/// A RiskCategory: per-product position limits and restricted products (domain.md §4.1).
public struct BrokerRiskCategory: Sendable, Hashable {
    public var name: String
    public var positionLimits: [BrokerPositionLimit]
    public var restrictedProducts: [String]
    public init(name: String, positionLimits: [BrokerPositionLimit] = [], restrictedProducts: [String] = []) {
        self.name = name
        self.positionLimits = positionLimits
        self.restrictedProducts = restrictedProducts
    }
}

/// A holiday edit of a RiskTimePeriod (rulec's convention, domain.md §4.4): before the window
/// that starts on `date`, set the given time(s); after it, restore the regular ones. At least
/// one of the two times is present.
public struct BrokerScheduledEdit: Sendable, Hashable {
    public var date: CivilDate
    public var startTime: TimeOfDay?
    public var stopTime: TimeOfDay?
    public init(date: CivilDate, startTime: TimeOfDay?, stopTime: TimeOfDay?) {
        self.date = date
        self.startTime = startTime
        self.stopTime = stopTime
    }
}

/// A RiskTimePeriod: `[startTime, stopTime)` daily, as `TradeTime {hour, minute}` (§4.4).
public struct BrokerRiskTimePeriod: Sendable, Hashable {
    public var name: String
    public var startTime: TimeOfDay
    public var stopTime: TimeOfDay
    /// In date order.
    public var scheduledEdits: [BrokerScheduledEdit]
    public init(name: String, startTime: TimeOfDay, stopTime: TimeOfDay, scheduledEdits: [BrokerScheduledEdit] = []) {
        self.name = name
        self.startTime = startTime
        self.stopTime = stopTime
        self.scheduledEdits = scheduledEdits
    }
}

/// Everything the broker needs for one account template: its name, the `initialBalance` of
/// `user/createEvaluationAccounts`, the post-trade object and the pre-trade entities.
///
/// Canonical form (what equality means): numbers compare by value, `doNotUnlock: false` and
/// `null` fields are omitted ones, `trailingMaxDrawdownMode` is `EOD` when only
/// `trailingMaxDrawdown` is given (rulec's default), and scheduled edits are in date order.
public struct BrokerTemplate: Sendable, Hashable {
    public var name: String?
    public var initialBalance: Money?
    public var postTradeRisk: BrokerPostTrade
    public var riskCategory: BrokerRiskCategory?
    public var riskTimePeriod: BrokerRiskTimePeriod?
    public init(name: String? = nil, initialBalance: Money? = nil, postTradeRisk: BrokerPostTrade = BrokerPostTrade(),
                riskCategory: BrokerRiskCategory? = nil, riskTimePeriod: BrokerRiskTimePeriod? = nil) {
        self.name = name
        self.initialBalance = initialBalance
        self.postTradeRisk = postTradeRisk
        self.riskCategory = riskCategory
        self.riskTimePeriod = riskTimePeriod
    }
}

// MARK: - Encoding

/// Exact JSON spellings of rulec values in the broker's units.
public enum BrokerUnits {
    /// Dollars, shortest exact decimal: `1000`, `1000.5`, `0.0001`.
    public static func dollars(_ m: Money) -> String {
        var scale = Int(Money.scaleDigits)
        var u = m.units
        while scale > 0 && u % 10 == 0 { u /= 10; scale -= 1 }
        return DecimalNumber.format(u, scale: scale, group: false)
    }

    /// Percentage points, shortest exact decimal (`1.2%` → `1.2`); nil when the ratio is not a
    /// finite decimal (never for a parsed percent).
    public static func percentPoints(_ r: Ratio) -> String? {
        var k = 0, d = r.denominator
        while d % 10 == 0 && d > 1 { d /= 10; k += 1 }
        guard d == 1 else { return nil }
        // value = numerator / 10^k; points = numerator / 10^(k-2)
        var scale = k - 2, m = r.numerator
        if scale < 0 {
            let (v, o) = m.multipliedReportingOverflow(by: Int64.pow10(-scale))
            guard !o else { return nil }
            m = v
            scale = 0
        }
        while scale > 0 && m % 10 == 0 { m /= 10; scale -= 1 }
        return DecimalNumber.format(m, scale: scale, group: false)
    }

    /// `2026-12-18T08:00:00-06:00`; nil without an offset.
    public static func timestamp(_ d: LocalDateTime) -> String? {
        guard let o = d.offset else { return nil }
        return "\(d.date)T\(d.time.textWithSeconds)\(o)"
    }

    public static func tradeTime(_ t: TimeOfDay) -> JSONValue {
        .object([.init("hour", .number(String(t.hour))), .init("minute", .number(String(t.minute)))])
    }
}

extension BrokerTrailingModeName {
    static func name(_ m: TrailingMode) -> String { m == .realTime ? realTime : eod }
}

/// The broker's spellings of `trailingMaxDrawdownMode`.
public enum BrokerTrailingModeName {
    public static let eod = "EOD"
    public static let realTime = "RealTime"
}

extension BrokerPostTrade {
    /// The JSON object, fields in `PostTradeField` order. Values that cannot be spelled (a
    /// date-time without offset) are left out; the exporter never produces them.
    public var json: JSONValue {
        var members: [JSONValue.Member] = []
        for f in PostTradeField.allCases {
            guard let v = values[f] else { continue }
            let j: JSONValue?
            switch v {
            case let .money(m): j = .number(BrokerUnits.dollars(m))
            case let .percent(r): j = BrokerUnits.percentPoints(r).map { .number($0) }
            case let .trailingMode(m): j = .string(BrokerTrailingModeName.name(m))
            case let .dateTime(d): j = BrokerUnits.timestamp(d).map { .string($0) }
            case .flag: j = .bool(true)
            case .name, .firm: j = nil
            }
            if let j { members.append(.init(f.rawValue, j)) }
        }
        return .object(members)
    }
}

extension BrokerRiskCategory {
    public var json: JSONValue {
        .object([
            .init("name", .string(name)),
            .init("positionLimits", .array(positionLimits.map { l in
                var m: [JSONValue.Member] = [.init("productSymbol", .string(l.productSymbol))]
                if let v = l.longLimit { m.append(.init("longLimit", .number(String(v)))) }
                if let v = l.shortLimit { m.append(.init("shortLimit", .number(String(v)))) }
                m.append(.init("totalBy", .string("Product")))
                return .object(m)
            })),
            .init("restrictedProducts", .array(restrictedProducts.map { .string($0) })),
        ])
    }
}

extension BrokerRiskTimePeriod {
    public var json: JSONValue {
        var m: [JSONValue.Member] = [
            .init("name", .string(name)),
            .init("startTime", BrokerUnits.tradeTime(startTime)),
            .init("stopTime", BrokerUnits.tradeTime(stopTime)),
        ]
        if !scheduledEdits.isEmpty {
            m.append(.init("scheduledEdits", .array(scheduledEdits.map { e in
                var o: [JSONValue.Member] = [.init("date", .string(e.date.description))]
                if let s = e.startTime { o.append(.init("startTime", BrokerUnits.tradeTime(s))) }
                if let s = e.stopTime { o.append(.init("stopTime", BrokerUnits.tradeTime(s))) }
                return .object(o)
            })))
        }
        return .object(m)
    }
}

extension BrokerTemplate {
    /// The document `rulec compile --target broker-json` prints for one template.
    public var json: JSONValue {
        var m: [JSONValue.Member] = []
        if let name { m.append(.init("name", .string(name))) }
        if let b = initialBalance { m.append(.init("initialBalance", .number(BrokerUnits.dollars(b)))) }
        m.append(.init("postTradeRisk", postTradeRisk.json))
        if let rc = riskCategory { m.append(.init("riskCategory", rc.json)) }
        if let tp = riskTimePeriod { m.append(.init("riskTimePeriod", tp.json)) }
        return .object(m)
    }
}
