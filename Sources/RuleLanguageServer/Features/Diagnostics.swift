import RuleBase
import RuleJSON

/// `rulec check`'s diagnostics as LSP diagnostics: the same code, range and message; the
/// primary label and the secondary labels as related information; notes and help after the
/// message, as the text renderer prints them.
enum DiagnosticsFeature {
    static func json(_ d: Diagnostic, _ analysis: Analysis, _ encoding: PositionEncoding, base: String) -> JSONValue {
        let sources = analysis.model.sources
        var message = d.message
        for n in d.notes { message += "\nnote: \(n)" }
        if let h = d.help { message += "\nhelp: \(h)" }
        var related: [JSONValue] = []
        func location(_ label: Label) -> JSONValue? {
            guard Int(label.span.file.raw) < sources.files.count, let uri = analysis.uri(label.span.file) else { return nil }
            let map = LineMap(sources[label.span.file], encoding)
            return .obj(["location": .obj(["uri": .str(uri), "range": map.range(label.span)]),
                         "message": .str(label.message)])
        }
        if !d.primary.message.isEmpty, let l = location(d.primary) { related.append(l) }
        for s in d.secondary { if let l = location(s) { related.append(l) } }
        let map = LineMap(sources[d.primary.span.file], encoding)
        let severity = d.severity == .error ? 1 : d.severity == .warning ? 2 : 3
        return .obj([
            "range": map.range(d.primary.span),
            "severity": .int(severity),
            "code": .str(d.code.id),
            "codeDescription": .obj(["href": .str(Explanations.href(d.code, base: base))]),
            "source": .str("rulec"),
            "message": .str(message),
            "relatedInformation": related.isEmpty ? nil : .arr(related),
            "data": .obj(["name": .str(d.code.name)]),
        ])
    }

    /// `textDocument/publishDiagnostics` for every file the analysis found something in (and for
    /// its own document always, so that fixed findings disappear).
    static func publications(_ analysis: Analysis, _ encoding: PositionEncoding, base: String)
        -> [(uri: String, version: Int?, diagnostics: [JSONValue])] {
        var byFile: [FileID: [JSONValue]] = [:]
        for d in analysis.diagnostics {
            guard Int(d.primary.span.file.raw) < analysis.model.sources.files.count else { continue }
            byFile[d.primary.span.file, default: []].append(json(d, analysis, encoding, base: base))
        }
        var out: [(uri: String, version: Int?, diagnostics: [JSONValue])] = [(analysis.uri, analysis.version, byFile[analysis.entryFile] ?? [])]
        for file in byFile.keys.sorted() where file != analysis.entryFile {
            guard let uri = analysis.uri(file) else { continue }
            out.append((uri, nil, byFile[file] ?? []))
        }
        return out
    }

    static func notification(uri: String, version: Int?, _ diagnostics: [JSONValue]) -> JSONValue {
        Outgoing.notification("textDocument/publishDiagnostics",
                              .obj(["uri": .str(uri), "version": version.map { .int($0) }, "diagnostics": .arr(diagnostics)]))
    }
}
