import RuleBase
import RuleSemantics
import RuleGraph
import RuleEngine

/// Compares an `expect` block with what the engine decided at one event: every step the event
/// caused (clock boundaries passed on the way included) and the account after it.
struct ExpectationChecker {
    let graph: RuleGraph
    let template: EffectiveTemplate
    let rulebook: CheckedRulebook
    let zone: ZoneRules

    init(graph: RuleGraph, template: EffectiveTemplate, rulebook: CheckedRulebook, zone: ZoneRules) {
        self.graph = graph
        self.template = template
        self.rulebook = rulebook
        self.zone = zone
    }

    /// The expectations that did not hold, in written order. `date` is the local date of the
    /// event, for `unlocks` written as a time of day.
    /// `refusal` is the engine's answer to an event it refused (nothing applied).
    func check(_ e: TestExpectation, after step: TestStep?, event: Event?, engine: PostTradeEngine, items: [DecisionItem],
               refusal: LifecycleError?, date: CivilDate) -> [Mismatch] {
        var out: [Mismatch] = []
        let snap = engine.snapshot
        for a in e.assertions {
            let written = TestSourceLine(rulebook.sources, a.span)
            func fail(_ actual: String) { out.append(Mismatch(line: written.line, expected: written.text, actual: actual)) }
            switch a.value {
            case let .mode(m):
                if snap.mode.description != m.rawValue { fail("mode \(modeText(snap))") }
            case let .rule(rule, breached):
                let hit = breaches(items).contains { matches(rule, $0) }
                if hit != breached { fail(breachText(items)) }
            case let .liquidated(w):
                let ls = liquidations(items)
                let ok = ls.contains { l in
                    symbol(l.product) == w.product && l.quantity.magnitude == w.quantity.magnitude
                        && (w.sell.map { $0 == (l.quantity < 0) } ?? true)
                        && (w.price.flatMap { Price($0) }.map { $0 == l.price } ?? true)
                        && (w.realized.map { $0 == l.realized } ?? true)
                        && (w.commission.map { $0 == l.commission } ?? true)
                }
                if !ok { fail(ls.isEmpty ? "no liquidation" : ls.map { liquidationText($0, full: true) }.joined(separator: ", ")) }
            case let .admin(applied, code):
                let rejections = items.compactMap { item -> AdminAction.Rejection? in
                    if case let .adminRejected(r) = item { return r }
                    return nil
                }
                let wasApplied = items.contains { if case .admin = $0 { return true }; return false }
                let actual = wasApplied ? "admin applied" : rejections.first.map { "admin refused \($0.code): \($0)" } ?? "no admin action at this event"
                if applied ? !wasApplied : !(rejections.contains { r in code.map { $0.rawValue == r.code } ?? true }) { fail(actual) }
            case let .released(rule):
                let causes = items.compactMap { item -> Cause? in
                    if case let .released(c) = item { return c }
                    return nil
                }
                let hit = causes.contains { c in
                    switch (c.origin, rule) {
                    case (.admin, nil): return true
                    case let (.test(i), r?): return matches(r, test: i)
                    default: return false
                    }
                }
                if !hit { fail(causes.isEmpty ? "nothing released" : causes.map(releasedText).joined(separator: ", ")) }
            case let .tradeDate(d):
                if snap.tradeDate != d { fail("trade_date \(snap.tradeDate)") }
            case .nothing:
                let acted = items.compactMap { item -> String? in
                    switch item {
                    case .breach: return breachText(items)
                    case let .flatten(c): return "flattened \(flattenText(c))"
                    case let .liquidated(l): return liquidationText(l)
                    default: return nil
                    }
                }
                if !acted.isEmpty { fail(Array(NSOrderedSetFree.unique(acted)).joined(separator: ", ")) }
            case let .limit(rule, dollars):
                let ms = engine.measures()
                guard let i = graph.testFields.indices.first(where: { matches(rule, test: Int32($0)) }), i < ms.count, ms[i].unit == .money else {
                    fail("no such threshold")
                    break
                }
                let now = Money(units: ms[i].limit)
                if now != dollars { fail("limit \(rule.tier) \(rule.metric.map(\.description) ?? "") \(now.rulebookText)") }
            case let .flattened(cause):
                let causes = items.compactMap { item -> String? in
                    guard case let .flatten(c) = item else { return nil }
                    return flattenText(c)
                }
                if !causes.contains(cause.rawValue) {
                    fail(causes.isEmpty ? "no flatten" : causes.map { "flattened \($0)" }.joined(separator: ", "))
                }
            case .orderAccepted, .orderRejected:
                let verdict = OrderVerdict.of(items)
                let actual = verdictText(verdict)
                switch (a.value, verdict) {
                case (.orderAccepted, .decided(.accepted)):
                    break
                case let (.orderRejected(wanted), .decided(.rejected(r))):
                    if let w = wanted, w.rawValue != r.kind.code { fail(actual) }
                default:
                    fail(actual)
                }
            case let .unlocks(u):
                if let m = unlockMismatch(u, snap, date: date) { fail(m) }
            case let .figure(f, m):
                let actual: Money? = switch f {
                case .balance: snap.balance
                case .netLiq: snap.netLiq
                case .dayStart: snap.dayStart
                case .weekStart: snap.weekStart
                case .highWaterMark: snap.highWaterMark
                case .trailingLevel: snap.trailingLevel
                }
                if actual != m { fail("\(f.rawValue) \(actual?.rulebookText ?? "none")") }
            case let .position(product, quantity, average):
                let p = graph.productIndex(product).map { engine.account.positions[Int($0)] }
                let q = p?.quantity ?? 0
                let avg = p?.averagePrice
                let avgText = avg.map { " at \(DecimalNumber(mantissa: $0.micros, scale: Price.scaleDigits).canonicalText)" } ?? ""
                if q != quantity || (average.map { Price($0) != avg } ?? false) {
                    fail("position \(product) \(positionText(q))" + (average != nil ? avgText : ""))
                }
            case .working, .notWorking, .workingCount, .cancelled, .notCancelled, .refused:
                if let m = lifecycleMismatch(a.value, engine: engine, items: items, refusal: refusal) { fail(m) }
            case let .evaluation(e):
                if let m = evaluationMismatch(e, snap, items) { fail(m) }
            }
        }
        return out
    }

    // MARK: Reading the engine's items

    func breaches(_ items: [DecisionItem]) -> [Breach] {
        items.compactMap { if case let .breach(b) = $0 { return b } else { return nil } }
    }

    func liquidations(_ items: [DecisionItem]) -> [Liquidation] {
        items.compactMap { if case let .liquidated(l) = $0 { return l } else { return nil } }
    }

    func matches(_ rule: TestRule, _ b: Breach) -> Bool { matches(rule, test: b.test) }

    /// Whether the graph's test `i` is the rule's threshold.
    func matches(_ rule: TestRule, test i: Int32) -> Bool {
        guard i >= 0, Int(i) < graph.testFields.count else { return false }
        let f = graph.testFields[Int(i)]
        guard let metric = rule.metric else { return f.metric == .trailing }
        return f.metric.rawValue == UInt8(metric.rawValue) && f.metric != .trailing && Int(f.tier.rawValue) == rule.tier.rawValue
            && (rule.percent.map { $0 == f.percent } ?? true)
    }

    func symbol(_ i: Int32) -> String { i >= 0 && Int(i) < graph.products.count ? graph.products[Int(i)].symbol : "?" }

    // MARK: Text, in the test file's own words

    func modeText(_ s: Snapshot) -> String { s.mode.description }

    /// `alert daily_loss 600 USD, liquidate_only daily_loss 800 USD`, or `no breach`.
    func breachText(_ items: [DecisionItem]) -> String {
        let bs = breaches(items)
        guard !bs.isEmpty else { return "no breach" }
        return bs.map { b in
            guard Int(b.test) < graph.testFields.count else { return "test \(b.test)" }
            let key = graph.testFields[Int(b.test)].fieldKey
            guard let f = template.field(key) else { return key.description }
            if case .trailingAmount = key { return "auto_liquidate trailing_drawdown \(f.value)" }
            if case let .threshold(t, m, _) = key { return "\(t) \(m) \(f.value)" }
            return key.description
        }.joined(separator: ", ")
    }

    func liquidationText(_ l: Liquidation, full: Bool = false) -> String {
        let price = DecimalNumber(mantissa: l.price.micros, scale: Price.scaleDigits).canonicalText
        guard full else { return "liquidated \(symbol(l.product)) \(l.quantity.magnitude) at \(price)" }
        let pnl = l.realized.units < 0 ? "loss \(Money(units: -l.realized.units).rulebookText)" : "profit \(l.realized.rulebookText)"
        return "liquidated \(symbol(l.product)) \(l.quantity < 0 ? "sell" : "buy") \(l.quantity.magnitude) at \(price) realized \(pnl) commission \(l.commission.rulebookText)"
    }

    /// `released auto_liquidate daily_loss`, `released admin`: a cause as a test names it.
    func releasedText(_ c: Cause) -> String {
        switch c.origin {
        case .admin: return "released admin"
        case let .test(i):
            guard Int(i) < graph.testFields.count else { return "released test \(i)" }
            let key = graph.testFields[Int(i)].fieldKey
            if case .trailingAmount = key { return "released auto_liquidate trailing_drawdown" }
            if case let .threshold(t, m, _) = key { return "released \(t) \(m)" }
            return "released \(key)"
        }
    }

    func flattenText(_ c: FlattenCause) -> String {
        switch c {
        case .autoLiquidate: return "auto_liquidate"
        case .admin: return "admin"
        case .flattenAt: return "flatten_at"
        case .timePeriod: return "time_period"
        case .firm(let f): return f.name
        }
    }

    func verdictText(_ v: OrderVerdict) -> String {
        switch v {
        case .none: return "no order at this event"
        case .invalid: return "an order the engine could not check (quantity out of range)"
        case .decided(.accepted): return "order accepted"
        case let .decided(.rejected(r)): return "order rejected \(r.kind.code)"
        }
    }

    func positionText(_ q: Int64) -> String { q == 0 ? "flat" : q > 0 ? "long \(q)" : "short \(q.magnitude)" }

    func unlockMismatch(_ u: TestUnlock, _ s: Snapshot, date: CivilDate) -> String? {
        guard let cause = s.governing, s.mode != .normal else { return "not restricted (mode normal)" }
        let actual: String
        switch cause.release {
        case .manual: actual = "unlocks manual"
        case .permanent: actual = "unlocks never"
        case .stateBased, .none: actual = "unlocks when the condition clears"
        case .nextSessionOpen, .nextWeekStart:
            actual = cause.releaseAt.map { "unlocks \(TestRun.format($0, zone))" } ?? "unlocks at an unknown instant"
        }
        switch u {
        case .manual: return cause.release == .manual ? nil : actual
        case .never: return cause.release == .permanent ? nil : actual
        case let .at(t):
            let wanted: Instant
            switch t {
            case let .timeOfDay(tod): wanted = zone.resolve(date: date, time: tod)
            case let .dateTime(d): wanted = d.instant ?? zone.resolve(date: d.date, time: d.time)
            }
            return cause.releaseAt == wanted && (cause.release == .nextSessionOpen || cause.release == .nextWeekStart) ? nil : actual
        }
    }
}

/// Order-preserving de-duplication of short lists.
enum NSOrderedSetFree {
    static func unique(_ xs: [String]) -> [String] {
        var seen = Set<String>()
        return xs.filter { seen.insert($0).inserted }
    }
}

extension DecimalNumber {
    /// Without trailing zeros, grouped as a rulebook writes it: `5_990.25`, `21_000`.
    var canonicalText: String {
        var m = mantissa, s = Int(scale)
        while s > 0 && m % 10 == 0 { m /= 10; s -= 1 }
        return DecimalNumber.format(m, scale: s, group: true)
    }
}
