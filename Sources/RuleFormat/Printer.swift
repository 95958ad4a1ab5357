import RuleBase
import RuleSyntax

/// Prints an `AttachedTree` in the canonical layout: two spaces per block level, one item per
/// line, `{` at the end of the item's line and `}` alone on its own, one blank line between
/// top-level declarations (none between imports), at most one blank line inside blocks, no
/// trailing spaces, one final newline.
struct Printer {
    let tree: SyntaxTree
    let attached: AttachedTree
    private var lines: [String] = []

    init(tree: SyntaxTree, attached: AttachedTree) {
        self.tree = tree
        self.attached = attached
    }

    static func print(_ tree: SyntaxTree, _ attached: AttachedTree) -> String {
        var p = Printer(tree: tree, attached: attached)
        p.printTop()
        return p.lines.isEmpty ? "" : p.lines.joined(separator: "\n") + "\n"
    }

    // MARK: Top level

    private mutating func printTop() {
        var top = attached.top
        var nodes = attached.nodes
        // The file header: comment lines above the first declaration that a blank line
        // separates from it. It stays first even when imports move up.
        var header: [Trivium] = []
        if let first = top.first, let lastBlank = nodes[first].leading.lastIndex(of: .blank) {
            header = Array(nodes[first].leading[..<lastBlank])
            nodes[first].leading.removeSubrange(...lastBlank)
        }
        // Imports go first, in their written order; other declarations keep theirs.
        let tree = self.tree
        let isImport = { (id: Int) in tree.nameKeyword(nodes[id].item) == .import }
        top = top.filter(isImport) + top.filter { !isImport($0) }

        emit(normalize(header, dropLeadingBlanks: true, dropTrailingBlanks: true), indent: 0)
        var previousWasImport = false
        for (n, id) in top.enumerated() {
            var leading = normalize(nodes[id].leading, dropLeadingBlanks: true, dropTrailingBlanks: false)
            let importHere = isImport(id)
            if importHere { leading.removeAll { $0 == .blank } }
            if n > 0 || !lines.isEmpty, !(importHere && previousWasImport) { lines.append("") }
            printItem(nodes[id], leading: leading, context: .top, indent: 0)
            previousWasImport = importHere
        }
        let end = normalize(attached.endTrivia, dropLeadingBlanks: lines.isEmpty, dropTrailingBlanks: true)
        emit(end, indent: 0)
    }

    // MARK: Items

    private mutating func printItem(_ node: AttachedItem, leading: [Trivium], context: BlockContext, indent: Int) {
        emit(leading, indent: indent)
        let item = node.item
        var line = String(repeating: "  ", count: indent) + tree.text(item.name)
        let isRestrict = tree.nameKeyword(item) == .restrict
        var previous: Token?
        for v in item.values {
            let t = tree[v]
            // A comma is kept where dropping it would fuse two values into one literal
            // (`5, USD` must not become the money amount `5 USD`).
            let fuses = previous?.kind == .number && t.kind == .keyword
                && (t.keyword == .usd || t.keyword == .contracts || t.keyword == .contract)
            line += previous == nil ? " " : (isRestrict || fuses) ? ", " : " "
            line += tree.canonicalText(v)
            previous = t
        }
        guard item.block != nil else {
            lines.append(withComments(line, node.trailingComments))
            return
        }
        lines.append(withComments(line + " {", node.openComments))
        let inner = context.child(tree.nameKeyword(item))
        let order = tree.canonicalOrder(node.children.map { attached.nodes[$0].item }, in: inner)
        for (n, k) in order.enumerated() {
            let child = attached.nodes[node.children[k]]
            let leading = normalize(child.leading, dropLeadingBlanks: n == 0, dropTrailingBlanks: false)
            printItem(child, leading: leading, context: inner, indent: indent + 1)
        }
        emit(normalize(node.endTrivia, dropLeadingBlanks: order.isEmpty, dropTrailingBlanks: true), indent: indent + 1)
        lines.append(withComments(String(repeating: "  ", count: indent) + "}", node.trailingComments))
    }

    // MARK: Trivia

    private func withComments(_ line: String, _ comments: [String]) -> String {
        comments.isEmpty ? line : line + " " + comments.joined(separator: " ")
    }

    private mutating func emit(_ trivia: [Trivium], indent: Int) {
        for t in trivia {
            switch t {
            case .blank: lines.append("")
            case .comment(let c): lines.append(String(repeating: "  ", count: indent) + c)
            }
        }
    }

    /// Collapses runs of blank lines to one and trims blanks at either end when asked.
    private func normalize(_ trivia: [Trivium], dropLeadingBlanks: Bool, dropTrailingBlanks: Bool) -> [Trivium] {
        var out: [Trivium] = []
        for t in trivia {
            if t == .blank && (out.last == .blank || (out.isEmpty && dropLeadingBlanks)) { continue }
            out.append(t)
        }
        if dropTrailingBlanks { while out.last == .blank { out.removeLast() } }
        return out
    }
}
