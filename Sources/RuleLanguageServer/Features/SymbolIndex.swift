import RuleBase
import RuleSyntax
import RuleSemantics

/// The kinds of definitions a rulebook names.
enum SymbolKind: String, Sendable, Hashable, CaseIterable {
    case calendar, product, timePeriod = "time_period", riskCategory = "risk_category", template

    /// How messages and hovers call it.
    var title: String {
        switch self {
        case .calendar: "calendar"
        case .product: "product"
        case .timePeriod: "time period"
        case .riskCategory: "risk category"
        case .template: "template"
        }
    }

    var plural: String { self == .riskCategory ? "risk categories" : title + "s" }

    var keyword: Keyword {
        switch self {
        case .calendar: .calendar
        case .product: .product
        case .timePeriod: .timePeriod
        case .riskCategory: .riskCategory
        case .template: .template
        }
    }

    init?(declaration kw: Keyword) {
        guard let k = SymbolKind.allCases.first(where: { $0.keyword == kw }) else { return nil }
        self = k
    }
}

struct SymbolKey: Sendable, Hashable, Comparable {
    var kind: SymbolKind
    var name: String
    static func < (a: SymbolKey, b: SymbolKey) -> Bool { (a.kind.rawValue, a.name) < (b.kind.rawValue, b.name) }
}

/// One place a definition's name is written: the definition itself or a reference to it.
struct Occurrence: Sendable, Hashable {
    var key: SymbolKey
    var span: Span
    var token: TokenIndex
    var isDefinition: Bool
}

/// Every definition and reference of a checked rulebook's files, found from syntax alone, so
/// that a rulebook with errors still has them.
struct SymbolIndex: Sendable {
    /// By file, in source order.
    private(set) var byFile: [FileID: [Occurrence]] = [:]
    /// The first definition of each name (a duplicate is an error already reported).
    private(set) var definitions: [SymbolKey: Occurrence] = [:]
    /// Top-level definition items, by key, for hovers and outlines.
    private(set) var definitionItems: [SymbolKey: (file: FileID, item: Item)] = [:]

    init(_ model: CheckedRulebook) {
        for tree in model.trees { add(tree) }
    }

    func occurrence(at offset: UInt32, in file: FileID) -> Occurrence? {
        guard let list = byFile[file] else { return nil }
        return list.first { $0.span.start <= offset && offset <= $0.span.end }
    }

    func occurrences(in file: FileID) -> [Occurrence] { byFile[file] ?? [] }

    func occurrences(of key: SymbolKey) -> [Occurrence] {
        byFile.keys.sorted().flatMap { f in byFile[f, default: []].filter { $0.key == key } }
    }

    /// Names defined, of one kind, sorted.
    func names(_ kind: SymbolKind) -> [String] {
        definitions.keys.filter { $0.kind == kind }.map(\.name).sorted()
    }

    private mutating func add(_ tree: SyntaxTree) {
        var out: [Occurrence] = []
        func ref(_ kind: SymbolKind, _ t: TokenIndex?, definition: Bool = false) {
            guard let t, Int(t) < tree.tokens.count else { return }
            let tok = tree[t]
            guard tok.kind == .identifier || (kind == .product && tok.kind == .string) else { return }
            out.append(Occurrence(key: SymbolKey(kind: kind, name: tree.word(t)), span: tree.span(t), token: t,
                                  isDefinition: definition))
        }
        func value(_ item: Item, _ k: Int) -> TokenIndex? { k < item.values.count ? item.values[k] : nil }

        for item in tree.items {
            let kw = tree[item.name].keyword
            if let kind = SymbolKind(declaration: kw), let name = item.values.first {
                let before = out.count
                ref(kind, name, definition: true)
                if out.count > before, let def = out.last {
                    if definitions[def.key] == nil {
                        definitions[def.key] = def
                        definitionItems[def.key] = (tree.file.id, item)
                    }
                }
            }
            switch kw {
            case .template:
                if let e = value(item, 1), tree[e].keyword == .extends { ref(.template, value(item, 2)) }
                for s in item.block?.items ?? [] {
                    switch tree[s.name].keyword {
                    case .calendar: ref(.calendar, value(s, 0))
                    case .timePeriod: ref(.timePeriod, value(s, 0))
                    case .riskCategory: ref(.riskCategory, value(s, 0))
                    default: break
                    }
                }
            case .riskCategory:
                for s in item.block?.items ?? [] {
                    switch tree[s.name].keyword {
                    case .maxPosition, .maxLong, .maxShort: ref(.product, value(s, 0))
                    case .restrict: for v in s.values { ref(.product, v) }
                    case .maxGroup: for m in s.block?.items ?? [] { ref(.product, m.name) }
                    default: break
                    }
                }
            case .test:
                indexTest(tree, item, ref)
            default:
                break
            }
        }
        out.sort { $0.span.start < $1.span.start }
        byFile[tree.file.id, default: []] += out
    }

    /// References inside a `test` block: the template under test, products of positions and
    /// events, and category switches.
    private func indexTest(_ tree: SyntaxTree, _ item: Item, _ ref: (SymbolKind, TokenIndex?, Bool) -> Void) {
        func value(_ item: Item, _ k: Int) -> TokenIndex? { k < item.values.count ? item.values[k] : nil }
        for s in item.block?.items ?? [] {
            switch tree[s.name].keyword {
            case .template: ref(.template, value(s, 0), false)
            case .position, .working: ref(.product, value(s, tree[s.name].keyword == .working ? 2 : 0), false)
            case .at:
                guard let kindToken = value(s, 1) else { continue }
                switch tree[kindToken].keyword {
                case .fill, .mark: ref(.product, value(s, 2), false)
                case .order:
                    let typed = value(s, 3).map { [.market, .limit, .stop].contains(tree[$0].keyword) } ?? false
                    ref(.product, value(s, typed ? 4 : 2), false)
                case .switchCategory: ref(.riskCategory, value(s, 2), false)
                default: break
                }
            case .expect:
                for e in s.block?.items ?? [] where [.position, .liquidated].contains(tree[e.name].keyword) {
                    ref(.product, value(e, 0), false)
                }
            default: break
            }
        }
    }
}
