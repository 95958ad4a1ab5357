import RuleBase
import RuleJSON
import RuleEngine

/// An account state file for `rulec eval` (and `simulate --state`):
///
///     {
///       "at": "2026-03-03T15:05:00Z",
///       "balance": 50000.00,
///       "dayStart": 50000.00,            // default: balance
///       "weekStart": 50000.00,           // default: dayStart
///       "highWaterMark": 50000.00,       // default: the template's starting_balance, else weekStart
///       "commissionPerContract": 2.50,   // default 0; charged on liquidation fills
///       "positions": [ {"product": "ES", "qty": 2, "avgPrice": 5000.00, "mark": 4990.00} ],
///       "workingOrders": [ {"id": "o1", "product": "ES", "side": "buy", "qty": 2, "orderType": "limit",
///                           "price": 4990.00, "remaining": 1, "placedAt": "2026-03-03T15:00:00Z"} ],
///       "evaluation": {"status": "in_progress", "tradingDays": 3, "tradedToday": true,
///                      "winningDays": 2, "bestDay": 900.00}   // a template with objectives only
///     }
///
/// Money is a JSON number or a string such as "50_000.00 USD", read exactly. A working order's
/// `orderType` defaults to limit (a resting order needs a price), `remaining` to `qty` and
/// `placedAt` to the state's `at`.
public struct StateFile: Sendable {
    public var at: Instant?
    public var account: AccountState
    public var workingOrders: [WorkingOrder] = []
    /// The evaluation so far (StateEvaluation.swift); nil: a fresh one when the template has objectives.
    public var evaluation: EvaluationState?

    public static let keys = ["at", "balance", "dayStart", "weekStart", "highWaterMark", "commissionPerContract", "positions", "workingOrders",
                              "evaluation"]
    public static let positionKeys = ["product", "qty", "avgPrice", "mark"]
    public static let orderKeys = ["id", "product", "side", "qty", "orderType", "price", "remaining", "placedAt"]

    public static func parse(_ bytes: [UInt8], path: String, setup: EngineSetup) -> Result<StateFile, EventError> {
        let v: JSONValue
        do { v = try JSONParser.parse(bytes) } catch { return .failure(EventError(line: error.line, column: error.column, message: error.message)) }
        func fail(_ m: String) -> Result<StateFile, EventError> { .failure(EventError(line: 1, column: 1, message: m)) }
        guard let members = v.objectMembers else { return fail("a state is a JSON object") }
        for m in members where !keys.contains(m.key) {
            let near = Suggestion.closest(to: m.key, among: keys).map { "; did you mean `\($0)`?" } ?? ""
            return fail("unknown field `\(m.key)` in the state\(near)")
        }
        func money(_ k: String) -> Result<Money?, EventError> {
            guard let x = v[k] else { return .success(nil) }
            guard let m = x.moneyValue else { return .failure(EventError(line: 1, column: 1, message: "`\(k)` must be money with at most 4 decimals")) }
            return .success(m)
        }
        var at: Instant?
        if let a = v["at"] {
            guard let s = a.stringValue, let t = InstantText.parse(s) else {
                return fail("`at` must be an ISO-8601 instant with an offset, like \"2026-03-03T15:00:00Z\"")
            }
            at = t
        }
        let balance: Money
        switch money("balance") {
        case .success(let b?): balance = b
        case .success(nil): return fail("missing `balance`")
        case .failure(let e): return .failure(e)
        }
        var anchors: [Money?] = []
        for k in ["dayStart", "weekStart", "highWaterMark", "commissionPerContract"] {
            switch money(k) {
            case .success(let m): anchors.append(m)
            case .failure(let e): return .failure(e)
            }
        }
        let sod = anchors[0] ?? balance
        let sow = anchors[1] ?? sod
        let hwm = anchors[2] ?? setup.graph.startingBalance.map { max($0, sow) } ?? sow
        let commission = anchors[3] ?? .zero
        if commission.units < 0 { return fail("`commissionPerContract` must not be negative") }
        var account = AccountState(productCount: setup.graph.products.count, balance: balance, commissionPerContract: commission)
        account.setAnchors(dayStart: sod, weekStart: sow, highWaterMark: hwm)
        let economics = setup.graph.products.map {
            ProductEconomics(pointValue: $0.pointValue, dayMargin: $0.dayMargin, overnightMargin: $0.overnightMargin)
        }
        if let ps = v["positions"] {
            guard let items = ps.arrayValue else { return fail("`positions` must be an array") }
            var seen = Set<Int32>()
            for (n, p) in items.enumerated() {
                let where_ = "positions[\(n)]"
                guard let members = p.objectMembers else { return fail("\(where_) must be an object") }
                for m in members where !positionKeys.contains(m.key) {
                    let near = Suggestion.closest(to: m.key, among: positionKeys).map { "; did you mean `\($0)`?" } ?? ""
                    return fail("\(where_): unknown field `\(m.key)`\(near)")
                }
                guard let sym = p["product"]?.stringValue else { return fail("\(where_) needs a `product`") }
                guard let i = setup.product(sym) else {
                    let near = Suggestion.closest(to: sym, among: setup.graph.products.map(\.symbol)).map { "; did you mean `\($0)`?" } ?? ""
                    return fail("\(where_): unknown product `\(sym)`\(near)")
                }
                guard seen.insert(i).inserted else { return fail("\(where_): product `\(sym)` appears twice") }
                guard let q = p["qty"]?.int64Value, q.magnitude <= 1_000_000 else { return fail("\(where_).qty must be a whole number of contracts (negative for short)") }
                guard let avg = p["avgPrice"]?.decimalValue.flatMap(Price.init) else {
                    return fail("\(where_).avgPrice must be a price with at most 6 decimals")
                }
                var mark = avg
                if let m = p["mark"] {
                    guard let mp = m.decimalValue.flatMap(Price.init) else { return fail("\(where_).mark must be a price with at most 6 decimals") }
                    mark = mp
                }
                guard let pos = Position(quantity: q, averagePrice: avg) else { return fail("\(where_) is too large") }
                account.setPosition(Int(i), pos, mark: mark, economics: economics)
            }
        }
        var working: [WorkingOrder] = []
        if let ws = v["workingOrders"] {
            guard let items = ws.arrayValue else { return fail("`workingOrders` must be an array") }
            var ids = Set<String>()
            for (n, o) in items.enumerated() {
                let where_ = "workingOrders[\(n)]"
                guard let members = o.objectMembers else { return fail("\(where_) must be an object") }
                for m in members where !orderKeys.contains(m.key) {
                    let near = Suggestion.closest(to: m.key, among: orderKeys).map { "; did you mean `\($0)`?" } ?? ""
                    return fail("\(where_): unknown field `\(m.key)`\(near)")
                }
                guard let id = o["id"]?.stringValue, !id.isEmpty, id.utf8.count <= EventDecoder.maxIDLength else {
                    return fail("\(where_) needs an `id` (a non-empty string of at most \(EventDecoder.maxIDLength) bytes)")
                }
                guard ids.insert(id).inserted else { return fail("\(where_): order id `\(id)` appears twice") }
                guard let sym = o["product"]?.stringValue else { return fail("\(where_) needs a `product`") }
                guard let i = setup.product(sym) else {
                    let near = Suggestion.closest(to: sym, among: setup.graph.products.map(\.symbol)).map { "; did you mean `\($0)`?" } ?? ""
                    return fail("\(where_): unknown product `\(sym)`\(near)")
                }
                guard let sideText = o["side"]?.stringValue, ["buy", "sell"].contains(sideText.lowercased()) else {
                    return fail("\(where_).side must be \"buy\" or \"sell\"")
                }
                guard let q = o["qty"]?.int64Value, q >= 1, q <= 1_000_000 else { return fail("\(where_).qty must be a whole number of contracts, 1 to 1,000,000") }
                var remaining = q
                if let r = o["remaining"] {
                    guard let rv = r.int64Value, rv >= 1, rv <= q else { return fail("\(where_).remaining must be 1 to qty (\(q))") }
                    remaining = rv
                }
                var type = OrderType.limit
                if let t = o["orderType"] {
                    guard let ts = t.stringValue, let ot = OrderType.allCases.first(where: { $0.description == ts }) else {
                        return fail("\(where_).orderType must be \"market\", \"limit\" or \"stop\"")
                    }
                    type = ot
                }
                var price: Price?
                if let p = o["price"] {
                    guard let pp = (p.stringValue.flatMap(DecimalNumber.init) ?? p.decimalValue).flatMap(Price.init) else {
                        return fail("\(where_).price must be a price with at most 6 decimals")
                    }
                    price = pp
                }
                if type.rests && price == nil { return fail("\(where_): a \(type) order needs a `price`") }
                var placed = at
                if let pa = o["placedAt"] {
                    guard let ps = pa.stringValue, let t = InstantText.parse(ps) else {
                        return fail("\(where_).placedAt must be an ISO-8601 instant with an offset")
                    }
                    placed = t
                }
                working.append(WorkingOrder(id: id, product: i, side: sideText.lowercased() == "buy" ? .buy : .sell, type: type,
                                            price: type.rests ? price : nil, quantity: q, remaining: remaining,
                                            placedAt: placed ?? Instant(millis: 0)))
            }
        }
        var file = StateFile(at: at, account: account, workingOrders: working)
        if let e = v["evaluation"] {
            switch evaluation(e, at: at, balance: balance, setup: setup) {
            case .success(let s): file.evaluation = s
            case .failure(let err): return .failure(err)
            }
        }
        return .success(file)
    }
}

/// An order file for `rulec eval --order`:
///
///     {"product": "ES", "side": "buy", "qty": 2, "price": 5000.25}
///
/// `qty` is a positive whole number of contracts with `side` ("buy" or "sell"), or signed
/// (negative = sell) without `side`; `price` (a limit price) is optional and does not change the
/// verdict. A product the rulebook does not know is not an input error: the check rejects the
/// order with `unknown_product`.
public struct OrderFile {
    public static let keys = ["product", "side", "qty", "price"]

    public static func parse(_ bytes: [UInt8], setup: EngineSetup) -> Result<OrderRequest, EventError> {
        let v: JSONValue
        do { v = try JSONParser.parse(bytes) } catch { return .failure(EventError(line: error.line, column: error.column, message: error.message)) }
        func fail(_ m: String) -> Result<OrderRequest, EventError> { .failure(EventError(line: 1, column: 1, message: m)) }
        guard let members = v.objectMembers else { return fail("an order is a JSON object like {\"product\": \"ES\", \"side\": \"buy\", \"qty\": 1}") }
        for m in members where !keys.contains(m.key) {
            let near = Suggestion.closest(to: m.key, among: keys).map { "; did you mean `\($0)`?" } ?? ""
            return fail("unknown field `\(m.key)` in the order\(near)")
        }
        guard let symbol = v["product"]?.stringValue else { return fail("the order needs a `product` (a symbol such as \"ES\")") }
        guard let q = v["qty"]?.int64Value, q != 0, q.magnitude <= 1_000_000 else {
            return fail("`qty` must be a whole number of contracts, 1 to 1,000,000 (negative for a sell without `side`)")
        }
        var quantity = q
        if let sv = v["side"] {
            guard let side = sv.stringValue, ["buy", "sell", "Buy", "Sell"].contains(side) else { return fail("`side` must be \"buy\" or \"sell\"") }
            guard q > 0 else { return fail("`qty` must be positive when `side` is given") }
            if side.lowercased() == "sell" { quantity = -q }
        }
        var price: Price?
        if let p = v["price"] {
            guard let d = p.stringValue.flatMap(DecimalNumber.init) ?? p.decimalValue, let pr = Price(d) else {
                return fail("`price` must be a decimal number with at most 6 decimals, within ±10,000,000")
            }
            price = pr
        }
        if let i = setup.product(symbol) { return .success(OrderRequest(product: i, quantity: quantity, limitPrice: price)) }
        return .success(OrderRequest(product: Order.unknownProduct, quantity: quantity, limitPrice: price, unknownSymbol: symbol))
    }
}
