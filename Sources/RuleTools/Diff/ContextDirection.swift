import RuleBase
import RuleSemantics

/// Changes whose direction depends on more than the two values: a dollar threshold replaced
/// by a percent one (equal at one balance only), and a lot limit a group limit overrides.
extension DirectionRules {
    /// A money threshold of one tier and metric replaced by a percent one, or back: one
    /// context-dependent change with the balance at which both limits agree.
    static func replacement(tier: Tier, metric: Metric, old: SettingValue, new: SettingValue,
                            startingBalance: Money?) -> Verdict? {
        let money: Money, ratio: Ratio, percentIsNew: Bool
        switch (old, new) {
        case let (.money(m), .percent(r)): (money, ratio, percentIsNew) = (m, r, true)
        case let (.percent(r), .money(m)): (money, ratio, percentIsNew) = (m, r, false)
        default: return nil
        }
        guard ratio.numerator > 0 else { return nil }
        let base = metric.isWeekly ? "week's starting balance" : "day's starting balance"
        // Break-even B: money = ratio × B, so B = money × denominator / numerator.
        let wide = money.units.multipliedFullWidth(by: ratio.denominator)
        guard wide.high < ratio.numerator || (wide.high == 0 && wide.low < UInt64(Int64.max)) else { return nil }
        let (q, r) = ratio.numerator.dividingFullWidth(wide)
        let even = Money(units: q)
        let exact = r == 0 ? "" : "about "
        let below = percentIsNew ? "tighter" : "looser", above = percentIsNew ? "looser" : "tighter"
        // "(of the day's starting balance)" follows the percent, on whichever side it is.
        let of = " (of the \(base))"
        let oldText = percentIsNew ? old.text : old.text + of, newText = percentIsNew ? new.text + of : new.text
        var reason = "\(oldText) replaced by \(newText): equal at \(exact)\(even.rulebookText); "
            + "the new limit is \(below) below that balance and \(above) above it"
        if let sb = startingBalance {
            let c = LintSupportBridge.compare(money, ratio, of: sb)
            let atStart = c == 0 ? "the same" : ((c > 0) == percentIsNew ? "tighter" : "looser")
            reason += "; at the starting balance \(sb.rulebookText) it is \(atStart)"
        }
        return Verdict(direction: .contextDependent, reason: reason, old: old, new: new)
    }

    /// The most contracts of `product` each group of the view allows on one side,
    /// floor(limit / weight), and the group that allows the fewest; nil outside every group.
    static func groupCap(_ product: String, _ view: TemplateView) -> (cap: Int64, group: String)? {
        var best: (cap: Int64, group: String)?
        for key in view.keys {
            guard case let .groupMember(g, p) = key, p == product, case let .weight(w)? = view[key], w.mantissa > 0,
                  case let .count(limit)? = view[.group(g)] else { continue }
            var scale: Int64 = 1
            for _ in 0..<w.scale { scale = scale.multipliedReportingOverflow(by: 10).partialValue }
            let (scaled, overflow) = limit.multipliedReportingOverflow(by: scale)
            guard !overflow else { continue }
            let cap = scaled / w.mantissa
            if best.map({ cap < $0.cap }) ?? true { best = (cap, g) }
        }
        return best
    }

    /// A lot-limit change that a group limit makes ineffective on both sides: the contracts
    /// the account may hold are the same before and after.
    static func ineffectiveLot(_ p: String, old: SettingValue?, new: SettingValue?,
                               oldView: TemplateView, newView: TemplateView) -> Verdict? {
        guard let o = groupCap(p, oldView), let n = groupCap(p, newView), old != nil, new != nil else { return nil }
        func effective(_ v: SettingValue?, long: Bool, cap: Int64) -> Int64 { min(capacity(v, long: long) ?? .max, cap) }
        let same = effective(old, long: true, cap: o.cap) == effective(new, long: true, cap: n.cap)
            && effective(old, long: false, cap: o.cap) == effective(new, long: false, cap: n.cap)
        let capText = "group `\(n.group)` allows at most \(n.cap) `\(p)` on either side"
        if same {
            return Verdict(direction: .neutral, reason: "ineffective: \(capText), fewer than the old and the new limit", old: old, new: new)
        }
        // One side's change is ineffective, the other's is not: one verdict, for the side that matters.
        for long in [true, false] {
            let rawChanged = capacity(old, long: long) != capacity(new, long: long)
            let ineffective = rawChanged && effective(old, long: long, cap: o.cap) == effective(new, long: long, cap: n.cap)
            let other = !long
            let otherOld = effective(old, long: other, cap: o.cap), otherNew = effective(new, long: other, cap: n.cap)
            guard ineffective, otherOld != otherNew else { continue }
            let tighter = otherNew < otherOld
            let sideName = other ? "long" : "short"
            return Verdict(direction: tighter ? .tightens : .loosens,
                           reason: "\(tighter ? "lower" : "higher") \(sideName) limit; the \(long ? "long" : "short") side's change is ineffective: \(capText)",
                           old: old, new: new)
        }
        return nil
    }

    /// Later flattens hold positions longer (loosens), earlier ones sooner (tightens). Two
    /// instants compare exactly; wall times without an offset compare as written.
    static func flattenMove(_ old: SettingValue?, _ new: SettingValue?) -> (Direction, String) {
        guard case let .dateTime(a)? = old, case let .dateTime(b)? = new else { return (.neutral, "the one-time flatten moves") }
        let later: Bool
        if let x = a.instant, let y = b.instant { later = y > x } else { later = b > a }
        return later ? (.loosens, "later one-time flatten: positions may be held longer")
                     : (.tightens, "earlier one-time flatten: the account is flat sooner")
    }
}

/// `money` compared with `ratio × base`, exactly (the lints' comparison, for the diff).
enum LintSupportBridge {
    static func compare(_ money: Money, _ ratio: Ratio, of base: Money) -> Int {
        let l = money.units.multipliedFullWidth(by: ratio.denominator)
        let r = ratio.numerator.multipliedFullWidth(by: base.units)
        if (l.high, l.low) == (r.high, r.low) { return 0 }
        return (l.high, l.low) < (r.high, r.low) ? -1 : 1
    }
}
