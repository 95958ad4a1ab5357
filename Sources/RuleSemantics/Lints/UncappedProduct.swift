import RuleBase

extension DiagnosticCode {
    public static let uncappedProduct = DiagnosticCode(5015, "uncapped-product", .warning,
        "A product the risk category does not mention (no `max_position`, `max_long`, `max_short`, group membership or `restrict`) is tradable without any position limit (R-27). Every category used by a template should name every product of the catalog it is checked with, limited or restricted.")
}

/// A product of the loaded catalog that a risk category in use leaves without any cap.
enum UncappedProduct {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        let used = Set(rb.effectiveTemplates.compactMap(\.riskCategoryName))
        let catalog = rb.products.keys.sorted()
        var out: [Diagnostic] = []
        for rc in rb.riskCategories.values.sorted(by: { $0.name.value < $1.name.value }) where used.contains(rc.name.value) {
            var named = Set(rc.limits.map(\.product.value) + rc.restricted.map(\.value))
            for g in rc.groups { named.formUnion(g.members.map(\.product.value)) }
            let missing = catalog.filter { !named.contains($0) }
            guard !missing.isEmpty else { continue }
            let list = missing.map { "`\($0)`" }.joined(separator: ", ")
            out.append(Diagnostic(.uncappedProduct,
                "risk category `\(rc.name.value)` does not mention \(list): tradable without a position limit",
                at: Label(rc.name.span, "\(missing.count) uncapped product\(missing.count == 1 ? "" : "s")"),
                notes: ["a product a category does not mention is not limited at all (R-27)"],
                help: "add `max_position \(missing[0]) 1` or `restrict \(missing.joined(separator: ", "))`"))
        }
        return out
    }
}
