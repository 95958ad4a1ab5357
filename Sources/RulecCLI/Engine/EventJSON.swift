import RuleBase
import RuleEngine

/// A malformed event: what is wrong, at a line and column of the events file.
struct EventError: Error {
    var line: Int
    var column: Int
    var message: String
    var description: String { "\(line):\(column): \(message)" }
}

/// Reads one JSON Lines event with `JSONObjectScanner`, without building a `JSONValue`:
///
///     {"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","side":"buy","qty":2,"price":5000.25,"commission":4.50}
///     {"at":"2026-03-03T15:01:00Z","type":"mark","product":"ES","price":4990}
///     {"at":"2026-03-03T15:02:00Z","type":"admin","action":"LockTradingImmediately","reasonCode":"Other","reason":"desk"}
///     {"at":"2026-03-03T15:03:00Z","type":"clock"}
///     {"at":"2026-03-03T15:04:00Z","type":"cash","amount":-25.00}
///     {"at":"2026-03-03T15:05:00Z","type":"order","product":"ES","side":"sell","qty":1,"price":5001}
///     {"at":"2026-03-03T15:06:00Z","type":"switch_category","category":"eval_10_minis"}
struct EventDecoder {
    let setup: EngineSetup

    static let types = ["fill", "mark", "admin", "clock", "cash", "order", "switch_category"]

    private enum T { case fill, mark, admin, clock, cash, order, switchCategory }

    func decode(_ bytes: [UInt8], _ line: JSONLine) throws(EventError) -> Event {
        var scanner: JSONObjectScanner
        do { scanner = try JSONObjectScanner(bytes, range: line.range, firstLine: line.number) } catch {
            throw EventError(line: error.line, column: error.column, message: error.message)
        }
        var at: Instant?
        var type: T?
        var typeField: JSONField?
        var product: Int32?, qty: Int64?, side: Int64?, price: Price?, commission: Money?, amount: Money?
        var action: AdminAction.Kind?, reasonCode: AdminAction.ReasonCode?, reason: String?, category: String?
        var seen: UInt32 = 0
        func fail(_ message: String, _ f: JSONField?) -> EventError {
            let e = scanner.error(message, at: f?.key.lowerBound.advanced(by: -1) ?? line.range.lowerBound)
            return EventError(line: e.line, column: e.column, message: message)
        }
        func once(_ bit: UInt32, _ f: JSONField) throws(EventError) {
            if seen & bit != 0 { throw fail("duplicate field `\(scanner.keyString(f))`", f) }
            seen |= bit
        }
        while true {
            let next: JSONField?
            do { next = try scanner.next() } catch { throw EventError(line: error.line, column: error.column, message: error.message) }
            guard let f = next else { break }
            if scanner.key(f, is: "at") {
                try once(1, f)
                let t = f.kind == .string && !f.valueHasEscapes ? scanner.withBytes(f.value) { InstantText.parse($0) } : nil
                guard let t else { throw fail("`at` must be an ISO-8601 instant with an offset, like \"2026-03-03T15:00:00Z\"", f) }
                at = t
            } else if scanner.key(f, is: "type") {
                try once(2, f)
                typeField = f
                if scanner.string(f, is: "fill") { type = .fill }
                else if scanner.string(f, is: "mark") { type = .mark }
                else if scanner.string(f, is: "admin") { type = .admin }
                else if scanner.string(f, is: "clock") { type = .clock }
                else if scanner.string(f, is: "cash") { type = .cash }
                else if scanner.string(f, is: "order") { type = .order }
                else if scanner.string(f, is: "switch_category") { type = .switchCategory }
                else {
                    let given = scanner.string(f) ?? "\(f.kind)"
                    let near = Suggestion.closest(to: given, among: Self.types).map { "; did you mean `\($0)`?" } ?? ""
                    throw fail("unknown event type `\(given)`\(near)", f)
                }
            } else if scanner.key(f, is: "product") {
                try once(4, f)
                guard f.kind == .string else { throw fail("`product` must be a string", f) }
                product = scanner.withBytes(f.value) { setup.product($0) }
                if product == nil, f.valueHasEscapes, let s = scanner.string(f) { product = setup.product(s) }
                if product == nil {
                    let s = scanner.string(f) ?? ""
                    let near = Suggestion.closest(to: s, among: setup.graph.products.map(\.symbol)).map { "; did you mean `\($0)`?" } ?? ""
                    throw fail("unknown product `\(s)`\(near)", f)
                }
            } else if scanner.key(f, is: "qty") {
                try once(8, f)
                guard let q = scanner.int64(f), q != 0, q.magnitude <= 1_000_000 else {
                    throw fail("`qty` must be a whole number of contracts, 1 to 1,000,000 (negative for a sell without `side`)", f)
                }
                qty = q
            } else if scanner.key(f, is: "side") {
                try once(16, f)
                if scanner.string(f, is: "buy") || scanner.string(f, is: "Buy") { side = 1 }
                else if scanner.string(f, is: "sell") || scanner.string(f, is: "Sell") { side = -1 }
                else { throw fail("`side` must be \"buy\" or \"sell\"", f) }
            } else if scanner.key(f, is: "price") {
                try once(32, f)
                guard let d = f.kind == .string ? scanner.string(f).flatMap(DecimalNumber.init) : scanner.decimal(f),
                      let p = Price(d) else {
                    throw fail("`price` must be a decimal number with at most 6 decimals, within ±10,000,000", f)
                }
                price = p
            } else if scanner.key(f, is: "commission") {
                try once(64, f)
                guard let m = scanner.money(f), m.units >= 0 else { throw fail("`commission` must be money ≥ 0 with at most 4 decimals", f) }
                commission = m
            } else if scanner.key(f, is: "amount") {
                try once(128, f)
                guard let m = scanner.money(f) else { throw fail("`amount` must be money with at most 4 decimals", f) }
                amount = m
            } else if scanner.key(f, is: "action") {
                try once(256, f)
                let s = scanner.string(f) ?? ""
                if AdminAction.Kind.internalNames.contains(s) {
                    throw fail("admin action `\(s)` is internal to the broker and not accepted (R-25)", f)
                }
                guard let k = AdminAction.Kind(name: s) else {
                    throw fail("unknown admin action `\(s)`; expected Normal, LockTradingImmediately, LiquidateImmediately or LiquidateOnlyModeImmediately", f)
                }
                action = k
            } else if scanner.key(f, is: "reasonCode") {
                try once(512, f)
                let s = scanner.string(f) ?? ""
                guard let c = AdminAction.ReasonCode(name: s) else {
                    let near = Suggestion.closest(to: s, among: AdminAction.ReasonCode.allCases.map(\.description)).map { "; did you mean `\($0)`?" } ?? ""
                    throw fail("unknown reason code `\(s)`\(near)", f)
                }
                reasonCode = c
            } else if scanner.key(f, is: "reason") {
                try once(1024, f)
                guard f.kind == .string || f.kind == .null else { throw fail("`reason` must be a string", f) }
                reason = scanner.string(f)
            } else if scanner.key(f, is: "category") {
                try once(2048, f)
                guard let s = scanner.string(f) else { throw fail("`category` must be a string", f) }
                category = s
            } else if scanner.key(f, is: "note") {
                try once(4096, f)
            } else {
                throw fail("unknown field `\(scanner.keyString(f))`", f)
            }
        }
        guard let at else { throw fail("missing `at`", nil) }
        guard let type else { throw fail("missing `type` (one of \(Self.types.joined(separator: ", ")))", nil) }
        func need<V>(_ v: V?, _ name: String) throws(EventError) -> V {
            guard let v else { throw fail("a `\(Self.types[typeIndex(type)])` event needs `\(name)`", typeField) }
            return v
        }
        func signed() throws(EventError) -> Int64 {
            let q = try need(qty, "qty")
            if let s = side {
                guard q > 0 else { throw fail("`qty` must be positive when `side` is given", typeField) }
                return q * s
            }
            return q
        }
        switch type {
        case .fill:
            return Event(at: at, .fill(Fill(product: try need(product, "product"), quantity: try signed(),
                                            price: try need(price, "price"), commission: commission)))
        case .mark:
            return Event(at: at, .mark(Mark(product: try need(product, "product"), price: try need(price, "price"))))
        case .admin:
            return Event(at: at, .admin(AdminAction(try need(action, "action"), reasonCode: try need(reasonCode, "reasonCode"),
                                                    reason: reason)))
        case .clock:
            return Event(at: at, .clock)
        case .cash:
            return Event(at: at, .cash(try need(amount, "amount")))
        case .order:
            return Event(at: at, .order(Order(product: try need(product, "product"), quantity: try signed(), limitPrice: price)))
        case .switchCategory:
            return Event(at: at, .switchCategory(try need(category, "category")))
        }
    }

    private func typeIndex(_ t: T) -> Int {
        switch t {
        case .fill: 0
        case .mark: 1
        case .admin: 2
        case .clock: 3
        case .cash: 4
        case .order: 5
        case .switchCategory: 6
        }
    }
}
