import RuleBase
import RuleSemantics

/// A canonical, line-per-setting listing of a rulebook's effective templates, for git's
/// `textconv`: git then diffs meanings instead of text. No line numbers, no comments, fixed
/// order, so reformatting or reordering a rulebook leaves the listing byte-for-byte equal.
public enum SemanticListing {
    public static func render(_ rulebook: CheckedRulebook, scope: SemanticDiff.Scope = .entryFiles) -> String {
        var out = "# rulec semantic listing: effective templates after imports and extends\n"
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
        return out
    }
}
