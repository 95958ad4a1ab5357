import RuleBase
import RuleSyntax

/// A line in front of an item (or at the end of a block) that is not code: a comment or a
/// blank line. The printer keeps comments and collapses blank lines.
enum Trivium: Sendable, Hashable {
    case comment(String)
    case blank
}

/// One item of the syntax tree with the comments that belong to it: the lines above it, the
/// comment at the end of its line (after `{` for a block, after `}` otherwise), and, for a
/// block, the comments before its `}`.
struct AttachedItem: Sendable {
    var item: Item
    var leading: [Trivium] = []
    /// The end-of-line comment after `{`.
    var openComments: [String] = []
    /// The end-of-line comment after the item's last token (its last value or its `}`).
    var trailingComments: [String] = []
    var children: [Int] = []
    var endTrivia: [Trivium] = []
}

/// Every item with its comments, in an arena indexed by `Int`, plus the top-level list and
/// the comments after the last top-level item.
struct AttachedTree: Sendable {
    var nodes: [AttachedItem] = []
    var top: [Int] = []
    var endTrivia: [Trivium] = []
}

/// Assigns every comment to the item it describes, by one pass over the tokens in step with
/// the tree. Comments are trivia in front of a line break (or the end of the file), so each
/// comment ends a line: if that line holds code, the comment belongs to the item that owns the
/// line's last token; if the line holds only the comment, it leads the next item of the same
/// block, or closes the block when no item follows.
struct CommentAttacher {
    private enum Slot { case open(Int), trailing(Int) }

    private let tree: SyntaxTree
    private var result = AttachedTree()
    private var cursor = 0
    private var lineAnchor: Slot?
    private var lineHasTokens = false

    init(tree: SyntaxTree) { self.tree = tree }

    static func attach(_ tree: SyntaxTree) -> AttachedTree {
        var a = CommentAttacher(tree: tree)
        let eof = tree.tokens.count - 1
        var pending: [Trivium] = []
        a.result.top = a.block(tree.items, end: eof, pending: &pending)
        // INVARIANT: the last token is `.endOfFile`; its trivia holds a final unterminated line.
        a.endLine(eof, pending: &pending)
        a.result.endTrivia = pending
        return a.result
    }

    private func commentTexts(_ i: Int) -> [String] {
        tree.comments(before: TokenIndex(i)).map { s in
            String(decoding: tree.file.bytes[Int(s.start)..<Int(s.end)], as: UTF8.self)
        }
    }

    private mutating func add(_ comments: [String], to slot: Slot) {
        switch slot {
        case .open(let n): result.nodes[n].openComments += comments
        case .trailing(let n): result.nodes[n].trailingComments += comments
        }
    }

    /// Handles the line break (or end of file) at token `i`.
    private mutating func endLine(_ i: Int, pending: inout [Trivium]) {
        let comments = commentTexts(i)
        if let anchor = lineAnchor {
            add(comments, to: anchor)
        } else if !comments.isEmpty {
            pending += comments.map { .comment($0) }
        } else if !lineHasTokens && tree.tokens[i].kind == .newline {
            pending.append(.blank)
        }
        lineAnchor = nil
        lineHasTokens = false
    }

    /// Walks the tokens of one block (up to token `end`, exclusive), returning its items' node
    /// ids; comments left over at the end stay in `pending` for the caller.
    private mutating func block(_ items: [Item], end: Int, pending: inout [Trivium]) -> [Int] {
        var ids: [Int] = []
        var k = 0
        while cursor < end {
            if k < items.count && cursor == Int(items[k].name) {
                let item = items[k]
                let id = result.nodes.count
                result.nodes.append(AttachedItem(item: item, leading: pending))
                pending = []
                ids.append(id)
                lineHasTokens = true
                if let b = item.block {
                    lineAnchor = .open(id)
                    cursor = Int(b.open) + 1
                    let close = Int(b.close ?? TokenIndex(end))
                    var inner: [Trivium] = []
                    let children = block(b.items, end: close, pending: &inner)
                    result.nodes[id].children = children
                    result.nodes[id].endTrivia = inner
                    cursor = close + 1
                    lineHasTokens = true
                } else {
                    cursor = Int(item.last) + 1
                }
                lineAnchor = .trailing(id)
                k += 1
                continue
            }
            switch tree.tokens[cursor].kind {
            case .newline: endLine(cursor, pending: &pending)
            case .endOfFile: return ids
            default: lineHasTokens = true // `;` (and, in a file with errors, stray tokens)
            }
            cursor += 1
        }
        return ids
    }
}
