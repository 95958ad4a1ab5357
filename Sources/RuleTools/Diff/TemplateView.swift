import RuleBase
import RuleSemantics

/// One setting of a template's semantic view and where it was written (nil for a default).
public struct SettingEntry: Sendable, Hashable {
    public var value: SettingValue
    public var span: Span?
    public init(_ value: SettingValue, _ span: Span?) {
        self.value = value
        self.span = span
    }
}

/// An effective template as the diff sees it: its own settings after `extends`, plus every
/// setting of the calendar, time period and risk category it names and of every product in
/// the catalog, keyed by meaning. Two views with equal values are the same rules, however the
/// files are formatted, ordered or split.
public struct TemplateView: Sendable {
    public var name: String
    /// The template and its ancestors, nearest first.
    public var chain: [String]
    public var entries: [SettingKey: SettingEntry]
    /// The `template` declaration.
    public var span: Span?

    /// Every key, in output order.
    public var keys: [SettingKey] { entries.keys.sorted() }

    public subscript(_ key: SettingKey) -> SettingValue? { entries[key]?.value }

    /// Whether the template has any margin tier, so that product margins matter to it.
    public var hasMarginTiers: Bool {
        entries.keys.contains { if case .field(.threshold(_, .margin, _)) = $0 { return true }; return false }
    }

    /// The risk category's rule for `product`, nil when the product is uncapped.
    public func lot(_ product: String) -> (long: Int64?, short: Int64?, restricted: Bool)? {
        if case let .lot(l, s, r)? = self[.lotLimit(product)] { return (l, s, r) }
        return nil
    }

    public func isRestricted(_ product: String) -> Bool { lot(product)?.restricted ?? false }

    /// The time period's daily window, when the template has one.
    public var window: (start: TimeOfDay, stop: TimeOfDay)? {
        guard case let .time(a)? = self[.periodStart], case let .time(b)? = self[.periodStop] else { return nil }
        return (a, b)
    }

    /// Builds the view of `template` in `rulebook`.
    public init(_ template: EffectiveTemplate, in rulebook: CheckedRulebook) {
        name = template.name.value
        chain = template.chain
        span = rulebook.templates[name]?.span ?? template.name.span
        var e: [SettingKey: SettingEntry] = [:]
        for f in template.fields {
            e[.field(f.key)] = SettingEntry(Self.value(f.value), f.span)
        }
        // The mode has a default; compare the mode in effect, not whether it was written.
        if e[.field(.trailingAmount)] != nil, e[.field(.trailingMode)] == nil {
            e[.field(.trailingMode)] = SettingEntry(.mode(.endOfDay), nil)
        }
        if let name = template.calendarName, let cal = rulebook.calendars[name] {
            e.merge(Self.entries(cal)) { a, _ in a }
        }
        if let name = template.timePeriodName, let tp = rulebook.timePeriods[name] {
            e.merge(Self.entries(tp)) { a, _ in a }
        }
        if let name = template.riskCategoryName, let rc = rulebook.riskCategories[name] {
            e.merge(Self.entries(rc)) { a, _ in a }
        }
        for p in rulebook.products.values {
            e.merge(Self.entries(p)) { a, _ in a }
        }
        entries = e
    }

    /// A calendar's settings, defaults filled in.
    public static func entries(_ cal: CalendarDef) -> [SettingKey: SettingEntry] {
        var e: [SettingKey: SettingEntry] = [:]
        if let z = cal.timezone { e[.calendarZone] = SettingEntry(.text(z.value), z.span) }
        e[.calendarDayStart] = SettingEntry(.time(cal.effectiveTradingDayStarts), cal.tradingDayStarts?.span)
        e[.calendarWeekStart] = SettingEntry(.weekTime(cal.effectiveWeekStartDay, cal.effectiveWeekStartTime),
                                             cal.weekStartDay?.span)
        e[.calendarEndOfDay] = SettingEntry(.time(cal.effectiveEndOfDay), cal.endOfDay?.span)
        for h in cal.holidays { e[.holiday(h.value)] = SettingEntry(.text("closed"), h.span) }
        for c in cal.earlyCloses { e[.earlyClose(c.date)] = SettingEntry(.time(c.time), c.span) }
        return e
    }

    /// A time period's window and dated overrides.
    public static func entries(_ tp: TimePeriodDef) -> [SettingKey: SettingEntry] {
        var e: [SettingKey: SettingEntry] = [:]
        if let s = tp.start { e[.periodStart] = SettingEntry(.time(s.value), s.span) }
        if let s = tp.stop { e[.periodStop] = SettingEntry(.time(s.value), s.span) }
        for o in tp.overrides { e[.periodOverride(o.date)] = SettingEntry(.window(start: o.start, stop: o.stop), o.span) }
        return e
    }

    /// A risk category's rule per product and its groups.
    public static func entries(_ rc: RiskCategoryDef) -> [SettingKey: SettingEntry] {
        var e: [SettingKey: SettingEntry] = [:]
        for l in rc.limits {
            e[.lotLimit(l.product.value)] = SettingEntry(.lot(long: l.long, short: l.short, restricted: false), l.span)
        }
        for r in rc.restricted {
            e[.lotLimit(r.value)] = SettingEntry(.lot(long: nil, short: nil, restricted: true), r.span)
        }
        for g in rc.groups {
            e[.group(g.name.value)] = SettingEntry(.count(g.limit.value), g.name.span)
            for m in g.members {
                e[.groupMember(g.name.value, m.product.value)] = SettingEntry(.weight(normalized(m.weight)), m.product.span)
            }
        }
        return e
    }

    /// A product's contract economics (its description is documentation, not compared).
    public static func entries(_ p: ProductDef) -> [SettingKey: SettingEntry] {
        var e: [SettingKey: SettingEntry] = [:]
        let symbol = p.symbol.value
        e[.product(symbol)] = SettingEntry(.text("listed"), p.symbol.span)
        if let v = p.pointValue { e[.pointValue(symbol)] = SettingEntry(.money(v.value), v.span) }
        if let v = p.tick { e[.tick(symbol)] = SettingEntry(.number(normalized(v.value)), v.span) }
        if let v = p.dayMargin { e[.dayMargin(symbol)] = SettingEntry(.money(v.value), v.span) }
        if let v = p.overnightMargin { e[.overnightMargin(symbol)] = SettingEntry(.money(v.value), v.span) }
        return e
    }

    /// `0.250` → `0.25`: one spelling per number, so that `==` compares values.
    static func normalized(_ d: DecimalNumber) -> DecimalNumber {
        var m = d.mantissa, s = d.scale
        while s > 0 && m % 10 == 0 { m /= 10; s -= 1 }
        return DecimalNumber(mantissa: m, scale: s)
    }

    static func value(_ v: FieldValue) -> SettingValue {
        switch v {
        case let .name(n): return .name(n)
        case let .money(m): return .money(m)
        case let .percent(r): return .percent(r)
        case let .trailingMode(m): return .mode(m)
        case let .dateTime(d): return .dateTime(d)
        case .flag: return .flag
        case let .firm(f): return .firm(f.withoutSpans)
        }
    }

    /// Every effective template of a rulebook, by name.
    public static func all(_ rulebook: CheckedRulebook) -> [String: TemplateView] {
        var views: [String: TemplateView] = [:]
        for t in rulebook.effectiveTemplates { views[t.name.value] = TemplateView(t, in: rulebook) }
        return views
    }
}

extension SettingValue {
    /// Equal in meaning: like `==`, except that two date-times with offsets are equal when
    /// they name the same instant (`08:00-06:00` and `14:00Z`).
    public func sameMeaning(as other: SettingValue) -> Bool {
        if case let .dateTime(a) = self, case let .dateTime(b) = other, let x = a.instant, let y = b.instant {
            return x == y
        }
        return self == other
    }
}
