import RuleBase
import RuleSyntax

/// Top-level declarations and where each kind of setting belongs, for "misplaced" messages.
let topLevelKeywords: [Keyword] = [.import, .calendar, .product, .timePeriod, .riskCategory, .template, .test]
let blockSettings: [(block: String, keywords: [Keyword])] = [
    ("calendar", [.timezone, .tradingDayStarts, .weekStarts, .endOfDay, .holiday, .earlyClose]),
    ("product", [.description, .pointValue, .tick, .dayMargin, .overnightMargin]),
    ("time_period", [.start, .stop, .on]),
    ("risk_category", [.maxPosition, .maxLong, .maxShort, .maxGroup, .restrict]),
    ("template", [.calendar, .timePeriod, .riskCategory, .startingBalance, .alert, .liquidateOnly,
                  .autoLiquidate, .trailingDrawdown, .flattenAt, .doNotUnlock,
                  .objectives, .scalingPlan, .newsWindows, .flatBy, .maxPositionLoss, .payout]),
    ("alert`, `liquidate_only` or `auto_liquidate", [.dailyLoss, .weeklyLoss, .dailyProfit, .weeklyProfit, .margin]),
    ("trailing_drawdown", [.mode, .stopTrailingAt]),
    ("test", testSettingKeywords),
    ("expect", expectKeywords),
    ("objectives", objectiveKeywords),
    ("scaling_plan", scalingPlanKeywords),
    ("news_windows", newsWindowKeywords),
    ("payout", payoutKeywords),
]

extension CheckerState {
    /// Reports an item that is not a setting of `block`, suggesting the closest valid name or
    /// the block it belongs to.
    mutating func unknownSetting(_ tree: SyntaxTree, _ item: Item, in block: String, allowed: [Keyword]) {
        let word = tree.word(item.name)
        let span = tree.span(item.name)
        let kw = tree[item.name].keyword
        if kw != .none, let home = blockSettings.first(where: { $0.keywords.contains(kw) && $0.block != block }) {
            let where_ = topLevelKeywords.contains(kw) ? "the top level" : "`\(home.block)`"
            report(.misplacedItem, "`\(word)` is not a setting of `\(block)`", at: span,
                   label: "misplaced", help: "`\(word)` belongs in \(where_)")
            return
        }
        if kw != .none, topLevelKeywords.contains(kw), block != "the top level" {
            report(.misplacedItem, "`\(word)` is a declaration and belongs at the top level", at: span, label: "misplaced")
            return
        }
        let names = allowed.map(\.text)
        let guess = suggestion(word, names)
        report(.unknownSetting, "unknown setting `\(word)` in \(block == "the top level" ? "the top level" : "`\(block)`")",
               at: span, label: "not a setting here",
               help: guess.map { "did you mean `\($0)`?" } ?? "settings here: " + names.map { "`\($0)`" }.joined(separator: ", "))
    }

    /// The declared name (first value) of a declaration item, reported if missing or a keyword.
    mutating func declaredName(_ tree: SyntaxTree, _ item: Item, kind: String, allowString: Bool = false) -> Located<String>? {
        guard let v = item.values.first else {
            report(.missingName, "`\(kind)` needs a name", at: tree.span(item.name), label: "name missing",
                   help: "write `\(kind) my_name { ... }`")
            return nil
        }
        let t = tree[v]
        if t.kind == .keyword {
            report(.keywordAsName, "`\(tree.text(v))` is a keyword and cannot name a \(kind)", at: tree.span(v),
                   label: "reserved word", help: "choose another name, e.g. `\(tree.text(v))_1`")
            return nil
        }
        guard t.kind == .identifier || (allowString && t.kind == .string) else {
            if t.kind != .invalid {
                report(.missingName, "`\(kind)` needs a name, found \(t.kind.humanName)", at: tree.span(v),
                       help: "write `\(kind) my_name { ... }`")
            }
            return nil
        }
        return Located(tree.word(v), tree.span(v))
    }

    /// Records `span` as the first occurrence of `key` in a block; reports a second one.
    mutating func once(_ seen: inout SeenSet, _ key: String, _ span: Span, _ what: @autoclosure () -> String) -> Bool {
        once(&seen, SeenSet.Key(code: SeenSet.textCode, text: key), span, what())
    }

    /// The same for a setting identified by its keyword.
    mutating func once(_ seen: inout SeenSet, code: Keyword, _ span: Span, _ what: @autoclosure () -> String) -> Bool {
        once(&seen, SeenSet.Key(code: UInt64(code.rawValue)), span, what())
    }

    /// The same for a setting identified by a number (e.g. a threshold's tier, metric and unit).
    mutating func once(_ seen: inout SeenSet, code: UInt64, _ span: Span, _ what: @autoclosure () -> String) -> Bool {
        once(&seen, SeenSet.Key(code: code), span, what())
    }

    mutating func once(_ seen: inout SeenSet, _ key: SeenSet.Key, _ span: Span,
                       _ what: @autoclosure () -> String) -> Bool {
        if let first = seen.first(key) {
            report(.duplicateSetting, "\(what()) is set twice", at: span, label: "second setting",
                   secondary: [Label(first, "first set here")], help: "remove one of them")
            return false
        }
        seen.insert(key, span)
        return true
    }

    /// True when `name` is new; otherwise reports the duplicate against the first definition.
    mutating func isNew(_ name: Located<String>, existing: Span?, kind: String) -> Bool {
        guard let first = existing else { return true }
        report(.duplicateDefinition, "\(kind) `\(name.value)` is defined twice", at: name.span,
               label: "second definition", secondary: [Label(first, "first defined here")],
               help: "rename one of them or remove the duplicate")
        return false
    }

    mutating func collectDeclarations() {
        // Room for every declaration up front, so no table grows (and rehashes) on the way.
        var counts = [Int](repeating: 0, count: Keyword.allCases.count)
        for tree in model.trees {
            for item in tree.items { counts[Int(tree[item.name].keyword.rawValue)] += 1 }
        }
        model.calendars.reserveCapacity(model.calendars.count + counts[Int(Keyword.calendar.rawValue)])
        model.products.reserveCapacity(model.products.count + counts[Int(Keyword.product.rawValue)])
        model.timePeriods.reserveCapacity(model.timePeriods.count + counts[Int(Keyword.timePeriod.rawValue)])
        model.riskCategories.reserveCapacity(model.riskCategories.count + counts[Int(Keyword.riskCategory.rawValue)])
        model.templates.reserveCapacity(model.templates.count + counts[Int(Keyword.template.rawValue)])
        for tree in model.trees {
            for item in tree.items {
                let kw = tree[item.name].keyword
                switch kw {
                case .import, .test: continue // tests are checked once templates are resolved
                case .calendar:
                    if let c = checkCalendar(tree, item) {
                        let first = claim(&model.calendars[c.name.value], c) { $0.name.span }
                        _ = isNew(c.name, existing: first, kind: "calendar")
                    }
                case .product:
                    if let p = checkProduct(tree, item) {
                        let first = claim(&model.products[p.symbol.value], p) { $0.symbol.span }
                        _ = isNew(p.symbol, existing: first, kind: "product")
                    }
                case .timePeriod:
                    if let t = checkTimePeriod(tree, item) {
                        let first = claim(&model.timePeriods[t.name.value], t) { $0.name.span }
                        _ = isNew(t.name, existing: first, kind: "time period")
                    }
                case .riskCategory:
                    if let r = checkRiskCategory(tree, item) {
                        let first = claim(&model.riskCategories[r.name.value], r) { $0.name.span }
                        _ = isNew(r.name, existing: first, kind: "risk category")
                    }
                case .template:
                    if let t = checkTemplate(tree, item) {
                        let first = claim(&model.templates[t.name.value], t) { $0.name.span }
                        _ = isNew(t.name, existing: first, kind: "template")
                    }
                default:
                    unknownSetting(tree, item, in: "the top level", allowed: topLevelKeywords)
                }
            }
        }
        checkCategoryProducts()
    }

    /// Whether a required `setting` is truly missing from the declaration: not when the block
    /// itself is missing, nor when the setting is written with a value already reported.
    func needsReport(_ tree: SyntaxTree, _ item: Item, _ setting: Keyword) -> Bool {
        guard let block = item.block else { return false }
        return !block.items.contains { tree[$0.name].keyword == setting }
    }

    /// The declaration's block, or a report that it is missing.
    mutating func requireBlock(_ tree: SyntaxTree, _ item: Item, _ kind: String) -> Block? {
        guard let b = item.block else {
            report(.missingBlock, "`\(kind)` needs a `{ ... }` block", at: tree.headerSpan(of: item),
                   label: "no block", help: "open the block on this line: `\(kind) name {`")
            return nil
        }
        return b
    }

    mutating func checkCalendar(_ tree: SyntaxTree, _ item: Item) -> CalendarDef? {
        guard let name = declaredName(tree, item, kind: "calendar") else { return nil }
        if item.values.count > 1 { _ = values(tree, item, .name, setting: "calendar") }
        var cal = CalendarDef(name: name)
        var seen = SeenSet()
        for s in requireBlock(tree, item, "calendar")?.items ?? [] {
            let kw = tree[s.name].keyword
            let setting = tree.settingName(s)
            let span = tree.span(of: s)
            noBlock(tree, s, setting)
            switch kw {
            case .timezone:
                guard let v = values(tree, s, .string, setting: setting), once(&seen, code: kw, span, "`timezone`") else { continue }
                let zone = tree.stringValue(v[0])
                if !options.isKnownTimeZone(zone) {
                    report(.unknownTimeZone, "unknown time zone `\(zone)`", at: tree.span(v[0]),
                           label: "not in the tz database", help: "use an IANA name such as `America/Chicago`")
                }
                cal.timezone = Located(zone, tree.span(v[0]))
            case .tradingDayStarts, .endOfDay:
                guard let v = values(tree, s, .time, setting: setting), once(&seen, code: kw, span, "`\(setting)`") else { continue }
                let t = Located(tree[v[0]].timeOfDay, tree.span(v[0]))
                if kw == .tradingDayStarts { cal.tradingDayStarts = t } else { cal.endOfDay = t }
            case .weekStarts:
                guard let v = values(tree, s, .weekday, .time, setting: setting), once(&seen, code: kw, span, "`week_starts`") else { continue }
                cal.weekStartDay = Located(Weekday(rawValue: Int(tree[v[0]].keyword.rawValue - Keyword.sunday.rawValue)) ?? .sunday, tree.span(v[0]))
                cal.weekStartTime = Located(tree[v[1]].timeOfDay, tree.span(v[1]))
            case .holiday:
                guard let v = values(tree, s, .date, setting: setting) else { continue }
                let d = tree[v[0]].date
                guard once(&seen, SeenSet.Key(code: SeenSet.holidayCode, value: d.daysSinceEpoch), span, "holiday `\(d)`") else { continue }
                cal.holidays.append(Located(d, tree.span(v[0])))
            case .earlyClose:
                guard let v = values(tree, s, .date, .time, setting: setting) else { continue }
                let d = tree[v[0]].date
                guard once(&seen, SeenSet.Key(code: SeenSet.earlyCloseCode, value: d.daysSinceEpoch), span, "early close on `\(d)`") else { continue }
                cal.earlyCloses.append(.init(date: d, time: tree[v[1]].timeOfDay, span: span))
            default:
                unknownSetting(tree, s, in: "calendar", allowed: blockSettings[0].keywords)
            }
        }
        if cal.timezone == nil, needsReport(tree, item, .timezone) {
            report(.missingRequiredSetting, "calendar `\(name.value)` has no `timezone`", at: name.span,
                   label: "needs a time zone", help: "add `timezone \"America/Chicago\"` to the block")
        }
        return cal
    }

    mutating func checkProduct(_ tree: SyntaxTree, _ item: Item) -> ProductDef? {
        guard let symbol = declaredName(tree, item, kind: "product", allowString: true) else { return nil }
        if item.values.count > 1 { _ = values(tree, item, .productRef, setting: "product") }
        var p = ProductDef(symbol: symbol)
        var seen = SeenSet()
        for s in requireBlock(tree, item, "product")?.items ?? [] {
            let kw = tree[s.name].keyword
            let setting = tree.settingName(s)
            let span = tree.span(of: s)
            noBlock(tree, s, setting)
            switch kw {
            case .description:
                guard let v = values(tree, s, .string, setting: setting), once(&seen, code: kw, span, "`description`") else { continue }
                p.description = tree.stringValue(v[0])
            case .pointValue, .dayMargin, .overnightMargin:
                guard let v = values(tree, s, .money, setting: setting), once(&seen, code: kw, span, "`\(setting)`") else { continue }
                let m = tree[v[0]].money
                guard positive(m, tree.span(v[0]), "`\(setting)`") else { continue }
                let loc = Located(m, tree.span(v[0]))
                switch kw {
                case .pointValue: p.pointValue = loc
                case .dayMargin: p.dayMargin = loc
                default: p.overnightMargin = loc
                }
            case .tick:
                guard let v = values(tree, s, .number, setting: setting), once(&seen, code: kw, span, "`tick`") else { continue }
                let d = tree[v[0]].decimal.canonical
                guard d.mantissa > 0 else {
                    report(.nonPositiveLimit, "`tick` must be greater than zero", at: tree.span(v[0]))
                    continue
                }
                p.tick = Located(d, tree.span(v[0]))
            default:
                unknownSetting(tree, s, in: "product", allowed: blockSettings[1].keywords)
            }
        }
        if p.pointValue == nil, needsReport(tree, item, .pointValue) {
            report(.missingRequiredSetting, "product `\(symbol.value)` has no `point_value`", at: symbol.span,
                   label: "needs a point value", help: "add e.g. `point_value 50 USD` (dollars per 1.00 price move)")
        }
        return p
    }

    mutating func checkTimePeriod(_ tree: SyntaxTree, _ item: Item) -> TimePeriodDef? {
        guard let name = declaredName(tree, item, kind: "time_period") else { return nil }
        if item.values.count > 1 { _ = values(tree, item, .name, setting: "time_period") }
        var tp = TimePeriodDef(name: name)
        var seen = SeenSet()
        for s in requireBlock(tree, item, "time_period")?.items ?? [] {
            let kw = tree[s.name].keyword
            let setting = tree.settingName(s)
            let span = tree.span(of: s)
            noBlock(tree, s, setting)
            switch kw {
            case .start, .stop:
                guard let v = values(tree, s, .time, setting: setting), once(&seen, code: kw, span, "`\(setting)`") else { continue }
                let t = Located(tree[v[0]].timeOfDay, tree.span(v[0]))
                if kw == .start { tp.start = t } else { tp.stop = t }
            case .on:
                let help = "write `on 2026-11-26 start 12:00` (optionally followed by `stop 17:00`)"
                guard let v = s.values.count >= 5
                        ? values(tree, s, [.date, .word(.start), .time, .word(.stop), .time], setting: setting, help: help)
                        : values(tree, s, .date, .oneOf(.start, .stop), .time, setting: setting, help: help) else { continue }
                let d = tree[v[0]].date
                guard once(&seen, SeenSet.Key(code: SeenSet.overrideCode, value: d.daysSinceEpoch), span, "the override for `\(d)`") else { continue }
                var o = TimePeriodDef.Override(date: d, start: nil, stop: nil, span: span)
                if tree[v[1]].keyword == .start { o.start = tree[v[2]].timeOfDay } else { o.stop = tree[v[2]].timeOfDay }
                if v.count == 5 { o.stop = tree[v[4]].timeOfDay }
                tp.overrides.append(o)
            default:
                unknownSetting(tree, s, in: "time_period", allowed: blockSettings[2].keywords)
            }
        }
        for (missing, absent) in [(Keyword.start, tp.start == nil), (.stop, tp.stop == nil)]
        where absent && needsReport(tree, item, missing) {
            report(.missingRequiredSetting, "time period `\(name.value)` has no `\(missing)`", at: name.span,
                   label: "needs a \(missing) time", help: "add `\(missing) \(missing == .start ? "16:00" : "17:00")`")
        }
        return tp
    }
}

/// Stores `def` in an empty table slot (one hash lookup); otherwise returns the span of the
/// definition already there.
@inline(__always)
private func claim<T>(_ slot: inout T?, _ def: T, _ span: (T) -> Span) -> Span? {
    if let old = slot { return span(old) }
    slot = def
    return nil
}

/// The settings already seen in one block, by a numeric code (keyword or threshold), a code
/// and a number (a date), or a code and a name. Blocks hold a few dozen settings at most, so a
/// linear scan beats hashing.
struct SeenSet {
    struct Key {
        var code: UInt64
        var value: Int64 = 0
        var text: String = ""
    }
    /// Codes of the keyed kinds, above every keyword and threshold code.
    static let textCode = UInt64.max
    static let holidayCode = UInt64.max - 1, earlyCloseCode = UInt64.max - 2, overrideCode = UInt64.max - 3
    static let longCode = UInt64.max - 4, shortCode = UInt64.max - 5, restrictCode = UInt64.max - 6
    static let groupCode = UInt64.max - 7
    static let tierCode = UInt64.max - 8, payoutCode = UInt64.max - 9

    private var keys: [Key] = []
    private var spans: [Span] = []

    func first(_ key: Key) -> Span? {
        for i in keys.indices where keys[i].code == key.code && keys[i].value == key.value && keys[i].text == key.text {
            return spans[i]
        }
        return nil
    }

    mutating func insert(_ key: Key, _ span: Span) {
        if keys.isEmpty {
            keys.reserveCapacity(16)
            spans.reserveCapacity(16)
        }
        keys.append(key)
        spans.append(span)
    }
}
