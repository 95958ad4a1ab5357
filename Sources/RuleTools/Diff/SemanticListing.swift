import RuleBase
import RuleSemantics

/// A canonical, line-per-setting listing of a rulebook's effective templates, for git's
/// `textconv`: git then diffs meanings instead of text. No line numbers, no comments, fixed
/// order, so reformatting or reordering a rulebook leaves the listing byte-for-byte equal.
public enum SemanticListing {
    public static func render(_ rulebook: CheckedRulebook, scope: SemanticDiff.Scope = .entryFiles) -> String {
        var out = "# rulec semantic listing: effective templates after imports and extends, then the file's definitions\n"
        let views = SemanticDiff.views(rulebook, scope)
        for name in views.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            guard let v = views[name] else { continue }
            out += "\ntemplate \(name)"
            if v.chain.count > 1 { out += " extends " + v.chain.dropFirst().joined(separator: " < ") }
            out += "\n"
            for key in v.keys {
                guard let value = v[key] else { continue }
                out += "  \(key): \(value.text)\n"
            }
        }
        // The file's own definitions, so that a catalog without templates still shows its changes.
        func declared(_ span: Span) -> Bool { scope == .all || rulebook.entryFiles.contains(span.file) }
        func section(_ title: String, _ entries: [SettingKey: SettingEntry]) {
            out += "\n\(title)\n"
            for key in entries.keys.sorted() {
                if case .product = key { continue }  // the section title says it
                if let e = entries[key] { out += "  \(key): \(e.value.text)\n" }
            }
        }
        for (name, d) in sortedByName(rulebook.calendars) where declared(d.name.span) { section("calendar \(name)", TemplateView.entries(d)) }
        for (name, d) in sortedByName(rulebook.timePeriods) where declared(d.name.span) { section("time_period \(name)", TemplateView.entries(d)) }
        for (name, d) in sortedByName(rulebook.riskCategories) where declared(d.name.span) { section("risk_category \(name)", TemplateView.entries(d)) }
        for (name, d) in sortedByName(rulebook.products) where declared(d.symbol.span) { section("product \(name)", TemplateView.entries(d)) }
        return out
    }

    static func sortedByName<T>(_ d: [String: T]) -> [(String, T)] {
        d.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.compactMap { k in d[k].map { (k, $0) } }
    }
}
