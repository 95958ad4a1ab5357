import RuleBase
import RuleJSON
import RuleSyntax
import RuleSemantics

/// Go to definition, find references and rename. A name is identified by its definition (file
/// and place), so references are gathered from every open document's rulebook, and from the
/// workspace's other rulebooks that load the same definition.
extension Server {
    func definition(_ params: JSONValue) throws(RPCError) -> JSONValue {
        let (analysis, offset) = try position(params)
        if let target = importTarget(analysis, offset) {
            return .obj(["uri": .str(target), "range": LineMap.range(Position(line: 0, character: 0), Position(line: 0, character: 0))])
        }
        guard let occ = analysis.index.occurrence(at: offset, in: analysis.entryFile),
              let def = analysis.index.definitions[occ.key], let uri = analysis.uri(def.span.file) else { return .null }
        return location(uri, def.span, analysis)
    }

    func references(_ params: JSONValue) throws(RPCError) -> JSONValue {
        let (analysis, offset) = try position(params)
        guard let occ = analysis.index.occurrence(at: offset, in: analysis.entryFile) else { return .null }
        let withDeclaration = params["context"]?["includeDeclaration"]?.boolValue ?? true
        let found = occurrences(of: occ.key, from: analysis).filter { withDeclaration || !$0.occurrence.isDefinition }
        return .arr(found.map { location($0.uri, $0.occurrence.span, $0.analysis) })
    }

    func prepareRename(_ params: JSONValue) throws(RPCError) -> JSONValue {
        let (analysis, offset) = try position(params)
        guard let occ = analysis.index.occurrence(at: offset, in: analysis.entryFile),
              let tree = analysis.entryTree, tree[occ.token].kind == .identifier else { return .null }
        return .obj(["range": lineMap(analysis).range(occ.span), "placeholder": .str(occ.key.name)])
    }

    func rename(_ params: JSONValue) throws(RPCError) -> JSONValue {
        let (analysis, offset) = try position(params)
        guard let newName = params["newName"]?.stringValue else { throw .params("`newName` is required") }
        guard let occ = analysis.index.occurrence(at: offset, in: analysis.entryFile) else {
            throw RPCError(.requestFailed, "there is no calendar, product, time period, risk category or template name here")
        }
        guard Self.isIdentifier(newName) else {
            throw RPCError(.requestFailed, "`\(newName)` is not a name: start with a letter, then letters, digits or `_`")
        }
        guard Keyword.lookup(newName) == .none else {
            throw RPCError(.requestFailed, "`\(newName)` is a keyword and cannot name a \(occ.key.kind.title)")
        }
        if newName != occ.key.name, let other = analysis.index.definitions[SymbolKey(kind: occ.key.kind, name: newName)],
           let tree = analysis.tree(other.span.file) {
            let line = tree.file.location(of: other.span.start).line
            throw RPCError(.requestFailed, "a \(occ.key.kind.title) named `\(newName)` is already defined at `\(tree.file.path):\(line)`")
        }
        var changes: [String: [JSONValue]] = [:]
        for found in occurrences(of: occ.key, from: analysis) {
            let map = lineMap(found.analysis, found.occurrence.span.file)
            changes[found.uri, default: []].append(.obj(["range": map.range(found.occurrence.span), "newText": .str(newName)]))
        }
        return .obj(["changes": .object(changes.keys.sorted().map { JSONValue.Member($0, .arr(changes[$0] ?? [])) })])
    }

    // MARK: Shared

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.isASCII, first.properties.isAlphabetic else { return false }
        return s.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_") }
    }

    func location(_ uri: String, _ span: Span, _ analysis: Analysis) -> JSONValue {
        .obj(["uri": .str(uri), "range": lineMap(analysis, span.file).range(span)])
    }

    /// Where a name's definition is, as a URI and offset; nil for a name defined nowhere.
    func definitionSite(_ key: SymbolKey, _ analysis: Analysis) -> (String, UInt32)? {
        guard let def = analysis.index.definitions[key], let uri = analysis.uri(def.span.file) else { return nil }
        return (uri, def.span.start)
    }

    /// Every occurrence of the name `key` means in `analysis`, across the open documents and
    /// the workspace's rulebooks, each once, sorted by URI and position.
    func occurrences(of key: SymbolKey, from analysis: Analysis) -> [(uri: String, occurrence: Occurrence, analysis: Analysis)] {
        let site = definitionSite(key, analysis)
        var sources: [Analysis] = [analysis]
        if site != nil {
            sources += workspace.analyses.keys.sorted().compactMap { $0 == analysis.uri ? nil : workspace.analyses[$0] }
            if let list = environment.listRulebooks {
                var covered = Set<String>()
                for a in sources { covered.formUnion(a.loadedPaths) }
                for folder in workspace.folders.isEmpty ? [analysis.root].compactMap({ $0 }) : workspace.folders {
                    for path in list(folder) where !covered.contains(path) {
                        guard case .loaded(let bytes) = environment.readFile(path) else { continue }
                        let doc = Document(uri: FileURI.uri(path), path: path, version: 0, bytes: bytes)
                        let other = workspace.analyze(doc, environment)
                        covered.formUnion(other.loadedPaths)
                        sources.append(other)
                    }
                }
            }
        }
        var seen = Set<String>()
        var out: [(uri: String, occurrence: Occurrence, analysis: Analysis)] = []
        for a in sources {
            // The same name in another rulebook is the same definition only if it resolves there to the same place.
            if let site, let there = definitionSite(key, a), there != site { continue }
            if site != nil && definitionSite(key, a) == nil { continue }
            for occ in a.index.occurrences(of: key) {
                guard let uri = a.uri(occ.span.file), seen.insert("\(uri)#\(occ.span.start)").inserted else { continue }
                out.append((uri, occ, a))
            }
        }
        return out.sorted { ($0.uri, $0.occurrence.span.start) < ($1.uri, $1.occurrence.span.start) }
    }

    /// The URI of the file an `import` string at `offset` names, when it was loaded.
    func importTarget(_ analysis: Analysis, _ offset: UInt32) -> String? {
        guard let tree = analysis.entryTree else { return nil }
        for item in tree.items where tree.keyword(item) == .import {
            guard let v = item.values.first, tree[v].kind == .string else { continue }
            let span = tree.span(v)
            guard span.start <= offset && offset <= span.end else { continue }
            let dir = FileURI.directory(of: "/" + analysis.entry)
            guard let target = Checker.normalize(String((dir == "/" ? "" : dir.dropFirst() + "/") + tree.stringValue(v))) else { return nil }
            guard let file = analysis.model.sources.files.first(where: { $0.path == target }) else { return nil }
            return analysis.uri(file.id)
        }
        return nil
    }
}
