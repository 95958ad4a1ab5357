import RuleBase
import RuleSyntax

extension DecimalNumber {
    /// The same number without trailing zeros after the point (`2.50` → `2.5`, `1.0` → `1`), so
    /// that the checked model, and the rule graph lowered from it, do not depend on how a
    /// number was spelled: `rulec fmt` drops those zeros and must not change the graph.
    var canonical: DecimalNumber {
        var m = mantissa, s = scale
        while s > 0 && m % 10 == 0 { m /= 10; s -= 1 }
        return DecimalNumber(mantissa: m, scale: s)
    }
}

/// The type a setting expects at one value position.
enum Shape: Sendable {
    case money, percent, moneyOrPercent, count, number, time, date, dateTime, string
    case name, productRef, weekday
    /// An order id of a rulebook test: a name or a string (`o1`, `"A-1001"`).
    case orderID
    /// Any word, keyword or name (a cause or code looked up by its spelling).
    case term
    case word(Keyword)
    /// One of two keywords (`mode end_of_day` or `real_time`). Two payloads rather than an
    /// array keep `Shape` a plain value, free to build on every call.
    case oneOf(Keyword, Keyword)
    /// One of several keywords (rulebook-test expectations; not on the rulebook hot path).
    case anyOf([Keyword])

    var expectation: String {
        switch self {
        case .money: return "money (e.g. `1_000 USD`)"
        case .percent: return "a percent (e.g. `1.5%`)"
        case .moneyOrPercent: return "money or a percent"
        case .count: return "a contract count (e.g. `5`)"
        case .number: return "a number"
        case .time: return "a time of day (e.g. `16:00`)"
        case .date: return "a date (e.g. `2026-11-26`)"
        case .dateTime: return "a date-time (e.g. `2026-12-31T15:45-06:00`)"
        case .string: return "a string in quotes"
        case .name: return "a name"
        case .productRef: return "a product symbol"
        case .weekday: return "a weekday (e.g. `sunday`)"
        case .orderID: return "an order id (e.g. `o1` or `\"A-1001\"`)"
        case .term: return "a word"
        case let .word(k): return "`\(k)`"
        case let .oneOf(a, b): return [a, b].map { "`\($0)`" }.joined(separator: " or ")
        case let .anyOf(ks): return ks.map { "`\($0)`" }.joined(separator: " or ")
        }
    }

    var example: String? {
        switch self {
        case .money: return "1_000 USD"
        case .percent: return "1.5%"
        case .moneyOrPercent: return "1_000 USD` or `1.5%"
        case .count: return "5"
        case .time: return "16:00"
        case .date: return "2026-11-26"
        case .dateTime: return "2026-12-31T15:45-06:00"
        case .string: return "\"America/Chicago\""
        case .weekday: return "sunday"
        default: return nil
        }
    }

    func accepts(_ t: Token) -> Bool {
        switch self {
        case .money: return t.kind == .money
        case .percent: return t.kind == .percent
        case .moneyOrPercent: return t.kind == .money || t.kind == .percent
        case .count: return t.kind == .contracts || (t.kind == .number && t.scale == 0)
        case .number: return t.kind == .number
        case .time: return t.kind == .time
        case .date: return t.kind == .date
        case .dateTime: return t.kind == .dateTime
        case .string: return t.kind == .string
        case .name: return t.kind == .identifier
        case .productRef, .orderID: return t.kind == .identifier || t.kind == .string
        case .term: return t.kind == .identifier || t.kind == .keyword
        case .weekday: return t.kind == .keyword && (Keyword.sunday.rawValue...Keyword.saturday.rawValue).contains(t.keyword.rawValue)
        case let .word(k): return t.kind == .keyword && t.keyword == k
        case let .oneOf(a, b): return t.kind == .keyword && (t.keyword == a || t.keyword == b)
        case let .anyOf(ks): return t.kind == .keyword && ks.contains(t.keyword)
        }
    }
}

/// What a value token is, in a user's words.
func describe(_ t: Token, _ tree: SyntaxTree, _ i: TokenIndex) -> String {
    switch t.kind {
    case .keyword: return "the keyword `\(t.keyword)`"
    case .identifier: return "the name `\(tree.text(i))`"
    case .number: return t.scale == 0 ? "a bare number `\(tree.text(i))`" : "a bare number `\(tree.text(i))`"
    case .contracts: return "a contract count"
    default: return t.kind.humanName
    }
}

extension CheckerState {
    // The common, well-typed setting is checked here without building the list of shapes,
    // the setting name or the help text; anything else goes to the full check below.

    /// A setting that takes no value.
    @inline(__always)
    mutating func values(_ tree: SyntaxTree, _ item: Item, setting: @autoclosure () -> String,
                         help: @autoclosure () -> String? = nil) -> ValueList? {
        if item.values.isEmpty { return item.values }
        return values(tree, item, [], setting: setting(), help: help())
    }

    /// A setting that takes one value.
    @inline(__always)
    mutating func values(_ tree: SyntaxTree, _ item: Item, _ a: Shape, setting: @autoclosure () -> String,
                         help: @autoclosure () -> String? = nil) -> ValueList? {
        let v = item.values
        if v.count == 1, a.accepts(tree[v[0]]) { return v }
        return values(tree, item, [a], setting: setting(), help: help())
    }

    /// A setting that takes two values.
    @inline(__always)
    mutating func values(_ tree: SyntaxTree, _ item: Item, _ a: Shape, _ b: Shape, setting: @autoclosure () -> String,
                         help: @autoclosure () -> String? = nil) -> ValueList? {
        let v = item.values
        if v.count == 2, a.accepts(tree[v[0]]), b.accepts(tree[v[1]]) { return v }
        return values(tree, item, [a, b], setting: setting(), help: help())
    }

    /// A setting that takes three values.
    @inline(__always)
    mutating func values(_ tree: SyntaxTree, _ item: Item, _ a: Shape, _ b: Shape, _ c: Shape,
                         setting: @autoclosure () -> String, help: @autoclosure () -> String? = nil) -> ValueList? {
        let v = item.values
        if v.count == 3, a.accepts(tree[v[0]]), b.accepts(tree[v[1]]), c.accepts(tree[v[2]]) { return v }
        return values(tree, item, [a, b, c], setting: setting(), help: help())
    }

    /// Checks the values of `item` against `shapes` (a trailing `nil`-free list); reports
    /// wrong types, missing and extra values. Returns the value tokens when all match.
    @inline(never)
    mutating func values(_ tree: SyntaxTree, _ item: Item, _ shapes: [Shape], setting: String,
                         help: String? = nil) -> ValueList? {
        // A value the lexer could not read is reported already; counting or typing the others
        // would only echo that error (`max_position 5ES` is not also "missing a count").
        // Fast path: the common, well-typed setting costs no allocation.
        if item.values.count == shapes.count {
            var allMatch = true
            for k in 0..<shapes.count where !shapes[k].accepts(tree[item.values[k]]) { allMatch = false; break }
            if allMatch { return item.values }
        }
        if item.values.contains(where: { tree[$0].kind == .invalid }) { return nil }
        // The whole setting as an example (`week_starts sunday 16:00`), when every value has one.
        let examples = shapes.compactMap(\.example)
        let example = examples.count == shapes.count && !shapes.isEmpty
            ? "write `\(setting) \(examples.joined(separator: " "))`" : nil
        var ok = true
        for (k, shape) in shapes.enumerated() {
            guard k < item.values.count else {
                let at = tree.span(item.values.last ?? item.name)
                report(.missingValue, "`\(setting)` needs \(shape.expectation)",
                       at: Span(file: at.file, start: at.end, end: at.end),
                       label: "expected \(shape.expectation) here",
                       help: help ?? example)
                return nil
            }
            let v = item.values[k]
            let t = tree[v]
            if !shape.accepts(t) {
                var h = help ?? example
                if case .moneyOrPercent = shape, t.kind == .number {
                    h = "add a unit: `\(tree.text(v)) USD` or `\(tree.text(v))%`"
                } else if case .money = shape, t.kind == .number {
                    h = "add the currency: `\(tree.text(v)) USD`"
                } else if case .percent = shape, t.kind == .number {
                    h = "add a percent sign: `\(tree.text(v))%`"
                } else if case .count = shape, t.kind == .number {
                    h = "a contract count is a whole number"
                }
                report(.wrongType, "`\(setting)` expects \(shape.expectation), found \(describe(t, tree, v))",
                       at: tree.span(v), label: "this is \(describe(t, tree, v))", help: h)
                ok = false
            }
        }
        if item.values.count > shapes.count {
            let extra = tree.span(item.values[shapes.count]).union(tree.span(item.values.last ?? item.name))
            report(.extraValue, "`\(setting)` takes \(shapes.count) value\(shapes.count == 1 ? "" : "s"), found \(item.values.count)",
                   at: extra, label: "unexpected", help: "remove the extra values or split them into separate settings")
            ok = false
        }
        return ok ? item.values : nil
    }

    /// Reports a block on an item that takes none.
    mutating func noBlock(_ tree: SyntaxTree, _ item: Item, _ setting: String) {
        if let b = item.block {
            report(.unexpectedBlock, "`\(setting)` does not take a block", at: tree.span(b.open),
                   label: "unexpected `{`", help: "write the setting on one line")
        }
    }

    mutating func positive(_ m: Money, _ span: Span, _ what: @autoclosure () -> String) -> Bool {
        guard m.units > 0 else {
            report(.nonPositiveLimit, "\(what()) must be greater than zero, found `\(m.rulebookText)`", at: span,
                   help: "omit the setting to leave it unchecked")
            return false
        }
        return true
    }

    mutating func percentInRange(_ r: Ratio, _ span: Span, _ what: @autoclosure () -> String) -> Bool {
        guard r.numerator > 0, r <= Ratio(numerator: 1, denominator: 1) else {
            report(.percentOutOfRange, "\(what()) must be above 0% and at most 100%, found `\(r)`", at: span,
                   help: "percents are percentage points: `2.5%` is two and a half percent")
            return false
        }
        return true
    }
}

/// Levenshtein distance for "did you mean" suggestions.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var prev = Array(0...b.count)
    var cur = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        cur[0] = i
        for j in 1...b.count {
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&prev, &cur)
    }
    return prev[b.count]
}

/// The closest candidate within a small distance, for "did you mean `x`?".
func suggestion(_ word: String, _ candidates: [String]) -> String? {
    let limit = max(1, word.count / 3)
    var best: (String, Int)?
    for c in candidates.sorted() {
        let d = editDistance(word.lowercased(), c.lowercased())
        if d <= limit, d < (best?.1 ?? Int.max) { best = (c, d) }
    }
    return best?.0
}

extension SyntaxTree {
    /// An item's name for messages and keys: a keyword's static spelling (no allocation), or
    /// the written word.
    func settingName(_ item: Item) -> String {
        let t = self[item.name]
        return t.kind == .keyword ? t.keyword.text : word(item.name)
    }
}

/// The duplicate-detection code of a threshold: one per (tier, metric, unit), above every
/// keyword code.
func thresholdCode(_ tier: Tier, _ metric: Metric, percent: Bool) -> UInt64 {
    1_000 + UInt64(tier.rawValue) * 100 + UInt64(metric.rawValue) * 10 + (percent ? 1 : 0)
}
