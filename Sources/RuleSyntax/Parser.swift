import RuleBase

/// Hand-written recursive descent over the token array. Never fails and never traps: every
/// error becomes a diagnostic, the parser resynchronises at the end of the line or block, and
/// every loop consumes at least one token per pass.
public enum Parser {
    public static func parse(_ file: SourceFile) -> (tree: SyntaxTree, diagnostics: [Diagnostic]) {
        let (tokens, lexDiagnostics) = Lexer.tokenize(file)
        var p = ParserState(tokens: tokens, file: file.id)
        let items = p.parseItems(depth: 0, open: nil)
        p.stack.deallocate()
        return (SyntaxTree(file: file, tokens: tokens, items: items), lexDiagnostics + p.diagnostics)
    }

    /// Convenience for tests and tools: parse text as a file with the given path.
    public static func parse(_ text: String, path: String = "<input>") -> (tree: SyntaxTree, diagnostics: [Diagnostic]) {
        parse(SourceFile(id: FileID(0), path: path, text: text))
    }
}

private struct ParserState {
    let tokens: [Token]
    let file: FileID
    var pos = 0
    var diagnostics: [Diagnostic] = []
    /// Items of the blocks being parsed, innermost last: each block's items are built here
    /// and moved out once, into an array of the exact size.
    var stack = ItemStack()

    init(tokens: [Token], file: FileID) {
        self.tokens = tokens
        self.file = file
    }

    @inline(__always) var kind: TokenKind { tokens[pos].kind }

    func span(_ i: Int) -> Span { tokens[i].span(file) }

    @inline(__always) mutating func advance() {
        // INVARIANT: the last token is always `.endOfFile`, and we never step past it.
        if pos < tokens.count - 1 { pos += 1 }
    }

    mutating func parseItems(depth: Int, open: Int?) -> [Item] {
        let base = stack.count
        while true {
            let before = pos
            switch kind {
            case .newline, .semicolon:
                advance()
            case .endOfFile:
                if let open {
                    diagnostics.append(Diagnostic(.unclosedBlock, "this `{` is never closed", at: span(open),
                                                  label: "block opened here",
                                                  help: "add a `}` at the end of the block"))
                }
                return stack.pop(from: base)
            case .rightBrace:
                if open != nil { return stack.pop(from: base) }
                diagnostics.append(Diagnostic(.unexpectedClosingBrace, "unexpected `}` with no block open",
                                              at: span(pos), label: "nothing to close",
                                              help: "remove it, or check the block above for a missing `{`"))
                advance()
            case .leftBrace:
                diagnostics.append(Diagnostic(.braceOnOwnLine, "a block must open on the same line as its item",
                                              at: span(pos), label: "this `{` starts a line",
                                              help: "move the `{` to the end of the previous line"))
                // Parse and drop the orphan block so its contents are still checked for syntax.
                if depth + 1 >= SyntaxLimits.maxDepth {
                    diagnostics.append(Diagnostic(.nestingTooDeep, "blocks nest deeper than \(SyntaxLimits.maxDepth) levels",
                                                  at: span(pos), help: "flatten the rulebook"))
                    skipBalanced()
                } else {
                    let o = pos
                    advance()
                    _ = parseBlockBody(depth: depth + 1, open: o)
                }
            case .comma:
                diagnostics.append(Diagnostic(.expectedItemName, "expected a setting name, found `,`",
                                              at: span(pos), help: "a `,` separates values on one line"))
                skipToLineEnd()
            default:
                if kind.isWord && kind != .invalid && startsName(kind) {
                    stack.push(parseItem(depth: depth))
                } else {
                    if kind != .invalid {
                        diagnostics.append(Diagnostic(.expectedItemName,
                            "expected a setting name, found \(kind.humanName)", at: span(pos),
                            help: "each line starts with a name such as `daily_loss`; values follow it"))
                    }
                    skipToLineEnd()
                }
            }
            // INVARIANT: every pass consumes a token or returns (guards against endless loops).
            if pos == before && kind != .endOfFile && kind != .rightBrace { advance() }
        }
    }

    func startsName(_ k: TokenKind) -> Bool { k == .identifier || k == .keyword || k == .string }

    mutating func parseItem(depth: Int) -> Item {
        let name = pos
        advance()
        // Values without an array while they are evenly spaced (see `ValueList`).
        var first = 0, count = 0, step = 1
        var spill: [TokenIndex]?
        var last = name
        var reportedTooMany = false
        while kind.isWord || kind == .comma {
            if kind != .comma {
                let n = spill?.count ?? count
                if n == SyntaxLimits.maxValuesPerItem && !reportedTooMany {
                    diagnostics.append(Diagnostic(.tooManyValues, "more than \(SyntaxLimits.maxValuesPerItem) values on one setting",
                                                  at: span(pos), label: "first value over the limit",
                                                  help: "split the values over several settings"))
                    reportedTooMany = true
                }
                if n < SyntaxLimits.maxValuesPerItem {
                    if spill != nil {
                        spill!.append(TokenIndex(pos))
                    } else if count == 0 {
                        first = pos
                        count = 1
                    } else if count == 1 && pos - first <= 2 {
                        step = pos - first
                        count = 2
                    } else if pos - (first + (count - 1) * step) == step && count >= 2 {
                        count += 1
                    } else {
                        var a = [TokenIndex]()
                        a.reserveCapacity(count + 4)
                        for k in 0..<count { a.append(TokenIndex(first + k * step)) }
                        a.append(TokenIndex(pos))
                        spill = a
                    }
                }
            }
            last = pos
            advance()
        }
        let values = spill.map { ValueList($0) } ?? ValueList(first: TokenIndex(first), count: count, step: step)
        var block: Block?
        if kind == .leftBrace {
            let open = pos
            advance()
            if depth + 1 >= SyntaxLimits.maxDepth {
                diagnostics.append(Diagnostic(.nestingTooDeep, "blocks nest deeper than \(SyntaxLimits.maxDepth) levels",
                                              at: span(open), help: "flatten the rulebook"))
                skipBalanced(alreadyOpen: true)
                return Item(name: TokenIndex(name), values: values, block: nil, last: TokenIndex(max(last, pos - 1)))
            }
            let b = parseBlockBody(depth: depth + 1, open: open)
            block = b
            last = Int(b.close ?? TokenIndex(max(open, pos - 1)))
            switch kind {
            case .newline, .semicolon, .rightBrace, .endOfFile: break
            default:
                diagnostics.append(Diagnostic(.textAfterBlock, "expected the line to end after `}`, found \(kind.humanName)",
                                              at: span(pos), label: "on the line of the `}`", help: "start a new line after `}`"))
                skipToLineEnd()
            }
        }
        return Item(name: TokenIndex(name), values: values, block: block, last: TokenIndex(last))
    }

    /// After `{`: items up to the matching `}` (consumed) or the end of the file.
    mutating func parseBlockBody(depth: Int, open: Int) -> Block {
        let items = parseItems(depth: depth, open: open)
        var close: TokenIndex?
        if kind == .rightBrace {
            close = TokenIndex(pos)
            advance()
        }
        return Block(open: TokenIndex(open), close: close, items: items)
    }

    /// Skips to the end of the current line, stopping before a `}` that may close a block.
    mutating func skipToLineEnd() {
        while true {
            switch kind {
            case .newline, .semicolon, .endOfFile, .rightBrace: return
            case .leftBrace:
                advance()
                skipBalanced(alreadyOpen: true)
            default: advance()
            }
        }
    }

    /// Skips a balanced `{ ... }` group (starting at `{`, or just inside it).
    mutating func skipBalanced(alreadyOpen: Bool = false) {
        var level = alreadyOpen ? 1 : 0
        if !alreadyOpen {
            guard kind == .leftBrace else { return }
            level = 1
            advance()
        }
        while level > 0 && kind != .endOfFile {
            if kind == .leftBrace { level += 1 } else if kind == .rightBrace { level -= 1 }
            advance()
        }
    }
}

/// A growable stack of items whose tail moves out into an array without copying (no
/// retain and release per item). Deallocated by its owner.
struct ItemStack {
    private var base: UnsafeMutablePointer<Item>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 64
        base = .allocate(capacity: capacity)
    }

    mutating func push(_ item: consuming Item) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Item>.allocate(capacity: capacity * 2)
            bigger.moveInitialize(from: base, count: count)
            base.deallocate()
            base = bigger
            capacity *= 2
        }
        (base + count).initialize(to: item)
        count += 1
    }

    /// The items from `start` on, moved into an array; the stack keeps those below.
    mutating func pop(from start: Int) -> [Item] {
        let n = count - start
        guard n > 0 else { return [] }
        let from = base + start
        let out = [Item](unsafeUninitializedCapacity: n) { buffer, initialized in
            buffer.baseAddress!.moveInitialize(from: from, count: n)
            initialized = n
        }
        count = start
        return out
    }

    func deallocate() {
        base.deinitialize(count: count)
        base.deallocate()
    }
}
