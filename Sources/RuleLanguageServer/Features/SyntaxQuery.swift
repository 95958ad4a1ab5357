import RuleBase
import RuleSyntax

/// Finding the token and the items at a byte offset of a syntax tree. Works on any tree the
/// parser returns, broken text included.
extension SyntaxTree {
    /// The word token (name, keyword, literal) under or just before `offset`.
    func wordToken(at offset: UInt32) -> TokenIndex? {
        guard !tokens.isEmpty else { return nil }
        var lo = 0, hi = tokens.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if tokens[mid].start <= offset { lo = mid } else { hi = mid - 1 }
        }
        for k in [lo, lo - 1] where k >= 0 {
            let t = tokens[k]
            if t.kind.isWord, t.start <= offset, offset <= t.end, t.end > t.start { return TokenIndex(k) }
        }
        return nil
    }

    /// The items around `offset`, outermost first: each item whose block holds the offset, and
    /// last the item whose own line (name to last value) holds it, if any.
    func path(at offset: UInt32) -> [Item] {
        var (out, list) = enclosingBlocks(offset)
        if let item = list.first(where: { let h = headerSpan(of: $0); return h.start <= offset && offset <= h.end }) {
            out.append(item)
        }
        return out
    }

    /// The items whose blocks hold `offset`, outermost first (the item on the cursor's own
    /// line is not one of them).
    func blocks(at offset: UInt32) -> [Item] { enclosingBlocks(offset).items }

    /// The items whose blocks hold `offset`, and the items of the innermost such block.
    private func enclosingBlocks(_ offset: UInt32) -> (items: [Item], inner: [Item]) {
        var out: [Item] = []
        var list = items
        while let item = list.first(where: { item in
            guard let b = item.block else { return false }
            return tokens[Int(b.open)].end <= offset && (b.close.map { offset <= tokens[Int($0)].start } ?? true)
        }) {
            out.append(item)
            list = item.block?.items ?? []
        }
        return (out, list)
    }

    func keyword(_ item: Item) -> Keyword { self[item.name].keyword }

    /// The source lines of an item from its first line, at most `limit` of them.
    func firstLines(of item: Item, limit: Int) -> String {
        let file = self.file
        let first = file.location(of: self[item.name].start).line
        let last = file.location(of: self[item.last].end).line
        var lines: [String] = []
        var line = first
        while line <= last && lines.count < limit {
            lines.append(file.lineText(line))
            line += 1
        }
        if line <= last { lines.append(String(repeating: " ", count: Self.indent(lines.first ?? "")) + "…") }
        return lines.joined(separator: "\n")
    }

    static func indent(_ line: String) -> Int { line.prefix { $0 == " " || $0 == "\t" }.count }
}
