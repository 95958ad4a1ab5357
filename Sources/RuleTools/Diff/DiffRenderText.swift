/// Renders a `RulebookDiff` for a terminal: one block per template, one entry per change
/// (direction, setting, old and new values, why, and the source lines on both sides), then
/// the summary line.
public enum DiffTextRenderer {
    public static func render(_ diff: RulebookDiff, color: Bool = false) -> String {
        var out = ""
        for t in diff.templates {
            var header = "template \(t.template)"
            switch t.status {
            case .added: header += " (added)"
            case .removed: header += " (removed)"
            case .changed: break
            }
            out += paint(header, bold, color) + "\n"
            for c in t.changes {
                let word = pad(c.direction.rawValue, 9)
                out += "  " + paint(word, code(c.direction), color) + " " + c.setting + ": " + values(c) + "\n"
                out += "            " + c.reason + "\n"
                if let s = sources(c) { out += "            " + s + "\n" }
            }
            out += "\n"
        }
        out += diff.summary + "\n"
        return out
    }

    /// `1_000 USD -> 1_200 USD`, `added 95%`, `removed 95%`.
    static func values(_ c: SettingChange) -> String {
        switch (c.old, c.new) {
        case let (o?, n?): return "\(o.text) -> \(n.text)"
        case let (nil, n?): return "added \(n.text)"
        case let (o?, nil): return "removed \(o.text)"
        case (nil, nil): return c.kind.rawValue
        }
    }

    /// `old firm/base.rules:40, new firm/base.rules:41`; nil when neither side has a line.
    static func sources(_ c: SettingChange) -> String? {
        let parts = [c.oldSource.map { "old \($0)" }, c.newSource.map { "new \($0)" }].compactMap { $0 }
        return parts.isEmpty ? nil : parts.joined(separator: ", ")
    }

    /// `s` followed by spaces up to `width` characters.
    static func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
    }

    static let bold = "1"
    static func code(_ d: Direction) -> String {
        switch d {
        case .loosens: return "31"
        case .tightens: return "32"
        case .neutral: return "2"
        case .contextDependent: return "33"
        }
    }

    static func paint(_ s: String, _ code: String, _ enabled: Bool) -> String {
        enabled ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }
}
