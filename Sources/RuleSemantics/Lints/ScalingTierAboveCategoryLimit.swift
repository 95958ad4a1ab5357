import RuleBase

extension DiagnosticCode {
    public static let scalingTierAboveCategoryLimit = DiagnosticCode(5031, "scaling-tier-above-category-limit", .warning,
        "A scaling tier allows more weighted contracts than the template's risk category can ever hold: every product the plan counts is capped by the category (and the caps add up to less), or a `max_group` over the same products is lower. The tier can never be used; the category's limit decides instead.")
}

/// A scaling tier above what the risk category allows over the plan's products.
enum ScalingTierAboveCategoryLimit {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let f = t.firm(.scalingPlan), case let .firm(.scalingPlan(plan)) = f.value,
                  let name = t.riskCategoryName, let rc = rb.riskCategories[name], let top = plan.tiers.last else { continue }
            let cap = capacity(plan, rc)
            guard let c = cap.value, DecimalNumber(mantissa: top.contracts, scale: 0).isGreater(than: c) else { continue }
            out.append(Diagnostic(.scalingTierAboveCategoryLimit,
                "scaling tier `max_contracts \(top.contracts)` is above what risk category `\(name)` allows over the plan's products (\(c) contracts)",
                at: Label(top.span, "can never be used"),
                secondary: cap.span.map { [Label($0, "the category's limit")] } ?? [],
                notes: ["in template `\(t.name.value)` the category caps the plan's products first"],
                help: "lower the tier to at most \(c) contracts, or raise the category's limits"))
        }
        return out
    }

    /// The most weighted contracts the category lets the plan's products hold: a covering group's
    /// limit, else the sum of weight × per-product cap (nil when some product is uncapped).
    static func capacity(_ plan: ScalingPlanDef, _ rc: RiskCategoryDef) -> (value: DecimalNumber?, span: Span?) {
        var best: (DecimalNumber, Span)?
        for g in rc.groups {
            let covers = plan.members.allSatisfy { m in
                g.members.contains { $0.product.value == m.product.value && !$0.weight.isLess(than: m.weight) }
            }
            if covers, best.map({ DecimalNumber(mantissa: g.limit.value, scale: 0).isLess(than: $0.0) }) ?? true {
                best = (DecimalNumber(mantissa: g.limit.value, scale: 0), g.name.span)
            }
        }
        var sum = DecimalNumber(mantissa: 0, scale: 0)
        var allCapped = true
        for m in plan.members {
            guard let l = rc.limits.first(where: { $0.product.value == m.product.value }), let a = l.long, let b = l.short else {
                if !rc.restricted.contains(where: { $0.value == m.product.value }) { allCapped = false }
                continue
            }
            sum = sum.plus(m.weight.times(max(a, b)))
        }
        if allCapped, best.map({ sum.isLess(than: $0.0) }) ?? true { return (sum, rc.name.span) }
        return (best?.0, best?.1)
    }
}

extension DecimalNumber {
    func aligned(_ o: DecimalNumber) -> (Int64, Int64)? {
        let s = max(scale, o.scale)
        guard let a = scaled(to: s), let b = o.scaled(to: s) else { return nil }
        return (a, b)
    }
    func isLess(than o: DecimalNumber) -> Bool { aligned(o).map { $0.0 < $0.1 } ?? false }
    func isGreater(than o: DecimalNumber) -> Bool { aligned(o).map { $0.0 > $0.1 } ?? false }
    func plus(_ o: DecimalNumber) -> DecimalNumber {
        let s = max(scale, o.scale)
        guard let a = scaled(to: s), let b = o.scaled(to: s) else { return self }
        return DecimalNumber(mantissa: a &+ b, scale: s)
    }
    func times(_ n: Int64) -> DecimalNumber { DecimalNumber(mantissa: mantissa &* n, scale: scale) }
}
