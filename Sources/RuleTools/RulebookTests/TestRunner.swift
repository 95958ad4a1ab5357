import RuleBase
import RuleSemantics
import RuleGraph
import RuleEngine

/// Runs rulebook tests (`test` blocks, grammar.ebnf section 4) through the post-trade engine and
/// collects coverage. Pure: the rulebooks come checked, zones come from `zone` (the CLI loads
/// them from the host tz database), and the same tests give the same report.
///
///     var session = TestSession(zone: { ZoneRules.load(identifier: $0) })
///     session.run(checkedRulebook)        // once per test file, each its own rulebook
///     let report = session.report()
public struct TestSession: Sendable {
    let zone: @Sendable (String) -> ZoneRules?
    var results: [TestResult] = []
    var tables: [String: CoverageTable] = [:]
    /// Templates defined in a file given to the session, and the templates something extends:
    /// a defined template nobody extends is an account template, and should have a test.
    var defined: [String: TestSourceLine] = [:]
    var parents: Set<String> = []
    /// Zones by name, loaded once per session.
    var zones: [String: ZoneRules?] = [:]
    /// Pre-trade checks by template: their time-period tables are built once, not per test.
    var checks: [RuleGraph: PreTradeCheck] = [:]

    public init(zone: @escaping @Sendable (String) -> ZoneRules?) { self.zone = zone }

    /// Runs the tests written in the rulebook's entry files, in file and source order.
    public mutating func run(_ rb: CheckedRulebook) {
        for t in rb.templates.values {
            if let p = t.parent { parents.insert(p.value) }
            if rb.entryFiles.contains(t.name.span.file), defined[t.name.value] == nil {
                defined[t.name.value] = TestSourceLine(rb.sources, t.name.span)
            }
        }
        let graphs = Dictionary(Lowering.lower(rb).map { ($0.template, $0) }, uniquingKeysWith: { a, _ in a })
        let tests = rb.tests.filter { rb.entryFiles.contains($0.span.file) }
            .sorted { ($0.span.file, $0.span.start) < ($1.span.file, $1.span.start) }
        for test in tests {
            guard let graph = graphs[test.template.value], let effective = rb.effective(test.template.value) else { continue }
            if tables[effective.name.value] == nil { tables[effective.name.value] = CoverageTable(effective, in: rb) }
            var table = tables[effective.name.value] ?? CoverageTable(template: effective.name.value)
            table.tested = true
            let zoneName = graph.calendar?.timezone ?? "UTC"
            if zones[zoneName] == nil { zones[zoneName] = zoneName == "UTC" ? ZoneRules.utc : zone(zoneName) }
            let zone = zones[zoneName] ?? nil
            if checks[graph] == nil, let z = zone { checks[graph] = PreTradeCheck(graph: graph, zone: z) }
            var run = TestRun(test: test, graph: graph, template: effective, rulebook: rb, zone: zone, preTrade: checks[graph])
            results.append(run.run(&table))
            tables[effective.name.value] = table
        }
    }

    /// The results so far, with coverage: each tested template's settings, and each account
    /// template (defined, extended by none) that no test names, with its settings unexercised.
    public func report() -> TestRunReport {
        var all = tables
        for (name, source) in defined where all[name] == nil && !parents.contains(name) {
            var t = CoverageTable(template: name)
            t.add("template", "template \(name) (no test names it)", source)
            all[name] = t
        }
        return TestRunReport(results: results, coverage: all.keys.sorted().compactMap { all[$0]?.coverage })
    }
}

/// One test's replay.
struct TestRun {
    let test: RulebookTest
    let graph: RuleGraph
    let template: EffectiveTemplate
    let rulebook: CheckedRulebook
    /// The calendar's zone; nil when the host's tz database lacks it.
    let zone: ZoneRules?
    let preTrade: PreTradeCheck?

    init(test: RulebookTest, graph: RuleGraph, template: EffectiveTemplate, rulebook: CheckedRulebook, zone: ZoneRules?,
         preTrade: PreTradeCheck? = nil) {
        self.preTrade = preTrade
        self.test = test
        self.graph = graph
        self.template = template
        self.rulebook = rulebook
        self.zone = zone
    }

    func line(_ span: Span) -> TestSourceLine { TestSourceLine(rulebook.sources, span) }

    func result(_ failure: TestFailure?) -> TestResult {
        TestResult(name: test.name.value, source: line(test.span), template: template.name.value, failure: failure)
    }

    /// A failure that stops the test before or at an event.
    func stop(_ at: Span?, _ expected: String, _ actual: String) -> TestResult {
        let event = at.map(line)
        return result(TestFailure(event: event, mismatches: [Mismatch(line: event?.line ?? line(test.span).line,
                                                                     expected: expected, actual: actual)]))
    }

    mutating func run(_ table: inout CoverageTable) -> TestResult {
        let zoneName = graph.calendar?.timezone ?? "UTC"
        guard let rules = zone else {
            return stop(nil, "the calendar's time zone `\(zoneName)`", "not in this system's tz database")
        }
        let calendar = TradingCalendar(CalendarRules(graph.calendar, zone: rules))
        let start = test.start.value.instant ?? rules.resolve(date: test.start.value.date, time: test.start.value.time)

        // The starting account: README "State file" defaults.
        let economics = graph.products.map {
            ProductEconomics(pointValue: $0.pointValue, dayMargin: $0.dayMargin, overnightMargin: $0.overnightMargin)
        }
        guard let balance = test.state.balance?.value ?? graph.startingBalance else {
            return stop(nil, "a starting balance", "none: the template has no starting_balance")
        }
        if test.state.balance == nil { table.exercised.insert(CoverageKey.field(.startingBalance)) }
        let sod = test.state.dayStart ?? balance
        let sow = test.state.weekStart ?? sod
        let hwm = test.state.highWaterMark ?? graph.startingBalance.map { max($0, sow) } ?? sow
        var account = AccountState(productCount: graph.products.count, balance: balance,
                                   commissionPerContract: test.state.commission ?? .zero)
        account.setAnchors(dayStart: sod, weekStart: sow, highWaterMark: hwm)
        for p in test.state.positions {
            guard let i = graph.productIndex(p.product.value), let price = Price(p.price),
                  let pos = Position(quantity: p.quantity, averagePrice: price) else {
                return stop(p.product.span, "position in `\(p.product.value)`", "does not fit (price or quantity out of range)")
            }
            account.setPosition(Int(i), pos, mark: p.mark.flatMap { Price($0) } ?? price, economics: economics)
        }

        var working: [WorkingOrder] = []
        for w in test.state.working {
            guard let i = graph.productIndex(w.product.value), let order = workingOrder(w, product: i, at: start) else {
                return stop(w.id.span, "working order `\(w.id.value)`", "does not fit (price or quantity out of range)")
            }
            working.append(order)
        }
        var engine = PostTradeEngine(graph: graph, calendar: calendar, account: account, at: start, preTrade: preTrade,
                                     workingOrders: working)
        if let m = test.state.mode {
            let mode: AccountModeKind = m.mode == .locked ? .locked : .liquidateOnly
            if let rule = m.rule {
                let probe = ExpectationChecker(graph: graph, template: template, rulebook: rulebook, zone: rules)
                guard let i = graph.testFields.indices.first(where: { probe.matches(rule, test: Int32($0)) }) else {
                    return stop(m.span, "the start's cause `\(rule)`", "not a threshold of the rule graph")
                }
                engine.assumeRestricted(.test(Int32(i)), mode: mode)
            } else {
                engine.assumeRestricted(.admin(mode == .locked ? .lockTradingImmediately : .liquidateOnlyModeImmediately), mode: mode)
            }
        }
        var tracker = CoverageTracker(graph: graph, template: template, rulebook: rulebook, zone: rules, start: engine.snapshot)
        let checker = ExpectationChecker(graph: graph, template: template, rulebook: rulebook, zone: rules)
        if let e = test.initial {
            let mismatches = checker.check(e, after: nil, event: nil, engine: engine, items: [], refusal: nil, date: rules.localDate(at: start))
            if !mismatches.isEmpty { return result(TestFailure(event: nil, mismatches: mismatches)) }
        }

        var last = start
        var out = Outcome()
        var switched = false
        for step in test.steps {
            let at: Instant
            switch step.at.value {
            case let .timeOfDay(t): at = rules.resolve(date: rules.localDate(at: last), time: t)
            case let .dateTime(d): at = d.instant ?? rules.resolve(date: d.date, time: d.time)
            }
            guard at >= last else {
                return stop(step.span, "an event at or after \(Self.format(last, rules))", "\(Self.format(at, rules)), earlier: events must be in time order")
            }
            last = at
            guard let event = makeEvent(step.event, at: at) else {
                return stop(step.span, "an event the engine can take", "a price or amount out of range")
            }
            out.removeAll()
            // A refused event changes nothing (the boundaries before it have fired).
            let refusal = engine.apply(event, into: &out)
            let items = Array(out.items)
            tracker.record(out, engine: engine, categorySwitched: switched, into: &table)
            // Once another category is in force, orders no longer exercise the template's own.
            for case let .categorySwitched(name, _) in items { switched = name != graph.riskCategory?.name }
            var mismatches: [Mismatch] = []
            // A refusal fails the test unless the test expects it (`refused`).
            if let r = refusal, !(step.expectation?.expectsRefusal ?? false) {
                mismatches.append(Mismatch(line: line(step.span).line, expected: "the event applied",
                                           actual: checker.refusalText(r)))
            }
            if let e = step.expectation {
                mismatches += checker.check(e, after: step, event: event, engine: engine, items: items, refusal: refusal,
                                            date: rules.localDate(at: at))
            }
            if !mismatches.isEmpty { return result(TestFailure(event: line(step.span), mismatches: mismatches)) }
        }
        return result(nil)
    }

    func makeEvent(_ e: TestEvent, at: Instant) -> Event? {
        func index(_ s: String) -> Int32? { graph.productIndex(s) }
        switch e {
        case let .fill(product, quantity, price, commission, order):
            guard let i = index(product), let p = Price(price) else { return nil }
            return Event(at: at, .fill(Fill(product: i, quantity: quantity, price: p, commission: commission, orderID: order)))
        case let .mark(product, price):
            guard let i = index(product), let p = Price(price) else { return nil }
            return Event(at: at, .mark(Mark(product: i, price: p)))
        case let .order(product, quantity, limit, id, type):
            guard let i = index(product) else { return nil }
            var lp: Price?
            if let l = limit {
                guard let p = Price(l) else { return nil }
                lp = p
            }
            return Event(at: at, .order(OrderRequest(product: i, quantity: quantity, limitPrice: lp, id: id, type: type.engine)))
        case let .cancel(id):
            return Event(at: at, .cancel(id))
        case let .admin(action, code, reason):
            let kind: AdminAction.Kind = switch action {
            case .normal: .normal
            case .lockTradingImmediately: .lockTradingImmediately
            case .liquidateImmediately: .liquidateImmediately
            case .liquidateOnlyModeImmediately: .liquidateOnlyModeImmediately
            }
            guard let rc = AdminAction.ReasonCode(name: code) else { return nil }
            return Event(at: at, .admin(AdminAction(kind, reasonCode: rc, reason: reason)))
        case let .internalAdmin(name, code, reason):
            guard let rc = AdminAction.ReasonCode(name: code) else { return nil }
            return Event(at: at, .admin(AdminAction(internal: name, reasonCode: rc, reason: reason)))
        case let .reset(m):
            return Event(at: at, .reset(m))
        case .clock:
            return Event(at: at, .clock)
        case let .cash(m):
            return Event(at: at, .cash(m))
        case let .switchCategory(name):
            return Event(at: at, .switchCategory(name))
        case let .payout(m):
            return Event(at: at, .payout(m))
        }
    }

    /// A working order of the start, placed at the test's start; nil when its numbers do not fit.
    func workingOrder(_ w: TestWorkingOrder, product: Int32, at start: Instant) -> WorkingOrder? {
        var price: Price?
        if let p = w.price {
            guard let x = Price(p) else { return nil }
            price = x
        }
        let q = Int64(w.quantity.magnitude)
        guard q > 0, q <= Int64(Order.maxQuantity) else { return nil }
        return WorkingOrder(id: w.id.value, product: product, side: w.quantity > 0 ? .buy : .sell, type: w.type.engine,
                            price: w.type.rests ? price : nil, quantity: q, remaining: w.remaining, placedAt: start)
    }

    /// `2026-11-24T17:00-06:00`: an instant in the calendar's zone, seconds only when set.
    static func format(_ t: Instant, _ zone: ZoneRules) -> String {
        let off = zone.offset(at: t)
        let (d, time) = zone.local(at: t)
        return "\(d)T\(time)\(UTCOffset(seconds: off))"
    }
}
