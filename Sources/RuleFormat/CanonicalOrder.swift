import RuleBase
import RuleSyntax

/// Which kind of block a list of items sits in, decided from the names of the items around
/// it. The formatter reorders settings only where grammar.ebnf says order has no meaning.
enum BlockContext: Sendable, Hashable {
    case top, template, tier, trailing, calendar, product, timePeriod, riskCategory, other

    /// The context of the block opened by an item named `name` inside this context.
    func child(_ name: Keyword) -> BlockContext {
        switch self {
        case .top:
            switch name {
            case .template: return .template
            case .calendar: return .calendar
            case .product: return .product
            case .timePeriod: return .timePeriod
            case .riskCategory: return .riskCategory
            default: return .other
            }
        case .template:
            switch name {
            case .alert, .liquidateOnly, .autoLiquidate: return .tier
            case .trailingDrawdown: return .trailing
            default: return .other
            }
        default: return .other
        }
    }

    /// Whether the order of items in this block carries no meaning (the formatter sorts them).
    /// The top level keeps declaration order; risk categories keep their limits' order; tier
    /// blocks keep theirs because, within a tier, the first breached threshold in written
    /// order is the one a decision names (the rule graph's decision order).
    var isUnordered: Bool {
        switch self {
        case .template, .trailing, .calendar, .product, .timePeriod: return true
        case .top, .tier, .riskCategory, .other: return false
        }
    }

    /// Canonical rank of a setting; unknown settings rank after every known one and keep their
    /// relative order.
    func rank(_ name: Keyword, firstValue: TokenKind?) -> Int {
        let unknown = 1_000
        func position(_ order: [Keyword]) -> Int { order.firstIndex(of: name) ?? unknown }
        switch self {
        case .template:
            return position([.calendar, .timePeriod, .riskCategory, .startingBalance, .alert, .liquidateOnly,
                             .autoLiquidate, .trailingDrawdown, .flattenAt, .doNotUnlock,
                             // firm rules (issue 13), in FirmKey order
                             .objectives, .scalingPlan, .newsWindows, .flatBy, .maxPositionLoss, .payout])
        case .tier:
            let metric = position([.dailyLoss, .weeklyLoss, .dailyProfit, .weeklyProfit, .margin])
            guard metric != unknown else { return unknown }
            // USD before percent for the same metric.
            let unit = firstValue == .money ? 0 : firstValue == .percent ? 1 : 2
            return metric * 3 + unit
        case .trailing: return position([.mode, .stopTrailingAt])
        case .calendar:
            // Holidays and early closes form one list in date order, as on an exchange's
            // holiday calendar.
            if name == .earlyClose { return 4 }
            return position([.timezone, .tradingDayStarts, .weekStarts, .endOfDay, .holiday])
        case .product: return position([.description, .pointValue, .tick, .dayMargin, .overnightMargin])
        case .timePeriod: return position([.start, .stop, .on])
        case .top, .riskCategory, .other: return 0
        }
    }

    /// Settings that list dates (`on`, and `holiday` with `early_close`) sort by their date.
    func sortsByDate(_ name: Keyword) -> Bool {
        switch (self, name) {
        case (.timePeriod, .on), (.calendar, .holiday), (.calendar, .earlyClose): return true
        default: return false
        }
    }
}

extension SyntaxTree {
    /// The keyword an item is named by, or `.none` for names and strings.
    func nameKeyword(_ item: Item) -> Keyword {
        let t = self[item.name]
        return t.kind == .keyword ? t.keyword : .none
    }

    /// The canonical position of each item of a block: indices into `items`, sorted by rank,
    /// then by date where dates order a list, then by source order (a stable sort).
    func canonicalOrder(_ items: [Item], in context: BlockContext) -> [Int] {
        guard context.isUnordered else { return Array(items.indices) }
        let keys: [(rank: Int, date: Int64, index: Int)] = items.enumerated().map { index, item in
            let name = nameKeyword(item)
            let first = item.values.first.map { self[$0] }
            let rank = context.rank(name, firstValue: first?.kind)
            var date = Int64.max
            if context.sortsByDate(name), let first, first.kind == .date { date = first.payload }
            return (rank, date, index)
        }
        return keys.sorted { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            if a.date != b.date { return a.date < b.date }
            return a.index < b.index
        }.map(\.index)
    }
}
