import RuleBase
import RuleGraph

// Trader-facing text for pre-trade decisions and category-switch liquidations. Off the hot path.
// Style (STYLE.md): lowercase, no final period, user values in backticks.

extension PreTradeCheck {
    /// `rejected: position limit for `ES` would become long 6 > 5`; `accepted` for an accepted order.
    public func message(for decision: OrderDecision, unknownSymbol: String? = nil) -> String {
        switch decision {
        case .accepted: return "accepted"
        case let .rejected(r): return "rejected: " + message(for: r, unknownSymbol: unknownSymbol)
        }
    }

    /// The reason in words, e.g. "position limit for `ES` would become long 6 > 5".
    /// `unknownSymbol` names the product an unknown index stood for, when the caller knows it.
    public func message(for r: OrderRejection, unknownSymbol: String? = nil) -> String {
        switch r.reason {
        case let .accountLocked(cause, until):
            return "account locked by \(describe(cause)) \(describe(until))"
        case let .unknownProduct(product):
            let name = unknownSymbol ?? symbol(product)
            return "product \(name.map { "`\($0)` " } ?? "")unknown to the rulebook"
        case let .riskTimePeriod(until):
            let name = schedule?.period.name ?? "?"
            return "inside the risk time period `\(name)`; orders are accepted again at \(localText(until))"
        case let .liquidateOnly(product, position, after, cause, until):
            return "liquidate-only (\(describe(cause)), \(describe(until))): the order takes `\(symbolText(product))` from "
                + "\(positionText(position)) to \(positionText(after)); only orders that reduce the position are accepted"
        case let .restrictedProduct(product):
            return "`\(symbolText(product))` is restricted in risk category `\(category?.name ?? "?")`"
        case let .positionLimit(product, side, after, limit):
            return "position limit for `\(symbolText(product))` would become \(side) \(after) > \(limit)"
        case let .groupLimit(group, after, limit, denominator):
            let name = Int(group) < (category?.groups.count ?? 0) ? category?.groups[Int(group)].name ?? "?" : "?"
            return "group limit `\(name)` would become \(scaled(after, denominator)) > \(scaled(limit, denominator))"
        case let .newsWindow(product, news, until):
            let at = graph.firm.newsWindows.flatMap { Int(news) < $0.events.count ? $0.events[Int(news)].at.description : nil } ?? "?"
            return "`\(symbolText(product))` is inside the news window of `\(at)`; orders in it are accepted again at \(localText(until))"
        case let .scalingPlan(tier, after, limit, denominator):
            let plan = graph.firm.scalingPlan
            let t = plan.flatMap { Int(tier) < $0.tiers.count ? $0.tiers[Int(tier)] : nil }
            let band = t?.above.map { "above \($0.rulebookText) of end-of-day profit" } ?? "the first tier"
            // Whole contracts print without decimals: `allows 3 contracts; the order would make 3.5`.
            func text(_ v: Int64) -> String { denominator > 0 && v % denominator == 0 ? "\(v / denominator)" : scaled(v, denominator) }
            return "scaling plan tier \(Int(tier) + 1) (\(band)) allows \(text(limit)) contracts; the order would make \(text(after))"
        }
    }

    /// `sell 3 `ES`: long 8 -> long 5 (position limit long 5)`.
    public func message(for l: SwitchLiquidation) -> String {
        let why: String
        switch l.reason {
        case .restricted: why = "restricted"
        case let .positionLimit(side, limit): why = "position limit \(side) \(limit)"
        case let .groupLimit(g): why = "group limit `\(Int(g) < (category?.groups.count ?? 0) ? category?.groups[Int(g)].name ?? "?" : "?")`"
        }
        return "\(l.side) \(l.quantity) `\(symbolText(l.product))`: \(positionText(l.from)) -> \(positionText(l.to)) (\(why))"
    }

    /// "`auto_liquidate.daily_loss (USD)`" for a threshold, "an admin action" otherwise.
    public func describe(_ cause: RestrictionCause) -> String {
        switch cause {
        case let .threshold(i):
            return Int(i) >= 0 && Int(i) < graph.testFields.count ? "`\(graph.testFields[Int(i)])`" : "a post-trade rule"
        case .admin: return "an admin action"
        }
    }

    public func describe(_ end: RestrictionEnd) -> String {
        switch end {
        case let .at(i): return "until \(localText(i))"
        case .whenCleared: return "until the condition clears"
        case .manual: return "until an admin `Normal`"
        case .permanent: return "permanently"
        }
    }

    func symbolText(_ product: Int32) -> String { symbol(product) ?? "#\(product)" }

    func positionText(_ q: Int64) -> String { q == 0 ? "flat" : q > 0 ? "long \(q)" : "short \(q.magnitude)" }

    /// `2026-11-26 17:00 America/Chicago (2026-11-26T23:00:00Z)`: wall time in the calendar's
    /// zone (the time period's, else the one the check was built with), the instant after it.
    func localText(_ i: Instant) -> String {
        guard let zone = schedule?.zone ?? zone else { return "\(i)" }
        let (d, t) = zone.local(at: i)
        return "\(d) \(t) \(zone.identifier) (\(i))"
    }

    func scaled(_ v: Int64, _ denominator: Int64) -> String {
        var scale = 0, d = denominator
        while d > 1 { d /= 10; scale += 1 }
        return DecimalNumber.format(v, scale: scale, group: false)
    }
}
