import RuleBase
import RuleJSON
import RuleSyntax

/// The token types of the legend, in legend order.
enum SemanticTokenType: String, CaseIterable, Sendable {
    case keyword, property, type, namespace, `struct`, event, variable, enumMember, number, string, comment
}

/// Semantic tokens (full document): declarations and settings, names by what they name
/// (templates, calendars, time periods, risk categories, products), literals and comments.
extension Server {
    func semanticTokens(_ params: JSONValue) throws(RPCError) -> JSONValue {
        let (_, analysis) = try document(params)
        guard let tree = analysis.entryTree else { return .obj(["data": .arr([])]) }
        let data = SemanticTokensFeature.encode(tree, analysis.index, lineMap(analysis))
        return .obj(["data": .arr(data.map { .int($0) })])
    }
}

enum SemanticTokensFeature {
    static let modifiers = ["declaration", "readonly"]
    static let declaration = 1, readonly = 2

    static func type(of kind: SymbolKind) -> SemanticTokenType {
        switch kind {
        case .template: .type
        case .calendar: .namespace
        case .timePeriod: .event
        case .riskCategory: .struct
        case .product: .variable
        }
    }

    /// The classified spans of a file, in source order.
    static func classify(_ tree: SyntaxTree, _ index: SymbolIndex) -> [(Span, SemanticTokenType, Int)] {
        var out: [(Span, SemanticTokenType, Int)] = []
        var names: [TokenIndex: Occurrence] = [:]
        for occ in index.occurrences(in: tree.file.id) { names[occ.token] = occ }
        var itemNames: [TokenIndex: Int] = [:]
        tree.walk { item, depth in itemNames[item.name] = depth }
        for (k, t) in tree.tokens.enumerated() {
            if t.triviaStart < t.start {
                for c in tree.comments(before: TokenIndex(k)) { out.append((c, .comment, 0)) }
            }
            let span = t.span(tree.file.id)
            switch t.kind {
            case .keyword:
                if let depth = itemNames[TokenIndex(k)] {
                    out.append((span, depth == 0 ? .keyword : .property, 0))
                } else {
                    out.append((span, t.keyword == .extends ? .keyword : .enumMember, 0))
                }
            case .identifier, .string:
                if let occ = names[TokenIndex(k)] {
                    var mods = occ.isDefinition ? declaration : 0
                    if occ.key.kind == .product { mods |= readonly }
                    out.append((span, type(of: occ.key.kind), mods))
                } else if t.kind == .string {
                    out.append((span, .string, 0))
                } else if itemNames[TokenIndex(k)] != nil {
                    out.append((span, .property, 0))
                }
            case .number, .money, .percent, .contracts, .time, .date, .dateTime:
                out.append((span, .number, 0))
            default:
                break
            }
        }
        return out
    }

    /// The LSP encoding: five integers per token, positions relative to the token before.
    static func encode(_ tree: SyntaxTree, _ index: SymbolIndex, _ map: LineMap) -> [Int] {
        var data: [Int] = []
        var lastLine = 0, lastChar = 0
        let types = Dictionary(uniqueKeysWithValues: SemanticTokenType.allCases.enumerated().map { ($1, $0) })
        for (span, type, mods) in classify(tree, index) {
            let a = map.position(span.start), b = map.position(span.end)
            guard a.line == b.line, b.character > a.character else { continue }
            let deltaLine = a.line - lastLine
            data += [deltaLine, deltaLine == 0 ? a.character - lastChar : a.character, b.character - a.character,
                     types[type] ?? 0, mods]
            lastLine = a.line
            lastChar = a.character
        }
        return data
    }
}
