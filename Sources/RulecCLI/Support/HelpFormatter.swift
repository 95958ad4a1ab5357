/// Renders help and usage text from specs. Pure and deterministic: the output depends on the
/// spec alone, so a golden test pins it.
public enum HelpFormatter {
    /// Total line width of help text.
    public static let width = 80
    /// Where the help column starts (labels are indented by two spaces before it).
    static let helpColumn = 26

    /// `usage: rulec check [<options>] <path>...`
    public static func usage(_ spec: CommandSpec, toolName: String) -> String {
        var parts = ["\(toolName) \(spec.name)"]
        if !spec.options.isEmpty { parts.append("[<options>]") }
        parts += spec.positionals.map(\.synopsis)
        return parts.joined(separator: " ")
    }

    /// The full `--help` text of one command, ending with a newline.
    public static func help(_ spec: CommandSpec, toolName: String) -> String {
        var out = ""
        out += wrap("OVERVIEW: " + spec.abstract, indent: 0, hanging: 2) + "\n\n"
        if !spec.discussion.isEmpty {
            for paragraph in paragraphs(spec.discussion) {
                out += wrap(paragraph, indent: 0, hanging: 0) + "\n\n"
            }
        }
        out += wrap("USAGE: " + usage(spec, toolName: toolName), indent: 0, hanging: 9) + "\n"
        if !spec.positionals.isEmpty {
            out += "\nARGUMENTS:\n"
            for p in spec.positionals {
                out += row(label: p.synopsis.trimmingBrackets, help: p.help)
            }
        }
        out += "\nOPTIONS:\n"
        for o in spec.options {
            var label = o.synopsis
            if let s = o.short { label = "-\(s), " + label }
            var help = o.help
            if let d = o.defaultValue { help += (help.isEmpty ? "" : " ") + "(default: \(d))" }
            if o.kind == .repeatedValue { help += (help.isEmpty ? "" : " ") + "(can be repeated)" }
            out += row(label: label, help: help)
        }
        out += row(label: "-h, --help", help: "Show help information.")
        return out
    }

    /// The top-level help listing every subcommand, ending with a newline.
    public static func toolHelp(name: String, abstract: String, commands: [CommandSpec]) -> String {
        var out = wrap("OVERVIEW: " + abstract, indent: 0, hanging: 2) + "\n\n"
        out += "USAGE: \(name) <subcommand> [<options>]\n"
        if !commands.isEmpty {
            out += "\nSUBCOMMANDS:\n"
            for c in commands { out += row(label: c.name, help: c.abstract) }
        }
        out += "\nOPTIONS:\n"
        out += row(label: "--version", help: "Show the version.")
        out += row(label: "-h, --help", help: "Show help information.")
        out += "\n  See '\(name) help <subcommand>' for detailed help.\n"
        return out
    }

    /// One `  label   help` row; a label too wide for its column puts the help on the next line.
    static func row(label: String, help: String) -> String {
        let lead = "  " + label
        if help.isEmpty { return lead + "\n" }
        let pad = String(repeating: " ", count: helpColumn)
        let body = wrap(help, indent: helpColumn, hanging: helpColumn)
        let bodyText = String(body.dropFirst(helpColumn))
        if lead.count <= helpColumn - 2 {
            return lead + String(repeating: " ", count: helpColumn - lead.count) + bodyText + "\n"
        }
        return lead + "\n" + pad + bodyText + "\n"
    }

    /// Greedy word wrap to `width`; the first line is indented by `indent`, the others by
    /// `hanging`. A word longer than a line stays whole on its own line.
    static func wrap(_ text: String, indent: Int, hanging: Int) -> String {
        var lines: [String] = []
        var line = String(repeating: " ", count: indent)
        var lineHasWord = false
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = String(repeating: " ", count: hanging)
                lineHasWord = false
            }
            if lineHasWord { line += " " }
            line += word
            lineHasWord = true
        }
        lines.append(line)
        return lines.joined(separator: "\n")
    }

    /// Paragraphs separated by blank lines; single line breaks inside a paragraph are spaces.
    static func paragraphs(_ text: String) -> [String] {
        var result: [String] = []
        var current: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.allSatisfy({ $0 == " " }) {
                if !current.isEmpty { result.append(current.joined(separator: " ")) }
                current = []
            } else {
                current.append(line)
            }
        }
        if !current.isEmpty { result.append(current.joined(separator: " ")) }
        return result
    }
}

extension String {
    /// `[<path>...]` → `<path>...`: argument rows show the name without optional brackets.
    fileprivate var trimmingBrackets: String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
