/// Renders diagnostics as compiler-style text: a header, `--> file:line:col`, the source line
/// with a caret underline and label, secondary labels, notes and a help line.
public struct DiagnosticRenderer: Sendable {
    public var color: Bool
    public init(color: Bool = false) { self.color = color }

    private func paint(_ s: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
    }

    public func render(_ d: Diagnostic, sources: SourceMap) -> String {
        var out = ""
        let sevColor = d.severity == .error ? "1;31" : d.severity == .warning ? "1;33" : "1;36"
        out += paint("\(d.severity.rawValue)[\(d.code.id)]", sevColor) + paint(": \(d.message)", "1") + "\n"
        let labels = [(d.primary, true)] + d.secondary.map { ($0, false) }
        let gutter = labels.map { lineNumberWidth($0.0.span, sources) }.max() ?? 1
        let pad = String(repeating: " ", count: gutter)
        var first = true
        for (label, isPrimary) in labels {
            let file = sources[label.span.file]
            let (line, column) = file.location(of: label.span.start)
            if first || label.span.file != d.primary.span.file {
                out += pad + paint("--> ", "1;34") + "\(file.path):\(line):\(column)\n"
            } else {
                out += pad + paint(" ::: ", "1;34") + "\(file.path):\(line):\(column)\n"
            }
            first = false
            out += pad + paint(" |", "1;34") + "\n"
            // The echoed line is made safe for a terminal (no control characters) and, when very
            // long, cut to a window around the caret.
            var (text, shift) = Self.window(Self.printable(file.lineText(line)), column: column)
            let num = String(line)
            out += String(repeating: " ", count: gutter - num.count) + paint(num + " |", "1;34") + " " + expandTabs(text) + "\n"
            // Underline: from the column to the end of the span, clipped to this line.
            let (endLine, endColumn) = file.location(of: label.span.end)
            let col = column - shift, endCol = endColumn - shift
            let lineLen = text.unicodeScalars.count
            var width = endLine == line ? min(endCol, lineLen + 1) - col : lineLen - col + 1
            if width < 1 { width = 1 }
            text = text.isEmpty ? " " : text
            let prefix = leadingWidth(text, column: col)
            let mark = String(repeating: isPrimary ? "^" : "-", count: width)
            var underline = String(repeating: " ", count: prefix) + paint(mark, isPrimary ? sevColor : "1;34")
            if !label.message.isEmpty { underline += " " + paint(label.message, isPrimary ? sevColor : "1;34") }
            out += pad + paint(" |", "1;34") + " " + underline + "\n"
        }
        for note in d.notes { out += pad + paint(" = note: ", "1") + note + "\n" }
        if let help = d.help { out += pad + paint(" = help: ", "1") + help + "\n" }
        return out
    }

    public func render(_ ds: [Diagnostic], sources: SourceMap) -> String {
        ds.map { render($0, sources: sources) }.joined(separator: "\n")
    }

    /// `file:line:col: severity[code]: message`, the one-line form used in summaries.
    public static func oneLine(_ d: Diagnostic, sources: SourceMap) -> String {
        let file = sources[d.primary.span.file]
        let (line, col) = file.location(of: d.primary.span.start)
        return "\(file.path):\(line):\(col): \(d.severity.rawValue)[\(d.code.id)]: \(d.message)"
    }

    private func lineNumberWidth(_ span: Span, _ sources: SourceMap) -> Int {
        String(sources[span.file].location(of: span.start).line).count
    }

    private func expandTabs(_ s: String) -> String { s.replacingTabs() }

    /// Control characters (other than tab) shown as U+FFFD, one column each, so an echoed
    /// line can never drive the terminal.
    static func printable(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars {
            let v = u.value
            out.append(v == 9 || (v >= 0x20 && v != 0x7F && !(0x80...0x9F).contains(v)) ? u : "\u{FFFD}")
        }
        return String(out)
    }

    /// Lines longer than this many columns are shown as a window around the caret.
    static let maxEcho = 160

    /// The part of `text` to echo and how many columns were cut from its start.
    static func window(_ text: String, column: Int) -> (String, Int) {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > maxEcho else { return (text, 0) }
        let start = max(0, min(column - 1 - maxEcho / 4, scalars.count - maxEcho))
        let end = min(scalars.count, start + maxEcho)
        var view = String.UnicodeScalarView()
        if start > 0 { view.append("…") }
        view.append(contentsOf: scalars[start..<end])
        if end < scalars.count { view.append("…") }
        return (String(view), start > 0 ? start - 1 : 0)
    }

    private func leadingWidth(_ text: String, column: Int) -> Int {
        var width = 0
        for (i, scalar) in text.unicodeScalars.enumerated() where i < column - 1 {
            width += scalar == "\t" ? 4 : 1
        }
        return width
    }
}

extension String {
    fileprivate func replacingTabs() -> String {
        var out = ""
        for ch in self { if ch == "\t" { out += "    " } else { out.append(ch) } }
        return out
    }
}
