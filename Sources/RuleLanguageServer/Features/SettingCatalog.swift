import RuleSyntax
import RuleSemantics

/// The block an item of the cursor sits in, as completion and hover tell them apart.
enum BlockKind: Sendable, Hashable {
    case topLevel, calendar, product, timePeriod, riskCategory, maxGroup, template, tier(Tier), trailingDrawdown
    case test, expect, other

    /// The block of the innermost item in `blocks` (outermost first).
    init(_ blocks: [Item], _ tree: SyntaxTree) {
        guard let inner = blocks.last else { self = .topLevel; return }
        let parent = blocks.count >= 2 ? tree.keyword(blocks[blocks.count - 2]) : nil
        switch tree.keyword(inner) {
        case .calendar where blocks.count == 1: self = .calendar
        case .product where blocks.count == 1: self = .product
        case .timePeriod where blocks.count == 1: self = .timePeriod
        case .riskCategory where blocks.count == 1: self = .riskCategory
        case .template where blocks.count == 1: self = .template
        case .test where blocks.count == 1: self = .test
        case .maxGroup where parent == .riskCategory: self = .maxGroup
        case .alert where parent == .template: self = .tier(.alert)
        case .liquidateOnly where parent == .template: self = .tier(.liquidateOnly)
        case .autoLiquidate where parent == .template: self = .tier(.autoLiquidate)
        case .trailingDrawdown where parent == .template: self = .trailingDrawdown
        case .expect where parent == .test: self = .expect
        default: self = .other
        }
    }
}

/// One setting a block accepts: what its values are and what it does, in a line.
struct SettingInfo: Sendable {
    var keyword: Keyword
    var shape: String
    var doc: String
}

/// The settings of every block, in the order the README documents them.
enum SettingCatalog {
    static func settings(_ block: BlockKind) -> [SettingInfo] {
        switch block {
        case .topLevel: return [
            .init(keyword: .import, shape: "\"path.rules\"", doc: "definitions of another rulebook file, relative to this one"),
            .init(keyword: .calendar, shape: "name { … }", doc: "an exchange calendar: zone and session clock"),
            .init(keyword: .product, shape: "SYMBOL { … }", doc: "a tradable product and its contract economics"),
            .init(keyword: .timePeriod, shape: "name { … }", doc: "a daily risk time period (flatten, reject orders)"),
            .init(keyword: .riskCategory, shape: "name { … }", doc: "position limits and restricted products"),
            .init(keyword: .template, shape: "name [extends parent] { … }", doc: "an account template"),
            .init(keyword: .test, shape: "\"name\" { … }", doc: "a rulebook test (`rulec test`)"),
        ]
        case .calendar: return [
            .init(keyword: .timezone, shape: "\"Area/City\"", doc: "IANA time zone of the sessions"),
            .init(keyword: .tradingDayStarts, shape: "time", doc: "session open; daily limits reset"),
            .init(keyword: .weekStarts, shape: "weekday time", doc: "weekly limits reset"),
            .init(keyword: .endOfDay, shape: "time", doc: "end-of-day trailing drawdown update (default 16:00)"),
            .init(keyword: .holiday, shape: "date", doc: "no session for this trade date"),
            .init(keyword: .earlyClose, shape: "date time", doc: "the exchange halts early that day"),
        ]
        case .product: return [
            .init(keyword: .description, shape: "\"text\"", doc: "what the product is"),
            .init(keyword: .pointValue, shape: "money", doc: "dollars per 1.00 price move"),
            .init(keyword: .tick, shape: "number", doc: "minimum price increment"),
            .init(keyword: .dayMargin, shape: "money", doc: "intraday margin per contract"),
            .init(keyword: .overnightMargin, shape: "money", doc: "margin per contract inside the risk time period"),
        ]
        case .timePeriod: return [
            .init(keyword: .start, shape: "time", doc: "flatten and reject new orders from here"),
            .init(keyword: .stop, shape: "time", doc: "trading allowed again"),
            .init(keyword: .on, shape: "date start|stop time", doc: "a holiday override for one date"),
        ]
        case .riskCategory: return [
            .init(keyword: .maxPosition, shape: "PRODUCT count", doc: "contracts long and short"),
            .init(keyword: .maxLong, shape: "PRODUCT count", doc: "contracts long"),
            .init(keyword: .maxShort, shape: "PRODUCT count", doc: "contracts short"),
            .init(keyword: .maxGroup, shape: "name count { PRODUCT weight … }", doc: "a weighted limit over several products"),
            .init(keyword: .restrict, shape: "PRODUCT, …", doc: "products that may not be traded"),
        ]
        case .template: return [
            .init(keyword: .calendar, shape: "calendar", doc: "the exchange calendar of the account"),
            .init(keyword: .timePeriod, shape: "time period", doc: "the risk time period"),
            .init(keyword: .riskCategory, shape: "risk category", doc: "position limits"),
            .init(keyword: .startingBalance, shape: "money", doc: "the account's starting balance"),
            .init(keyword: .alert, shape: "{ … }", doc: "thresholds that notify"),
            .init(keyword: .liquidateOnly, shape: "{ … }", doc: "thresholds that restrict to reducing orders"),
            .init(keyword: .autoLiquidate, shape: "{ … }", doc: "thresholds that flatten and lock"),
            .init(keyword: .trailingDrawdown, shape: "money [{ … }]", doc: "the trailing maximum drawdown"),
            .init(keyword: .flattenAt, shape: "date-time", doc: "a one-time flatten"),
            .init(keyword: .doNotUnlock, shape: "", doc: "an auto-liquidation lock needs an admin to unlock"),
        ]
        case .tier: return [
            .init(keyword: .dailyLoss, shape: "money or percent", doc: "loss since the trading day's start (percent of its starting balance)"),
            .init(keyword: .weeklyLoss, shape: "money or percent", doc: "loss since the week's start (percent of its starting balance)"),
            .init(keyword: .dailyProfit, shape: "money or percent", doc: "profit since the trading day's start"),
            .init(keyword: .weeklyProfit, shape: "money or percent", doc: "profit since the week's start"),
            .init(keyword: .margin, shape: "percent", doc: "margin in use, percent of net liquidation value"),
        ]
        case .trailingDrawdown: return [
            .init(keyword: .mode, shape: "end_of_day|real_time", doc: "when the trailing level moves up (default end_of_day)"),
            .init(keyword: .stopTrailingAt, shape: "money", doc: "the level stops trailing here"),
        ]
        case .test: return [
            .init(keyword: .template, shape: "template", doc: "the template under test"),
            .init(keyword: .start, shape: "date-time", doc: "the starting instant"),
            .init(keyword: .balance, shape: "money", doc: "starting balance (default: the template's)"),
            .init(keyword: .dayStart, shape: "money", doc: "the trading day's starting balance"),
            .init(keyword: .weekStart, shape: "money", doc: "the week's starting balance"),
            .init(keyword: .highWaterMark, shape: "money", doc: "the high-water mark"),
            .init(keyword: .commission, shape: "money", doc: "commission per contract"),
            .init(keyword: .position, shape: "PRODUCT long|short count at price", doc: "a position at the start"),
            .init(keyword: .working, shape: "id type PRODUCT side count", doc: "an order working at the start"),
            .init(keyword: .at, shape: "time event", doc: "an event"),
            .init(keyword: .expect, shape: "{ … }", doc: "what must hold after the event before"),
        ]
        case .expect: return [
            .init(keyword: .mode, shape: "normal|liquidate_only|locked", doc: "the account's mode"),
            .init(keyword: .liquidated, shape: "PRODUCT count", doc: "contracts liquidated"),
            .init(keyword: .flattened, shape: "cause", doc: "the account was flattened"),
            .init(keyword: .order, shape: "accepted|rejected", doc: "the order's fate"),
            .init(keyword: .unlocks, shape: "time|never|manual", doc: "when the lock ends"),
            .init(keyword: .balance, shape: "money", doc: "the balance"),
            .init(keyword: .netLiq, shape: "money", doc: "net liquidation value"),
            .init(keyword: .position, shape: "PRODUCT long|short count|flat", doc: "a position"),
        ]
        case .maxGroup, .other: return []
        }
    }

    /// Keyword values a setting takes at a value position.
    static func keywordValues(_ setting: Keyword, in block: BlockKind) -> [Keyword] {
        switch (block, setting) {
        case (.trailingDrawdown, .mode): return [.endOfDay, .realTime]
        case (.calendar, .weekStarts): return [.sunday, .monday, .tuesday, .wednesday, .thursday, .friday, .saturday]
        case (.expect, .mode): return [.normal, .liquidateOnly, .locked]
        default: return []
        }
    }

    /// The kind of name a setting's value at `index` refers to.
    static func reference(_ setting: Keyword, in block: BlockKind, index: Int, previous: Keyword?) -> SymbolKind? {
        switch (block, setting) {
        case (.template, .calendar) where index == 0: return .calendar
        case (.template, .timePeriod) where index == 0: return .timePeriod
        case (.template, .riskCategory) where index == 0: return .riskCategory
        case (.topLevel, .template) where previous == .extends: return .template
        case (.riskCategory, .maxPosition), (.riskCategory, .maxLong), (.riskCategory, .maxShort): return index == 0 ? .product : nil
        case (.riskCategory, .restrict): return .product
        case (.test, .template) where index == 0: return .template
        case (.test, .position) where index == 0: return .product
        case (.test, .at) where previous == .fill || previous == .mark: return .product
        case (.test, .at) where previous == .switchCategory: return .riskCategory
        case (.expect, .position) where index == 0, (.expect, .liquidated) where index == 0: return .product
        default: return nil
        }
    }

    /// Units that may follow a number in a setting.
    static func units(_ setting: Keyword?, in block: BlockKind) -> [String] {
        switch (block, setting) {
        case (.tier, .margin?): return ["%"]
        case (.tier, _): return ["USD", "%"]
        case (.riskCategory, _), (.maxGroup, _): return ["contracts"]
        case (.product, .tick?): return []
        case (.template, _), (.product, _), (.trailingDrawdown, _), (.test, _), (.expect, _): return ["USD"]
        default: return ["USD", "%", "contracts"]
        }
    }
}
