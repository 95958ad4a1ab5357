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
            case let .liquidated(product, quantity, price):
                let ls = liquidations(items)
                let ok = ls.contains { l in
                    symbol(l.product) == product && l.quantity.magnitude == quantity.magnitude
                        && (price.flatMap { Price($0) }.map { $0 == l.price } ?? true)
                }
                if !ok { fail(ls.isEmpty ? "no liquidation" : ls.map(liquidationText).joined(separator: ", ")) }
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
            case let .position(product, quantity):
                let q = graph.productIndex(product).map { Int(engine.account.positions[Int($0)].quantity) } ?? 0
                if Int64(q) != quantity { fail("position \(product) \(positionText(Int64(q)))") }
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

    func matches(_ rule: TestRule, _ b: Breach) -> Bool {
        guard Int(b.test) < graph.testFields.count else { return false }
        let f = graph.testFields[Int(b.test)]
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

    func liquidationText(_ l: Liquidation) -> String {
        "liquidated \(symbol(l.product)) \(l.quantity.magnitude) at \(DecimalNumber(mantissa: l.price.micros, scale: Price.scaleDigits).canonicalText)"
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

extension DecimalNumber {
    /// Without trailing zeros, grouped as a rulebook writes it: `5_990.25`, `21_000`.
    var canonicalText: String {
        var m = mantissa, s = Int(scale)
        while s > 0 && m % 10 == 0 { m /= 10; s -= 1 }
        return DecimalNumber.format(m, scale: s, group: true)
    }
}
