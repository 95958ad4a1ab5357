import RuleBase

/// Index of a token in `SyntaxTree.tokens`.
public typealias TokenIndex = Int32

/// The value tokens of one item, in order. A collection of `TokenIndex` with offsets from 0,
/// like the array it replaces: values written one after the other (`max_position ES 5`) or
/// separated by single commas (`restrict CL, NG, ZB`) are stored as a first token and a step,
/// without a heap allocation; any other layout keeps an array.
public struct ValueList: RandomAccessCollection, Hashable, Sendable, ExpressibleByArrayLiteral,
                         CustomStringConvertible {
    public typealias Element = TokenIndex
    public typealias Index = Int
    public typealias Indices = Range<Int>
    public typealias SubSequence = Slice<ValueList>

    @usableFromInline var first_: TokenIndex
    @usableFromInline var count_: UInt16
    /// Distance between consecutive values when `spill` is nil.
    @usableFromInline var step: UInt16
    @usableFromInline var spill: [TokenIndex]?

    init(first: TokenIndex, count: Int, step: Int) {
        first_ = first
        count_ = UInt16(count)
        self.step = UInt16(step)
        spill = nil
    }

    public init(_ values: [TokenIndex]) {
        first_ = values.first ?? 0
        step = 1
        if values.count >= 2, values[1] > values[0], values[1] - values[0] <= 2, values.count <= Int(UInt16.max) {
            let d = values[1] - values[0]
            var regular = true
            for k in 1..<values.count where values[k] - values[k - 1] != d { regular = false; break }
            if regular {
                count_ = UInt16(values.count)
                step = UInt16(d)
                spill = nil
                return
            }
        } else if values.count <= 1 {
            count_ = UInt16(values.count)
            spill = nil
            return
        }
        count_ = 0
        spill = values
    }

    public init(arrayLiteral elements: TokenIndex...) { self.init(elements) }

    @inlinable public var startIndex: Int { 0 }
    @inlinable public var endIndex: Int { spill?.count ?? Int(count_) }
    @inlinable public var count: Int { spill?.count ?? Int(count_) }
    @inlinable public var isEmpty: Bool { count == 0 }
    @inlinable public var indices: Range<Int> { 0..<count }
    @inlinable public func index(after i: Int) -> Int { i + 1 }
    @inlinable public func index(before i: Int) -> Int { i - 1 }

    @inlinable @inline(__always) public subscript(k: Int) -> TokenIndex {
        if let spill { return spill[k] }
        precondition(k >= 0 && k < Int(count_), "ValueList index out of range")
        return first_ + TokenIndex(k) * TokenIndex(step)
    }

    @inlinable public var first: TokenIndex? { isEmpty ? nil : self[0] }
    @inlinable public var last: TokenIndex? { isEmpty ? nil : self[count - 1] }

    /// The values as an array.
    public var array: [TokenIndex] { spill ?? Array(self) }

    public static func == (a: ValueList, b: ValueList) -> Bool { a.elementsEqual(b) }
    public func hash(into h: inout Hasher) {
        h.combine(count)
        for v in self { h.combine(v) }
    }
    public var description: String { array.description }
}

/// One setting or declaration: a name, values to the end of the line, and an optional block.
/// Items refer to tokens by index, so the tree stays small and every byte stays reachable.
public struct Item: Sendable, Hashable {
    public var name: TokenIndex
    /// Value tokens in order; separating commas are not listed.
    public var values: ValueList
    public var block: Block?
    /// The last token that belongs to the item (its last value, or the block's `}`).
    public var last: TokenIndex

    public init(name: TokenIndex, values: [TokenIndex], block: Block?, last: TokenIndex) {
        self.init(name: name, values: ValueList(values), block: block, last: last)
    }

    public init(name: TokenIndex, values: ValueList, block: Block?, last: TokenIndex) {
        self.name = name
        self.values = values
        self.block = block
        self.last = last
    }
}

/// `{ items }`. `close` is nil when the block was never closed (already reported).
public struct Block: Sendable, Hashable {
    public var open: TokenIndex
    public var close: TokenIndex?
    public var items: [Item]
}

/// The lossless tree of one rulebook file: every token with its trivia, and the items built
/// from them. `print()` gives back the exact source text.
public struct SyntaxTree: Sendable {
    public let file: SourceFile
    public let tokens: [Token]
    public let items: [Item]

    public init(file: SourceFile, tokens: [Token], items: [Item]) {
        self.file = file
        self.tokens = tokens
        self.items = items
    }

    @inlinable @inline(__always) public subscript(_ i: TokenIndex) -> Token { tokens[Int(i)] }

    @inlinable public func span(_ i: TokenIndex) -> Span { tokens[Int(i)].span(file.id) }

    /// The span from the item's name to its last token.
    @inlinable public func span(of item: Item) -> Span { span(item.name).union(span(item.last)) }

    /// The span of the item's header: its name and values, without the block.
    @inlinable public func headerSpan(of item: Item) -> Span {
        span(item.name).union(span(item.values.last ?? item.name))
    }

    /// The source text of a token.
    public func text(_ i: TokenIndex) -> String {
        let t = tokens[Int(i)]
        return String(decoding: file.bytes[Int(t.start)..<Int(t.end)], as: UTF8.self)
    }

    /// A string token's value with escapes decoded (quotes removed); other tokens' text as is.
    public func stringValue(_ i: TokenIndex) -> String {
        let t = tokens[Int(i)]
        guard t.kind == .string else { return text(i) }
        var out = ""
        var bytes = Array(file.bytes[Int(t.start) + 1..<Int(t.end)])
        if bytes.last == UInt8(ascii: "\"") { bytes.removeLast() }
        var k = 0
        var run: [UInt8] = []
        while k < bytes.count {
            if bytes[k] == UInt8(ascii: "\\"), k + 1 < bytes.count {
                let e = bytes[k + 1]
                run.append(e == UInt8(ascii: "n") ? 0x0A : e == UInt8(ascii: "t") ? 0x09 : e)
                k += 2
            } else {
                run.append(bytes[k])
                k += 1
            }
        }
        out = String(decoding: run, as: UTF8.self)
        return out
    }

    /// The name of an item or the text of a word token, as a String (strings unquoted).
    public func word(_ i: TokenIndex) -> String { stringValue(i) }

    /// Exact source text: every token's trivia and text in order.
    public func print() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(file.bytes.count)
        for t in tokens { out.append(contentsOf: file.bytes[Int(t.triviaStart)..<Int(t.end)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Comment texts (with `#`) in the trivia before token `i`, in order.
    public func comments(before i: TokenIndex) -> [Span] {
        let t = tokens[Int(i)]
        var out: [Span] = []
        var k = Int(t.triviaStart)
        let end = Int(t.start)
        let b = file.bytes
        while k < end {
            if b[k] == UInt8(ascii: "#") {
                var e = k
                while e < end && b[e] != 0x0A { e += 1 }
                var trimmed = e
                while trimmed > k && (b[trimmed - 1] == 0x20 || b[trimmed - 1] == 0x09 || b[trimmed - 1] == 0x0D) { trimmed -= 1 }
                out.append(Span(file: file.id, start: UInt32(k), end: UInt32(trimmed)))
                k = e
            } else { k += 1 }
        }
        return out
    }

    /// Calls `body` for every item, depth first, with its nesting depth.
    public func walk(_ body: (Item, Int) -> Void) {
        func go(_ items: [Item], _ depth: Int) {
            for it in items {
                body(it, depth)
                if let b = it.block { go(b.items, depth + 1) }
            }
        }
        go(items, 0)
    }
}

extension SyntaxTree {
    /// The comment lines directly above an item (no blank line between), in order: the
    /// comments that belong to the setting. Line breaks are tokens (they end settings), so
    /// these comments sit in the trivia of the line-break tokens before the item's name.
    public func leadingComments(of item: Item) -> [Span] {
        var out: [[Span]] = []
        var i = Int(item.name) - 1
        // Walk back over line breaks: each holds the comment (if any) of the line it ends.
        while i >= 0, tokens[i].kind == .newline {
            let comments = self.comments(before: TokenIndex(i))
            // A line with no comment is blank (or ends the previous item): stop there.
            guard !comments.isEmpty, isCommentOnlyLine(i) else { break }
            out.append(comments)
            i -= 1
        }
        return out.reversed().flatMap { $0 }
    }

    /// The end-of-line comment of an item without a block (`daily_loss 800 USD # why`).
    public func trailingComment(of item: Item) -> Span? {
        let next = Int(item.last) + 1
        guard next < tokens.count, tokens[next].kind == .newline || tokens[next].kind == .endOfFile else { return nil }
        return comments(before: TokenIndex(next)).first
    }

    /// Whether the line ended by newline token `i` holds nothing but trivia.
    private func isCommentOnlyLine(_ i: Int) -> Bool {
        i == 0 || tokens[i - 1].kind == .newline
    }
}
