import RuleBase
import RuleSemantics

/// The verdict on one changed setting. A setting can yield two verdicts (a lot limit whose
/// long side rose while its short side fell), or none when another entry already says it (the
/// members of a group that was added whole).
struct Verdict: Sendable, Hashable {
    var direction: Direction
    var reason: String
    var old: SettingValue?
    var new: SettingValue?
}

/// The direction rules: for each kind of setting, whether a change allows more risk
/// (loosens), less (tightens) or neither (neutral). The README's "Reviewing changes" section
/// states the same table for people; `DiffDirectionTests` pins every row.
///
/// Principles: a lower limit is reached sooner, so it tightens; adding a limit tightens and
/// removing one loosens, because an omitted setting is not evaluated; names and calendars
/// are neutral; products matter through the limits that use them.
enum DirectionRules {
    static func judge(_ key: SettingKey, old: SettingValue?, new: SettingValue?,
                      oldView: TemplateView, newView: TemplateView) -> [Verdict] {
        func one(_ d: Direction, _ reason: String) -> [Verdict] { [Verdict(direction: d, reason: reason, old: old, new: new)] }
        let added = old == nil, removed = new == nil

        switch key {
        case let .field(f):
            return field(f, old: old, new: new, oldView: oldView, newView: newView).map { one($0.0, $0.1) } ?? []

        case .calendarZone: return one(.neutral, "every time of day is read in the new zone")
        case .calendarDayStart: return one(.neutral, "daily limits reset and the market opens at another time")
        case .calendarWeekStart: return one(.neutral, "weekly limits reset at another time")
        case .calendarEndOfDay: return one(.neutral, "the end-of-day trailing update moves")
        case let .holiday(d):
            if oldView[.field(.calendar)] == nil || newView[.field(.calendar)] == nil { return [] }
            return one(.neutral, added ? "no session on \(d): the next market open comes later"
                                       : "a session on \(d) again")
        case let .earlyClose(d):
            if oldView[.field(.calendar)] == nil || newView[.field(.calendar)] == nil { return [] }
            return one(.neutral, removed ? "full session on \(d)" : "the exchange halts at \(new?.text ?? "") on \(d)")

        case .periodStart, .periodStop:
            if added { return one(.tightens, "a flat window now applies") }
            if removed { return one(.loosens, "no flat window") }
            guard let o = oldView.window else { return one(.neutral, "the window changes") }
            let isStart = key == .periodStart
            guard case let .time(t)? = new else { return one(.neutral, "the window changes") }
            let candidate = isStart ? (t, o.stop) : (o.start, t)
            let before = windowLength(o.start, o.stop), after = windowLength(candidate.0, candidate.1)
            if after > before {
                return one(.tightens, isStart ? "earlier start: flat sooner, longer window" : "later stop: trading resumes later")
            }
            if after < before {
                return one(.loosens, isStart ? "later start: trading until later, shorter window" : "earlier stop: trading resumes sooner")
            }
            return one(.neutral, "the window changes")
        case let .periodOverride(d):
            // The members of a time period added or removed whole are said by its start and stop.
            guard let ow = oldView.window, let nw = newView.window else { return [] }
            let before = effective(old, default: ow), after = effective(new, default: nw)
            let verdict = compareWindows(before, after)
            let shown = "\(after.0)-\(after.1) on \(d) (was \(before.0)-\(before.1))"
            switch verdict {
            case .tightens: return one(.tightens, "longer flat window: " + shown)
            case .loosens: return one(.loosens, "shorter flat window: " + shown)
            case .neutral, .contextDependent:
                if before == after { return one(.neutral, "same window as the day's default") }
                // Moved: some flat time is gained and some lost. One verdict per moved end,
                // so that the loosening part shows.
                var verdicts: [Verdict] = []
                if before.0 != after.0 {
                    let later = windowLength(after.0, before.1) < windowLength(before.0, before.1)
                    verdicts.append(Verdict(direction: later ? .loosens : .tightens,
                                            reason: (later ? "later start on \(d)" : "earlier start on \(d)") + ": " + shown,
                                            old: .text("start \(before.0)"), new: .text("start \(after.0)")))
                }
                if before.1 != after.1 {
                    let later = windowLength(before.0, after.1) > windowLength(before.0, before.1)
                    verdicts.append(Verdict(direction: later ? .tightens : .loosens,
                                            reason: (later ? "later stop on \(d)" : "earlier stop on \(d)") + ": " + shown,
                                            old: .text("stop \(before.1)"), new: .text("stop \(after.1)")))
                }
                return verdicts
            }

        case let .lotLimit(p):
            if let v = ineffectiveLot(p, old: old, new: new, oldView: oldView, newView: newView) { return [v] }
            return lot(p, old: old, new: new)

        case .group:
            if added { return one(.tightens, "new group limit") }
            if removed { return one(.loosens, "group limit removed") }
            guard case let .count(a)? = old, case let .count(b)? = new else { return one(.neutral, "changed") }
            return b < a ? one(.tightens, "lower group limit: fewer contracts across the group")
                         : one(.loosens, "higher group limit: more contracts across the group")
        case let .groupMember(g, _):
            if oldView[.group(g)] == nil || newView[.group(g)] == nil { return [] }
            if added { return one(.tightens, "the product now counts toward `\(g)`") }
            if removed { return one(.loosens, "the product no longer counts toward `\(g)`") }
            guard case let .weight(a)? = old, case let .weight(b)? = new else { return one(.neutral, "changed") }
            return less(b, a) ? one(.loosens, "lower weight: counts less toward `\(g)`")
                              : one(.tightens, "higher weight: counts more toward `\(g)`")

        case let .product(p):
            if added {
                if let l = newView.lot(p) {
                    return one(.neutral, l.restricted ? "new product, restricted" : "new product, limited by the risk category")
                }
                return one(.loosens, "new product tradable without a cap (R-27)")
            }
            if oldView.lot(p) == nil { return one(.tightens, "no longer in the catalog: cannot be traded") }
            return one(.neutral, "no longer in the catalog")
        case let .pointValue(p), let .tick(p), let .dayMargin(p), let .overnightMargin(p):
            // Said by the product's own entry when it is added or removed; not traded when
            // restricted on both sides.
            if oldView[.product(p)] == nil || newView[.product(p)] == nil { return [] }
            if oldView.isRestricted(p) && newView.isRestricted(p) { return [] }
            return productSetting(key, old: old, new: new, oldView: oldView, newView: newView).map { one($0.0, $0.1) } ?? []
        }
    }

    // MARK: Template settings

    static func field(_ f: FieldKey, old: SettingValue?, new: SettingValue?,
                      oldView: TemplateView, newView: TemplateView) -> (Direction, String)? {
        let added = old == nil, removed = new == nil
        switch f {
        case .calendar:
            return (.neutral, added ? "calendar set" : removed ? "calendar removed: defaults apply"
                                    : sameContent(oldView, newView, section: .calendar) ? "renamed; same content" : "another calendar; its changes are listed")
        case .timePeriod:
            if added { return (.tightens, "a flat window now applies") }
            if removed { return (.loosens, "no flat window: positions may be held through the close") }
            return (.neutral, sameContent(oldView, newView, section: .timePeriod) ? "renamed; same content" : "another time period; its changes are listed")
        case .riskCategory:
            if added { return (.tightens, "lot limits and restrictions now apply") }
            if removed { return (.loosens, "no lot limits or restrictions: every product uncapped (R-27)") }
            return (.neutral, sameContent(oldView, newView, section: .riskCategory) ? "renamed; same content" : "another risk category; its changes are listed")
        case .startingBalance:
            return (.neutral, "account size and first high-water mark (R-15); limits are unchanged")
        case let .threshold(tier, metric, _):
            let action: String
            switch tier {
            case .alert: action = "alerts"
            case .liquidateOnly: action = "liquidate-only starts"
            case .autoLiquidate: action = metric == .margin ? "flattens" : "flattens and locks"
            }
            if added { return (.tightens, "new limit: \(action) when reached") }
            if removed { return (.loosens, "limit removed: no longer evaluated") }
            guard let c = compare(old, new) else { return (.neutral, "changed") }
            let what = metric.description.contains("profit") ? "profit cap" : "limit"
            return c < 0 ? (.tightens, "lower \(what): \(action) sooner") : (.loosens, "higher \(what): \(action) later")
        case .trailingAmount:
            if added { return (.tightens, "trailing drawdown added") }
            if removed { return (.loosens, "trailing drawdown removed") }
            guard let c = compare(old, new) else { return (.neutral, "changed") }
            return c < 0 ? (.tightens, "smaller drawdown allowed") : (.loosens, "larger drawdown allowed")
        case .trailingMode:
            // Present exactly when a trailing drawdown is; said by the amount when it comes or goes.
            if added || removed { return nil }
            if case .mode(.realTime)? = new { return (.tightens, "the level follows open profit intraday") }
            return (.loosens, "the level moves only at end of day; intraday peaks are ignored")
        case .trailingCap:
            let amountComesOrGoes = (oldView[.field(.trailingAmount)] == nil) != (newView[.field(.trailingAmount)] == nil)
            if amountComesOrGoes { return (.neutral, "part of the trailing drawdown \(added ? "added" : "removed")") }
            if added { return (.loosens, "the level stops rising at the cap") }
            if removed { return (.tightens, "the level is no longer capped: it keeps rising") }
            guard let c = compare(old, new) else { return (.neutral, "changed") }
            return c < 0 ? (.loosens, "lower cap: the level stops rising sooner, leaving more room")
                         : (.tightens, "higher cap: the level keeps rising longer")
        case .flattenAt:
            if added { return (.tightens, "one-time flatten added") }
            if removed { return (.loosens, "one-time flatten removed") }
            return flattenMove(old, new)
        case .doNotUnlock:
            return added ? (.tightens, "a daily-loss lock needs an admin release")
                         : (.loosens, "a daily-loss lock releases at the next market open")
        case let .firm(k):
            return FirmDirection.field(k, old: old, new: new)
        }
    }

    // MARK: Risk category

    /// Contracts a side allows: 0 when restricted, nil when uncapped.
    static func capacity(_ v: SettingValue?, long: Bool) -> Int64? {
        guard case let .lot(l, s, r)? = v else { return nil }
        if r { return 0 }
        return long ? l : s
    }

    /// -1 when `b` allows fewer contracts than `a`, 1 when more, 0 when the same.
    static func compareCapacity(_ a: Int64?, _ b: Int64?) -> Int {
        switch (a, b) {
        case (nil, nil): return 0
        case (nil, _): return -1
        case (_, nil): return 1
        case let (x?, y?): return y < x ? -1 : y > x ? 1 : 0
        }
    }

    static func lot(_ p: String, old: SettingValue?, new: SettingValue?) -> [Verdict] {
        let long = compareCapacity(capacity(old, long: true), capacity(new, long: true))
        let short = compareCapacity(capacity(old, long: false), capacity(new, long: false))
        func isRestricted(_ v: SettingValue?) -> Bool { if case .lot(_, _, true)? = v { return true }; return false }
        let oldRestricted = isRestricted(old), newRestricted = isRestricted(new)
        func reason(_ tighter: Bool) -> String {
            if newRestricted { return "restricted: every order rejected" }
            if oldRestricted { return new == nil ? "restriction lifted: tradable without a cap (R-27)" : "restriction lifted" }
            if old == nil { return "was uncapped (R-27)" }
            if new == nil { return "limit removed: uncapped (R-27)" }
            return tighter ? "lower limit: fewer contracts" : "higher limit: more contracts"
        }
        if long <= 0 && short <= 0 {
            return [Verdict(direction: .tightens, reason: reason(true), old: old, new: new)]
        }
        if long >= 0 && short >= 0 {
            return [Verdict(direction: .loosens, reason: reason(false), old: old, new: new)]
        }
        // One side up, the other down: one verdict per side, so the loosening shows.
        func side(_ isLong: Bool, _ c: Int) -> Verdict {
            let name = isLong ? "max_long" : "max_short"
            let o = capacity(old, long: isLong).map { SettingValue.text("\(name) \($0)") } ?? .text("\(name) none")
            let n = capacity(new, long: isLong).map { SettingValue.text("\(name) \($0)") } ?? .text("\(name) none")
            return Verdict(direction: c < 0 ? .tightens : .loosens,
                           reason: c < 0 ? "lower \(isLong ? "long" : "short") limit" : "higher \(isLong ? "long" : "short") limit",
                           old: o, new: n)
        }
        return [side(true, long), side(false, short)]
    }

    // MARK: Products

    static func productSetting(_ key: SettingKey, old: SettingValue?, new: SettingValue?,
                               oldView: TemplateView, newView: TemplateView) -> (Direction, String)? {
        switch key {
        case .pointValue:
            guard let c = compare(old, new) else { return (.neutral, "P&L per 1.00 price move changes") }
            return (.neutral, c > 0 ? "more P&L per 1.00 price move: dollar limits are reached after a smaller move"
                                    : "less P&L per 1.00 price move: dollar limits are reached after a larger move")
        case .tick:
            return (.neutral, "minimum price increment changes")
        default:
            guard oldView.hasMarginTiers || newView.hasMarginTiers else {
                return (.neutral, "the template has no margin tiers")
            }
            if old == nil { return (.tightens, "margin now counts toward the margin tiers") }
            if new == nil { return (.loosens, "margin no longer counts toward the margin tiers") }
            guard let c = compare(old, new) else { return (.neutral, "changed") }
            return c > 0 ? (.tightens, "higher margin: margin tiers reached with fewer contracts")
                         : (.loosens, "lower margin: margin tiers reached with more contracts")
        }
    }

    // MARK: Helpers

    /// -1, 0 or 1 for two numbers of one kind; nil when they cannot be compared.
    static func compare(_ a: SettingValue?, _ b: SettingValue?) -> Int? {
        switch (a, b) {
        case let (.money(x)?, .money(y)?): return y < x ? -1 : y > x ? 1 : 0
        case let (.percent(x)?, .percent(y)?): return y < x ? -1 : y > x ? 1 : 0
        case let (.count(x)?, .count(y)?): return y < x ? -1 : y > x ? 1 : 0
        default: return nil
        }
    }

    static func less(_ a: DecimalNumber, _ b: DecimalNumber) -> Bool {
        let s = max(a.scale, b.scale)
        guard let x = a.scaled(to: s), let y = b.scaled(to: s) else { return a.description < b.description }
        return x < y
    }

    /// Seconds in the daily window `[start, stop)`; a stop before the start crosses midnight.
    static func windowLength(_ start: TimeOfDay, _ stop: TimeOfDay) -> Int32 {
        (stop.seconds - start.seconds + 86_400) % 86_400
    }

    static func effective(_ v: SettingValue?, default d: (start: TimeOfDay, stop: TimeOfDay)) -> (TimeOfDay, TimeOfDay) {
        if case let .window(s, e)? = v { return (s ?? d.start, e ?? d.stop) }
        return (d.start, d.stop)
    }

    /// Tightens when the new window contains the old one, loosens when the old contains the new.
    static func compareWindows(_ a: (TimeOfDay, TimeOfDay), _ b: (TimeOfDay, TimeOfDay)) -> Direction {
        if a == b { return .neutral }
        func contains(_ outer: (TimeOfDay, TimeOfDay), _ inner: (TimeOfDay, TimeOfDay)) -> Bool {
            let offset = (inner.0.seconds - outer.0.seconds + 86_400) % 86_400
            return offset + windowLength(inner.0, inner.1) <= windowLength(outer.0, outer.1)
        }
        if contains(b, a) { return .tightens }
        if contains(a, b) { return .loosens }
        return .neutral
    }

    enum Section { case calendar, timePeriod, riskCategory }

    /// Whether the referenced definition's settings are equal on both sides (a rename).
    static func sameContent(_ a: TemplateView, _ b: TemplateView, section: Section) -> Bool {
        func inSection(_ k: SettingKey) -> Bool {
            switch (k, section) {
            case (.calendarZone, .calendar), (.calendarDayStart, .calendar), (.calendarWeekStart, .calendar),
                 (.calendarEndOfDay, .calendar), (.holiday, .calendar), (.earlyClose, .calendar): return true
            case (.periodStart, .timePeriod), (.periodStop, .timePeriod), (.periodOverride, .timePeriod): return true
            case (.lotLimit, .riskCategory), (.group, .riskCategory), (.groupMember, .riskCategory): return true
            default: return false
            }
        }
        let keys = Set(a.entries.keys.filter(inSection)).union(b.entries.keys.filter(inSection))
        return keys.allSatisfy { k in
            switch (a[k], b[k]) {
            case (nil, nil): return true
            case let (x?, y?): return x.sameMeaning(as: y)
            default: return false
            }
        }
    }
}
