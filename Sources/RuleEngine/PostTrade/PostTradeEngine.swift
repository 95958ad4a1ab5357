import RuleBase
import RuleGraph

/// The post-trade state machine of one account (domain.md §2–§3): `apply(event)` first fires
/// every clock boundary up to the event's instant (boundaries before events at equal instants,
/// R-19), then applies the event and evaluates every threshold of the rule graph.
///
/// Pure and deterministic: time comes in on every event; the calendar (with its zone rules) is
/// built by the caller. The threshold tests run through `ThresholdKernel`; an evaluation where
/// nothing new is breached allocates nothing and touches no cause.
///
/// Orders go through `preTrade` (built once from the graph and the calendar's zone) against the
/// engine itself as the `PreTradeState`: positions from the account, the mode from the
/// restriction set, working quantities from the order book. An accepted order with an id
/// joins the book (`OrderBook`); fills that name it, cancel events and the rules take it out.
/// A category switch replaces `preTrade` with the new category's check, cancels the working
/// orders and liquidates the excess over its limits.
public struct PostTradeEngine: Sendable {
    /// What every engine of the template shares (graph, kernel, calendar, masks, the default
    /// pre-trade check), behind one reference: thousands of accounts of one template hold one
    /// copy, and an engine stays a few hundred bytes of its own state.
    public let program: EngineProgram
    public var graph: RuleGraph { program.graph }
    public var kernel: ThresholdKernel { program.kernel }
    public var calendar: TradingCalendar { program.calendar }
    public var economics: [ProductEconomics] { program.economics }
    public internal(set) var account: AccountState
    public private(set) var restrictions: Restrictions
    /// The account's working orders.
    public internal(set) var book: OrderBook
    /// The pre-trade check in force: the template's risk category, or the one switched to.
    public private(set) var preTrade: PreTradeCheck
    /// The engine's clock: the instant of the last step.
    public internal(set) var now: Instant
    /// The current trade date (of the latest session open).
    public private(set) var tradeDate: CivilDate
    /// Tests that fired in their period and may not fire again until it ends.
    public private(set) var latched: UInt64 = 0
    var schedule: BoundarySchedule
    var latchable: UInt64 { program.latchable }
    var dailyRearm: UInt64 { program.dailyRearm }
    var weeklyRearm: UInt64 { program.weeklyRearm }
    var realTimeTrailing: Bool { program.realTimeTrailing }
    var eodTrailing: Bool { program.eodTrailing }
    /// The firm's rules in force (Objectives/FirmEngine.swift): evaluation, scaling tier, news.
    public internal(set) var firm: FirmState
    /// The firm's boundaries (news-window starts, flat-by times); empty for most templates.
    var firmClock: FirmBoundaries
    let hasFirm: Bool

    /// An engine for `account` as it stands at `start`. Boundaries at or before `start` are taken
    /// as already applied; a `flatten_at` at or before `start` never fires.
    ///
    /// - Parameter preTrade: the order check; by default `PreTradeCheck(graph:zone:)` with the
    ///   calendar's zone and the standard policy. Pass one to share its time-period table
    ///   between engines of the same template or to use another policy.
    public init(graph: RuleGraph, calendar: TradingCalendar, account: AccountState, at start: Instant,
                restrictions: Restrictions = Restrictions(), preTrade: PreTradeCheck? = nil,
                workingOrders: [WorkingOrder] = [], evaluation: EvaluationState? = nil) {
        self.init(program: EngineProgram(graph: graph, calendar: calendar, preTrade: preTrade), account: account, at: start,
                  restrictions: restrictions, workingOrders: workingOrders, evaluation: evaluation)
    }

    /// An engine of `program`'s template for `account` as it stands at `start` (the cheap way to
    /// start many accounts of one template).
    public init(program: EngineProgram, account: AccountState, at start: Instant,
                restrictions: Restrictions = Restrictions(), workingOrders: [WorkingOrder] = [],
                evaluation: EvaluationState? = nil) {
        self.program = program
        self.preTrade = program.preTrade
        self.now = start
        self.tradeDate = program.calendar.tradeDate(at: start)
        self.restrictions = restrictions
        var book = OrderBook(productCount: program.graph.products.count)
        for o in workingOrders where o.remaining > 0 { book.add(o) }
        self.book = book
        self.schedule = BoundarySchedule(program, start: start)
        var a = account
        a.setOvernight(program.windows?.contains(start) ?? false, program.economics)
        self.account = a
        self.hasFirm = !program.graph.firm.isEmpty
        let firm = Self.initialFirmState(graph: program.graph, calendar: program.calendar, account: a, evaluation: evaluation)
        self.firm = firm
        var clock = Self.firmBoundaries(graph: program.graph, calendar: program.calendar, firm: firm)
        clock.start(after: start)
        self.firmClock = clock
    }

    /// The next clock boundary's instant (`Int64.max` millis when none).
    public var nextBoundary: Instant { schedule.next }

    // MARK: Stepping

    /// Fires the boundaries up to `event.at`, applies the event, evaluates; appends one step per
    /// boundary and one for the event. An event earlier than the clock is applied at the clock.
    ///
    /// An event that contradicts the order lifecycle (`LifecycleError`) changes nothing and adds
    /// no event step; the boundaries before it have fired (they are due whatever the event).
    @discardableResult
    public mutating func apply(_ event: Event, into out: inout Outcome) -> LifecycleError? {
        advance(to: event.at, into: &out)
        if let e = lifecycleError(event) { return e }
        let first = out.itemCount
        switch event.kind {
        case .fill(let f):
            let i = Int(f.product)
            var bookIndex: Int?
            if let id = f.orderID {
                bookIndex = book.index(of: id)
                if bookIndex == nil, let e = book.ending(of: id) {
                    // Rejected or cancelled by these rules (lifecycleError let nothing else through).
                    out.append(.fillIgnored(id: id, ending: e.ending))
                    break
                }
            }
            let commission = f.commission ?? Money(units: account.commissionPerContract.units &* Int64(truncatingIfNeeded: f.quantity.magnitude))
            if account.fill(i, quantity: f.quantity, price: f.price, commission: commission, economics) == nil {
                out.append(.fillRejected)
            } else {
                if let k = bookIndex { book.fill(at: k, quantity: Int64(f.quantity.magnitude), at: now) }
                if hasFirm { firm.evaluation?.tradedToday = true }
            }
        case .cancel(let id):
            if let k = book.index(of: id) {
                out.append(.cancelled(Cancellation(order: book.cancel(at: k, cause: .request, at: now), cause: .request)))
            } else if let e = book.ending(of: id) {
                out.append(.cancelIgnored(id: id, ending: e.ending))
            }
        case .mark(let m):
            account.mark(Int(m.product), m.price, economics)
        case .admin(let a):
            applyAdmin(a, &out)
        case .clock:
            break
        case .cash(let amount):
            account.adjustBalance(amount)
        case .order(let o):
            if let order = o.order {
                var d = preTrade.check(order: order, account: self, at: now)
                if hasFirm, d.isAccepted { d = firmCheck(order) }
                out.append(.order(o, d))
                if let id = o.id {
                    if let r = d.rejection {
                        book.rejected(id: id, product: o.product, kind: r.kind, at: now)
                    } else {
                        book.add(WorkingOrder(id: id, product: o.product, side: order.side, type: o.type,
                                              price: o.type.rests ? o.limitPrice : nil, quantity: order.quantity, placedAt: now))
                    }
                }
            } else {
                out.append(.orderInvalid(o))
            }
        case .switchCategory(let name):
            switchCategory(name, &out)
        case .reset(let balance):
            account.adjustBalance(Money(units: balance.units &- account.balance.units))
            let n = account.netLiq
            account.setAnchors(dayStart: n, weekStart: n, highWaterMark: n)
        case .payout(let amount):
            payout(amount, &out)
        }
        evaluate(&out)
        out.append(Step(at: now, origin: .event, snapshot: snapshot, items: first..<out.itemCount))
        return nil
    }

    /// Why `event` contradicts the order lifecycle as the book stands, or nil. Pure.
    public func lifecycleError(_ event: Event) -> LifecycleError? {
        switch event.kind {
        case .order(let o):
            if o.type.rests {
                guard o.id != nil else { return .missingID(type: o.type) }
                guard o.limitPrice != nil else { return .missingPrice(type: o.type) }
            }
            if let id = o.id, let w = book.working(id) { return .duplicateOrder(id: id, placedAt: w.placedAt) }
            return nil
        case .fill(let f):
            guard let id = f.orderID else { return nil }
            if let w = book.working(id) {
                let side: OrderSide = f.quantity > 0 ? .buy : .sell
                if w.product != f.product || w.side != side { return .fillMismatch(id: id, order: w) }
                if Int64(f.quantity.magnitude) > w.remaining {
                    return .overfill(id: id, remaining: w.remaining, quantity: Int64(f.quantity.magnitude))
                }
                return nil
            }
            guard let e = book.ending(of: id) else { return .unknownOrder(id: id) }
            if case .filled = e.ending { return .alreadyFilled(id: id, at: e.at) }
            return nil
        case .cancel(let id):
            if book.working(id) != nil { return nil }
            guard let e = book.ending(of: id) else { return .unknownOrder(id: id) }
            switch e.ending {
            case .filled: return .alreadyFilled(id: id, at: e.at)
            case .cancelled(.request): return .alreadyCancelled(id: id, at: e.at)
            case .cancelled, .rejected: return nil
            }
        default:
            return nil
        }
    }

    /// Fires every boundary in (now, t], in order, each as its own step.
    public mutating func advance(to t: Instant, into out: inout Outcome) {
        while schedule.next <= t || firmClock.next <= t {
            // A firm boundary at the instant of a clock boundary comes after it.
            if firmClock.next < schedule.next {
                let b = firmClock.pop()
                processFirm(b, &out)
            } else {
                let b = schedule.pop()
                process(b, &out)
            }
        }
        if t > now { now = t }
    }

    mutating func process(_ b: ClockBoundary, _ out: inout Outcome) {
        now = b.at
        let first = out.itemCount
        let modeBefore = restrictions.mode
        switch b.origin {
        case .timePeriodStart:
            account.setOvernight(true, economics)
            if !account.isFlat || !book.isEmpty { flatten(.timePeriod, &out) }
        case .timePeriodStop:
            account.setOvernight(false, economics)
        case .flattenAt:
            flatten(.flattenAt, &out)
        case .endOfDay:
            if eodTrailing { account.raiseHighWaterMark(to: account.netLiq) }
            if hasFirm { firmEndOfDay() }
        case .sessionOpen(let d):
            if hasFirm { firmSessionOpen(&out) }
            release(.nextSessionOpen, &out)
            tradeDate = d
            account.setDayStart(account.netLiq)
            latched &= ~dailyRearm
        case .weekStart:
            release(.nextWeekStart, &out)
            account.setWeekStart(account.netLiq)
            latched &= ~weeklyRearm
        case .event, .firm:
            break
        }
        if restrictions.mode != modeBefore { out.append(.modeChanged(from: modeBefore, to: restrictions.mode)) }
        evaluate(&out)
        out.append(Step(at: b.at, origin: b.origin, snapshot: snapshot, items: first..<out.itemCount))
    }

    /// Ends the clock-released causes of `rule` that are due.
    mutating func release(_ rule: UnlockRule, _ out: inout Outcome) {
        guard !restrictions.isEmpty else { return }
        let t = now
        restrictions.remove(at: t, where: { $0.release == rule && ($0.releaseAt ?? Instant(millis: .max)) <= t }) {
            out.append(.released($0))
        }
    }

    // MARK: Evaluation

    /// The kernel's inputs for the current account.
    @inline(__always)
    public var metricInputs: MetricInputs {
        MetricInputs(dayStart: account.dayStart.units, weekStart: account.weekStart.units, netLiq: account.netLiq.units,
                     marginUsed: account.marginUsed.units, highWaterMark: account.highWaterMark.units)
    }

    /// Evaluates every threshold; acts on the ones newly breached and releases the state-based
    /// causes whose condition cleared.
    @inline(__always)
    mutating func evaluate(_ out: inout Outcome) {
        if realTimeTrailing { account.raiseHighWaterMark(to: account.netLiq) }
        let mask = kernel.breachMask(metricInputs)
        let fresh = mask & ~latched & ~restrictions.stateBasedMask
        let cleared = restrictions.stateBasedMask & ~mask
        if fresh | cleared != 0 {
            let before = firm.evaluation?.status
            act(mask: mask, fresh: fresh, cleared: cleared, &out, pass: 0)
            if hasFirm { firmEvaluate(&out, reportFailure: before != firm.evaluation?.status) }
        } else if hasFirm {
            firmEvaluate(&out, reportFailure: false)
        }
    }

    mutating func act(mask: UInt64, fresh: UInt64, cleared: UInt64, _ out: inout Outcome, pass: Int) {
        let modeBefore = restrictions.mode
        if cleared != 0 {
            restrictions.remove(at: now, where: { c in
                guard c.release == .stateBased, case .test(let i) = c.origin, i < 64 else { return false }
                return cleared & (1 << UInt64(i)) != 0
            }) { out.append(.released($0)) }
        }
        let inputs = metricInputs
        var flattenTest: Int32 = -1
        var bits = fresh
        while bits != 0 {
            let i = bits.trailingZeroBitCount
            bits &= bits &- 1
            let t = graph.tests[i]
            latched |= (1 << UInt64(i)) & latchable
            if hasFirm { firmBreach(test: Int32(i)) }
            let releaseAt = releaseInstant(t.unlock)
            out.append(.breach(Breach(test: Int32(i), tier: t.tier, measure: measure(i, inputs, mask: mask),
                                      release: t.unlock, releaseAt: releaseAt)))
            switch t.tier {
            case .alert:
                break
            case .liquidateOnly:
                restrictions.add(Cause(origin: .test(Int32(i)), mode: .liquidateOnly, release: t.unlock, releaseAt: releaseAt, since: now))
            case .autoLiquidate:
                if flattenTest < 0 { flattenTest = Int32(i) }
                if t.unlock != .stateBased {
                    restrictions.add(Cause(origin: .test(Int32(i)), mode: .locked, release: t.unlock, releaseAt: releaseAt, since: now))
                }
            }
        }
        var flattened = false
        if flattenTest >= 0 {
            flattened = !account.isFlat
            flatten(.autoLiquidate(flattenTest), &out)
        }
        if restrictions.mode != modeBefore { out.append(.modeChanged(from: modeBefore, to: restrictions.mode)) }
        // Liquidation fees move net liquidation once more: evaluate again (once).
        if flattened && pass == 0 {
            if realTimeTrailing { account.raiseHighWaterMark(to: account.netLiq) }
            let m2 = kernel.breachMask(metricInputs)
            let f2 = m2 & ~latched & ~restrictions.stateBasedMask
            let c2 = restrictions.stateBasedMask & ~m2
            if f2 | c2 != 0 { act(mask: m2, fresh: f2, cleared: c2, &out, pass: 1) }
        }
    }

    /// Starts the engine with `cause` already in force, as a test's `mode locked auto_liquidate
    /// daily_loss` describes it: a threshold's cause is released by its rule from `now`, and it
    /// and every other threshold the account already breaches are latched for their period (they
    /// acted when the account was restricted, so they do not act again at the first event).
    public mutating func assumeRestricted(_ origin: Cause.Origin, mode: AccountModeKind) {
        latched |= kernel.breachMask(metricInputs) & latchable
        switch origin {
        case .test(let i):
            guard i >= 0, Int(i) < graph.tests.count else { return }
            let t = graph.tests[Int(i)]
            if i < 64 { latched |= (1 << UInt64(i)) & latchable }
            restrictions.add(Cause(origin: origin, mode: mode, release: t.unlock, releaseAt: releaseInstant(t.unlock), since: now))
        case .admin:
            restrictions.add(Cause(origin: origin, mode: mode, release: .manual, releaseAt: nil, since: now))
        }
    }

    func releaseInstant(_ rule: UnlockRule) -> Instant? {
        switch rule {
        case .nextSessionOpen: return calendar.nextSessionOpen(after: now)
        case .nextWeekStart: return calendar.nextWeekStart(after: now)
        default: return nil
        }
    }

    /// Cancels working orders and closes every position at its last mark with the normal
    /// commission.
    mutating func flatten(_ cause: FlattenCause, _ out: inout Outcome) {
        out.append(.flatten(cause))
        cancelWorking(CancelCause(cause), &out)
        for i in account.positions.indices { close(i, &out) }
    }

    /// Closes product `i`'s position at its last mark (else its average price) with the normal
    /// commission, one `.liquidated` item; nothing when flat.
    mutating func close(_ i: Int, _ out: inout Outcome) {
        let q = account.positions[i].quantity
        if q == 0 { return }
        let price = account.marks[i] ?? account.positions[i].averagePrice ?? Price(micros: 0)
        let commission = Money(units: account.commissionPerContract.units &* Int64(truncatingIfNeeded: q.magnitude))
        if let realized = account.fill(i, quantity: -q, price: price, commission: commission, economics) {
            out.append(.liquidated(Liquidation(product: Int32(i), quantity: -q, price: price, realized: realized, commission: commission)))
        }
    }

    /// Cancels every working order, oldest first, one item each.
    mutating func cancelWorking(_ cause: CancelCause, _ out: inout Outcome) {
        book.cancelAll(cause: cause, at: now) { out.append(.cancelled(Cancellation(order: $0, cause: cause))) }
    }

    // MARK: Pre-trade

    /// The pre-trade verdict for `order` against the account as it stands now (no clock advance,
    /// nothing recorded): what `apply` reports for an order event at the engine's instant.
    public func check(_ order: OrderRequest) -> OrderDecision? {
        order.order.map { o in
            let d = preTrade.check(order: o, account: self, at: now)
            return hasFirm && d.isAccepted ? firmCheck(o) : d
        }
    }

    /// `switchRiskCategory` (domain.md §4.6, R-20): the named category applies from now on; each
    /// position above its new limits is reduced to the limit (a restricted product to flat, then
    /// weighted groups) at the product's last mark with the normal commission. No lock follows.
    mutating func switchCategory(_ name: String, _ out: inout Outcome) {
        guard let category = graph.category(named: name) else {
            out.append(.categorySwitchSkipped(name: name, reason: .unknownCategory))
            return
        }
        if let current = preTrade.category, current.name == name {
            out.append(.categorySwitchSkipped(name: name, reason: .alreadyInForce))
            return
        }
        preTrade = preTrade.switching(to: category)
        let plan = preTrade.liquidations(for: account.positions.map(\.quantity))
        out.append(.categorySwitched(name: name, liquidations: plan))
        cancelWorking(.categorySwitch(name), &out)
        for l in plan {
            let i = Int(l.product)
            let q = l.to &- l.from
            let price = account.marks[i] ?? account.positions[i].averagePrice ?? Price(micros: 0)
            let commission = Money(units: account.commissionPerContract.units &* Int64(truncatingIfNeeded: q.magnitude))
            if let realized = account.fill(i, quantity: q, price: price, commission: commission, economics) {
                out.append(.liquidated(Liquidation(product: l.product, quantity: q, price: price, realized: realized, commission: commission)))
            } else {
                out.append(.fillRejected)
            }
        }
    }

    // MARK: Admin

    mutating func applyAdmin(_ a: AdminAction, _ out: inout Outcome) {
        if let r = a.rejection {
            out.append(.adminRejected(r))
            return
        }
        out.append(.admin(a.kind))
        let modeBefore = restrictions.mode
        switch a.kind {
        case .normal:
            restrictions.remove(at: now, where: { _ in true }) { out.append(.released($0)) }
        case .lockTradingImmediately:
            addAdminCause(a.kind, .locked, &out)
        case .liquidateImmediately:
            flatten(.admin, &out)
            addAdminCause(a.kind, .locked, &out)
        case .liquidateOnlyModeImmediately:
            addAdminCause(a.kind, .liquidateOnly, &out)
        }
        if restrictions.mode != modeBefore { out.append(.modeChanged(from: modeBefore, to: restrictions.mode)) }
    }

    mutating func addAdminCause(_ kind: AdminAction.Kind, _ mode: AccountModeKind, _ out: inout Outcome) {
        let c = Cause(origin: .admin(kind), mode: mode, release: .manual, releaseAt: nil, since: now)
        if restrictions.add(c) { out.append(.restricted(c)) }
    }

    // MARK: Reading

    public var trailingLevel: Money? {
        graph.trailing == nil ? nil : Money(units: kernel.trailingLevel(account.highWaterMark.units))
    }

    public var snapshot: Snapshot {
        var s = Snapshot(tradeDate: tradeDate, balance: account.balance, netLiq: account.netLiq, dayStart: account.dayStart,
                         weekStart: account.weekStart, highWaterMark: account.highWaterMark, trailingLevel: trailingLevel,
                         marginUsed: account.marginUsed, mode: restrictions.mode, modeSince: restrictions.since,
                         governing: restrictions.isEmpty ? nil : restrictions.governing, working: Int32(truncatingIfNeeded: book.count))
        if hasFirm {
            s.evaluation = evaluationSnapshot
            s.scalingTier = firm.scalingTier
        }
        return s
    }

    /// Every threshold test of the graph against the current account, in decision order
    /// (`--explain`).
    public func measures() -> [Measure] {
        let inputs = metricInputs
        let mask = kernel.breachMask(inputs)
        return graph.tests.indices.map { measure($0, inputs, mask: mask) }
    }

    /// One test's metric value and limit for a report; `breached` is the kernel's exact verdict.
    public func measure(_ i: Int, _ s: MetricInputs, mask: UInt64) -> Measure {
        let t = graph.tests[i]
        let breached = i < 64 && mask & (1 << UInt64(i)) != 0
        let start = t.weekly ? s.weekStart : s.dayStart
        var value = t.weekly ? s.weekStart &- s.netLiq : s.dayStart &- s.netLiq
        if t.profit { value = 0 &- value }
        switch t.op {
        case .money:
            return Measure(unit: .money, value: value, limit: t.limit, atMost: false, breached: breached)
        case .percentOfStart:
            let limit = Ratio(numerator: t.limit, denominator: max(t.denominator, 1)).of(Money(units: start)).units
            return Measure(unit: .money, value: value, limit: limit, atMost: false, breached: breached)
        case .marginPercent:
            // Percent points × 10,000: margin × 10⁶ ÷ NL.
            let pct: Int64
            if s.netLiq <= 0 {
                pct = s.marginUsed > 0 ? .max : 0
            } else {
                let p = s.marginUsed.multipliedFullWidth(by: 1_000_000)
                pct = p.high >= s.netLiq / 2 ? .max : s.netLiq.dividingFullWidth(p).quotient
            }
            let limit = Ratio(numerator: t.limit, denominator: max(t.denominator, 1)).of(Money(units: 1_000_000)).units
            return Measure(unit: .percent, value: pct, limit: limit, atMost: false, breached: breached)
        case .trailing:
            return Measure(unit: .money, value: s.netLiq, limit: kernel.trailingLevel(s.highWaterMark), atMost: true,
                           breached: breached)
        }
    }
}

/// The engine is the pre-trade check's view of the account: no copy per order.
extension PostTradeEngine: PreTradeState {
    /// The effective mode for orders: the restriction set's strongest cause with its end.
    public var mode: AccountMode { restrictions.accountMode }
    @inlinable public func position(_ product: Int) -> Int64 {
        product >= 0 && product < account.positions.count ? account.positions[product].quantity : 0
    }
    /// Working quantities from the book.
    @inline(__always) public func workingBuy(_ product: Int) -> Int64 { book.workingBuy(product) }
    @inline(__always) public func workingSell(_ product: Int) -> Int64 { book.workingSell(product) }
}
