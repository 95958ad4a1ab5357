import RuleBase
import RuleJSON
import RuleGraph
import RuleEngine

/// Writes engine steps as JSON Lines (one object per step) and as text, with the rulebook line
/// behind every breach. Field order is fixed, so the output is byte-for-byte stable.
/// A final class of constants (see `EventDecoder`): shared by reference, never copied per step.
public final class StepWriter {
    public let setup: EngineSetup
    /// Per test: its name as a quoted JSON string, computed once.
    public let quotedTestNames: [[UInt8]]
    /// Per product: its symbol as a quoted JSON string.
    let quotedSymbols: [[UInt8]]
    /// The pre-trade check in force, for order and category-switch messages (which name the
    /// category). The driver sets it from the engine after a category switch.
    public let inForce: InForce
    /// The comparing form (`rulec diff --replay`): what was decided, without what only one
    /// rulebook's text fixes — where a rule is written (`test`, `source`), the limit a measure
    /// is held against, a rejection's message (it quotes the limit). Two rulebooks that decide
    /// the same write the same bytes.
    public let comparing: Bool
    var locations: Bool { !comparing }

    public final class InForce {
        private var stored: PreTradeCheck?
        private let setup: EngineSetup
        init(_ check: PreTradeCheck?, _ setup: EngineSetup) {
            self.stored = check
            self.setup = setup
        }
        /// Built on first use when the driver gave none.
        public var check: PreTradeCheck {
            get {
                if let c = stored { return c }
                let c = PreTradeCheck(graph: setup.graph, zone: setup.calendar.zone)
                stored = c
                return c
            }
            set { stored = newValue }
        }
    }

    public init(setup: EngineSetup, preTrade: PreTradeCheck? = nil, comparing: Bool = false) {
        self.setup = setup
        self.comparing = comparing
        self.inForce = InForce(preTrade, setup)
        quotedTestNames = setup.graph.testFields.map { f in
            let s = ByteSink(capacity: 48)
            s.quoted(f.description)
            return s.bytes
        }
        quotedSymbols = setup.graph.products.map { p in
            let s = ByteSink(capacity: 16)
            s.quoted(p.symbol)
            return s.bytes
        }
    }

    public static func typeName(_ e: Event) -> StaticString {
        switch e.kind {
        case .fill: "fill"
        case .mark: "mark"
        case .admin: "admin"
        case .clock: "clock"
        case .cash: "cash"
        case .order: "order"
        case .cancel: "cancel"
        case .switchCategory: "switch_category"
        case .reset: "reset"
        case .payout: "payout"
        }
    }

    public static func originName(_ o: Step.Origin) -> StaticString {
        switch o {
        case .event: "event"
        case .timePeriodStart: "time_period_start"
        case .timePeriodStop: "time_period_stop"
        case .flattenAt: "flatten_at"
        case .endOfDay: "end_of_day"
        case .sessionOpen: "session_open"
        case .weekStart: "week_start"
        case .firm(.newsWindow): "news_window"
        case .firm(.flatBy): "flat_by"
        case .firm(.positionLoss): "max_position_loss"
        }
    }

    public static func modeName(_ m: AccountModeKind) -> StaticString {
        switch m {
        case .normal: "normal"
        case .liquidateOnly: "liquidate_only"
        case .locked: "locked"
        }
    }

    public static func releaseName(_ r: UnlockRule) -> StaticString {
        switch r {
        case .none: "none"
        case .stateBased: "when_cleared"
        case .nextSessionOpen: "next_session_open"
        case .nextWeekStart: "next_week_start"
        case .manual: "manual"
        case .permanent: "permanent"
        }
    }

    public func originText(_ o: Cause.Origin) -> String {
        switch o {
        case .test(let i): return setup.graph.testFields[Int(i)].description
        case .admin(let k): return "admin \(k)"
        }
    }

    // MARK: JSON

    /// One step as a compact JSON object followed by a line break.
    ///
    /// - Parameter brace: false when the caller has opened the object (and written its own first
    ///   members, as fleet replay does with the account and input line).
    public func jsonLine(_ step: Step, _ items: ArraySlice<DecisionItem>, line: Int?, event: Event?, into s: ByteSink,
                         brace: Bool = true) {
        s.raw(brace ? "{\"at\":\"" : "\"at\":\"")
        s.instant(step.at)
        if let line {
            s.raw("\",\"line\":")
            s.int(Int64(line))
            s.raw(",\"event\":\"")
        } else {
            s.raw("\",\"event\":\"")
        }
        if let e = event { s.raw(Self.typeName(e)) } else { s.raw(Self.originName(step.origin)) }
        s.raw("\",")
        snapshot(step.snapshot, s)
        s.raw(",\"decisions\":[")
        var first = true
        for item in items {
            if !first { s.byte(UInt8(ascii: ",")) }
            first = false
            decision(item, s)
        }
        s.raw("]}\n")
    }

    /// The snapshot's members (no braces).
    public func snapshot(_ n: Snapshot, _ s: ByteSink) {
        s.raw("\"tradeDate\":\"")
        s.tradeDate(days: n.tradeDate.daysSinceEpoch)
        s.raw("\",\"balance\":")
        s.money(n.balance, slot: 0)
        s.raw(",\"netLiq\":")
        s.money(n.netLiq)
        s.raw(",\"dayStart\":")
        s.money(n.dayStart, slot: 1)
        s.raw(",\"weekStart\":")
        s.money(n.weekStart, slot: 2)
        s.raw(",\"highWaterMark\":")
        s.money(n.highWaterMark, slot: 3)
        if let l = n.trailingLevel {
            s.raw(",\"trailingLevel\":")
            s.money(l, slot: 4)
        }
        s.raw(",\"marginUsed\":")
        s.money(n.marginUsed, slot: 5)
        s.raw(",\"mode\":\"")
        s.raw(Self.modeName(n.mode))
        s.byte(0x22)
        if let since = n.modeSince {
            s.raw(",\"modeSince\":\"")
            s.instant(since)
            s.byte(0x22)
        }
        if let g = n.governing {
            s.raw(",\"cause\":")
            if case .test(let i) = g.origin { s.append(quotedTestNames[Int(i)]) } else { s.quoted(originText(g.origin)) }
            s.raw(",\"release\":\"")
            s.raw(Self.releaseName(g.release))
            s.byte(0x22)
            if let r = g.releaseAt {
                s.raw(",\"releaseAt\":\"")
                s.instant(r)
                s.byte(0x22)
            }
        }
        if n.working > 0 {
            s.raw(",\"working\":")
            s.int(Int64(n.working))
        }
        if n.evaluation != nil || n.scalingTier != nil { firmSnapshot(n, s) }
    }

    public func measure(_ m: Measure, _ s: ByteSink) {
        s.raw("\"unit\":\"")
        s.raw(m.unit == .money ? "USD" : "%")
        s.raw("\",\"value\":")
        if m.value == .max { s.raw("null") } else { s.decimal(m.value, scale: 4, minFraction: 2) }
        s.raw(",\"comparison\":\"")
        s.raw(m.atMost ? "<=" : ">=")
        if comparing { s.byte(0x22); return }
        s.raw("\",\"limit\":")
        s.decimal(m.limit, scale: 4, minFraction: 2)
    }

    /// A product's quoted symbol (`"#N"` for a number outside the catalog).
    @inline(__always)
    func product(_ p: Int32, _ s: ByteSink) {
        if p >= 0 && Int(p) < quotedSymbols.count { s.append(quotedSymbols[Int(p)]) } else { s.quoted("#\(p)") }
    }

    public func decision(_ item: DecisionItem, _ s: ByteSink) {
        switch item {
        case .breach(let b):
            let f = setup.graph.testFields[Int(b.test)]
            s.raw("{\"type\":\"breach\",\"rule\":")
            s.quoted(f.description)
            s.raw(",\"tier\":\"")
            s.text(f.tier.description)
            s.raw("\",\"metric\":\"")
            s.text(f.metric.description)
            s.raw("\",")
            measure(b.measure, s)
            s.raw(",\"release\":\"")
            s.raw(Self.releaseName(b.release))
            s.byte(0x22)
            if let r = b.releaseAt {
                s.raw(",\"releaseAt\":\"")
                s.instant(r)
                s.byte(0x22)
            }
            if locations {
                s.raw(",\"test\":")
                s.int(Int64(b.test))
                s.raw(",\"source\":")
                s.quoted(setup.source(ofTest: b.test))
            }
            s.byte(UInt8(ascii: "}"))
        case .flatten(let c):
            s.raw("{\"type\":\"flatten\",\"cause\":\"")
            switch c {
            case .autoLiquidate(let i):
                s.raw("auto_liquidate\",\"rule\":")
                s.quoted(setup.graph.testFields[Int(i)].description)
                s.byte(UInt8(ascii: "}"))
                return
            case .admin: s.raw("admin")
            case .flattenAt: s.raw("flatten_at")
            case .timePeriod: s.raw("time_period")
            case .firm(let f):
                s.text(f.name)
                if locations, let span = firmSpan(f) {
                    s.raw("\",\"source\":")
                    s.quoted(setup.locate(span))
                    s.byte(UInt8(ascii: "}"))
                    return
                }
            }
            s.raw("\"}")
        case .liquidated(let l):
            s.raw("{\"type\":\"liquidation\",\"product\":")
            product(l.product, s)
            s.raw(",\"qty\":")
            s.int(l.quantity)
            s.raw(",\"price\":")
            s.price(l.price)
            s.raw(",\"realized\":")
            s.money(l.realized)
            s.raw(",\"commission\":")
            s.money(l.commission)
            s.byte(UInt8(ascii: "}"))
        case .restricted(let c), .released(let c):
            if case .restricted = item { s.raw("{\"type\":\"restricted\",\"cause\":") } else { s.raw("{\"type\":\"released\",\"cause\":") }
            s.quoted(originText(c.origin))
            s.raw(",\"mode\":\"")
            s.raw(Self.modeName(c.mode))
            s.raw("\",\"release\":\"")
            s.raw(Self.releaseName(c.release))
            s.raw("\"}")
        case .modeChanged(let a, let b):
            s.raw("{\"type\":\"mode\",\"from\":\"")
            s.raw(Self.modeName(a))
            s.raw("\",\"to\":\"")
            s.raw(Self.modeName(b))
            s.raw("\"}")
        case .admin(let k):
            s.raw("{\"type\":\"admin\",\"action\":")
            s.quoted(k.description)
            s.byte(UInt8(ascii: "}"))
        case .adminRejected(let r):
            s.raw("{\"type\":\"admin_rejected\",\"code\":")
            s.quoted(r.code)
            s.raw(",\"error\":")
            s.quoted(r.description)
            s.byte(UInt8(ascii: "}"))
        case .fillRejected:
            s.raw("{\"type\":\"fill_rejected\",\"error\":\"position or P&L out of range\"}")
        case .order(let o, let d):
            s.raw("{\"type\":\"order\",\"product\":")
            if o.unknownSymbol == nil { product(o.product, s) } else { s.quoted(productText(o)) }
            s.raw(o.quantity > 0 ? ",\"side\":\"buy\",\"qty\":" : ",\"side\":\"sell\",\"qty\":")
            s.text(String(o.quantity.magnitude))
            if let p = o.limitPrice {
                s.raw(",\"price\":")
                s.price(p)
            }
            if let id = o.id {
                s.raw(",\"id\":")
                s.quoted(id)
            }
            if o.type != .market {
                s.raw(",\"orderType\":\"")
                s.text(o.type.description)
                s.byte(0x22)
            }
            s.raw(",\"verdict\":")
            verdict(d, o, s)
            if o.id != nil && d.isAccepted { s.raw(",\"working\":true") }
            s.byte(UInt8(ascii: "}"))
        case .cancelled(let c):
            s.raw("{\"type\":\"cancel\",\"id\":")
            s.quoted(c.order.id)
            s.raw(",\"product\":")
            product(c.order.product, s)
            s.raw(c.order.side == .buy ? ",\"side\":\"buy\",\"qty\":" : ",\"side\":\"sell\",\"qty\":")
            s.int(c.order.remaining)
            s.raw(",\"orderType\":\"")
            s.text(c.order.type.description)
            s.byte(0x22)
            if let p = c.order.price {
                s.raw(",\"price\":")
                s.price(p)
            }
            s.raw(",\"cause\":\"")
            s.text(c.cause.name)
            s.byte(0x22)
            if case .autoLiquidate(let i) = c.cause {
                s.raw(",\"rule\":")
                s.append(quotedTestNames[Int(i)])
            }
            if case .categorySwitch(let name) = c.cause {
                s.raw(",\"category\":")
                s.quoted(name)
            }
            if locations, let span = cancelSpan(c.cause) {
                s.raw(",\"source\":")
                s.quoted(setup.locate(span))
            }
            s.byte(UInt8(ascii: "}"))
        case .fillIgnored(let id, let e), .cancelIgnored(let id, let e):
            if case .fillIgnored = item { s.raw("{\"type\":\"fill_ignored\",\"id\":") } else { s.raw("{\"type\":\"cancel_ignored\",\"id\":") }
            s.quoted(id)
            // The message of `endingText`, written in place (a fleet meets many of these).
            s.raw(",\"message\":\"order `")
            s.escaped(id)
            switch e {
            case .filled: s.raw("` was already filled; ")
            case .rejected(let k):
                s.raw("` was rejected (")
                s.raw(Self.reasonCode(k))
                s.raw(") under this rulebook; ")
            case .cancelled(let c):
                s.raw("` was already cancelled (")
                s.text(c.name)
                s.raw("); ")
            }
            if case .fillIgnored = item { s.raw("its fill is not applied\"}") } else { s.raw("nothing to cancel\"}") }
        case .orderInvalid(let o):
            s.raw("{\"type\":\"order_invalid\",\"product\":")
            s.quoted(productText(o))
            s.raw(",\"error\":")
            s.quoted(Self.invalidOrderText)
            s.byte(UInt8(ascii: "}"))
        case .categorySwitched(let name, let ls):
            s.raw("{\"type\":\"category_switch\",\"category\":")
            s.quoted(name)
            s.raw(",\"liquidations\":[")
            for (k, l) in ls.enumerated() {
                if k > 0 { s.byte(UInt8(ascii: ",")) }
                s.raw("{\"product\":")
                s.quoted(setup.symbol(l.product))
                s.raw(l.side == .buy ? ",\"side\":\"buy\",\"qty\":" : ",\"side\":\"sell\",\"qty\":")
                s.int(l.quantity)
                s.raw(",\"from\":")
                s.int(l.from)
                s.raw(",\"to\":")
                s.int(l.to)
                s.raw(",\"reason\":\"")
                s.raw(Self.switchReasonCode(l.reason))
                s.raw("\",\"message\":")
                s.quoted(inForce.check.message(for: l))
                if locations, let span = l.span {
                    s.raw(",\"source\":")
                    s.quoted(setup.locate(span))
                }
                s.byte(UInt8(ascii: "}"))
            }
            s.raw("]}")
        case .categorySwitchSkipped(let name, let why):
            s.raw("{\"type\":\"category_switch_skipped\",\"category\":")
            s.quoted(name)
            s.raw(why == .unknownCategory ? ",\"reason\":\"unknown_category\",\"message\":" : ",\"reason\":\"already_in_force\",\"message\":")
            s.quoted(skipText(name, why))
            s.byte(UInt8(ascii: "}"))
        case .evaluation, .scalingTier, .payout:
            firmDecision(item, s)
        }
    }

    public static let invalidOrderText = "order quantity must be 1 to 1,000,000,000 contracts; not checked"

    /// The rulebook line behind a cancel by the rules (none for a request or an admin action).
    func cancelSpan(_ c: CancelCause) -> Span? {
        switch c {
        case .request, .admin: return nil
        case .autoLiquidate(let i): return setup.graph.testSpans[Int(i)]
        case .flattenAt: return setup.graph.flattenAt?.span
        case .timePeriod: return setup.graph.timePeriod?.span
        case .categorySwitch(let name): return setup.graph.category(named: name)?.span
        case .firm(let f): return firmSpan(f)
        }
    }

    /// Why this rulebook did not let order `id` execute: "order `o7` was rejected (position_limit)
    /// under this rulebook; its fill is not applied".
    func endingText(_ id: String, _ e: OrderEnding, fill: Bool) -> String {
        let why: String
        switch e {
        case .filled: why = "was already filled"
        case .rejected(let k): why = "was rejected (\(Self.reasonCode(k))) under this rulebook"
        case .cancelled(let c): why = "was already cancelled (\(c.name))"
        }
        return "order `\(id)` \(why); " + (fill ? "its fill is not applied" : "nothing to cancel")
    }

    func cancelText(_ c: Cancellation) -> String {
        let o = c.order
        let what = "\(o.type) \(o.side) \(o.remaining) \(setup.symbol(o.product))" + (o.price.map { " @ \($0)" } ?? "")
        let why: String
        switch c.cause {
        case .request: why = "on request"
        case .autoLiquidate(let i): why = "by auto-liquidation (\(setup.graph.testFields[Int(i)]))"
        case .admin: why = "by admin action"
        case .flattenAt: why = "by flatten_at"
        case .timePeriod: why = "by time period start"
        case .categorySwitch(let name): why = "by category switch to \(name)"
        case .firm(let f): why = "by \(firmText(f))"
        }
        return "CANCELLED order \(o.id) (\(what)) \(why)" + (cancelSpan(c.cause).map { "  [\(setup.locate($0))]" } ?? "")
    }

    /// `{"accepted":true}` or `{"accepted":false,"reason":…,"message":…,"source":…}` (no `source`
    /// when no rulebook line is behind the reason: admin causes, unknown products).
    /// Reads the check in force only for a rejection's message (copying it retains every array it holds).
    public func verdict(_ d: OrderDecision, _ o: OrderRequest, _ s: ByteSink) {
        guard case .rejected(let r) = d else {
            s.raw("{\"accepted\":true}")
            return
        }
        s.raw("{\"accepted\":false,\"reason\":\"")
        s.raw(Self.reasonCode(r.kind))
        if comparing { s.raw("\"}"); return }
        s.raw("\",\"message\":")
        let check = inForce.check
        if case .unknownProduct = r.reason {
            s.quoted(check.message(for: r, unknownSymbol: o.unknownSymbol))
        } else {
            s.append(quotedMessage(r, check))
        }
        if locations, let span = r.span {
            s.raw(",\"source\":")
            s.quoted(setup.locate(span))
        }
        s.byte(UInt8(ascii: "}"))
    }

    /// A rejection's message as a quoted JSON string. The words depend only on the reason and
    /// the category in force (the template is the writer's), and a fleet repeats the same few
    /// (every locked account of a day is locked until the same open), so they are kept.
    func quotedMessage(_ r: OrderRejection, _ check: PreTradeCheck) -> [UInt8] {
        let key = MessageKey(reason: r.reason, category: check.category?.name)
        if let m = messages.cache[key] { return m }
        let sink = ByteSink(capacity: 160)
        sink.quoted(check.message(for: r))
        if messages.cache.count >= 4096 { messages.cache.removeAll(keepingCapacity: true) }
        messages.cache[key] = sink.bytes
        return sink.bytes
    }

    struct MessageKey: Hashable {
        var reason: RejectionReason
        var category: String?
    }

    /// The messages kept so far (bounded), behind a reference: the writer's other members are constants.
    final class MessageCache {
        var cache: [MessageKey: [UInt8]] = [:]
    }
    let messages = MessageCache()

    /// Stable lower-case codes of the rejection reasons (R-28's names).
    public static func reasonCode(_ k: RejectionKind) -> StaticString {
        switch k {
        case .accountLocked: "account_locked"
        case .unknownProduct: "unknown_product"
        case .riskTimePeriod: "risk_time_period"
        case .liquidateOnly: "liquidate_only"
        case .restrictedProduct: "restricted_product"
        case .positionLimit: "position_limit"
        case .groupLimit: "group_limit"
        case .newsWindow: "news_window"
        case .scalingPlan: "scaling_plan"
        }
    }

    public static func switchReasonCode(_ r: SwitchLiquidation.Reason) -> StaticString {
        switch r {
        case .restricted: "restricted_product"
        case .positionLimit: "position_limit"
        case .groupLimit: "group_limit"
        }
    }

    public func productText(_ o: OrderRequest) -> String {
        if let u = o.unknownSymbol { return u }
        return o.product >= 0 && Int(o.product) < setup.graph.products.count ? setup.symbol(o.product) : "#\(o.product)"
    }

    public func skipText(_ name: String, _ why: CategorySwitchSkip) -> String {
        switch why {
        case .unknownCategory:
            let near = Suggestion.closest(to: name, among: setup.graph.categories.map(\.name)).map { " (did you mean `\($0)`?)" } ?? ""
            return "unknown risk category `\(name)`\(near); nothing changed"
        case .alreadyInForce:
            return "the account is already in risk category `\(name)`; nothing changed"
        }
    }

    /// `ACCEPTED` or `REJECTED position_limit: position limit for `ES` would become long 6 > 5  [file:line]`.
    public func verdictText(_ d: OrderDecision, _ o: OrderRequest, _ preTrade: PreTradeCheck) -> String {
        guard case .rejected(let r) = d else { return "ACCEPTED (fills are separate events)" }
        return "REJECTED \(Self.reasonCode(r.kind)): \(preTrade.message(for: r, unknownSymbol: o.unknownSymbol))"
            + (r.span.map { "  [\(setup.locate($0))]" } ?? "")
    }

    // MARK: Text

    public func local(_ t: Instant) -> String {
        let s = ByteSink(capacity: 32)
        s.instant(t, offsetSeconds: setup.offset(at: t))
        return s.text
    }

    public func percentText(_ v: Int64) -> String { v == .max ? "∞" : Money(units: v).formatted(grouping: true) + "%" }

    public func measureText(_ m: Measure, metric: MetricKind) -> String {
        let v = m.unit == .money ? Money(units: m.value).formatted() : percentText(m.value)
        let l = m.unit == .money ? Money(units: m.limit).formatted() : percentText(m.limit)
        let name = metric == .trailing ? "net liquidation" : metric.description.replacingOccurrences(of: "_", with: " ")
        let level = metric == .trailing ? "trailing level " : ""
        return "\(name) \(v) \(m.atMost ? "<=" : ">=") \(level)\(l)"
    }

    public func releaseText(_ r: UnlockRule, _ at: Instant?) -> String {
        switch r {
        case .none: return ""
        case .stateBased: return "until the condition clears"
        case .nextSessionOpen, .nextWeekStart:
            return "until \(at.map(local) ?? "?") (\(r == .nextSessionOpen ? "next session open" : "next week start"))"
        case .manual: return "until an admin Normal"
        case .permanent: return "permanently"
        }
    }

    public func eventText(_ e: Event) -> String {
        switch e.kind {
        case .fill(let f):
            return "fill \(setup.symbol(f.product)) \(f.quantity > 0 ? "buy" : "sell") \(f.quantity.magnitude) @ \(f.price)"
                + (f.commission.map { " commission \($0.formatted())" } ?? "") + (f.orderID.map { " (order \($0))" } ?? "")
        case .mark(let m): return "mark \(setup.symbol(m.product)) \(m.price)"
        case .admin(let a): return "admin \(a.internalName ?? a.kind.description) (\(a.reasonCode))"
        case .clock: return "clock"
        case .cash(let m): return "cash \(m.formatted())"
        case .order(let o):
            return "order" + (o.id.map { " \($0)" } ?? "") + (o.type == .market ? "" : " \(o.type)")
                + " \(productText(o)) \(o.quantity > 0 ? "buy" : "sell") \(o.quantity.magnitude)" + (o.limitPrice.map { " @ \($0)" } ?? "")
        case .cancel(let id): return "cancel \(id)"
        case .switchCategory(let c): return "switch_category \(c)"
        case .reset(let m): return "reset balance to \(m.formatted())"
        case .payout(let m): return "payout \(m.formatted())"
        }
    }

    public func stepText(_ step: Step, _ items: ArraySlice<DecisionItem>, line: Int?, event: Event?) -> String {
        let n = step.snapshot
        let what: String
        if let e = event {
            what = "line \(line ?? 0): " + eventText(e)
        } else {
            switch step.origin {
            case .sessionOpen(let d): what = "session open, trade date \(d)"
            case .endOfDay(let d): what = "end of day \(d)"
            case .weekStart: what = "week start"
            case .timePeriodStart: what = "time period \(setup.graph.timePeriod?.name ?? "") starts"
            case .timePeriodStop: what = "time period \(setup.graph.timePeriod?.name ?? "") ends"
            case .flattenAt: what = "flatten_at"
            case .event: what = "event"
            case .firm(let f):
                if case .newsWindow = f { what = firmText(f) + " starts" } else { what = firmText(f) + " passes" }
            }
        }
        var out = "\(local(step.at))  \(what)\n"
        var numbers = "    net liq \(n.netLiq.formatted())  balance \(n.balance.formatted())  day start \(n.dayStart.formatted())  week start \(n.weekStart.formatted())"
        if let l = n.trailingLevel { numbers += "  trailing level \(l.formatted())" }
        numbers += "  margin \(n.marginUsed.formatted())  mode \(n.mode)"
        if n.working > 0 { numbers += "  working orders \(n.working)" }
        if n.evaluation != nil || n.scalingTier != nil { numbers += firmSnapshotText(n) }
        out += numbers + "\n"
        for item in items { out += "    " + itemText(item, indent: "    ") + "\n" }
        return out
    }

    /// One item as text; a category switch continues on further lines, each after `indent`.
    public func itemText(_ item: DecisionItem, indent: String) -> String {
        let preTrade = inForce.check
        switch item {
        case .breach(let b):
            let f = setup.graph.testFields[Int(b.test)]
            let verb: String
            switch b.tier {
            case .alert: verb = "ALERT"
            case .liquidateOnly: verb = "LIQUIDATE ONLY"
            case .autoLiquidate: verb = "AUTO-LIQUIDATE"
            }
            let release = b.tier == .autoLiquidate && b.release == .stateBased
                ? "flatten without a lock (R-9)" : releaseText(b.release, b.releaseAt)
            return "\(verb) \(f): \(measureText(b.measure, metric: f.metric))\(release.isEmpty ? "" : ", \(release)")  [\(setup.source(ofTest: b.test))]"
        case .flatten(let c):
            let why: String
            switch c {
            case .autoLiquidate(let i): why = "auto-liquidation (\(setup.graph.testFields[Int(i)]))"
            case .admin: why = "admin action"
            case .flattenAt: why = "flatten_at"
            case .timePeriod: why = "time period start"
            case .firm(let f):
                return "FLATTEN by \(firmText(f)): its products' working orders cancelled, their positions closed at the last mark"
                    + (firmSpan(f).map { "  [\(setup.locate($0))]" } ?? "")
            }
            return "FLATTEN by \(why): working orders cancelled, every position closed at its last mark"
        case .liquidated(let l):
            return "LIQUIDATED \(setup.symbol(l.product)) \(l.quantity > 0 ? "buy" : "sell") \(l.quantity.magnitude) @ \(l.price), realized \(l.realized.formatted()), commission \(l.commission.formatted())"
        case .restricted(let c):
            return "RESTRICTED \(c.mode) by \(originText(c.origin)) \(releaseText(c.release, c.releaseAt))"
        case .released(let c):
            return "RELEASED \(c.mode) by \(originText(c.origin))"
        case .modeChanged(let a, let b):
            return "MODE \(a) -> \(b)"
        case .admin(let k):
            return "ADMIN \(k) applied"
        case .adminRejected(let r):
            return "ADMIN REJECTED \(r.code): \(r)"
        case .fillRejected:
            return "FILL REJECTED: position or P&L out of range"
        case .order(let o, let d):
            return "ORDER " + verdictText(d, o, preTrade) + (o.id != nil && d.isAccepted ? ", working" : "")
        case .cancelled(let c):
            return cancelText(c)
        case .fillIgnored(let id, let e):
            return "FILL IGNORED: " + endingText(id, e, fill: true)
        case .cancelIgnored(let id, let e):
            return "CANCEL IGNORED: " + endingText(id, e, fill: false)
        case .orderInvalid:
            return "ORDER INVALID: " + Self.invalidOrderText
        case .categorySwitched(let name, let ls):
            var t = "CATEGORY SWITCH to \(name): " + (ls.isEmpty ? "every position within the new limits" : "\(ls.count) liquidation\(ls.count == 1 ? "" : "s") (R-20)")
            for l in ls {
                t += "\n\(indent)  SWITCH LIQUIDATION \(preTrade.message(for: l))" + (l.span.map { "  [\(setup.locate($0))]" } ?? "")
            }
            return t
        case .categorySwitchSkipped(let name, let why):
            return "CATEGORY SWITCH SKIPPED: " + skipText(name, why)
        case .evaluation, .scalingTier, .payout:
            return firmItemText(item)
        }
    }
}
