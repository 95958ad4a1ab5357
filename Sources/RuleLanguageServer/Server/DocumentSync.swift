import RuleBase
import RuleJSON

/// Text synchronisation (open, incremental change, close) and re-checking: a change re-checks
/// the document and every open document that imports it, and publishes their diagnostics.
extension Server {
    mutating func didOpen(_ params: JSONValue) -> [JSONValue] {
        guard let item = params["textDocument"], let uri = item["uri"]?.stringValue,
              let text = item["text"]?.stringValue else { return [] }
        let doc = Document(uri: uri, path: FileURI.path(uri), version: item["version"]?.intValue ?? 0, bytes: Array(text.utf8))
        workspace.documents[uri] = doc
        return recheck(affectedBy: uri)
    }

    mutating func didChange(_ params: JSONValue) -> [JSONValue] {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, var doc = workspace.documents[uri] else { return [] }
        for change in params["contentChanges"]?.arrayValue ?? [] {
            guard let text = change["text"]?.stringValue else { continue }
            if let range = change["range"], let a = Position.read(range["start"]), let b = Position.read(range["end"]) {
                let map = LineMap(bytes: doc.bytes, encoding)
                let s = Int(map.offset(min(a, b))), e = Int(map.offset(max(a, b)))
                doc.bytes.replaceSubrange(s..<e, with: Array(text.utf8))
            } else {
                doc.bytes = Array(text.utf8)
            }
        }
        if let v = params["textDocument"]?["version"]?.intValue { doc.version = v }
        workspace.documents[uri] = doc
        return recheck(affectedBy: uri)
    }

    mutating func didClose(_ params: JSONValue) -> [JSONValue] {
        guard let uri = params["textDocument"]?["uri"]?.stringValue, workspace.documents[uri] != nil else { return [] }
        let dependents = dependents(of: uri)
        workspace.documents[uri] = nil
        workspace.analyses[uri] = nil
        var out = [DiagnosticsFeature.notification(uri: uri, version: nil, [])]
        for stale in workspace.publishedImports.removeValue(forKey: uri) ?? [] where workspace.documents[stale] == nil {
            out.append(DiagnosticsFeature.notification(uri: stale, version: nil, []))
        }
        out += recheck(dependents)
        return out
    }

    mutating func didChangeFolders(_ params: JSONValue) -> [JSONValue] {
        let event = params["event"]
        for f in event?["removed"]?.arrayValue ?? [] {
            if let uri = f["uri"]?.stringValue, let p = FileURI.path(uri) { workspace.folders.removeAll { $0 == p } }
        }
        for f in event?["added"]?.arrayValue ?? [] {
            if let uri = f["uri"]?.stringValue, let p = FileURI.path(uri), !workspace.folders.contains(p) { workspace.folders.append(p) }
        }
        return recheck(workspace.documents.keys.sorted())
    }

    /// Open documents other than `uri` whose last check loaded it.
    func dependents(of uri: String) -> [String] {
        guard let path = workspace.documents[uri]?.path else { return [] }
        return workspace.analyses.values.filter { $0.uri != uri && $0.loadedPaths.contains(path) }.map(\.uri).sorted()
    }

    mutating func recheck(affectedBy uri: String) -> [JSONValue] {
        recheck([uri] + dependents(of: uri))
    }

    /// Checks the documents again and returns their diagnostics notifications.
    mutating func recheck(_ uris: [String]) -> [JSONValue] {
        var out: [JSONValue] = []
        for uri in uris {
            guard let doc = workspace.documents[uri] else { continue }
            let analysis = workspace.analyze(doc, environment)
            workspace.analyses[uri] = analysis
            var published = Set<String>()
            for p in DiagnosticsFeature.publications(analysis, encoding, base: environment.explanationBase) {
                // An open document's own check is what its diagnostics are.
                if p.uri != uri && workspace.documents[p.uri] != nil { continue }
                if p.uri != uri { published.insert(p.uri) }
                out.append(DiagnosticsFeature.notification(uri: p.uri, version: p.version, p.diagnostics))
            }
            for stale in (workspace.publishedImports[uri] ?? []).subtracting(published).sorted()
            where workspace.documents[stale] == nil {
                out.append(DiagnosticsFeature.notification(uri: stale, version: nil, []))
            }
            workspace.publishedImports[uri] = published
        }
        return out
    }
}
