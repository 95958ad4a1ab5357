import RuleBase
import RuleSemantics

/// A construct of the rulebook that the broker cannot express. `rulec compile --target
/// broker-json` reports it as an error, or with `--lossy` as a warning (and leaves it out).
public struct BrokerIssue: Sendable, Hashable, CustomStringConvertible {
    /// The construct, as a rulebook author names it: `alert.daily_profit (USD)`,
    /// `max_group mini_equivalents`, `calendar cme: end_of_day`.
    public var construct: String
    /// The whole sentence: what has no broker field, and what the broker has instead.
    public var message: String
    /// Where it is written.
    public var span: Span?
    /// The template setting left out, when the construct is one.
    public var key: FieldKey?

    public init(construct: String, message: String, span: Span?, key: FieldKey? = nil) {
        self.construct = construct
        self.message = message
        self.span = span
        self.key = key
    }
    public var description: String { message }
}

/// The broker objects of one template and every construct that had to be left out.
public struct BrokerExportResult: Sendable {
    public var template: BrokerTemplate
    /// Empty when the export is exact.
    public var issues: [BrokerIssue]
}

/// Effective template → broker objects (domain.md §3.1, §4.1, §4.4). Pure: the UTC offset of
/// a `flatten_at` written without one comes from `offset`, which the CLI answers from the host's
/// tz database.
public enum BrokerExport {
    /// The broker's fixed clock (domain.md §1.1, §3.7): a calendar that differs from it cannot
    /// be sent.
    public static let brokerZone = "America/Chicago"

    /// The UTC offset of a wall time in an IANA zone, or nil when the zone is unknown.
    public typealias OffsetProvider = @Sendable (_ wall: LocalDateTime, _ zone: String) -> UTCOffset?

    public static func export(_ t: EffectiveTemplate, in rb: CheckedRulebook,
                              offset: OffsetProvider = { _, _ in nil }) -> BrokerExportResult {
        var out = BrokerTemplate(name: t.name.value, initialBalance: t.startingBalance)
        var issues: [BrokerIssue] = []

        for f in t.fields {
            switch f.key {
            case .calendar, .timePeriod, .riskCategory, .startingBalance:
                continue
            case let .threshold(tier, metric, percent):
                guard let bf = PostTradeField(key: f.key) else {
                    issues.append(thresholdIssue(tier, metric, percent, f))
                    continue
                }
                out.postTradeRisk[bf] = f.value
            case .flattenAt:
                guard case let .dateTime(dt) = f.value else { continue }
                if dt.offset != nil {
                    out.postTradeRisk[.flattenTimestamp] = f.value
                } else if let zone = t.calendarName.flatMap({ rb.calendars[$0]?.timezone?.value }),
                          let o = offset(dt, zone) {
                    out.postTradeRisk[.flattenTimestamp] = .dateTime(LocalDateTime(date: dt.date, time: dt.time, offset: o))
                } else {
                    issues.append(BrokerIssue(construct: "flatten_at",
                        message: "`flatten_at \(dt)` has no UTC offset that rulec can resolve; the broker's flattenTimestamp needs one (write e.g. `\(dt)-06:00`)",
                        span: f.span, key: f.key))
                }
            default:
                guard let bf = PostTradeField(key: f.key) else { continue }
                out.postTradeRisk[bf] = f.value
            }
        }
        // rulec's default mode is end_of_day; the broker's is undocumented, so always send it.
        if out.postTradeRisk[.trailingMaxDrawdown] != nil, out.postTradeRisk[.trailingMaxDrawdownMode] == nil {
            out.postTradeRisk[.trailingMaxDrawdownMode] = .trailingMode(.endOfDay)
        }

        if let name = t.calendarName, let c = rb.calendars[name] {
            issues += calendarIssues(c)
        }
        if let name = t.riskCategoryName, let rc = rb.riskCategories[name] {
            out.riskCategory = BrokerRiskCategory(
                name: name,
                positionLimits: rc.limits.map { BrokerPositionLimit(productSymbol: $0.product.value, longLimit: $0.long, shortLimit: $0.short) },
                restrictedProducts: rc.restricted.map(\.value))
            for g in rc.groups {
                issues.append(BrokerIssue(construct: "max_group \(g.name.value)",
                    message: "risk category `\(name)`: `max_group \(g.name.value)` (a weighted group limit) has no broker field; the broker's position limits are per product and unweighted",
                    span: g.name.span))
            }
        }
        if let name = t.timePeriodName, let tp = rb.timePeriods[name], let start = tp.start, let stop = tp.stop {
            var period = BrokerRiskTimePeriod(name: name, startTime: dropSeconds(start.value), stopTime: dropSeconds(stop.value))
            for (label, time) in [("start", start), ("stop", stop)] where time.value.second != 0 {
                issues.append(secondsIssue(name, "\(label) \(time.value)", time.span))
            }
            for o in tp.overrides.sorted(by: { $0.date < $1.date }) {
                period.scheduledEdits.append(BrokerScheduledEdit(date: o.date, startTime: o.start.map(dropSeconds),
                                                                 stopTime: o.stop.map(dropSeconds)))
                for (label, time) in [("start", o.start), ("stop", o.stop)] {
                    if let time, time.second != 0 { issues.append(secondsIssue(name, "on \(o.date) \(label) \(time)", o.span)) }
                }
            }
            out.riskTimePeriod = period
        }
        return BrokerExportResult(template: out, issues: issues)
    }

    /// Every effective template, in name order.
    public static func exportAll(_ rb: CheckedRulebook, offset: OffsetProvider = { _, _ in nil }) -> [BrokerExportResult] {
        rb.effectiveTemplates.map { export($0, in: rb, offset: offset) }
    }

    static func dropSeconds(_ t: TimeOfDay) -> TimeOfDay { TimeOfDay(seconds: t.seconds - Int32(t.second)) }

    static func secondsIssue(_ period: String, _ setting: String, _ span: Span) -> BrokerIssue {
        BrokerIssue(construct: "time_period \(period): seconds",
                    message: "time period `\(period)`: `\(setting)` has seconds; the broker's TradeTime has hours and minutes only (the seconds are dropped)",
                    span: span)
    }

    static func thresholdIssue(_ tier: Tier, _ metric: Metric, _ percent: Bool, _ f: Field) -> BrokerIssue {
        let written = "\(tier) { \(metric) \(f.value) }"
        let why: String
        switch metric {
        case .margin:
            why = "the broker's margin tiers are percentages (marginPercentage*)"
        case .dailyLoss:
            why = "the broker has no such daily loss field"
        case .weeklyLoss, .dailyProfit, .weeklyProfit:
            let field = metric == .weeklyLoss ? "weeklyLossAutoLiq" : metric == .dailyProfit ? "dailyProfitAutoLiq" : "weeklyProfitAutoLiq"
            let words = metric.description.split(separator: "_").joined(separator: " ")
            if tier != .autoLiquidate && percent {
                why = "the broker has \(words) only as an auto-liquidation limit in dollars (\(field)), no \(tier) tier and no percent form"
            } else if tier != .autoLiquidate {
                why = "the broker has \(words) only as an auto-liquidation limit (\(field)), no \(tier) tier"
            } else {
                why = "the broker takes \(words) in dollars only (\(field)), not as a percent of the \(metric.isWeekly ? "week's" : "day's") starting balance"
            }
        }
        return BrokerIssue(construct: f.key.description, message: "`\(written)` has no broker field: \(why)",
                           span: f.span, key: f.key)
    }

    static func calendarIssues(_ c: CalendarDef) -> [BrokerIssue] {
        var issues: [BrokerIssue] = []
        let name = c.name.value
        func add(_ setting: String, _ written: String, _ broker: String, _ span: Span?) {
            issues.append(BrokerIssue(construct: "calendar \(name): \(setting)",
                message: "calendar `\(name)`: `\(setting) \(written)` differs from the broker's fixed \(broker); the broker has no field for it",
                span: span ?? c.name.span))
        }
        if let tz = c.timezone, tz.value != brokerZone { add("timezone", "\"\(tz.value)\"", "America/Chicago clock", tz.span) }
        let five = TimeOfDay(seconds: 17 * 3600), four = TimeOfDay(seconds: 16 * 3600)
        if c.effectiveTradingDayStarts != five { add("trading_day_starts", "\(c.effectiveTradingDayStarts)", "17:00 CT session open", c.tradingDayStarts?.span) }
        if c.effectiveWeekStartDay != .sunday || c.effectiveWeekStartTime != five {
            add("week_starts", "\(c.effectiveWeekStartDay) \(c.effectiveWeekStartTime)", "Sunday 17:00 CT week start",
                c.weekStartDay?.span ?? c.weekStartTime?.span)
        }
        if c.effectiveEndOfDay != four { add("end_of_day", "\(c.effectiveEndOfDay)", "16:00 CT end of day", c.endOfDay?.span) }
        return issues
    }
}
