import RuleBase
import RuleGraph

// Pre-trade checks (issue 4; README "Pre-trade checks"; domain.md §2, §4, R-18..R-21, R-27, R-28).
//
// API
//
//     let check = PreTradeCheck(graph: g, zone: chicago)            // once per template; immutable, shared
//     let order = Order(product: check.productIndex("ES") ?? Order.unknownProduct, side: .buy, quantity: 2)
//     let account = PreTradeAccount(mode: .normal, positions: [...])  // by product index
//     switch check.check(order: order!, account: account, at: instant) {
//     case .accepted: ...
//     case .rejected(let r): r.reason, r.span, check.message(for: r)
//     }
//
// * `check(order:account:at:)` is the hot path: no allocation, no Foundation, no Double. It runs
//   every check, collects the failing ones in a bit mask ordered by the policy's precedence and
//   reports the first.
// * Risk time period: `isInsideRiskPeriod(at:)`, `riskPeriodWindow(containing:)`,
//   `nextRiskPeriodStart(after:)`, `nextRiskPeriodStop(after:)` (`RiskPeriodSchedule`). The account
//   model flattens and cancels at each start; the check rejects orders in `[start, stop)`.
// * Category switch: `switching(to:)` returns the check for the new category and
//   `liquidations(for:)` what must be sold or bought so the positions fit it (CategorySwitch.swift).
// * `PreTradePolicy.standard` follows domain.md; `.workloadB` the benchmark's reference.
//
// Checks, for an order of signed quantity o in a product with net position q, working buys wb and
// working sells ws (zero when the state carries none):
//   long exposure after  = q + wb + o   (buy)     short exposure after = ws − q + |o|   (sell)
//   accountLocked        mode is locked
//   unknownProduct       the product index is not in the catalog
//   riskTimePeriod       the instant is inside a window of the template's time period
//   liquidateOnly        mode is liquidate-only and the order does not reduce: its side's exposure
//                        after the order is above zero (R-18: a flip is rejected whole)
//   restrictedProduct    the category restricts the product
//   positionLimit        the order's side exposure after the order is above that side's limit
//                        (a reducing order never fails it; unlisted products have no cap, R-27)
//   groupLimit           Σ weight × exposure over a group's members is above its limit and the
//                        order raised it (exposure of a product = max(long, short exposure, 0))

/// Per product: the category's limits in contracts (`Int64.max` when none) and flags.
@usableFromInline struct ProductRule: Sendable {
    @usableFromInline var longLimit: Int64
    @usableFromInline var shortLimit: Int64
    @usableFromInline var restricted: Bool
    @usableFromInline var inGroup: Bool
    /// The lines that limit or restrict the product, for the rejection.
    @usableFromInline var longSpan: Span?
    @usableFromInline var shortSpan: Span?
    @usableFromInline var restrictSpan: Span?
}

/// A weighted group limit over its members.
@usableFromInline struct GroupRule: Sendable {
    @usableFromInline var scaledLimit: Int64
    @usableFromInline var denominator: Int64
    @usableFromInline var members: [(product: Int, weight: Int64)]
}

/// The pre-trade check of one effective template. Build once; `check` is pure and allocation-free.
/// Immutable and shared by reference: every account of a template holds the same check, so an
/// engine carries one pointer, not a copy of the tables (which would retain each array per copy
/// and spread the same tables over every account's memory).
public final class PreTradeCheck: Sendable {
    public let graph: RuleGraph
    /// The category in force (the template's, or the one switched to).
    public let category: RiskCategoryNode?
    public let policy: PreTradePolicy
    /// The template's risk time period on the time line; nil when the template has none.
    public let schedule: RiskPeriodSchedule?
    /// The calendar's zone: trader-facing text gives instants as wall time in it.
    public let zone: ZoneRules?

    /// `productCount + 1` rules; the last is the "unknown product" sentinel (no limits, not restricted).
    @usableFromInline let rules: ContiguousArray<ProductRule>
    @usableFromInline let productCount: Int
    @usableFromInline let groups: ContiguousArray<GroupRule>
    /// The time period's table, copied out of `schedule` so the hot path touches plain arrays only
    /// (binding the optional `schedule` would retain every array it holds).
    @usableFromInline let hasPeriod: Bool
    @usableFromInline let periodEntries: ContiguousArray<RiskPeriodSchedule.Entry>
    @usableFromInline let periodDays: ContiguousArray<RiskPeriodSchedule.Day>
    @usableFromInline let periodDayEntry: ContiguousArray<Int32>
    @usableFromInline let periodBaseDay: Int64
    /// [0]: the time period's line; [1 + i]: override i's line.
    let periodSpans: [Span]
    /// The lines of the graph's post-trade tests (restriction causes) and of the category's groups.
    let testSpans: [Span]
    let groupSpans: [Span]
    /// `1 << rank` of each kind, rank 0 = highest precedence.
    @usableFromInline let bitLocked, bitUnknown, bitPeriod, bitLiquidateOnly, bitRestricted, bitLimit, bitGroup: UInt64
    /// The kind at each rank.
    let rankKinds: [RejectionKind]
    @usableFromInline let absoluteReversal: Bool

    /// - Parameters:
    ///   - zone: the zone of the template's calendar (`ZoneRules.load(identifier:)`), used for the time period.
    ///   - category: the category in force; by default the template's.
    ///   - periodYears: years the time period's table covers; instants outside are computed directly.
    public convenience init(graph: RuleGraph, zone: ZoneRules, category: RiskCategoryNode? = nil, policy: PreTradePolicy = .standard,
                            periodYears: ClosedRange<Int> = RiskPeriodSchedule.defaultYears) {
        let schedule = graph.timePeriod.map { RiskPeriodSchedule(period: $0, zone: zone, years: periodYears) }
        self.init(graph: graph, category: category ?? graph.riskCategory, policy: policy, schedule: schedule, zone: zone)
    }

    init(graph: RuleGraph, category: RiskCategoryNode?, policy: PreTradePolicy, schedule: RiskPeriodSchedule?, zone: ZoneRules?) {
        self.graph = graph
        self.zone = zone
        self.category = category
        self.policy = policy
        self.schedule = schedule
        let n = graph.products.count
        self.productCount = n
        var rules = ContiguousArray(repeating: ProductRule(longLimit: .max, shortLimit: .max, restricted: false, inGroup: false,
                                                           longSpan: nil, shortSpan: nil, restrictSpan: nil),
                                    count: n + 1)
        var groups = ContiguousArray<GroupRule>()
        if let c = category {
            for p in 0..<n {
                if p < c.longLimit.count { rules[p].longLimit = max(c.longLimit[p], 0) }
                if p < c.shortLimit.count { rules[p].shortLimit = max(c.shortLimit[p], 0) }
                if p < c.restricted.count { rules[p].restricted = c.restricted[p] }
                if p < c.longLimitSpans.count { rules[p].longSpan = c.longLimitSpans[p] }
                if p < c.shortLimitSpans.count { rules[p].shortSpan = c.shortLimitSpans[p] }
                if p < c.restrictSpans.count { rules[p].restrictSpan = c.restrictSpans[p] }
            }
            for g in c.groups {
                var members: [(product: Int, weight: Int64)] = []
                for (p, w) in g.scaledWeights.enumerated() where w != 0 && p < n {
                    members.append((p, w))
                    rules[p].inGroup = true
                }
                groups.append(GroupRule(scaledLimit: g.scaledLimit, denominator: max(g.denominator, 1), members: members))
            }
        }
        self.rules = rules
        self.groups = groups
        self.groupSpans = category?.groups.map(\.span) ?? []
        self.testSpans = graph.testSpans
        self.hasPeriod = schedule != nil
        self.periodEntries = schedule?.entries ?? []
        self.periodDays = schedule?.days ?? []
        self.periodDayEntry = schedule?.dayEntry ?? []
        self.periodBaseDay = schedule?.baseDay ?? 0
        if let s = schedule { self.periodSpans = [s.period.span] + s.period.overrides.map(\.span) } else { self.periodSpans = [] }
        var bits = [UInt64](repeating: 0, count: RejectionKind.allCases.count)
        for (rank, kind) in policy.precedence.enumerated() { bits[Int(kind.rawValue)] = 1 << UInt64(rank) }
        bitLocked = bits[0]; bitUnknown = bits[1]; bitPeriod = bits[2]; bitLiquidateOnly = bits[3]
        bitRestricted = bits[4]; bitLimit = bits[5]; bitGroup = bits[6]
        rankKinds = policy.precedence
        absoluteReversal = policy.reversal == .absolutePosition
    }

    /// The product index of a symbol, or nil when the rulebook does not know it.
    public func productIndex(_ symbol: String) -> Int32? { graph.productIndex(symbol) }

    /// The symbol of a product index, or nil for an unknown product.
    public func symbol(_ product: Int32) -> String? {
        product >= 0 && Int(product) < graph.products.count ? graph.products[Int(product)].symbol : nil
    }

    // MARK: The check

    /// Accepts the order or rejects it with the first failing check in the policy's precedence.
    /// Inlined into the caller so the rejection built out of line is read in place, not copied.
    @inlinable @inline(__always)
    public func check<State: PreTradeState>(order: Order, account: State, at instant: Instant) -> OrderDecision {
        let p = Int(order.product)
        let known = UInt(bitPattern: p) < UInt(bitPattern: productCount)
        let rule = rules[known ? p : productCount]
        let q = account.position(p)
        let buy = order.side == .buy
        let same = buy ? account.workingBuy(p) : account.workingSell(p)
        // Worst-case net position after the order, working orders on its side included. Quantities
        // are bounded (Order.maxQuantity), positions are contract counts: no overflow in practice,
        // and wrapping arithmetic never traps.
        let netAfter = buy ? q &+ same &+ order.quantity : q &- same &- order.quantity
        let sideAfter = buy ? netAfter : 0 &- netAfter
        let sideLimit = buy ? rule.longLimit : rule.shortLimit

        let mode = account.mode
        var liquidateOnlyMode = false
        var failing: UInt64 = 0
        switch mode {
        case .normal: break
        case .liquidateOnly: liquidateOnlyMode = true
        case .locked: failing |= bitLocked
        }
        if !known { failing |= bitUnknown }
        if rule.restricted { failing |= bitRestricted }

        let increases: Bool
        let overLimit: Bool
        if absoluteReversal {
            let absAfter = netAfter < 0 ? 0 &- netAfter : netAfter
            let absBefore = q < 0 ? 0 &- q : q
            let limit = netAfter >= 0 ? rule.longLimit : rule.shortLimit
            increases = absAfter > absBefore
            overLimit = increases && absAfter > limit
        } else {
            increases = sideAfter > 0
            overLimit = sideAfter > sideLimit
        }
        if liquidateOnlyMode && increases { failing |= bitLiquidateOnly }
        if overLimit { failing |= bitLimit }

        var periodEntry = -1
        if hasPeriod {
            let t = instant.millis
            let day = (t >= 0 ? t / 86_400_000 : (t &- 86_399_999) / 86_400_000) &- periodBaseDay
            if UInt64(bitPattern: day) < UInt64(periodDays.count) {
                // Milliseconds since the UTC day's start, against the day's first window (8 bytes).
                let d = periodDays[Int(day)]
                let ms = Int32(truncatingIfNeeded: t &- (day &+ periodBaseDay) &* 86_400_000)
                if ms < d.stop {
                    if d.start <= ms { failing |= bitPeriod; periodEntry = Int(periodDayEntry[Int(day)]) }
                } else if ms < d.nextStop {
                    if d.nextStart <= ms { failing |= bitPeriod; periodEntry = Int(periodDayEntry[Int(day)]) &+ 1 }
                } else {
                    periodEntry = laterEntry(day: Int(day), t: t)
                    if periodEntries[periodEntry].start <= t { failing |= bitPeriod }
                }
            } else if isInsideOutsideTable(t) {
                failing |= bitPeriod
            }
        }
        var group = (index: -1, after: Int64(0))
        if rule.inGroup {
            group = groupViolation(order: order, account: account)
            if group.index >= 0 { failing |= bitGroup }
        }

        if failing == 0 { return .accepted }
        return rejection(rank: failing.trailingZeroBitCount, order: order, mode: mode, position: q, group: group, at: instant,
                                   netAfter: netAfter, sideAfter: sideAfter, periodEntry: periodEntry)
    }

    /// The time period for an instant outside the table's years, computed from the rules.
    @usableFromInline @inline(never) func isInsideOutsideTable(_ t: Int64) -> Bool {
        entryOutsideTable(t) != nil
    }

    /// Kept out of line: binding the optional `schedule` retains every array it holds.
    @inline(never) func entryOutsideTable(_ t: Int64) -> RiskPeriodSchedule.Entry? {
        guard let s = schedule else { return nil }
        return s.slowWindow(containing: t)
    }

    /// The first entry whose stop is after `t`, for an instant after its UTC day's first window.
    @usableFromInline func laterEntry(day: Int, t: Int64) -> Int {
        // The sentinel entry stops at Int64.max, so this ends; a UTC day meets at most three windows.
        var i = Int(periodDayEntry[day]) &+ 1
        while periodEntries[i].stop <= t { i &+= 1 }
        return i
    }

    /// Builds the rejection of the kind at `rank` straight into the caller's result; runs only for
    /// rejected orders.
    @usableFromInline @inline(never)
    func rejection(rank: Int, order: Order, mode: AccountMode, position: Int64, group: (index: Int, after: Int64), at instant: Instant,
                   netAfter: Int64, sideAfter: Int64, periodEntry: Int) -> OrderDecision {
        let kind = rankKinds[safe: rank] ?? .accountLocked
        let p = Int(order.product)
        switch kind {
        case .accountLocked:
            if case let .locked(cause, until) = mode {
                return .rejected(OrderRejection(reason: .accountLocked(cause: cause, until: until), span: span(of: cause)))
            }
            return .rejected(OrderRejection(reason: .accountLocked(cause: .admin, until: .manual), span: nil))
        case .unknownProduct:
            return .rejected(OrderRejection(reason: .unknownProduct(product: order.product), span: nil))
        case .riskTimePeriod:
            let entry: RiskPeriodSchedule.Entry?
            if periodEntry >= 0 { entry = periodEntries[periodEntry] } else { entry = entryOutsideTable(instant.millis) }
            guard let e = entry else { break }
            return .rejected(OrderRejection(reason: .riskTimePeriod(until: Instant(millis: e.stop)), span: periodSpans[safe: Int(e.source) + 1]))
        case .liquidateOnly:
            var cause = RestrictionCause.admin, until = RestrictionEnd.manual
            if case let .liquidateOnly(c, u) = mode { cause = c; until = u }
            return .rejected(OrderRejection(reason: .liquidateOnly(product: order.product, position: position, after: netAfter,
                                                         cause: cause, until: until), span: span(of: cause)))
        case .restrictedProduct:
            return .rejected(OrderRejection(reason: .restrictedProduct(product: order.product), span: rules[min(max(p, 0), productCount)].restrictSpan))
        case .positionLimit:
            let rule = rules[min(max(p, 0), productCount)]
            let side: PositionSide
            if absoluteReversal { side = netAfter >= 0 ? .long : .short } else { side = order.side == .buy ? .long : .short }
            let after = absoluteReversal ? (netAfter < 0 ? 0 &- netAfter : netAfter) : sideAfter
            return .rejected(OrderRejection(reason: .positionLimit(product: order.product, side: side, after: after,
                                                         limit: side == .long ? rule.longLimit : rule.shortLimit),
                                  span: side == .long ? rule.longSpan : rule.shortSpan))
        case .newsWindow, .scalingPlan:
            // The engine's firm checks (Objectives/FirmEngine.swift) build these; no bit is set here.
            break
        case .groupLimit:
            let g = group.index, after = group.after
            guard g >= 0, g < groups.count else { break }
            return .rejected(OrderRejection(reason: .groupLimit(group: Int32(g), after: after, limit: groups[g].scaledLimit,
                                                      denominator: groups[g].denominator),
                                  span: groupSpans[safe: g]))
        }
        // INVARIANT: a bit is set only for a kind whose data exists; this keeps the function total.
        return .rejected(OrderRejection(reason: .accountLocked(cause: .admin, until: .manual), span: nil))
    }

    /// The rulebook line behind a restriction cause.
    public func span(of cause: RestrictionCause) -> Span? {
        if case let .threshold(i) = cause { return testSpans[safe: Int(i)] }
        return nil
    }

    // MARK: Groups

    /// Exposure of one product for group limits: the larger of the long and the short worst case.
    @inlinable @inline(__always) static func exposure(net: Int64, workingBuy: Int64, workingSell: Int64) -> Int64 {
        max(net &+ workingBuy, workingSell &- net, 0)
    }

    /// Σ weight × exposure of a group before and after the order (scaled by the group's denominator).
    /// Saturates at Int64.max rather than overflowing.
    @inlinable func groupExposure<State: PreTradeState>(_ g: GroupRule, order: Order, account: State) -> (before: Int64, after: Int64) {
        var before: Int64 = 0, after: Int64 = 0
        for m in g.members {
            let q = account.position(m.product), wb = account.workingBuy(m.product), ws = account.workingSell(m.product)
            let e0 = Self.exposure(net: q, workingBuy: wb, workingSell: ws)
            var e1 = e0
            if m.product == Int(order.product) {
                e1 = order.side == .buy ? Self.exposure(net: q, workingBuy: wb &+ order.quantity, workingSell: ws)
                    : Self.exposure(net: q, workingBuy: wb, workingSell: ws &+ order.quantity)
            }
            before = Self.saturatingAdd(before, Self.saturatingMul(e0, m.weight))
            after = Self.saturatingAdd(after, Self.saturatingMul(e1, m.weight))
        }
        return (before, after)
    }

    /// The first group the order pushes above its limit (the order raised the group's total and the
    /// total is above the limit) and that total, or index -1.
    @inlinable func groupViolation<State: PreTradeState>(order: Order, account: State) -> (index: Int, after: Int64) {
        for (i, g) in groups.enumerated() {
            let (before, after) = groupExposure(g, order: order, account: account)
            if after > before && after > g.scaledLimit { return (i, after) }
        }
        return (-1, 0)
    }

    @usableFromInline static func saturatingAdd(_ a: Int64, _ b: Int64) -> Int64 {
        let (r, o) = a.addingReportingOverflow(b)
        return o ? .max : r
    }
    static func magnitude(_ x: Int64) -> Int64 { x >= 0 ? x : x == .min ? .max : 0 - x }
    @usableFromInline static func saturatingMul(_ a: Int64, _ b: Int64) -> Int64 {
        let (r, o) = a.multipliedReportingOverflow(by: b)
        return o ? .max : r
    }

    // MARK: Risk time period

    /// Whether orders are rejected at `instant` because of the time period.
    public func isInsideRiskPeriod(at instant: Instant) -> Bool { schedule?.isInside(at: instant) ?? false }
    /// The window of the period containing `instant`, if any.
    public func riskPeriodWindow(containing instant: Instant) -> RiskWindow? { schedule?.window(containing: instant) }
    /// The next start of the period strictly after `instant` (flatten and cancel, then reject orders).
    public func nextRiskPeriodStart(after instant: Instant) -> Instant? { schedule?.nextStart(after: instant) }
    /// The next stop of the period strictly after `instant` (orders accepted again).
    public func nextRiskPeriodStop(after instant: Instant) -> Instant? { schedule?.nextStop(after: instant) }
}

extension Array {
    /// The element at `i`, or nil when out of range.
    subscript(safe i: Int) -> Element? { i >= 0 && i < count ? self[i] : nil }
}
