import RuleBase
import RuleSyntax

extension CheckerState {
    /// An `expect { ... }` block: each line a `TestAssertion`, its names resolved against the
    /// template under test (nil when the test's template did not resolve: only the shapes are checked).
    ///
    /// `orders`: the ids placed up to this event; an expectation naming another id is R6010.
    mutating func checkExpectation(_ tree: SyntaxTree, _ item: Item, _ template: EffectiveTemplate?, orders: OrderIDs) -> TestExpectation? {
        if !item.values.isEmpty { _ = values(tree, item, [], setting: "expect") }
        guard let block = requireBlock(tree, item, "expect") else { return nil }
        var out: [Located<TestAssertion>] = []
        var ok = true
        for s in block.items {
            let kw = tree[s.name].keyword
            let setting = tree.settingName(s)
            noBlock(tree, s, setting)
            let span = tree.span(of: s)
            var assertion: TestAssertion?
            switch kw {
            case .mode:
                if let v = values(tree, s, [.anyOf([.normal, .liquidateOnly, .locked])], setting: setting) {
                    assertion = .mode(tree[v[0]].keyword == .normal ? .normal : tree[v[0]].keyword == .locked ? .locked : .liquidateOnly)
                }
            case .alert, .liquidateOnly, .autoLiquidate:
                if let rule = testRule(tree, s, tier: kw, template) { assertion = .rule(rule, breached: true) }
            case .status, .met, .tradingDays, .winningDays, .payout:
                assertion = evaluationAssertion(tree, s, negated: false, template)
            case .no where s.values.first.map({ tree[$0].keyword == .met }) ?? false:
                assertion = evaluationAssertion(tree, tail(s, from: 1), negated: true, template)
            case .no:
                if let v = s.values.first, [.alert, .liquidateOnly, .autoLiquidate].contains(tree[v].keyword) {
                    if let rule = testRule(tree, tail(s, from: 1), tier: tree[v].keyword, template) { assertion = .rule(rule, breached: false) }
                } else if let v = s.values.first, [.working, .cancelled].contains(tree[v].keyword) {
                    // no working [ID], no cancelled [ID]
                    let rest = tail(s, from: 1)
                    let what = tree.settingName(rest)
                    if let w = values(tree, rest, rest.values.isEmpty ? [] : [.orderID], setting: what,
                                      help: "write `no \(what)` or `no \(what) o1`") {
                        let id = w.first.flatMap { knownOrder(tree, $0, orders) }
                        if w.isEmpty || id != nil {
                            if tree[v].keyword == .working {
                                assertion = id.map { .notWorking(id: $0) } ?? .workingCount(0)
                            } else {
                                assertion = .notCancelled(id: id)
                            }
                        }
                    }
                } else {
                    _ = values(tree, s, [.anyOf([.alert, .liquidateOnly, .autoLiquidate, .working, .cancelled])], setting: setting,
                               help: "write `no alert daily_loss`, `no working` or `no cancelled`")
                }
            case .liquidated:
                if let l = liquidation(tree, s) { assertion = .liquidated(l) }
            case .admin:
                // admin applied | admin refused [CODE]
                if s.values.count <= 1, let v = values(tree, s, [.oneOf(.applied, .refused)], setting: setting,
                                                        help: "write `admin applied`, `admin refused` or `admin refused reason_required`") {
                    assertion = .admin(applied: tree[v[0]].keyword == .applied, code: nil)
                } else if let v = values(tree, s, [.word(.refused), .term], setting: setting, help: "write `admin refused reason_required`") {
                    let word = tree.word(v[1])
                    if let r = TestAdminRefusal(rawValue: word) {
                        assertion = .admin(applied: false, code: r)
                    } else {
                        let all = TestAdminRefusal.allCases.map(\.rawValue)
                        report(.testUnknownWord, "unknown admin refusal code `\(word)`", at: tree.span(v[1]), label: "not an admin refusal code",
                               help: suggestion(word, all).map { "did you mean `\($0)`?" } ?? "codes: " + all.map { "`\($0)`" }.joined(separator: ", "))
                    }
                }
            case .released:
                // released admin | released TIER METRIC [LIMIT]
                if let v = s.values.first, tree[v].keyword == .admin {
                    if values(tree, s, [.word(.admin)], setting: setting) != nil { assertion = .released(nil) }
                } else if let v = s.values.first, [.alert, .liquidateOnly, .autoLiquidate].contains(tree[v].keyword) {
                    if let rule = testRule(tree, tail(s, from: 1), tier: tree[v].keyword, template) { assertion = .released(rule) }
                } else {
                    _ = values(tree, s, [.anyOf([.admin, .liquidateOnly, .autoLiquidate])], setting: setting,
                               help: "write `released auto_liquidate daily_loss` or `released admin`")
                }
            case .tradeDate:
                if let v = values(tree, s, [.date], setting: setting, help: "write `trade_date 2026-11-24`") {
                    assertion = .tradeDate(tree[v[0]].date)
                }
            case .nothing:
                if values(tree, s, [], setting: setting) != nil { assertion = .nothing }
            case .limit:
                // limit TIER METRIC [WRITTEN] DOLLARS: the threshold's limit in dollars now.
                if let v = s.values.first, [.alert, .liquidateOnly, .autoLiquidate].contains(tree[v].keyword), s.values.count >= 3,
                   let last = s.values.last, tree[last].kind == .money {
                    let ruleItem = Item(name: v, values: Array(s.values.dropFirst().dropLast()), block: nil, last: s.last)
                    if var rule = testRule(tree, ruleItem, tier: tree[v].keyword, template) {
                        if rule.metric == nil || rule.metric == .margin {
                            report(.testUnknownRule, "a `limit` expectation is for a loss or profit threshold, not `\(rule)`",
                                   at: tree.span(of: s), label: "no dollar limit to state",
                                   help: rule.metric == nil ? "expect `trailing_level` for the trailing drawdown" : "margin limits are a percent of net liquidation")
                        } else if rule.percent == nil, let t = template, ambiguous(rule, t) {
                            report(.testUnknownRule, "template `\(t.name.value)` has `\(rule)` in USD and in percent; say which",
                                   at: tree.span(of: s), label: "two limits",
                                   help: "write the template's limit before the dollars, e.g. `limit \(rule) 2% 1_000 USD`")
                        } else {
                            if rule.percent == nil, let t = template { rule.percent = onlyUnit(rule, t) }
                            assertion = .limit(rule, tree[last].money)
                        }
                    }
                } else {
                    _ = values(tree, s, [.anyOf([.alert, .liquidateOnly, .autoLiquidate]), .term, .money], setting: setting,
                               help: "write `limit auto_liquidate daily_loss 1_000 USD` (or `... 2% 1_000 USD`)")
                }
            case .flattened:
                if let v = values(tree, s, [.anyOf([.autoLiquidate, .admin, .flattenAt, .timePeriod])], setting: setting) {
                    assertion = .flattened(TestFlattenCause(rawValue: tree[v[0]].keyword.text) ?? .autoLiquidate)
                }
            case .order:
                if s.values.count == 1, let v = values(tree, s, [.oneOf(.accepted, .rejected)], setting: setting) {
                    assertion = tree[v[0]].keyword == .accepted ? .orderAccepted : .orderRejected(nil)
                } else if let v = values(tree, s, [.word(.rejected), .name], setting: setting, help: "write `order accepted` or `order rejected POSITION_LIMIT`") {
                    let code = tree.word(v[1])
                    if let r = TestRejection(rawValue: code) {
                        assertion = .orderRejected(r)
                    } else {
                        let guess = suggestion(code, TestRejection.allCases.map(\.rawValue))
                        report(.testUnknownWord, "unknown rejection code `\(code)`", at: tree.span(v[1]), label: "not a rejection code",
                               help: guess.map { "did you mean `\($0)`?" } ?? "codes: " + TestRejection.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", "))
                    }
                }
            case .unlocks:
                if s.values.count == 1, let t = testTime(tree, s.values[0]) {
                    assertion = .unlocks(.at(t))
                } else if let v = values(tree, s, [.oneOf(.never, .manual)], setting: setting,
                                        help: "write `unlocks 17:00`, `unlocks 2026-11-24T17:00`, `unlocks manual` or `unlocks never`") {
                    assertion = .unlocks(tree[v[0]].keyword == .never ? .never : .manual)
                }
            case .balance, .netLiq, .dayStart, .weekStart, .highWaterMark, .trailingLevel:
                if let v = values(tree, s, [.money], setting: setting), let figure = TestFigure(rawValue: setting) {
                    if figure == .trailingLevel, let t = template, t.trailingAmount == nil {
                        report(.testUnknownRule, "template `\(t.name.value)` has no trailing drawdown, so it has no `trailing_level`",
                               at: tree.span(s.name), label: "never set", help: "remove this expectation")
                    } else {
                        assertion = .figure(figure, tree[v[0]].money)
                    }
                }
            case .position:
                let shapes: [Shape] = s.values.count == 2 ? [.productRef, .word(.flat)]
                    : s.values.count > 3 ? [.productRef, .oneOf(.long, .short), .count, .word(.at), .number]
                    : [.productRef, .oneOf(.long, .short), .count]
                if let v = values(tree, s, shapes, setting: setting, help: "write `position ES long 2`, `position ES long 2 at 5_000.25` (average price) or `position ES flat`"),
                   let p = productName(tree, v[0]) {
                    if v.count == 2 {
                        assertion = .position(product: p.value, quantity: 0)
                    } else if let q = quantity(tree, v[2]) {
                        assertion = .position(product: p.value, quantity: tree[v[1]].keyword == .short ? -q : q,
                                              averagePrice: v.count > 3 ? tree[v[4]].decimal : nil)
                    }
                }
            case .working:
                // working N | working ID [remaining N]
                if s.values.count == 1, Shape.count.accepts(tree[s.values[0]]) {
                    let n = tree[s.values[0]].payload
                    if n > 0 {
                        assertion = .workingCount(n)
                    } else {
                        report(.nonPositiveLimit, "a count of working orders is at least 1, found `\(n)`", at: tree.span(s.values[0]),
                               label: "no orders", help: "write `no working` for an empty book")
                    }
                } else if let v = values(tree, s, s.values.count > 1 ? [.orderID, .word(.remaining), .count] : [.orderID], setting: setting,
                                         help: "write `working o1`, `working o1 remaining 1` or `working 2` (how many)"),
                          let id = knownOrder(tree, v[0], orders) {
                    if v.count == 1 {
                        assertion = .working(id: id, remaining: nil)
                    } else if let n = quantity(tree, v[2]) {
                        assertion = .working(id: id, remaining: n)
                    }
                }
            case .cancelled:
                // cancelled ID [CAUSE]
                if let v = values(tree, s, s.values.count > 1 ? [.orderID, .term] : [.orderID], setting: setting,
                                  help: "write `cancelled o1` or `cancelled o1 auto_liquidate`"),
                   let id = knownOrder(tree, v[0], orders) {
                    if v.count == 1 {
                        assertion = .cancelled(id: id, cause: nil)
                    } else {
                        let word = tree.word(v[1])
                        if let c = TestCancelCause(rawValue: word) {
                            assertion = .cancelled(id: id, cause: c)
                        } else {
                            let all = TestCancelCause.allCases.map(\.rawValue)
                            report(.testUnknownWord, "unknown cancel cause `\(word)`", at: tree.span(v[1]), label: "not a cancel cause",
                                   help: suggestion(word, all).map { "did you mean `\($0)`?" } ?? "causes: " + all.map { "`\($0)`" }.joined(separator: ", "))
                        }
                    }
                }
            case .refused:
                // refused [CODE]
                if s.values.isEmpty {
                    assertion = .refused(nil)
                } else if let v = values(tree, s, [.term], setting: setting, help: "write `refused` or `refused unknown_order`") {
                    let word = tree.word(v[0])
                    if let r = TestRefusal(rawValue: word) {
                        assertion = .refused(r)
                    } else {
                        let all = TestRefusal.allCases.map(\.rawValue)
                        report(.testUnknownWord, "unknown refusal code `\(word)`", at: tree.span(v[0]), label: "not a refusal code",
                               help: suggestion(word, all).map { "did you mean `\($0)`?" } ?? "codes: " + all.map { "`\($0)`" }.joined(separator: ", "))
                    }
                }
            default:
                unknownSetting(tree, s, in: "expect", allowed: expectKeywords)
            }
            if let a = assertion { out.append(Located(a, span)) } else { ok = false }
        }
        return ok ? TestExpectation(assertions: out, span: tree.span(of: item)) : nil
    }

    /// `liquidated ES [buy|sell] 2 [at PRICE] [realized loss|profit MONEY] [commission MONEY]`.
    mutating func liquidation(_ tree: SyntaxTree, _ s: Item) -> TestLiquidation? {
        let help = "write `liquidated ES 2`, optionally with the side, `at 5_990.00`, `realized loss 500 USD` and `commission 5 USD`: `liquidated ES sell 2 at 5_990 realized loss 500 USD commission 5 USD`"
        var shapes: [Shape] = [.productRef]
        var k = 1
        let vs = s.values
        if vs.count > k, [.buy, .sell].contains(tree[vs[k]].keyword) { shapes.append(.oneOf(.buy, .sell)); k += 1 }
        shapes.append(.count); k += 1
        if vs.count > k, tree[vs[k]].keyword == .at { shapes += [.word(.at), .number]; k += 2 }
        if vs.count > k, tree[vs[k]].keyword == .realized { shapes += [.word(.realized), .term, .money]; k += 3 }
        if vs.count > k, tree[vs[k]].keyword == .commission { shapes += [.word(.commission), .money]; k += 2 }
        guard let v = values(tree, s, shapes, setting: "liquidated", help: help), let p = productName(tree, v[0]) else { return nil }
        var l = TestLiquidation(product: p.value, quantity: 0)
        var i = 1
        if [.buy, .sell].contains(tree[v[i]].keyword) { l.sell = tree[v[i]].keyword == .sell; i += 1 }
        guard let q = quantity(tree, v[i]) else { return nil }
        l.quantity = q
        i += 1
        while i < v.count {
            switch tree[v[i]].keyword {
            case .at: l.price = tree[v[i + 1]].decimal; i += 2
            case .realized:
                let word = tree.word(v[i + 1])
                guard word == "loss" || word == "profit" else {
                    report(.wrongType, "`realized` is followed by `loss` or `profit`, found `\(word)`", at: tree.span(v[i + 1]),
                           label: "not `loss` or `profit`", help: "write `realized loss 500 USD` or `realized profit 250 USD`")
                    return nil
                }
                let m = tree[v[i + 2]].money
                l.realized = word == "loss" ? Money(units: -m.units) : m
                i += 3
            default: l.commission = tree[v[i + 1]].money; i += 2
            }
        }
        return l
    }

    /// Whether the template has the rule's tier and metric in both units.
    func ambiguous(_ rule: TestRule, _ t: EffectiveTemplate) -> Bool {
        let units = t.thresholds.compactMap { f -> Bool? in
            guard case let .threshold(tier, metric, p) = f.key, tier == rule.tier, metric == rule.metric else { return nil }
            return p
        }
        return Set(units).count > 1
    }

    /// The unit of the template's one threshold of the rule's tier and metric.
    func onlyUnit(_ rule: TestRule, _ t: EffectiveTemplate) -> Bool? {
        t.thresholds.lazy.compactMap { f -> Bool? in
            guard case let .threshold(tier, metric, p) = f.key, tier == rule.tier, metric == rule.metric else { return nil }
            return p
        }.first
    }

    /// An order id the test placed up to this event, or R6010.
    mutating func knownOrder(_ tree: SyntaxTree, _ t: TokenIndex, _ orders: OrderIDs) -> String? {
        let id = tree.word(t)
        guard orders.span(id) == nil else { return id }
        let guess = suggestion(id, orders.names)
        report(.testUnknownOrder, "no order `\(id)` is placed up to this event", at: tree.span(t), label: "never placed in this test",
               help: guess.map { "did you mean `\($0)`?" } ?? "name an order of the start's `working` lines or of an `order ID TYPE ...` event at or before this one")
        return nil
    }

    /// `alert daily_loss [600 USD]`: a threshold of the template under test, with its limit when written.
    mutating func testRule(_ tree: SyntaxTree, _ s: Item, tier kw: Keyword, _ template: EffectiveTemplate?) -> TestRule? {
        let tier: Tier = kw == .alert ? .alert : kw == .liquidateOnly ? .liquidateOnly : .autoLiquidate
        let metrics: [Keyword] = [.dailyLoss, .weeklyLoss, .dailyProfit, .weeklyProfit, .margin, .trailingDrawdown]
        let setting = tree.settingName(s)
        let shapes: [Shape] = s.values.count > 1 ? [.anyOf(metrics), .moneyOrPercent] : [.anyOf(metrics)]
        guard let v = values(tree, s, shapes, setting: setting, help: "write `\(setting) daily_loss` or `\(setting) daily_loss 600 USD`") else { return nil }
        let mk = tree[v[0]].keyword
        let metric: Metric? = switch mk {
        case .dailyLoss: .dailyLoss
        case .weeklyLoss: .weeklyLoss
        case .dailyProfit: .dailyProfit
        case .weeklyProfit: .weeklyProfit
        case .margin: .margin
        default: nil
        }
        var limit: FieldValue?
        var percent: Bool?
        if v.count > 1 {
            let t = tree[v[1]]
            if t.kind == .money {
                limit = .money(t.money)
                percent = false
            } else if let r = Ratio(percent: t.decimal.canonical) {
                limit = .percent(r)
                percent = true
            }
        }
        let rule = TestRule(tier: tier, metric: metric, percent: percent, limit: limit)
        guard let template else { return rule }
        let where_ = tree.span(v[0]).union(tree.span(v.last ?? v[0]))
        let label = "not in template `\(template.name.value)`"
        // The trailing drawdown: an auto-liquidation with a money amount.
        guard let metric else {
            guard tier == .autoLiquidate, let amount = template.trailingAmount else {
                report(.testUnknownRule, tier == .autoLiquidate
                       ? "template `\(template.name.value)` has no trailing drawdown"
                       : "a trailing drawdown breach is an `auto_liquidate`, not an `\(tier)`",
                       at: where_, label: label, help: "write `auto_liquidate trailing_drawdown`")
                return nil
            }
            if let l = limit, l != .money(amount) {
                mismatch(template, "trailing_drawdown", written: l, actual: .money(amount), at: tree.span(v[1]),
                         field: template.field(.trailingAmount))
                return nil
            }
            return rule
        }
        let fields = template.thresholds.filter {
            guard case let .threshold(t, m, p) = $0.key else { return false }
            return t == tier && m == metric && (percent == nil || percent == p)
        }
        guard let field = fields.first else {
            let have = template.thresholds.compactMap { f -> String? in
                guard case let .threshold(t, m, _) = f.key, t == tier || m == metric else { return nil }
                return "`\(t) \(m) \(f.value)`"
            }
            report(.testUnknownRule, "template `\(template.name.value)` has no `\(tier) \(metric)`\(percent.map { $0 ? " in percent" : " in USD" } ?? "") threshold",
                   at: where_, label: label, help: have.isEmpty ? "remove this expectation" : "its related thresholds: " + have.joined(separator: ", "))
            return nil
        }
        if let l = limit, l != field.value {
            mismatch(template, "\(tier) \(metric)", written: l, actual: field.value, at: tree.span(v[1]), field: field)
            return nil
        }
        return rule
    }

    private mutating func mismatch(_ template: EffectiveTemplate, _ what: String, written: FieldValue, actual: FieldValue,
                                   at span: Span, field: Field?) {
        report(.testLimitMismatch, "`\(what)` of template `\(template.name.value)` is `\(actual)`, not `\(written)`", at: span,
               label: "not the template's limit", secondary: field.map { [Label($0.span, "set here")] } ?? [],
               help: "write `\(actual)`, or leave the limit out")
    }
}
