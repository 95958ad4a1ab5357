import RuleBase

extension DiagnosticCode {
    public static let restrictedProductWithLimit = DiagnosticCode(5006, "restricted-product-with-limit", .warning,
        "A restricted product rejects every order, so a position limit or group weight for it in the same risk category never applies; the pair usually means a product was meant to be allowed, or forgotten when it was restricted.")
}

/// A product both restricted and given a position limit or group membership in one category.
enum RestrictedProductWithLimit {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for rc in rb.riskCategories.values.sorted(by: { $0.name.value < $1.name.value }) {
            for r in rc.restricted {
                var uses: [(Span, String)] = rc.limits.filter { $0.product.value == r.value }.map { ($0.span, "a position limit") }
                for g in rc.groups {
                    for m in g.members where m.product.value == r.value {
                        uses.append((m.product.span, "a member of group `\(g.name.value)`"))
                    }
                }
                for (span, what) in uses {
                    out.append(Diagnostic(.restrictedProductWithLimit,
                        "product `\(r.value)` is restricted in risk category `\(rc.name.value)` but has \(what)",
                        at: Label(span, "never applies"),
                        secondary: [Label(r.span, "restricted here")],
                        help: "remove this line, or lift the restriction of `\(r.value)` if it should be tradable"))
                }
            }
        }
        return out
    }
}
