import RuleBase
import RuleSyntax

/// What a value says, without its spelling or position: `1_000.50 USD` and `1000.5USD` mean
/// the same amount; `1 contract` and `1 contracts` the same count.
public enum ValueMeaning: Hashable, Sendable, Comparable {
    case word(String)
    case keyword(String)
    case string(String)
    case number(mantissa: Int64, scale: UInt8)
    case money(units: Int64)
    case percent(mantissa: Int64, scale: UInt8)
    case contracts(Int64)
    case time(seconds: Int64)
    case date(days: Int64)
    /// `offsetSeconds` is `noOffset` when no offset was written.
    case dateTime(wallSeconds: Int64, offsetSeconds: Int64)
    case invalid(String)
    case punctuation(String)

    /// `dateTime`'s offset when none was written (no real offset is this large).
    public static let noOffset = Int64.max

    init(_ tree: SyntaxTree, _ i: TokenIndex) {
        let t = tree[i]
        func reduced(_ m: Int64, _ s: UInt8) -> (Int64, UInt8) {
            var m = m, s = s
            while s > 0 && m % 10 == 0 { m /= 10; s -= 1 }
            return (m, s)
        }
        switch t.kind {
        case .identifier: self = .word(tree.text(i))
        case .keyword: self = .keyword(tree.text(i))
        case .string: self = .string(tree.stringValue(i))
        case .number:
            let (m, s) = reduced(t.payload, t.scale)
            self = .number(mantissa: m, scale: s)
        case .percent:
            let (m, s) = reduced(t.payload, t.scale)
            self = .percent(mantissa: m, scale: s)
        case .money: self = .money(units: t.payload)
        case .contracts: self = .contracts(t.payload)
        case .time: self = .time(seconds: t.payload)
        case .date: self = .date(days: t.payload)
        case .dateTime: self = .dateTime(wallSeconds: t.payload, offsetSeconds: t.scale == 1 ? Int64(t.offset) : ValueMeaning.noOffset)
        case .invalid: self = .invalid(tree.text(i))
        case .leftBrace, .rightBrace, .comma, .semicolon, .newline, .endOfFile: self = .punctuation(tree.text(i))
        }
    }
}

/// What an item says: its name, its values in order and, for a block, its items. Blocks
/// whose order carries no meaning (see `BlockContext.isUnordered`) list their items sorted,
/// so two trees that differ only in such order have equal meanings.
public struct ItemMeaning: Hashable, Sendable, Comparable {
    public var name: ValueMeaning
    public var values: [ValueMeaning]
    public var block: [ItemMeaning]?

    public static func < (a: ItemMeaning, b: ItemMeaning) -> Bool {
        if a.name != b.name { return a.name < b.name }
        if a.values != b.values { return a.values.lexicographicallyPrecedes(b.values) }
        switch (a.block, b.block) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case let (x?, y?): return x.lexicographicallyPrecedes(y)
        }
    }
}

extension SyntaxTree {
    /// The meaning of the whole file: imports first in written order, then the other
    /// declarations in written order (the formatter moves imports up and nothing else).
    public var meaning: [ItemMeaning] {
        let all = items.map { meaning(of: $0, in: .top) }
        let isImport = { (m: ItemMeaning) in m.name == .keyword(Keyword.import.text) }
        return all.filter(isImport) + all.filter { !isImport($0) }
    }

    func meaning(of item: Item, in context: BlockContext) -> ItemMeaning {
        var block: [ItemMeaning]?
        if let b = item.block {
            let inner = context.child(nameKeyword(item))
            let children = b.items.map { meaning(of: $0, in: inner) }
            block = inner.isUnordered ? children.sorted() : children
        }
        return ItemMeaning(name: ValueMeaning(self, item.name),
                           values: item.values.map { ValueMeaning(self, $0) }, block: block)
    }

    /// True when both trees say the same thing, whatever their layout, spelling of literals,
    /// comments and the order of settings where order has no meaning. Spans are ignored.
    public func sameMeaning(as other: SyntaxTree) -> Bool { meaning == other.meaning }

    /// Every comment's text (from `#`, trailing spaces removed), in file order.
    public var commentTexts: [String] {
        var out: [String] = []
        for i in tokens.indices {
            for s in comments(before: TokenIndex(i)) {
                out.append(String(decoding: file.bytes[Int(s.start)..<Int(s.end)], as: UTF8.self))
            }
        }
        return out
    }
}
