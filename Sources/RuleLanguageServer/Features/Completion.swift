import RuleBase
import RuleJSON
import RuleSyntax

/// Completion: the settings of the block at the cursor (those not written yet, for settings
/// that may appear once), the names in scope where a setting takes a name, keyword values
/// (weekdays, trailing modes) and the units after a number.
extension Server {
    func completion(_ params: JSONValue) throws(RPCError) -> JSONValue {
        let (analysis, offset) = try position(params)
        guard let tree = analysis.entryTree else { return .arr([]) }
        let items = CompletionFeature.items(tree, at: offset, analysis.index, map: lineMap(analysis))
        return .obj(["isIncomplete": .bool(false), "items": .arr(items)])
    }
}

enum CompletionFeature {
    // LSP CompletionItemKind
    static let propertyKind = 10, unitKind = 11, keywordKind = 14, enumMemberKind = 20

    static func kind(_ s: SymbolKind) -> Int {
        switch s {
        case .calendar: 9      // Module
        case .product: 21      // Constant
        case .timePeriod: 23   // Event
        case .riskCategory: 22 // Struct
        case .template: 7      // Class
        }
    }

    /// Settings a block may hold only once.
    static let single: Set<Keyword> = [
        .calendar, .timePeriod, .riskCategory, .startingBalance, .alert, .liquidateOnly, .autoLiquidate, .trailingDrawdown,
        .flattenAt, .doNotUnlock, .timezone, .tradingDayStarts, .weekStarts, .endOfDay, .description, .pointValue, .tick,
        .dayMargin, .overnightMargin, .mode, .stopTrailingAt,
    ]

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "_")
    }

    static func items(_ tree: SyntaxTree, at offset: UInt32, _ index: SymbolIndex, map: LineMap) -> [JSONValue] {
        let bytes = tree.file.bytes
        let offset = min(offset, UInt32(bytes.count))
        var wordStart = Int(offset)
        while wordStart > 0, isWordByte(bytes[wordStart - 1]) { wordStart -= 1 }
        let lineStart = Int(tree.file.lineStarts[map.line(of: offset)])
        // Lint codes in a suppression comment; nothing else inside a comment or a string.
        if let codes = SuppressionComments.completion(tree.file, map, offset) { return codes }
        var quotes = 0
        for k in lineStart..<Int(offset) {
            if bytes[k] == UInt8(ascii: "\"") { quotes += 1 }
            if bytes[k] == UInt8(ascii: "#") && quotes % 2 == 0 { return [] }
        }
        if quotes % 2 == 1 { return [] }
        // The words of this line before the one being typed (after the last `;` or `{`).
        var before: [TokenIndex] = []
        var k = firstToken(tree, from: UInt32(lineStart))
        while k < tree.tokens.count, Int(tree.tokens[k].end) <= wordStart {
            let t = tree.tokens[k]
            if t.kind == .semicolon || t.kind == .leftBrace || t.kind == .rightBrace { before.removeAll() }
            else if t.kind.isWord { before.append(TokenIndex(k)) }
            k += 1
        }
        let blocks = tree.blocks(at: offset)
        let block = BlockKind(blocks, tree)
        let replace = map.range(Span(file: tree.file.id, start: UInt32(wordStart), end: offset))
        func item(_ label: String, _ kind: Int, detail: String?, doc: String? = nil, insert: String? = nil,
                  range: JSONValue? = nil, sort: Int) -> JSONValue {
            .obj(["label": .str(label), "kind": .int(kind), "detail": detail.map { .str($0) },
                  "documentation": doc.map { .str($0) },
                  "sortText": .str(String(format4(sort))),
                  "textEdit": .obj(["range": range ?? replace, "newText": .str(insert ?? label)])])
        }

        // Units straight after a number (`800|`) or after a number and a space (`800 |`, `800 U|`).
        let typedNumber = wordStart < Int(offset) && bytes[wordStart] >= 0x30 && bytes[wordStart] <= 0x39
        let previousNumber = before.last.map { tree[$0].kind == .number } ?? false
        if typedNumber || previousNumber {
            let setting = (before.first.map { tree[$0].keyword }).flatMap { $0 == .none ? nil : $0 }
            let units = SettingCatalog.units(setting, in: block)
            var out: [JSONValue] = []
            for (k, u) in units.enumerated() {
                if typedNumber {
                    let at = map.range(Span(file: tree.file.id, start: offset, end: offset))
                    out.append(item(u, unitKind, detail: unitDetail(u), insert: u == "%" ? "%" : " " + u, range: at, sort: k))
                } else if let last = before.last {
                    // `%` sits against the number; a word unit after a space.
                    let range = u == "%" ? map.range(Span(file: tree.file.id, start: tree[last].end, end: offset)) : replace
                    out.append(item(u, unitKind, detail: unitDetail(u), range: range, sort: k))
                }
            }
            return out
        }

        guard let first = before.first else {
            // A setting name (or, in a group, a product).
            if block == .maxGroup {
                return index.names(.product).enumerated().map { k, n in item(n, kind(.product), detail: "product", sort: k) }
            }
            let present = Set((blocks.last?.block?.items ?? []).filter {
                map.line(of: tree[$0.name].start) != map.line(of: offset)
            }.map { tree[$0.name].keyword })
            return SettingCatalog.settings(block).enumerated().compactMap { k, s in
                if single.contains(s.keyword) && present.contains(s.keyword) && block != .topLevel { return nil }
                let kindNumber = block == .topLevel ? keywordKind : propertyKind
                return item(s.keyword.text, kindNumber, detail: s.shape.isEmpty ? nil : s.shape, doc: s.doc, sort: k)
            }
        }
        let setting = tree[first].keyword
        let valueIndex = before.count - 1
        let previous = before.count >= 2 ? tree[before[before.count - 1]].keyword : nil
        // `template name |`: `extends`.
        if block == .topLevel, setting == .template, before.count == 2 {
            return [item("extends", keywordKind, detail: "template name extends parent", sort: 0)]
        }
        let values = SettingCatalog.keywordValues(setting, in: block)
        if !values.isEmpty, valueIndex == 0 {
            return values.enumerated().map { k, v in item(v.text, enumMemberKind, detail: nil, sort: k) }
        }
        if let kindOfName = SettingCatalog.reference(setting, in: block, index: valueIndex, previous: previous) {
            // A template cannot extend itself.
            let own = block == .topLevel && setting == .template ? tree.word(before[1]) : nil
            return index.names(kindOfName).filter { $0 != own }.enumerated().map { k, n in
                item(n, kind(kindOfName), detail: kindOfName.title, sort: k)
            }
        }
        return []
    }

    /// The first token starting at or after `offset`.
    static func firstToken(_ tree: SyntaxTree, from offset: UInt32) -> Int {
        var lo = 0, hi = tree.tokens.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if tree.tokens[mid].start < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    static func unitDetail(_ u: String) -> String {
        switch u {
        case "USD": "money: 1_000 USD"
        case "%": "percent: 1.5%"
        default: "contract count: 5 contracts"
        }
    }

    static func format4(_ n: Int) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }
}

