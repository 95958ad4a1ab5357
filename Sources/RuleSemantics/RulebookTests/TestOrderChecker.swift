import RuleBase
import RuleSyntax

// The order lifecycle in `test` blocks: working orders of the start, the ids that fills,
// cancels and expectations name (R6010-R6013), and where a `refused` expectation may stand.

/// The order ids a test has placed so far, with where each was first placed.
struct OrderIDs {
    private var spans: [String: Span] = [:]
    private(set) var names: [String] = []
    func span(_ id: String) -> Span? { spans[id] }
    mutating func insert(_ id: Located<String>) {
        guard spans[id.value] == nil else { return }
        spans[id.value] = id.span
        names.append(id.value)
    }
}

extension CheckerState {
    /// `working o1 limit ES buy 2 at 4_990 [remaining 1]`: an order working at the start.
    mutating func workingOrder(_ tree: SyntaxTree, _ s: Item, _ setting: String) -> TestWorkingOrder? {
        var shapes: [Shape] = [.orderID, .anyOf([.market, .limit, .stop]), .productRef, .oneOf(.buy, .sell), .count]
        var k = 5
        if s.values.count > k, tree[s.values[k]].keyword == .at { shapes += [.word(.at), .number]; k += 2 }
        if s.values.count > k { shapes += [.word(.remaining), .count] }
        guard let v = values(tree, s, shapes, setting: setting,
                             help: "write `working o1 limit ES buy 2 at 4_990` (optionally `remaining 1`)"),
              let p = productName(tree, v[2]), let q = quantity(tree, v[4]),
              let type = TestOrderType(rawValue: tree[v[1]].keyword.text) else { return nil }
        let price = v.count > 5 && tree[v[5]].keyword == .at ? tree[v[6]].decimal : nil
        guard !type.rests || price != nil else {
            needsPrice(tree, type, at: v[4], example: "working \(tree.word(v[0])) \(type) \(p.value) \(tree.text(v[3])) \(q) at 4_990")
            return nil
        }
        var remaining: Int64?
        if tree[v[v.count - 2]].keyword == .remaining {
            guard let r = quantity(tree, v[v.count - 1]) else { return nil }
            guard r <= q else {
                report(.testRemainingAboveQuantity, "order `\(tree.word(v[0]))` has \(r) contracts open but was placed for \(q)",
                       at: tree.span(v[v.count - 1]), label: "more than the order's quantity", secondary: [Label(tree.span(v[4]), "placed for \(q)")],
                       help: "write `remaining \(q)` or less, or leave `remaining` out when nothing has filled")
                return nil
            }
            remaining = r
        }
        let id = Located(tree.word(v[0]), tree.span(v[0]))
        return TestWorkingOrder(id: id, type: type, product: p, quantity: tree[v[3]].keyword == .sell ? -q : q, price: price,
                                remaining: remaining)
    }

    mutating func needsPrice(_ tree: SyntaxTree, _ type: TestOrderType, at t: TokenIndex, example: String) {
        let at = tree.span(t)
        report(.testRestingOrderIncomplete, "a `\(type)` order needs a price", at: Span(file: at.file, start: at.end, end: at.end),
               label: "expected `at PRICE` here", help: "write `\(example)`, or make it a `market` order")
    }

    /// The token of the order id an `at ...` line names: `order o1 ...`, `fill ... order o1`, `cancel o1`.
    func orderIDToken(_ tree: SyntaxTree, _ s: Item) -> TokenIndex? {
        let v = s.values
        guard v.count >= 3 else { return nil }
        switch tree[v[1]].keyword {
        case .order, .cancel: return v[2]
        case .fill: return v.count >= 2 && tree[v[v.count - 2]].keyword == .order ? v[v.count - 1] : nil
        default: return nil
        }
    }

    /// Whether the (unchecked) `expect` block has `refused` for `reason`, or `refused` alone.
    func expectsRefusal(_ tree: SyntaxTree, _ expect: Item, of reason: TestRefusal) -> Bool {
        guard let block = expect.block else { return false }
        return block.items.contains { i in
            tree[i.name].keyword == .refused && (i.values.isEmpty || (i.values.count == 1 && tree.word(i.values[0]) == reason.rawValue))
        }
    }

    /// Whether the engine can refuse `event` for `reason` (any reason when nil).
    func refusable(_ event: TestEvent?, _ reason: TestRefusal?) -> Bool {
        guard let event else { return false }
        if let reason { return reason.applies(to: event) }
        return TestRefusal.allCases.contains { $0.applies(to: event) }
    }

    mutating func reportUnknownOrder(_ id: Located<String>, _ placed: OrderIDs) {
        let guess = suggestion(id.value, placed.names)
        report(.testUnknownOrder, "no order `\(id.value)` is placed before this event", at: id.span, label: "never placed in this test",
               help: guess.map { "did you mean `\($0)`?" }
                   ?? "place it first (`working \(id.value) limit ES buy 1 at 4_990` in the start, or an `order \(id.value) ...` event), or expect `refused unknown_order`")
    }
}
