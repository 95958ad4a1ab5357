import RuleBase

extension DiagnosticCode {
    public static let loosensParentTimePeriod = DiagnosticCode(5025, "loosens-parent-time-period", .warning,
        "A template that extends another switches to a time period whose daily window does not contain the parent's: at some wall time the parent holds the account flat and the child lets it trade. It may be intended, but a reviewer should see it, as for limits (R5013): suppress it with a reason when it is. Holiday overrides are not compared.")
}

/// An `extends` child whose time period holds the account flat for less of the day than its parent's.
enum LoosensParentTimePeriod {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var effective: [String: Int] = [:]
        for (k, t) in rb.effectiveTemplates.enumerated() where effective[t.name.value] == nil { effective[t.name.value] = k }
        for def in rb.templates.values.sorted(by: { $0.name.value < $1.name.value }) {
            guard let p = def.parent, let k = effective[p.value],
                  let f = def.fields.first(where: { $0.key == .timePeriod }), case let .name(new) = f.value,
                  let old = rb.effectiveTemplates[k].field(.timePeriod), case let .name(was) = old.value, new != was,
                  let a = rb.timePeriods[was], let b = rb.timePeriods[new],
                  let (as_, ae) = window(a), let (bs, be) = window(b),
                  let gap = firstUncovered(parent: (as_, ae), child: (bs, be)) else { continue }
            out.append(Diagnostic(.loosensParentTimePeriod,
                "template `\(def.name.value)` replaces time period `\(was)` of `\(old.origin)` (\(LintSupport.windowText((as_, ae)))) with `\(new)` (\(LintSupport.windowText((bs, be)))), which lets the account trade at `\(gap)`",
                at: Label(f.valueSpan, "less flat time than the parent"),
                secondary: [Label(old.valueSpan, "set by `\(old.origin)`")],
                help: "use a window that contains the parent's, or suppress with a reason if the change is intended"))
        }
        return out
    }

    static func window(_ tp: TimePeriodDef) -> (TimeOfDay, TimeOfDay)? {
        guard let s = tp.start?.value, let e = tp.stop?.value else { return nil }
        return (s, e)
    }

    /// `[start, stop)` on the 24-hour circle.
    static func inside(_ t: Int32, _ w: (TimeOfDay, TimeOfDay)) -> Bool {
        let (s, e) = (w.0.seconds, w.1.seconds)
        return s <= e ? (s <= t && t < e) : (t >= s || t < e)
    }

    /// The first wall time (on the minute, or a window's own ends) inside the parent's window
    /// and outside the child's; nil when the child's window contains the parent's.
    static func firstUncovered(parent: (TimeOfDay, TimeOfDay), child: (TimeOfDay, TimeOfDay)) -> TimeOfDay? {
        let ends = [parent.0.seconds, parent.1.seconds, child.0.seconds, child.1.seconds]
        let length = (parent.1.seconds - parent.0.seconds + 86_400) % 86_400
        var candidates = Set(ends)
        var t = parent.0.seconds
        for _ in 0..<(length / 60 + 1) { candidates.insert(t); t = (t + 60) % 86_400 }
        let sorted = candidates.sorted { ((($0 - parent.0.seconds) + 86_400) % 86_400) < ((($1 - parent.0.seconds) + 86_400) % 86_400) }
        return sorted.first { inside($0, parent) && !inside($0, child) }.map { TimeOfDay(seconds: $0) }
    }
}
