import RuleBase
import RuleJSON

/// The machine formats of diagnostics. Text comes from `DiagnosticRenderer`.
enum DiagnosticFormats {
    /// One JSON document: `{"version":1,"files":N,"diagnostics":[...],"summary":{...}}`.
    /// Positions are 1-based; columns count Unicode scalars. Schema in the README.
    static func json(_ diags: [Diagnostic], sources: SourceMap, files: Int) -> String {
        var w = JSONWriter(style: .pretty)
        w.beginObject()
        w.field("version", Int64(1))
        w.field("files", Int64(files))
        w.key("diagnostics")
        w.beginArray()
        for d in diags {
            w.beginObject()
            w.field("code", d.code.id)
            w.field("name", d.code.name)
            w.field("severity", d.severity.rawValue)
            w.field("message", d.message)
            writeLocation(&w, d.primary.span, sources)
            if !d.primary.message.isEmpty { w.field("label", d.primary.message) }
            if !d.secondary.isEmpty {
                w.key("related")
                w.beginArray()
                for l in d.secondary {
                    w.beginObject()
                    writeLocation(&w, l.span, sources)
                    w.field("message", l.message)
                    w.endObject()
                }
                w.endArray()
            }
            if !d.notes.isEmpty {
                w.key("notes")
                w.beginArray()
                for n in d.notes { w.string(n) }
                w.endArray()
            }
            if let h = d.help { w.field("help", h) }
            w.endObject()
        }
        w.endArray()
        w.key("summary")
        w.beginObject()
        w.field("errors", Int64(diags.filter { $0.severity == .error }.count))
        w.field("warnings", Int64(diags.filter { $0.severity == .warning }.count))
        w.field("notes", Int64(diags.filter { $0.severity == .note }.count))
        w.endObject()
        w.endObject()
        w.newline()
        return w.text
    }

    static func writeLocation(_ w: inout JSONWriter, _ span: Span, _ sources: SourceMap) {
        let f = sources[span.file]
        let (l, c) = f.location(of: span.start)
        let (el, ec) = f.location(of: span.end)
        w.field("file", f.path)
        w.field("line", Int64(l))
        w.field("column", Int64(c))
        w.field("endLine", Int64(el))
        w.field("endColumn", Int64(ec))
    }

    /// GitHub Actions workflow commands: one `::error file=…,line=…::message` per finding.
    static func github(_ diags: [Diagnostic], sources: SourceMap) -> String {
        var out = ""
        for d in diags {
            let f = sources[d.primary.span.file]
            let (l, c) = f.location(of: d.primary.span.start)
            let (el, ec) = f.location(of: d.primary.span.end)
            let level = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
            var message = d.message
            if let h = d.help { message += "\n\nhelp: " + h }
            out += "::\(level) file=\(escapeProperty(f.path)),line=\(l),col=\(c),endLine=\(el),endColumn=\(ec),title=\(escapeProperty("\(d.code.id) \(d.code.name)"))::\(escapeData(message))\n"
        }
        return out
    }

    static func escapeData(_ s: String) -> String {
        var out = ""
        for ch in s {
            switch ch {
            case "%": out += "%25"
            case "\r": out += "%0D"
            case "\n": out += "%0A"
            default: out.append(ch)
            }
        }
        return out
    }

    static func escapeProperty(_ s: String) -> String {
        var out = ""
        for ch in escapeData(s) {
            switch ch {
            case ":": out += "%3A"
            case ",": out += "%2C"
            default: out.append(ch)
            }
        }
        return out
    }

    static func summary(_ diags: [Diagnostic], files: Int) -> String {
        let e = diags.filter { $0.severity == .error }.count
        let w = diags.filter { $0.severity == .warning }.count
        func n(_ k: Int, _ word: String) -> String { "\(k) \(word)\(k == 1 ? "" : "s")" }
        let notes = diags.filter { $0.severity == .note }.count
        return "checked \(n(files, "file")): \(n(e, "error")), \(n(w, "warning"))" + (notes > 0 ? ", \(n(notes, "note"))" : "")
    }
}
