import RuleBase
import RuleSyntax

extension CheckerState {
    mutating func checkRiskCategory(_ tree: SyntaxTree, _ item: Item) -> RiskCategoryDef? {
        guard let name = declaredName(tree, item, kind: "risk_category") else { return nil }
        if item.values.count > 1 { _ = values(tree, item, .name, setting: "risk_category") }
        var rc = RiskCategoryDef(name: name)
        var seen = SeenSet()
        for s in requireBlock(tree, item, "risk_category")?.items ?? [] {
            let kw = tree[s.name].keyword
            let setting = tree.settingName(s)
            let span = tree.span(of: s)
            switch kw {
            case .maxPosition, .maxLong, .maxShort:
                noBlock(tree, s, setting)
                guard let v = values(tree, s, .productRef, .count, setting: setting,
                                     help: "write `\(setting) ES 5`") else { continue }
                let product = Located(tree.word(v[0]), tree.span(v[0]))
                let n = tree[v[1]].payload
                // `max_short NG 0`: no short position may be opened (long-only); both sides at 0
                // is a restriction, written `restrict`.
                guard n > 0 || kw != .maxPosition else {
                    report(.nonPositiveLimit, "`\(setting)` must be at least 1 contract, found `\(n)`", at: tree.span(v[1]),
                           help: "to forbid a product, write `restrict \(product.value)`; for one side, `max_long \(product.value) 0` or `max_short \(product.value) 0`")
                    continue
                }
                let longKey = SeenSet.Key(code: SeenSet.longCode, text: product.value)
                let shortKey = SeenSet.Key(code: SeenSet.shortCode, text: product.value)
                // A `max_position` repeating a line that set both sides is one duplicate, not two.
                if kw == .maxPosition, let l = seen.first(longKey), l == seen.first(shortKey) {
                    report(.duplicateSetting, "the position limit of `\(product.value)` is set twice", at: span, label: "second setting",
                           secondary: [Label(l, "first set here")], help: "remove one of them")
                    continue
                }
                var fresh = true
                if kw != .maxShort, !once(&seen, longKey, span,
                                          "the long limit of `\(product.value)`") { fresh = false }
                if kw != .maxLong, !once(&seen, shortKey, span,
                                         "the short limit of `\(product.value)`") { fresh = false }
                guard fresh else { continue }
                if let k = rc.limits.firstIndex(where: { $0.product.value == product.value }) {
                    if kw != .maxShort { rc.limits[k].long = n; rc.limits[k].longSpan = span }
                    if kw != .maxLong { rc.limits[k].short = n; rc.limits[k].shortSpan = span }
                } else {
                    rc.limits.append(PositionLimit(product: product, long: kw == .maxShort ? nil : n,
                                                   short: kw == .maxLong ? nil : n, span: span))
                }
            case .restrict:
                noBlock(tree, s, setting)
                if s.values.isEmpty {
                    report(.missingValue, "`restrict` needs at least one product", at: tree.span(s.name),
                           help: "write `restrict CL, NG`")
                    continue
                }
                let allProducts = s.values.allSatisfy { Shape.productRef.accepts(tree[$0]) }
                guard let v = allProducts ? s.values
                        : values(tree, s, Array(repeating: .productRef, count: s.values.count), setting: setting) else { continue }
                for p in v {
                    let sym = tree.word(p)
                    guard once(&seen, SeenSet.Key(code: SeenSet.restrictCode, text: sym), tree.span(p), "the restriction of `\(sym)`") else { continue }
                    rc.restricted.append(Located(sym, tree.span(p)))
                }
            case .maxGroup:
                guard let v = values(tree, s, .name, .count, setting: setting,
                                     help: "write `max_group equity_index 5 { ES 1; MES 0.1 }`") else { continue }
                let gname = Located(tree.word(v[0]), tree.span(v[0]))
                guard once(&seen, SeenSet.Key(code: SeenSet.groupCode, text: gname.value), span, "group `\(gname.value)`") else { continue }
                var group = GroupLimit(name: gname, limit: Located(tree[v[1]].payload, tree.span(v[1])), members: [])
                guard let block = requireBlock(tree, s, "max_group") else { continue }
                var members = SeenSet()
                for m in block.items {
                    noBlock(tree, m, "group member")
                    let t = tree[m.name]
                    guard t.kind == .identifier || t.kind == .string else {
                        report(.wrongType, "a group member starts with a product symbol, found \(describe(t, tree, m.name))",
                               at: tree.span(m.name), help: "write `MES 0.1`")
                        continue
                    }
                    let sym = tree.word(m.name)
                    guard let w = values(tree, m, .number, setting: sym, help: "write `\(sym) 1` (its weight in group units)") else { continue }
                    let weight = tree[w[0]].decimal.canonical
                    guard weight.mantissa > 0 else {
                        report(.invalidWeight, "the weight of `\(sym)` must be greater than zero", at: tree.span(w[0]),
                               label: "not a positive weight",
                               help: "a weight counts group units per contract, e.g. `\(sym) 0.1`; to leave a product out, remove its line")
                        continue
                    }
                    guard once(&members, sym, tree.span(of: m), "member `\(sym)`") else { continue }
                    group.members.append(.init(product: Located(sym, tree.span(m.name)), weight: weight))
                }
                if group.limit.value <= 0 {
                    report(.nonPositiveLimit, "group limit must be at least 1", at: group.limit.span)
                }
                rc.groups.append(group)
            default:
                unknownSetting(tree, s, in: "risk_category", allowed: blockSettings[3].keywords)
            }
        }
        return rc
    }

    /// Every product a category names must be defined.
    mutating func checkCategoryProducts() {
        // The candidates for "did you mean" are built on the first miss only.
        var known: [String]?
        for name in model.riskCategories.keys.sorted() {
            guard let rc = model.riskCategories[name] else { continue }
            func check(_ p: Located<String>) {
                guard model.products.index(forKey: p.value) == nil else { return }
                if known == nil { known = Array(model.products.keys) }
                report(.unknownProduct, "unknown product `\(p.value)`", at: p.span, label: "not defined",
                       help: suggestion(p.value, known ?? []).map { "did you mean `\($0)`?" }
                           ?? "define it with `product \(p.value) { point_value ... }` or import a catalog")
            }
            // Limits, then restrictions, then group members, as written in each list.
            for l in rc.limits { check(l.product) }
            for r in rc.restricted { check(r) }
            for g in rc.groups { for m in g.members { check(m.product) } }
        }
    }

    mutating func checkTemplate(_ tree: SyntaxTree, _ item: Item) -> TemplateDef? {
        guard let name = declaredName(tree, item, kind: "template") else { return nil }
        var parent: Located<String>?
        if item.values.count > 1 {
            if let v = values(tree, item, .name, .word(.extends), .name, setting: "template",
                              help: "write `template \(name.value) extends base { ... }`") {
                parent = Located(tree.word(v[2]), tree.span(v[2]))
            }
        }
        var out = FieldList(origin: name.value)
        var seen = SeenSet()
        for s in requireBlock(tree, item, "template")?.items ?? [] {
            let kw = tree[s.name].keyword
            let setting = tree.settingName(s)
            let span = tree.span(of: s)
            let header = tree.headerSpan(of: s)
            switch kw {
            case .calendar, .timePeriod, .riskCategory:
                noBlock(tree, s, setting)
                guard let v = values(tree, s, .name, setting: setting), once(&seen, code: kw, span, "`\(setting)`") else { continue }
                let key: FieldKey = kw == .calendar ? .calendar : kw == .timePeriod ? .timePeriod : .riskCategory
                out.add(key, .name(tree.word(v[0])), span, tree.span(v[0]))
            case .startingBalance:
                noBlock(tree, s, setting)
                guard let v = values(tree, s, .money, setting: setting), once(&seen, code: kw, span, "`starting_balance`") else { continue }
                guard positive(tree[v[0]].money, tree.span(v[0]), "`starting_balance`") else { continue }
                out.add(.startingBalance, .money(tree[v[0]].money), span, tree.span(v[0]))
            case .alert, .liquidateOnly, .autoLiquidate:
                let tier: Tier = kw == .alert ? .alert : kw == .liquidateOnly ? .liquidateOnly : .autoLiquidate
                _ = values(tree, s, setting: setting)
                guard once(&seen, code: kw, header, "the `\(setting)` block") else { continue }
                for t in requireBlock(tree, s, setting)?.items ?? [] {
                    checkThreshold(tree, t, tier: tier, seen: &seen, into: &out)
                }
            case .trailingDrawdown:
                guard let v = values(tree, s, .money, setting: setting, help: "write `trailing_drawdown 2_500 USD`"),
                      once(&seen, code: kw, header, "`trailing_drawdown`") else { continue }
                let amount = tree[v[0]].money
                if positive(amount, tree.span(v[0]), "`trailing_drawdown`") {
                    out.add(.trailingAmount, .money(amount), header, tree.span(v[0]))
                }
                for t in s.block?.items ?? [] {
                    let tk = tree[t.name].keyword
                    let tname = tree.settingName(t)
                    let tspan = tree.span(of: t)
                    noBlock(tree, t, tname)
                    switch tk {
                    case .mode:
                        guard let m = values(tree, t, .oneOf(.endOfDay, .realTime), setting: "mode",
                                             help: "write `mode end_of_day` or `mode real_time`"),
                              once(&seen, code: .mode, tspan, "`mode`") else { continue }
                        out.add(.trailingMode, .trailingMode(tree[m[0]].keyword == .realTime ? .realTime : .endOfDay), tspan, tree.span(m[0]))
                    case .stopTrailingAt:
                        guard let m = values(tree, t, .money, setting: tname), once(&seen, code: tk, tspan, "`stop_trailing_at`"),
                              positive(tree[m[0]].money, tree.span(m[0]), "`stop_trailing_at`") else { continue }
                        out.add(.trailingCap, .money(tree[m[0]].money), tspan, tree.span(m[0]))
                    default:
                        unknownSetting(tree, t, in: "trailing_drawdown", allowed: blockSettings[6].keywords)
                    }
                }
            case .flattenAt:
                noBlock(tree, s, setting)
                guard let v = values(tree, s, .dateTime, setting: setting), once(&seen, code: kw, span, "`flatten_at`") else { continue }
                out.add(.flattenAt, .dateTime(tree[v[0]].dateTime), span, tree.span(v[0]))
            case .doNotUnlock:
                noBlock(tree, s, setting)
                guard values(tree, s, setting: setting) != nil, once(&seen, code: kw, span, "`do_not_unlock`") else { continue }
                out.add(.doNotUnlock, .flag, span, span)
            case .objectives, .scalingPlan, .newsWindows, .flatBy, .maxPositionLoss, .payout:
                checkFirmRule(tree, s, kw, seen: &seen, into: &out)
            default:
                unknownSetting(tree, s, in: "template", allowed: blockSettings[4].keywords)
            }
        }
        return TemplateDef(name: name, parent: parent, fields: out.fields, span: tree.span(of: item))
    }

    mutating func checkThreshold(_ tree: SyntaxTree, _ t: Item, tier: Tier, seen: inout SeenSet,
                                 into out: inout FieldList) {
        let kw = tree[t.name].keyword
        let setting = tree.settingName(t)
        let span = tree.span(of: t)
        noBlock(tree, t, setting)
        let metric: Metric
        switch kw {
        case .dailyLoss: metric = .dailyLoss
        case .weeklyLoss: metric = .weeklyLoss
        case .dailyProfit: metric = .dailyProfit
        case .weeklyProfit: metric = .weeklyProfit
        case .margin: metric = .margin
        default:
            unknownSetting(tree, t, in: tier.description, allowed: blockSettings[5].keywords)
            return
        }
        let shape: Shape = metric == .margin ? .percent : .moneyOrPercent
        if metric == .margin, let first = t.values.first, tree[first].kind == .money {
            report(.wrongUnitForMetric, "`margin` is a percent of net liquidation value, not a dollar amount",
                   at: tree.span(first), label: "a money amount", help: "write `margin 90%`")
            return
        }
        guard let v = values(tree, t, shape, setting: setting) else { return }
        let tok = tree[v[0]]
        let isPercent = tok.kind == .percent
        let label = { "`\(tier).\(setting)` in \(isPercent ? "percent" : "USD")" }
        guard once(&seen, code: thresholdCode(tier, metric, percent: isPercent), span, label()) else { return }
        if isPercent {
            guard let r = Ratio(percent: tok.decimal.canonical), percentInRange(r, tree.span(v[0]), "`\(setting)`") else { return }
            out.add(.threshold(tier, metric, percent: true), .percent(r), span, tree.span(v[0]))
        } else {
            guard positive(tok.money, tree.span(v[0]), "`\(setting)`") else { return }
            out.add(.threshold(tier, metric, percent: false), .money(tok.money), span, tree.span(v[0]))
        }
    }
}

/// The fields of one template as they are checked, each marked with the template's name.
struct FieldList {
    let origin: String
    var fields: [Field] = []

    init(origin: String) { self.origin = origin }

    mutating func add(_ key: FieldKey, _ value: FieldValue, _ span: Span, _ valueSpan: Span) {
        if fields.isEmpty { fields.reserveCapacity(24) }
        fields.append(Field(key: key, value: value, span: span, valueSpan: valueSpan, origin: origin))
    }
}
