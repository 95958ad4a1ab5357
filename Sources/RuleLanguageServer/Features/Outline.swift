import RuleBase
import RuleJSON
import RuleSyntax

/// Document symbols (the outline: declarations with their settings) and folding ranges
/// (blocks, runs of comment lines, runs of imports), from syntax alone.
extension Server {
    func documentSymbols(_ params: JSONValue) throws(RPCError) -> JSONValue {
        let (_, analysis) = try document(params)
        guard let tree = analysis.entryTree else { return .arr([]) }
        let map = lineMap(analysis)
        return .arr(tree.items.map { OutlineFeature.symbol($0, tree, map, depth: 0) })
    }

    func foldingRanges(_ params: JSONValue) throws(RPCError) -> JSONValue {
        let (_, analysis) = try document(params)
        guard let tree = analysis.entryTree else { return .arr([]) }
        return .arr(OutlineFeature.folds(tree, lineMap(analysis)))
    }
}

enum OutlineFeature {
    // LSP SymbolKind
    static func symbolKind(_ kw: Keyword, depth: Int) -> Int {
        guard depth == 0 else {
            switch kw {
            case .alert, .liquidateOnly, .autoLiquidate, .trailingDrawdown, .maxGroup, .expect: return 3 // Namespace
            default: return 7 // Property
            }
        }
        switch kw {
        case .import: return 1          // File
        case .calendar: return 2        // Module
        case .product: return 14        // Constant
        case .timePeriod: return 24     // Event
        case .riskCategory: return 23   // Struct
        case .template: return 5        // Class
        case .test: return 6            // Method
        default: return 7
        }
    }

    static func symbol(_ item: Item, _ tree: SyntaxTree, _ map: LineMap, depth: Int) -> JSONValue {
        let kw = tree.keyword(item)
        let declaration = depth == 0 && kw != .import && !item.values.isEmpty && kw != .none
        let name: String
        var detail: String
        let valueText = item.values.map { tree.text($0) }.joined(separator: " ")
        if declaration, let v = item.values.first {
            name = tree.word(v)
            detail = ([tree.text(item.name)] + item.values.dropFirst().map { tree.text($0) }).joined(separator: " ")
        } else {
            name = tree.text(item.name)
            detail = valueText
        }
        if name.isEmpty { detail = valueText }
        let selection = declaration ? tree.span(item.values[0]) : tree.span(item.name)
        let children = (item.block?.items ?? []).map { symbol($0, tree, map, depth: depth + 1) }
        return .obj([
            "name": .str(name.isEmpty ? "?" : name),
            "detail": detail.isEmpty ? nil : .str(detail),
            "kind": .int(symbolKind(kw, depth: depth)),
            "range": map.range(tree.span(of: item)),
            "selectionRange": map.range(selection),
            "children": children.isEmpty ? nil : .arr(children),
        ])
    }

    static func folds(_ tree: SyntaxTree, _ map: LineMap) -> [JSONValue] {
        var out: [(Int, Int, String?)] = []
        tree.walk { item, _ in
            guard let b = item.block else { return }
            let open = map.line(of: tree[b.open].start)
            let closeLine = b.close.map { map.line(of: tree[$0].start) } ?? map.line(of: UInt32(tree.file.bytes.count))
            // Fold to the line before `}` so that the closing brace stays visible.
            let end = b.close == nil ? closeLine : closeLine - 1
            if end > open { out.append((open, end, nil)) }
        }
        // Runs of two or more comment-only lines, and of two or more import lines.
        var commentRun: (Int, Int)?
        var importRun: (Int, Int)?
        let importLines = Set(tree.items.filter { tree.keyword($0) == .import }.map { map.line(of: tree[$0.name].start) })
        for line in 0..<tree.file.lineStarts.count {
            let text = tree.file.lineText(line + 1).drop { $0 == " " || $0 == "\t" }
            if text.hasPrefix("#") {
                commentRun = (commentRun?.0 ?? line, line)
            } else {
                if let r = commentRun, r.1 > r.0 { out.append((r.0, r.1, "comment")) }
                commentRun = nil
            }
            if importLines.contains(line) {
                importRun = (importRun?.0 ?? line, line)
            } else {
                if let r = importRun, r.1 > r.0 { out.append((r.0, r.1, "imports")) }
                importRun = nil
            }
        }
        if let r = commentRun, r.1 > r.0 { out.append((r.0, r.1, "comment")) }
        if let r = importRun, r.1 > r.0 { out.append((r.0, r.1, "imports")) }
        out.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        return out.map { s, e, kind in
            .obj(["startLine": .int(s), "endLine": .int(e), "kind": kind.map { .str($0) }])
        }
    }
}
