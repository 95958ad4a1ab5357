import RuleBase
import RuleSyntax

/// Settings of the firm-rule blocks, for "unknown setting" and "misplaced" messages.
let objectiveKeywords: [Keyword] = [.profitTarget, .minTradingDays, .winningDays, .consistency]
let scalingPlanKeywords: [Keyword] = [.maxContracts]
let newsWindowKeywords: [Keyword] = [.before, .after, .flattenPositions, .news]
let payoutKeywords: [Keyword] = [.consistency]

extension DiagnosticCode {
    public static let firmRuleNeedsSetting = DiagnosticCode(3020, "firm-rule-needs-setting", .error,
        "A firm rule is measured against another setting of the template that it lacks: a percent profit target against `starting_balance`, a percent `max_position_loss` against the `trailing_drawdown` amount.")
    public static let invalidScalingPlan = DiagnosticCode(3021, "invalid-scaling-plan", .error,
        "A scaling plan has one first tier `max_contracts N` (no `above`), further tiers `max_contracts N above AMOUNT` with distinct amounts, and at least one weighted product line such as `ES 1`.")
}

extension CheckerState {
    /// `objectives`, `scaling_plan`, `news_windows`, `flat_by` and `max_position_loss` in a template.
    mutating func checkFirmRule(_ tree: SyntaxTree, _ s: Item, _ kw: Keyword, seen: inout SeenSet, into out: inout FieldList) {
        let setting = tree.settingName(s)
        let span = tree.span(of: s)
        let header = tree.headerSpan(of: s)
        switch kw {
        case .objectives:
            _ = values(tree, s, setting: setting)
            guard once(&seen, code: kw, header, "the `objectives` block") else { return }
            for o in requireBlock(tree, s, setting)?.items ?? [] { checkObjective(tree, o, seen: &seen, into: &out) }
        case .payout:
            _ = values(tree, s, setting: setting)
            guard once(&seen, code: kw, header, "the `payout` block") else { return }
            for p in requireBlock(tree, s, setting)?.items ?? [] {
                let pk = tree[p.name].keyword
                let pspan = tree.span(of: p)
                noBlock(tree, p, tree.settingName(p))
                guard pk == .consistency else {
                    unknownSetting(tree, p, in: "payout", allowed: payoutKeywords)
                    continue
                }
                guard let v = values(tree, p, .percent, setting: "consistency", help: "write `consistency 40%` (the best day since the last payout at most 40% of the profit since it)"),
                      once(&seen, SeenSet.Key(code: SeenSet.payoutCode), pspan, "the payout `consistency`"),
                      let r = Ratio(percent: tree[v[0]].decimal.canonical), percentInRange(r, tree.span(v[0]), "`consistency`") else { continue }
                out.add(.firm(.payoutConsistency), .percent(r), pspan, tree.span(v[0]))
            }
        case .maxPositionLoss:
            noBlock(tree, s, setting)
            guard let v = values(tree, s, .moneyOrPercent, setting: setting, help: "write `max_position_loss 500 USD` or `max_position_loss 20%` (of the trailing drawdown)"),
                  once(&seen, code: kw, span, "`max_position_loss`") else { return }
            moneyOrPercent(tree, v[0], setting, .firm(.maxPositionLoss), span, &out)
        case .flatBy:
            _ = values(tree, s, setting: setting, help: "write `flat_by { CL 13:25 }`")
            guard once(&seen, code: kw, header, "the `flat_by` block") else { return }
            var list: [FlatByDef] = []
            var products = SeenSet()
            for p in requireBlock(tree, s, setting)?.items ?? [] {
                noBlock(tree, p, "flat_by line")
                let t = tree[p.name]
                guard t.kind == .identifier || t.kind == .string else {
                    report(.wrongType, "a `flat_by` line starts with a product symbol, found \(describe(t, tree, p.name))",
                           at: tree.span(p.name), help: "write `CL 13:25`")
                    continue
                }
                let sym = tree.word(p.name)
                guard let v = values(tree, p, .time, setting: sym, help: "write `\(sym) 13:25` (flat by that time, in the calendar's zone)"),
                      once(&products, sym, tree.span(of: p), "the flat-by time of `\(sym)`") else { continue }
                list.append(FlatByDef(product: Located(sym, tree.span(p.name)), time: tree[v[0]].timeOfDay, span: tree.span(of: p)))
            }
            if !list.isEmpty { out.add(.firm(.flatBy), .firm(.flatBy(list)), header, header) }
        case .scalingPlan:
            _ = values(tree, s, setting: setting)
            guard once(&seen, code: kw, header, "the `scaling_plan` block") else { return }
            guard let block = requireBlock(tree, s, setting) else { return }
            checkScalingPlan(tree, s, block, header, &out)
        case .newsWindows:
            _ = values(tree, s, setting: setting)
            guard once(&seen, code: kw, header, "the `news_windows` block") else { return }
            guard let block = requireBlock(tree, s, setting) else { return }
            checkNewsWindows(tree, block, header, &out)
        default:
            return
        }
    }

    mutating func moneyOrPercent(_ tree: SyntaxTree, _ v: TokenIndex, _ setting: String, _ key: FieldKey, _ span: Span,
                                 _ out: inout FieldList) {
        let tok = tree[v]
        if tok.kind == .percent {
            guard let r = Ratio(percent: tok.decimal.canonical), percentInRange(r, tree.span(v), "`\(setting)`") else { return }
            out.add(key, .percent(r), span, tree.span(v))
        } else {
            guard positive(tok.money, tree.span(v), "`\(setting)`") else { return }
            out.add(key, .money(tok.money), span, tree.span(v))
        }
    }

    /// A whole number of at least 1 (days), from a bare number.
    mutating func wholeCount(_ tree: SyntaxTree, _ v: TokenIndex, _ what: String) -> Int64? {
        let t = tree[v]
        guard t.scale == 0, t.payload >= 1 else {
            report(.nonPositiveLimit, "\(what) must be a whole number of at least 1, found `\(tree.text(v))`", at: tree.span(v),
                   help: "omit the setting to leave it unchecked")
            return nil
        }
        return t.payload
    }

    mutating func checkObjective(_ tree: SyntaxTree, _ o: Item, seen: inout SeenSet, into out: inout FieldList) {
        let kw = tree[o.name].keyword
        let setting = tree.settingName(o)
        let span = tree.span(of: o)
        noBlock(tree, o, setting)
        switch kw {
        case .profitTarget:
            guard let v = values(tree, o, .moneyOrPercent, setting: setting, help: "write `profit_target 3_000 USD` or `profit_target 6%` (of the starting balance)"),
                  once(&seen, code: kw, span, "`profit_target`") else { return }
            moneyOrPercent(tree, v[0], setting, .firm(.profitTarget), span, &out)
        case .minTradingDays:
            guard let v = values(tree, o, .number, setting: setting, help: "write `min_trading_days 5`"),
                  once(&seen, code: kw, span, "`min_trading_days`"),
                  let n = wholeCount(tree, v[0], "`min_trading_days`") else { return }
            out.add(.firm(.minTradingDays), .firm(.days(n)), span, tree.span(v[0]))
        case .winningDays:
            let help = "write `winning_days 5 at_least 50 USD` (5 trade dates with a net P&L of at least 50 USD)"
            guard let v = values(tree, o, .number, .word(.atLeast), .money, setting: setting, help: help),
                  once(&seen, code: kw, span, "`winning_days`"),
                  let n = wholeCount(tree, v[0], "`winning_days`"),
                  positive(tree[v[2]].money, tree.span(v[2]), "the winning day's amount") else { return }
            out.add(.firm(.winningDays), .firm(.winningDays(count: n, atLeast: tree[v[2]].money)), span, tree.span(v[0]).union(tree.span(v[2])))
        case .consistency:
            guard let v = values(tree, o, .percent, setting: setting, help: "write `consistency 40%` (the best day at most 40% of the total profit)"),
                  once(&seen, code: kw, span, "`consistency`") else { return }
            guard let r = Ratio(percent: tree[v[0]].decimal.canonical), percentInRange(r, tree.span(v[0]), "`consistency`") else { return }
            out.add(.firm(.consistency), .percent(r), span, tree.span(v[0]))
        default:
            unknownSetting(tree, o, in: "objectives", allowed: objectiveKeywords)
        }
    }

    mutating func checkScalingPlan(_ tree: SyntaxTree, _ s: Item, _ block: Block, _ header: Span, _ out: inout FieldList) {
        var tiers: [ScalingPlanDef.Tier] = []
        var members: [GroupLimit.Member] = []
        var seen = SeenSet()
        var ok = true
        for m in block.items {
            noBlock(tree, m, tree.settingName(m))
            let t = tree[m.name]
            if t.kind == .keyword && t.keyword == .maxContracts {
                let help = "write `max_contracts 2` for the first tier and `max_contracts 3 above 1_500 USD` for the next"
                let span = tree.span(of: m)
                let v: ValueList?
                if m.values.count <= 1 {
                    v = values(tree, m, .count, setting: "max_contracts", help: help)
                } else {
                    v = values(tree, m, .count, .word(.above), .money, setting: "max_contracts", help: help)
                }
                guard let v else { ok = false; continue }
                let n = tree[v[0]].payload
                guard n >= 1 else {
                    report(.nonPositiveLimit, "`max_contracts` must be at least 1 contract, found `\(n)`", at: tree.span(v[0]),
                           help: "a tier allows at least one contract")
                    ok = false
                    continue
                }
                let above: Money? = v.count == 3 ? tree[v[2]].money : nil
                if let a = above, a.units < 0 {
                    report(.nonPositiveLimit, "a tier's `above` amount is a profit of at least 0, found `\(a.rulebookText)`", at: tree.span(v[2]))
                    ok = false
                    continue
                }
                let key = SeenSet.Key(code: SeenSet.tierCode, value: above?.units ?? Int64.min)
                guard once(&seen, key, span, above.map { "the tier above `\($0.rulebookText)`" } ?? "the first tier") else { ok = false; continue }
                tiers.append(.init(above: above, contracts: n, span: span))
                continue
            }
            guard t.kind == .identifier || t.kind == .string else {
                unknownSetting(tree, m, in: "scaling_plan", allowed: scalingPlanKeywords)
                ok = false
                continue
            }
            let sym = tree.word(m.name)
            guard let w = values(tree, m, .number, setting: sym, help: "write `\(sym) 1` (mini-equivalents per contract)") else { ok = false; continue }
            let weight = tree[w[0]].decimal.canonical
            guard weight.mantissa > 0 else {
                report(.invalidWeight, "the weight of `\(sym)` must be greater than zero", at: tree.span(w[0]),
                       label: "not a positive weight", help: "a weight counts mini-equivalents per contract, e.g. `\(sym) 0.1`")
                ok = false
                continue
            }
            guard once(&seen, sym, tree.span(of: m), "member `\(sym)`") else { ok = false; continue }
            members.append(.init(product: Located(sym, tree.span(m.name)), weight: weight))
        }
        guard ok else { return }
        if !tiers.contains(where: { $0.above == nil }) {
            report(.invalidScalingPlan, "the scaling plan has no first tier", at: header, label: "no `max_contracts N` without `above`",
                   help: "add `max_contracts 2` (the contracts allowed until the first `above` amount is passed)")
            return
        }
        if members.isEmpty {
            report(.invalidScalingPlan, "the scaling plan counts no product", at: header, label: "no product lines",
                   help: "add the products it limits with their weights, e.g. `ES 1` and `MES 0.1`")
            return
        }
        tiers.sort { ($0.above?.units ?? Int64.min) < ($1.above?.units ?? Int64.min) }
        out.add(.firm(.scalingPlan), .firm(.scalingPlan(ScalingPlanDef(tiers: tiers, members: members, span: header))), header, header)
    }

    mutating func checkNewsWindows(_ tree: SyntaxTree, _ block: Block, _ header: Span, _ out: inout FieldList) {
        var def = NewsWindowsDef(beforeMinutes: 0, afterMinutes: 0, flatten: false, events: [], span: header)
        var seen = SeenSet()
        for n in block.items {
            let kw = tree[n.name].keyword
            let setting = tree.settingName(n)
            let span = tree.span(of: n)
            noBlock(tree, n, setting)
            switch kw {
            case .before, .after:
                guard let v = values(tree, n, .number, .oneOf(.minutes, .minute), setting: setting, help: "write `\(setting) 2 minutes`"),
                      once(&seen, code: kw, span, "`\(setting)`") else { continue }
                let t = tree[v[0]]
                guard t.scale == 0, t.payload <= 24 * 60 else {
                    report(.wrongType, "`\(setting)` is a whole number of minutes up to a day (1440), found `\(tree.text(v[0]))`",
                           at: tree.span(v[0]), help: "write `\(setting) 2 minutes`")
                    continue
                }
                if kw == .before { def.beforeMinutes = t.payload; def.beforeSpan = span } else { def.afterMinutes = t.payload; def.afterSpan = span }
            case .flattenPositions:
                guard values(tree, n, setting: setting) != nil, once(&seen, code: kw, span, "`flatten_positions`") else { continue }
                def.flatten = true
            case .news:
                let help = "write `news 2026-12-09T13:00-06:00 ES MES` (the instant and the products it affects)"
                guard n.values.count >= 2 else {
                    _ = values(tree, n, [.dateTime, .productRef], setting: setting, help: help)
                    continue
                }
                guard let v = values(tree, n, [.dateTime] + Array(repeating: .productRef, count: n.values.count - 1), setting: setting, help: help) else { continue }
                var products: [Located<String>] = []
                var ps = SeenSet()
                for p in v.dropFirst() {
                    let sym = tree.word(p)
                    guard once(&ps, sym, tree.span(p), "`\(sym)` in this news line") else { continue }
                    products.append(Located(sym, tree.span(p)))
                }
                def.events.append(.init(at: tree[v[0]].dateTime, products: products, span: span))
            default:
                unknownSetting(tree, n, in: "news_windows", allowed: newsWindowKeywords)
            }
        }
        if def.events.isEmpty {
            report(.missingRequiredSetting, "`news_windows` lists no news", at: header, label: "no `news` line",
                   help: "add `news 2026-12-09T13:00-06:00 ES MES` for each release")
            return
        }
        out.add(.firm(.newsWindows), .firm(.newsWindows(def)), header, header)
    }

    /// What firm rules need of the rest of the rulebook: known products, a starting balance for
    /// a percent target, a trailing drawdown for a percent open-loss limit, a calendar for a
    /// news instant without an offset.
    mutating func checkFirmRules() {
        var known: [String]?
        func productKnown(_ p: Located<String>, _ state: inout CheckerState) {
            guard state.model.products.index(forKey: p.value) == nil else { return }
            if known == nil { known = Array(state.model.products.keys) }
            state.report(.unknownProduct, "unknown product `\(p.value)`", at: p.span, label: "not defined",
                         help: suggestion(p.value, known ?? []).map { "did you mean `\($0)`?" }
                             ?? "define it with `product \(p.value) { point_value ... }` or import a catalog")
        }
        for name in model.templates.keys.sorted() {
            guard let t = model.templates[name] else { continue }
            for f in t.fields {
                guard case let .firm(v) = f.value else { continue }
                switch v {
                case let .scalingPlan(p): for m in p.members { productKnown(m.product, &self) }
                case let .newsWindows(w): for e in w.events { for p in e.products { productKnown(p, &self) } }
                case let .flatBy(list): for l in list { productKnown(l.product, &self) }
                default: break
                }
            }
        }
        for eff in model.effectiveTemplates {
            if let f = eff.firm(.profitTarget), case .percent = f.value, eff.startingBalance == nil, eff.field(.startingBalance) == nil {
                report(.firmRuleNeedsSetting, "a percent `profit_target` is of the starting balance, and template `\(eff.name.value)` has none",
                       at: f.valueSpan, label: "percent of what?", help: "set `starting_balance` or write the target in USD")
            }
            if let f = eff.firm(.maxPositionLoss), case .percent = f.value, eff.trailingAmount == nil {
                report(.firmRuleNeedsSetting, "a percent `max_position_loss` is of the trailing drawdown, and template `\(eff.name.value)` has none",
                       at: f.valueSpan, label: "percent of what?", help: "set `trailing_drawdown` or write the limit in USD")
            }
            if let f = eff.firm(.newsWindows), case let .firm(.newsWindows(w)) = f.value, eff.calendarName == nil,
               let e = w.events.first(where: { $0.at.offset == nil }) {
                report(.dateTimeNeedsZone, "`news` has no UTC offset and template `\(eff.name.value)` has no calendar to read it in",
                       at: e.span, label: "no offset", help: "write an offset, e.g. `\(e.at)-05:00`, or set `calendar cme` in the template")
            }
        }
    }
}
