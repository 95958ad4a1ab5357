import RuleBase
import RuleSyntax

/// Settings of a `test` block that describe the starting account; they come before the first event.
let testStateKeywords: [Keyword] = [.template, .start, .balance, .dayStart, .weekStart, .highWaterMark, .commission, .position,
                                    .working, .mode]
let testSettingKeywords: [Keyword] = testStateKeywords + [.at, .expect]
let expectKeywords: [Keyword] = [.mode, .alert, .liquidateOnly, .autoLiquidate, .no, .liquidated, .flattened, .order, .unlocks,
                                 .balance, .netLiq, .dayStart, .weekStart, .highWaterMark, .trailingLevel, .position,
                                 .working, .cancelled, .refused, .admin, .released, .tradeDate, .nothing, .limit,
                                 .status, .met, .tradingDays, .winningDays, .payout]

extension CheckerState {
    /// Checks every `test` block (grammar.ebnf section 4) against the resolved rulebook. Runs after
    /// `resolveTemplates`, since expectations name the thresholds of effective templates.
    mutating func checkTests() {
        for tree in model.trees {
            var names = SeenSet()
            for item in tree.items where tree[item.name].keyword == .test {
                if let v = item.values.first, tree[v].kind == .string {
                    let name = tree.stringValue(v)
                    if let first = names.first(SeenSet.Key(code: SeenSet.textCode, text: name)) {
                        report(.testDuplicateName, "two tests are named `\(name)`", at: tree.span(v), label: "second test",
                               secondary: [Label(first, "first test")], help: "give each test its own name")
                    } else {
                        names.insert(SeenSet.Key(code: SeenSet.textCode, text: name), tree.span(v))
                    }
                }
                if let test = checkTest(tree, item) { model.tests.append(test) }
            }
        }
    }

    mutating func checkTest(_ tree: SyntaxTree, _ item: Item) -> RulebookTest? {
        guard let first = item.values.first, tree[first].kind == .string else {
            report(.missingName, "`test` needs a name in quotes", at: tree.span(item.values.first ?? item.name),
                   label: "name missing", help: "write `test \"daily loss locks until the next open\" { ... }`")
            return nil
        }
        if item.values.count > 1 { _ = values(tree, item, [.string], setting: "test") }
        let name = Located(tree.stringValue(first), tree.span(first))
        guard let block = requireBlock(tree, item, "test") else { return nil }
        var template: Located<String>?
        var effective: EffectiveTemplate?
        var start: Located<LocalDateTime>?
        var state = TestState()
        var initial: TestExpectation?
        var steps: [TestStep] = []
        var seen = SeenSet()
        var valid = true
        // Steps (by index; -1 the starting state) that have an `expect` block, checked or not.
        var expected = Set<Int>()
        var events = 0
        var lastEventChecked = true
        // Order ids placed so far (working orders of the start, then `order` events), first span.
        var placed = OrderIDs()
        // The id a fill or cancel of the last event names when nothing placed it: reported unless
        // the event's `expect` block expects the refusal.
        var unknownRef: Located<String>?
        for s in block.items {
            let kw = tree[s.name].keyword
            let setting = tree.settingName(s)
            let span = tree.span(of: s)
            if kw != .expect { noBlock(tree, s, setting) }
            if testStateKeywords.contains(kw), events > 0 {
                report(.testMisplacedSetting, "`\(setting)` describes the starting account and comes before the first event",
                       at: tree.span(s.name), label: "after an event", help: "move it above the first `at` line")
                valid = false
                continue
            }
            switch kw {
            case .template:
                guard let v = values(tree, s, [.name], setting: setting), once(&seen, code: kw, span, "`template`") else { valid = false; continue }
                let n = tree.word(v[0])
                guard let e = model.effective(n) else {
                    let guess = suggestion(n, model.effectiveTemplates.map(\.name.value))
                    report(.testUnknownTemplate, "no template `\(n)` in the rulebook under test", at: tree.span(v[0]),
                           label: "unknown template",
                           help: guess.map { "did you mean `\($0)`?" } ?? "import the rulebook that defines it, e.g. `import \"eval-50k.rules\"`")
                    valid = false
                    continue
                }
                template = Located(n, tree.span(v[0]))
                effective = e
            case .start:
                guard let v = values(tree, s, [.dateTime], setting: setting,
                                     help: "write `start 2026-11-23T09:00` (the calendar's zone) or with an offset"),
                      once(&seen, code: kw, span, "`start`") else { valid = false; continue }
                start = Located(tree[v[0]].dateTime, tree.span(v[0]))
            case .balance, .dayStart, .weekStart, .highWaterMark, .commission:
                guard let v = values(tree, s, [.money], setting: setting), once(&seen, code: kw, span, "`\(setting)`") else { valid = false; continue }
                let m = tree[v[0]].money
                if kw == .commission {
                    state.commission = m
                } else {
                    guard positive(m, tree.span(v[0]), "`\(setting)`") else { valid = false; continue }
                    switch kw {
                    case .balance: state.balance = Located(m, tree.span(v[0]))
                    case .dayStart: state.dayStart = m
                    case .weekStart: state.weekStart = m
                    default: state.highWaterMark = m
                    }
                }
            case .position:
                let shapes: [Shape] = s.values.count > 5 ? [.productRef, .oneOf(.long, .short), .count, .word(.at), .number, .word(.mark), .number]
                    : [.productRef, .oneOf(.long, .short), .count, .word(.at), .number]
                guard let v = values(tree, s, shapes, setting: setting, help: "write `position ES long 2 at 6_000.25` (optionally `mark 6_010`)"),
                      let product = productName(tree, v[0]),
                      let q = quantity(tree, v[2]) else { valid = false; continue }
                guard once(&seen, "position \(product.value)", span, "the position in `\(product.value)`") else { valid = false; continue }
                state.positions.append(TestPosition(product: product, quantity: tree[v[1]].keyword == .short ? -q : q,
                                                    price: tree[v[4]].decimal, mark: v.count > 5 ? tree[v[6]].decimal : nil))
            case .mode:
                // mode locked auto_liquidate daily_loss | mode liquidate_only admin
                guard once(&seen, code: kw, span, "`mode`"), let m = startMode(tree, s, effective) else { valid = false; continue }
                state.mode = m
            case .working:
                guard let w = workingOrder(tree, s, setting) else { valid = false; continue }
                if let first = placed.span(w.id.value) {
                    report(.testDuplicateOrder, "two working orders are named `\(w.id.value)`", at: w.id.span, label: "second order",
                           secondary: [Label(first, "first order")], help: "give each working order its own id")
                    valid = false
                    continue
                }
                placed.insert(w.id)
                state.working.append(w)
            case .at:
                events += 1
                if let u = unknownRef { reportUnknownOrder(u, placed); valid = false; unknownRef = nil }
                guard let step = checkEvent(tree, s) else { valid = false; lastEventChecked = false; continue }
                lastEventChecked = true
                steps.append(step)
                switch step.event {
                case let .order(_, _, _, id?, _):
                    if let t = orderIDToken(tree, s) { placed.insert(Located(id, tree.span(t))) }
                case let .fill(_, _, _, _, id?), let .cancel(id):
                    if placed.span(id) == nil, let t = orderIDToken(tree, s) { unknownRef = Located(id, tree.span(t)) }
                default: break
                }
            case .expect:
                guard expected.insert(events - 1).inserted else {
                    report(.testMisplacedSetting, "one `expect` block per event", at: tree.span(s.name), label: "second `expect`",
                           help: "merge it into the `expect` block above")
                    valid = false
                    continue
                }
                // Expecting the refusal of a fill or cancel that names an unknown id is the way to test it.
                if unknownRef != nil, expectsRefusal(tree, s, of: .unknownOrder) { unknownRef = nil }
                guard let e = checkExpectation(tree, s, effective, orders: placed) else { valid = false; continue }
                guard lastEventChecked else { continue } // its event is reported already
                var afterOrder = false, afterAdmin = false
                if case .order? = steps.last?.event { afterOrder = true }
                switch steps.last?.event {
                case .admin?, .internalAdmin?: afterAdmin = events > 0
                default: break
                }
                let event = events > 0 ? steps.last?.event : nil
                for a in e.assertions {
                    switch a.value {
                    case .orderAccepted, .orderRejected:
                        guard !afterOrder else { continue }
                        report(.testMisplacedSetting, "an `order` expectation needs an `order` event just before it", at: a.span,
                               label: "no order here", help: "add an event such as `at 10:05 order ES buy 1` above this block")
                        valid = false
                    case .admin:
                        guard !afterAdmin else { continue }
                        report(.testMisplacedSetting, "an `admin` expectation needs an `admin` event just before it", at: a.span,
                               label: "no admin action here", help: "add an event such as `at 10:05 admin lock Other \"desk review\"` above this block")
                        valid = false
                    case let .refused(r):
                        guard !refusable(event, r) else { continue }
                        if let r, r.neverInTests {
                            report(.testMisplacedSetting, "a test never sends an order that the engine refuses as `\(r.rawValue)`", at: a.span,
                                   label: "can never hold",
                                   help: "a test's limit and stop orders always have an id and a price (R6012); remove this expectation")
                        } else {
                            let what = r.map { "a `refused \($0.rawValue)` expectation" } ?? "a `refused` expectation"
                            report(.testMisplacedSetting,
                                   "\(what) needs \(r?.events ?? "an `order` with an id, a `fill ... order ID` or a `cancel` event") just before it",
                                   at: a.span, label: "cannot be refused here",
                                   help: "refusals are for events that contradict the order lifecycle, e.g. `at 09:32 cancel o9`")
                        }
                        valid = false
                    default: break
                    }
                }
                if events == 0 { initial = e } else { steps[steps.count - 1].expectation = e }
            default:
                unknownSetting(tree, s, in: "test", allowed: testSettingKeywords)
                valid = false
            }
        }
        if let u = unknownRef { reportUnknownOrder(u, placed); valid = false }
        let header = tree.span(item.name).union(name.span)
        if template == nil, needsReport(tree, item, .template) {
            report(.testMissingSetting, "test `\(name.value)` names no template", at: header, label: "needs a template",
                   help: "add `template eval_50k` (a template of the imported rulebook)")
        }
        if start == nil, needsReport(tree, item, .start) {
            report(.testMissingSetting, "test `\(name.value)` has no `start`", at: header, label: "needs a starting instant",
                   help: "add `start 2026-11-23T09:00` (read in the template calendar's zone)")
        }
        if let e = effective, e.startingBalance == nil, state.balance == nil {
            report(.testMissingSetting, "template `\(e.name.value)` has no `starting_balance`, so test `\(name.value)` needs a `balance`",
                   at: header, label: "no starting balance", help: "add `balance 50_000 USD`")
            valid = false
        }
        guard valid, let template, let start else { return nil }
        return RulebookTest(name: name, template: template, start: start, state: state, initial: initial, steps: steps, span: header)
    }

    /// `mode locked auto_liquidate daily_loss [LIMIT]`, `mode liquidate_only liquidate_only margin`,
    /// `mode locked admin`: the start's restriction and the cause holding it.
    mutating func startMode(_ tree: SyntaxTree, _ s: Item, _ template: EffectiveTemplate?) -> TestStartMode? {
        let help = "write `mode locked auto_liquidate daily_loss`, `mode liquidate_only liquidate_only daily_loss` or `mode locked admin`"
        guard s.values.count >= 2, let v = values(tree, Item(name: s.name, values: Array(s.values.prefix(2)), block: nil, last: s.last),
                                                  [.oneOf(.locked, .liquidateOnly), .term], setting: "mode", help: help) else {
            if s.values.count < 2 { _ = values(tree, s, [.oneOf(.locked, .liquidateOnly), .term], setting: "mode", help: help) }
            return nil
        }
        let mode: TestMode = tree[v[0]].keyword == .locked ? .locked : .liquidateOnly
        let causeWord = tree[v[1]].keyword
        if causeWord == .admin {
            guard values(tree, tail(s, from: 2), [], setting: "admin", help: help) != nil else { return nil }
            return TestStartMode(mode: mode, rule: nil, span: tree.span(of: s))
        }
        guard [.liquidateOnly, .autoLiquidate].contains(causeWord) else {
            report(.wrongType, "a start's restriction is held by `admin` or a threshold, found \(describe(tree[v[1]], tree, v[1]))",
                   at: tree.span(v[1]), label: "not a cause", help: help)
            return nil
        }
        guard let rule = testRule(tree, tail(s, from: 2), tier: causeWord, template) else { return nil }
        let locks = rule.tier == .autoLiquidate && rule.metric != .margin
        if (mode == .locked) != locks || (mode == .liquidateOnly && rule.tier != .liquidateOnly) {
            report(.testUnknownRule, "`\(rule)` cannot hold the account \(mode == .locked ? "locked" : "liquidate-only")",
                   at: tree.span(of: s), label: "another mode",
                   help: mode == .locked ? "an `auto_liquidate` loss, profit or trailing limit locks; margin flattens without a lock"
                                         : "a `liquidate_only` threshold restricts to liquidate-only")
            return nil
        }
        return TestStartMode(mode: mode, rule: rule, span: tree.span(of: s))
    }

    /// A product symbol of the catalog, or a report.
    mutating func productName(_ tree: SyntaxTree, _ t: TokenIndex) -> Located<String>? {
        let sym = tree.word(t)
        guard model.products[sym] != nil else {
            let guess = suggestion(sym, Array(model.products.keys))
            report(.testUnknownProduct, "unknown product `\(sym)`", at: tree.span(t), label: "not in the catalog",
                   help: guess.map { "did you mean `\($0)`?" } ?? "define it with `product \(sym) { ... }` or import the catalog")
            return nil
        }
        return Located(sym, tree.span(t))
    }

    /// A contract count of at least one.
    mutating func quantity(_ tree: SyntaxTree, _ t: TokenIndex) -> Int64? {
        let n = tree[t].payload
        guard n > 0 else {
            report(.nonPositiveLimit, "a quantity must be at least 1 contract, found `\(n)`", at: tree.span(t))
            return nil
        }
        return n
    }

    /// The item's values from `from` on, as an item named by the token before them, so that
    /// `values` checks `fill ES buy 2 at 6_000` as the setting `fill`.
    func tail(_ item: Item, from: Int) -> Item {
        Item(name: item.values[from - 1], values: Array(item.values.dropFirst(from)), block: nil, last: item.last)
    }

    func testTime(_ tree: SyntaxTree, _ t: TokenIndex) -> TestTime? {
        switch tree[t].kind {
        case .time: return .timeOfDay(tree[t].timeOfDay)
        case .dateTime: return .dateTime(tree[t].dateTime)
        default: return nil
        }
    }

    mutating func checkEvent(_ tree: SyntaxTree, _ s: Item) -> TestStep? {
        let example = "write `at 09:30 fill ES buy 2 at 6_000.25` (or `mark`, `order`, `cancel`, `admin`, `clock`, `cash`, `fee`, `reset`, `switch_category`)"
        guard s.values.count >= 2, let when = testTime(tree, s.values[0]) else {
            if let v = s.values.first, tree[v].kind == .invalid { return nil }
            let at = tree.span(s.values.first ?? s.name)
            report(.missingValue, "`at` needs a time and an event", at: at, label: "expected a time of day or a date-time and an event",
                   help: example)
            return nil
        }
        let kindToken = s.values[1]
        let kind = tree[kindToken].keyword
        let rest = tail(s, from: 2)
        let setting = tree.settingName(rest)
        let event: TestEvent
        switch kind {
        case .fill:
            // fill PRODUCT SIDE COUNT at PRICE [commission MONEY] [order ID]
            var shapes: [Shape] = [.productRef, .oneOf(.buy, .sell), .count, .word(.at), .number]
            var k = 5
            if rest.values.count > k, tree[rest.values[k]].keyword == .commission { shapes += [.word(.commission), .money]; k += 2 }
            if rest.values.count > k { shapes += [.word(.order), .orderID] }
            guard let v = values(tree, rest, shapes, setting: setting,
                                 help: "write `fill ES buy 2 at 6_000.25` (optionally `commission 5 USD`, then `order o1`)"),
                  let p = productName(tree, v[0]), let q = quantity(tree, v[2]) else { return nil }
            let commission = v.count > 5 && tree[v[5]].keyword == .commission ? tree[v[6]].money : nil
            let order = tree[v[v.count - 2]].keyword == .order && v.count > 5 ? tree.word(v[v.count - 1]) : nil
            event = .fill(product: p.value, quantity: tree[v[1]].keyword == .sell ? -q : q, price: tree[v[4]].decimal,
                          commission: commission, order: order)
        case .mark:
            guard let v = values(tree, rest, [.productRef, .number], setting: setting, help: "write `mark ES 5_990.25`"),
                  let p = productName(tree, v[0]) else { return nil }
            event = .mark(product: p.value, price: tree[v[1]].decimal)
        case .order:
            let types: [Keyword] = [.market, .limit, .stop]
            if let first = rest.values.first, types.contains(tree[first].keyword) {
                let type = tree[first].keyword.text
                report(.testRestingOrderIncomplete, "a `\(type)` order needs an id", at: tree.span(first), label: "no id before the type",
                       help: "write `order o1 \(type) ES buy 2 at 4_990`; fills and cancels name it by its id")
                return nil
            }
            if rest.values.count >= 2, types.contains(tree[rest.values[1]].keyword) {
                // order ID TYPE PRODUCT SIDE COUNT [at PRICE]
                let shapes: [Shape] = [.orderID, .anyOf(types), .productRef, .oneOf(.buy, .sell), .count]
                    + (rest.values.count > 5 ? [.word(.at), .number] : [])
                guard let v = values(tree, rest, shapes, setting: setting, help: "write `order o1 limit ES buy 2 at 4_990` (or `market`, `stop`)"),
                      let p = productName(tree, v[2]), let q = quantity(tree, v[4]),
                      let type = TestOrderType(rawValue: tree[v[1]].keyword.text) else { return nil }
                let price = v.count > 5 ? tree[v[6]].decimal : nil
                guard !type.rests || price != nil else {
                    needsPrice(tree, type, at: v[4], example: "order \(tree.word(v[0])) \(type) \(p.value) \(tree.text(v[3])) \(q) at 4_990")
                    return nil
                }
                event = .order(product: p.value, quantity: tree[v[3]].keyword == .sell ? -q : q, limit: price, id: tree.word(v[0]), type: type)
            } else {
                let shapes: [Shape] = rest.values.count > 3 ? [.productRef, .oneOf(.buy, .sell), .count, .word(.at), .number]
                    : [.productRef, .oneOf(.buy, .sell), .count]
                guard let v = values(tree, rest, shapes, setting: setting,
                                     help: "write `order ES buy 1` (optionally `at 6_000.25`), or `order o1 limit ES buy 1 at 6_000.25`"),
                      let p = productName(tree, v[0]), let q = quantity(tree, v[2]) else { return nil }
                event = .order(product: p.value, quantity: tree[v[1]].keyword == .sell ? -q : q, limit: v.count > 3 ? tree[v[4]].decimal : nil)
            }
        case .cancel:
            guard let v = values(tree, rest, [.orderID], setting: setting, help: "write `cancel o1` (the id of a working order)") else { return nil }
            event = .cancel(tree.word(v[0]))
        case .admin:
            guard rest.values.count >= 2, rest.values.count <= 3 else {
                _ = values(tree, rest, [.name, .name, .string], setting: setting, help: "write `admin lock Other \"chargeback under review\"`")
                return nil
            }
            let actionWord = tree.word(rest.values[0])
            let internalName = TestAdminAction.internalNames.contains(actionWord) ? actionWord : nil
            guard let action = TestAdminAction(word: actionWord) ?? (internalName != nil ? .normal : nil) else {
                let guess = suggestion(actionWord, TestAdminAction.words)
                report(.testUnknownWord, "unknown admin action `\(actionWord)`", at: tree.span(rest.values[0]), label: "not an admin action",
                       help: guess.map { "did you mean `\($0)`?" } ?? "use `normal`, `lock`, `liquidate` or `liquidate_only`")
                return nil
            }
            let code = tree.word(rest.values[1])
            guard tree[rest.values[1]].kind == .identifier, TestAdminAction.reasonCodes.contains(code) else {
                let guess = suggestion(code, TestAdminAction.reasonCodes)
                report(.testUnknownWord, "unknown admin reason code `\(code)`", at: tree.span(rest.values[1]), label: "not a reason code",
                       help: guess.map { "did you mean `\($0)`?" } ?? "most partners use `Other` with a reason in quotes")
                return nil
            }
            var reason: String?
            if rest.values.count == 3 {
                guard tree[rest.values[2]].kind == .string else {
                    _ = values(tree, rest, [.name, .name, .string], setting: setting)
                    return nil
                }
                reason = tree.stringValue(rest.values[2])
            }
            event = internalName.map { .internalAdmin(name: $0, reasonCode: code, reason: reason) } ?? .admin(action, reasonCode: code, reason: reason)
        case .clock:
            guard values(tree, rest, [], setting: setting) != nil else { return nil }
            event = .clock
        case .cash, .fee:
            guard let v = values(tree, rest, [.money], setting: setting, help: "write `\(setting) 25 USD`") else { return nil }
            let m = tree[v[0]].money
            event = .cash(kind == .fee ? -m : m)
        case .reset:
            guard let v = values(tree, rest, [.money], setting: setting, help: "write `reset 50_000 USD` (the new balance)") else { return nil }
            let m = tree[v[0]].money
            guard positive(m, tree.span(v[0]), "`reset`") else { return nil }
            event = .reset(m)
        case .switchCategory:
            guard let v = values(tree, rest, [.name], setting: setting, help: "write `switch_category eval_10_minis`") else { return nil }
            let n = tree.word(v[0])
            guard model.riskCategories[n] != nil else {
                let guess = suggestion(n, Array(model.riskCategories.keys))
                report(.testUnknownCategory, "no risk category `\(n)` in the rulebook under test", at: tree.span(v[0]),
                       label: "unknown risk category", help: guess.map { "did you mean `\($0)`?" } ?? "name a `risk_category` of the rulebook")
                return nil
            }
            event = .switchCategory(n)
        case .payout:
            guard let v = values(tree, rest, [.money], setting: setting, help: "write `payout 1_000 USD`") else { return nil }
            let m = tree[v[0]].money
            guard positive(m, tree.span(v[0]), "a payout") else { return nil }
            event = .payout(m)
        default:
            report(.wrongType, "`at` expects an event, found \(describe(tree[kindToken], tree, kindToken))", at: tree.span(kindToken),
                   label: "not an event", help: example)
            return nil
        }
        return TestStep(at: Located(when, tree.span(s.values[0])), event: event, span: tree.span(of: s), expectation: nil)
    }
}
