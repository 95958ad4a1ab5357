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
            let (line, col) = file.location(of: label.span.start)
            if first || label.span.file != d.primary.span.file {
                out += pad + paint("--> ", "1;34") + "\(file.path):\(line):\(col)\n"
            } else {
                out += pad + paint(" ::: ", "1;34") + "\(file.path):\(line):\(col)\n"
            }
            first = false
            out += pad + paint(" |", "1;34") + "\n"
            let text = file.lineText(line)
            let num = String(line)
            out += String(repeating: " ", count: gutter - num.count) + paint(num + " |", "1;34") + " " + expandTabs(text) + "\n"
            // Underline: from the column to the end of the span, clipped to this line.
            let (endLine, endCol) = file.location(of: label.span.end)
            let lineLen = text.unicodeScalars.count
            var width = endLine == line ? endCol - col : lineLen - col + 1
            if width < 1 { width = 1 }
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
