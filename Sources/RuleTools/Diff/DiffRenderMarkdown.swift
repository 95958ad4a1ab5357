/// Renders a `RulebookDiff` as a pull-request comment: a summary line, then a table per
/// template.
public enum DiffMarkdownRenderer {
    public static func render(_ diff: RulebookDiff) -> String {
        var out = "### rulec diff `\(diff.oldLabel)` → `\(diff.newLabel)`\n\n"
        out += "**\(capitalized(diff.summary))**\n"
        for t in diff.templates {
            out += "\n#### `\(t.template)`"
            switch t.status {
            case .added: out += " (added)"
            case .removed: out += " (removed)"
            case .changed: break
            }
            out += " — " + Direction.tally(t.count) + "\n\n"
            out += "| Direction | Setting | Old | New | Why | Source |\n"
            out += "|---|---|---|---|---|---|\n"
            for c in t.changes {
                let direction = c.direction == .neutral ? "neutral" : "**\(c.direction.rawValue)**"
                let source = [c.oldSource.map { "`\($0)`" } ?? "", c.newSource.map { "`\($0)`" } ?? ""]
                    .filter { !$0.isEmpty }.joined(separator: " → ")
                let cells = [direction, "`\(c.setting)`", c.old.map { cell($0.text) } ?? "—", c.new.map { cell($0.text) } ?? "—",
                             cell(c.reason), source]
                out += "| " + cells.joined(separator: " | ") + " |\n"
            }
        }
        return out
    }

    /// Table cells cannot hold `|` or line breaks.
    static func cell(_ s: String) -> String {
        s.replacingAll("|", with: "\\|").replacingAll("\n", with: " ")
    }

    static func capitalized(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }
}

fileprivate extension String {
    /// Every occurrence of `target` replaced (no Foundation needed).
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var out = ""
        for ch in self { if ch == target { out += replacement } else { out.append(ch) } }
        return out
    }
}
