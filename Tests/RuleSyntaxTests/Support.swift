import Foundation
import RuleBase
import RuleSyntax
import RuleTestSupport

/// Token kinds and texts of `text`, without the final end-of-file token.
func lex(_ text: String) -> (tokens: [(TokenKind, String)], codes: [String]) {
    let file = SourceFile(id: FileID(0), path: "t.rules", text: text)
    let (tokens, diagnostics) = Lexer.tokenize(file)
    let shown = tokens.dropLast().map { t in
        (t.kind, String(decoding: file.bytes[Int(t.start)..<Int(t.end)], as: UTF8.self))
    }
    return (Array(shown), diagnostics.map(\.code.id))
}

/// The first token of `text`.
func firstToken(_ text: String) -> Token? {
    Lexer.tokenize(SourceFile(id: FileID(0), path: "t.rules", text: text)).tokens.first
}

/// `code line:col` of every diagnostic, in the order the parser reports them.
func located(_ diagnostics: [Diagnostic], in file: SourceFile) -> [String] {
    diagnostics.map { d in
        let (line, col) = file.location(of: d.primary.span.start)
        return "\(d.code.id) \(line):\(col)"
    }
}

/// A readable outline of a tree: one line per item, `name value:kind ...`, blocks indented.
func outline(_ tree: SyntaxTree) -> [String] {
    var lines: [String] = []
    func go(_ items: [Item], _ indent: String) {
        for item in items {
            var line = indent + tree.text(item.name)
            for v in item.values { line += " " + tree.text(v) + ":" + short(tree[v].kind) }
            if let block = item.block {
                lines.append(line + " {")
                go(block.items, indent + "  ")
                lines.append(indent + (block.close == nil ? "(unclosed)" : "}"))
            } else {
                lines.append(line)
            }
        }
    }
    go(tree.items, "")
    return lines
}

func short(_ kind: TokenKind) -> String {
    switch kind {
    case .identifier: return "id"
    case .keyword: return "kw"
    case .string: return "str"
    case .number: return "num"
    case .money: return "money"
    case .percent: return "pct"
    case .contracts: return "qty"
    case .time: return "time"
    case .date: return "date"
    case .dateTime: return "datetime"
    case .invalid: return "invalid"
    default: return kind.humanName
    }
}

/// The repository root, found by walking up from this file to the folder holding Package.swift.
func repoRoot(from file: String = #filePath) -> URL? {
    var dir = URL(fileURLWithPath: file).deletingLastPathComponent()
    while dir.path != "/" {
        if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
        dir = dir.deletingLastPathComponent()
    }
    return nil
}

/// Every `.rules` file shipped in the repository: `rules/`, `examples/` and the test fixtures,
/// as (path relative to the root, bytes), sorted by path.
func bundledRulebooks() -> [(path: String, bytes: [UInt8])] {
    guard let root = repoRoot() else { return [] }
    var out: [(String, [UInt8])] = []
    for top in ["rules", "examples", "Tests"] {
        let dir = root.appendingPathComponent(top)
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { continue }
        for case let url as URL in walker where url.pathExtension == "rules" {
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            out.append((String(url.path.dropFirst(root.path.count + 1)), [UInt8](data)))
        }
    }
    return out.sorted { $0.0 < $1.0 }
}

