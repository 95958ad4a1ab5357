import RuleBase

extension DiagnosticCode {
    public static let loosensParentLimit = DiagnosticCode(5013, "loosens-parent-limit", .warning,
        "A template that extends another replaces a limit its parent sets with a looser one: a higher loss, profit or margin limit, a larger trailing drawdown, a lower `stop_trailing_at`, an end-of-day instead of real-time trailing mode, or a risk category that allows more of some product. It may be intended (a larger account), but a reviewer should see it: suppress it with a reason when it is.")
}

/// An `extends` child that loosens a limit its parent sets.
enum LoosensParentLimit {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        // Effective templates by name (the first of a name, as `rb.effective` finds it).
        var effective: [String: Int] = [:]
        for (k, t) in rb.effectiveTemplates.enumerated() where effective[t.name.value] == nil { effective[t.name.value] = k }
        for def in rb.templates.values.sorted(by: { $0.name.value < $1.name.value }) {
            guard let p = def.parent, let k = effective[p.value] else { continue }
            let parent = rb.effectiveTemplates[k]
            for f in def.fields {
                guard let old = parent.field(f.key) else { continue }
                var looser = false
                switch (f.key, f.value, old.value) {
                case (.threshold, _, _), (.trailingAmount, _, _):
                    looser = (LintSupport.compare(f.value, old.value, base: nil) ?? 0) > 0
                case let (.trailingCap, .money(new), .money(was)):
                    looser = new < was
                case let (.trailingMode, .trailingMode(new), .trailingMode(was)):
                    looser = new == .endOfDay && was == .realTime
                case let (.riskCategory, .name(new), .name(was)):
                    if let a = rb.riskCategories[was], let b = rb.riskCategories[new] {
                        let loosened = loosenedProducts(from: a, to: b)
                        if !loosened.isEmpty {
                            out.append(Diagnostic(.loosensParentLimit,
                                "template `\(def.name.value)` replaces risk category `\(was)` of `\(old.origin)` with `\(new)`, which allows more of " + loosened.map { "`\($0)`" }.joined(separator: ", "),
                                at: Label(f.valueSpan, "looser category"),
                                secondary: [Label(old.valueSpan, "set by `\(old.origin)`")],
                                help: "keep the parent's limits for these products, or suppress with a reason if the change is intended"))
                        }
                    }
                    continue
                default:
                    continue
                }
                guard looser else { continue }
                out.append(Diagnostic(.loosensParentLimit,
                    "template `\(def.name.value)` loosens `\(f.key.settingPath)` from `\(old.value)` (set by `\(old.origin)`) to `\(f.value)`",
                    at: Label(f.valueSpan, "looser than the parent"),
                    secondary: [Label(old.valueSpan, "set by `\(old.origin)`")],
                    help: "keep `\(old.value)` or tighten it; suppress with a reason if the looser limit is intended"))
            }
        }
        return out
    }

    /// Products the new category lets a trader hold more of than the old one.
    static func loosenedProducts(from a: RiskCategoryDef, to b: RiskCategoryDef) -> [String] {
        func caps(_ rc: RiskCategoryDef, _ sym: String) -> (long: Int64?, short: Int64?)? {
            if rc.restricted.contains(where: { $0.value == sym }) { return (0, 0) }
            if let l = rc.limits.first(where: { $0.product.value == sym }) { return (l.long, l.short) }
            return nil
        }
        func looser(_ new: Int64?, _ old: Int64?) -> Bool {
            guard let old else { return false }
            guard let new else { return true }
            return new > old
        }
        let symbols = Set(a.limits.map(\.product.value) + a.restricted.map(\.value)).sorted()
        return symbols.filter { sym in
            guard let old = caps(a, sym) else { return false }
            guard let new = caps(b, sym) else { return true }
            return looser(new.long, old.long) || looser(new.short, old.short)
        }
    }
}

extension FieldKey {
    /// `auto_liquidate.daily_loss`, `trailing_drawdown.stop_trailing_at`: the setting as written.
    var settingPath: String {
        if case let .threshold(t, m, _) = self { return "\(t).\(m)" }
        return description
    }
}
