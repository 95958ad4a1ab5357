import RuleBase

/// A deterministic synthetic fleet for the examples, the tests and the benchmarks: an accounts
/// file over the bundled templates and one execution history for all of them, with resting
/// orders, partial fills, cancels, market orders, marks, cash and the odd admin action or
/// category switch.
///
/// The history covers the trading week of Monday 14 to Friday 18 December 2026 (the week of
/// the bundled `flatten_at`), 07:00 to 15:58 Chicago time each day, so that session opens, end
/// of day, the `close_out` time period and the one-time flatten all happen. Events come in rows:
/// each row gives every account one event, in an order permuted per row, at instants spread
/// evenly over the week; so each account's events are in time order and accounts interleave.
/// Prices follow one random walk per product shared by the whole fleet.
///
/// The same configuration gives the same bytes. Generated orders only ever name the account's own
/// recent orders, so a replay of the history under the bundled rulebooks meets no lifecycle error
/// (fills of orders the rules rejected or cancelled are ignored by the engine, as they should be).
public struct FleetGenerator: Sendable {
    public var accounts: Int
    public var eventsPerAccount: Int
    public var seed: UInt64

    public init(accounts: Int, eventsPerAccount: Int, seed: UInt64 = 0x5EED_2026_F1EE_0010) {
        self.accounts = max(accounts, 1)
        self.eventsPerAccount = max(eventsPerAccount, 1)
        self.seed = seed
    }

    /// Templates and their share of the fleet (in tenths).
    static let templates: [(name: String, tenths: Int)] = [("eval_50k", 4), ("eval_100k", 2), ("eval_150k", 2), ("funded_100k", 2)]

    /// Products traded, with their tick in micros, a starting price in ticks and a typical size.
    struct Product {
        var symbol: String
        var tickMicros: Int64
        var startTicks: Int64
        /// Typical move over one trading day, in ticks.
        var dailyTicks: Int64
        var maxSize: Int64
    }

    static let products: [Product] = [
        Product(symbol: "ES", tickMicros: 250_000, startTicks: 24_000, dailyTicks: 120, maxSize: 3),
        Product(symbol: "MES", tickMicros: 250_000, startTicks: 24_000, dailyTicks: 120, maxSize: 20),
        Product(symbol: "NQ", tickMicros: 250_000, startTicks: 84_000, dailyTicks: 480, maxSize: 2),
        Product(symbol: "MNQ", tickMicros: 250_000, startTicks: 84_000, dailyTicks: 480, maxSize: 15),
        Product(symbol: "CL", tickMicros: 10_000, startTicks: 7_000, dailyTicks: 150, maxSize: 2),
        Product(symbol: "GC", tickMicros: 100_000, startTicks: 20_500, dailyTicks: 250, maxSize: 2),
        Product(symbol: "YM", tickMicros: 1_000_000, startTicks: 43_000, dailyTicks: 350, maxSize: 3),
        Product(symbol: "NG", tickMicros: 1_000, startTicks: 3_200, dailyTicks: 120, maxSize: 1),
    ]

    /// Monday 2026-12-14 07:00 America/Chicago (CST, UTC−6).
    static let firstDay = Instant(epochSeconds: 1_797_253_200)
    static let dayMillis: Int64 = 86_400_000
    /// 07:00 to 15:58: 8 h 58 min of trading per day.
    static let sessionMillis: Int64 = (8 * 60 + 58) * 60_000
    static let days = 5

    /// The id of account `i`: `A` and a zero-padded number wide enough for the fleet.
    public func accountID(_ i: Int) -> String {
        let digits = max(5, String(accounts).count)
        let n = String(i + 1)
        return "A" + String(repeating: "0", count: digits - n.count) + n
    }

    public func template(of i: Int) -> String {
        var h = Self.mix(seed ^ UInt64(i) &* 0x9E37_79B9_7F4A_7C15) % 10
        for t in Self.templates {
            if h < UInt64(t.tenths) { return t.name }
            h -= UInt64(t.tenths)
        }
        return Self.templates[0].name
    }

    /// The accounts file: one JSON object per line. One account in twelve starts from a state
    /// (a balance off the template's starting balance, and for some a resting order).
    public func accountsFile() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(accounts * 64)
        for i in 0..<accounts {
            let t = template(of: i)
            var line = "{\"account\":\"\(accountID(i))\",\"template\":\"\(t)\""
            let h = Self.mix(seed &+ 0xACC0 &+ UInt64(i))
            if h % 12 == 0 {
                let base: Int64 = t == "eval_50k" ? 50_000 : t == "eval_150k" ? 150_000 : 100_000
                let delta = Int64(h >> 8 % 3_000) - 1_000
                let balance = base + delta
                line += ",\"state\":{\"at\":\"2026-12-14T12:00:00Z\",\"balance\":\(balance).00"
                if h % 24 == 0 {
                    line += ",\"workingOrders\":[{\"id\":\"\(accountID(i))-w0\",\"product\":\"ES\",\"side\":\"buy\",\"qty\":1,\"orderType\":\"limit\",\"price\":5990.00,\"placedAt\":\"2026-12-14T12:00:00Z\"}]"
                }
                line += "}"
            }
            line += "}\n"
            out += Array(line.utf8)
        }
        return out
    }

    /// Per-account generator state: positions by product index, live orders, a counter for ids.
    struct Trader {
        var rng: UInt64
        var product: Int
        var second: Int
        var positions: [Int64]
        var live: [(id: String, product: Int, side: Int64, remaining: Int64, price: Int64, age: Int)] = []
        var nextOrder = 1
    }

    /// Writes the history, `chunk` bytes at a time at most (roughly), through `write`.
    public func history(chunk: Int = 1 << 20, _ write: ([UInt8]) -> Void) {
        let n = accounts
        var traders: [Trader] = (0..<n).map { i in
            var r = Self.mix(seed ^ 0x7EAD_E000 ^ UInt64(i))
            let p = Int(Self.next(&r) % 7)          // NG (index 7) is only ever the second product
            let q = Int(Self.next(&r) % UInt64(Self.products.count))
            return Trader(rng: r, product: p, second: q, positions: Array(repeating: 0, count: Self.products.count))
        }
        var prices = Self.products.map(\.startTicks)
        var priceRng = Self.mix(seed ^ 0x9A1CE)
        let rows = eventsPerAccount
        let rowsPerDay = max(1, rows / Self.days)
        let total = Int64(rows) * Int64(n)
        let weekMillis = Int64(Self.days) * Self.sessionMillis
        // A multiplier coprime with n permutes the accounts of each row.
        var mult = Int(Self.mix(seed ^ 0x5EED) % UInt64(max(n, 1))) | 1
        while gcd(mult, n) != 1 { mult += 2 }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(chunk + 4096)
        var k: Int64 = 0
        for row in 0..<rows {
            // One price step per row for every product.
            for p in prices.indices {
                let v = max(1, Self.products[p].dailyTicks * 10 / Int64(10 * Double(rowsPerDay).squareRoot()))
                let step = Int64(Self.next(&priceRng) % UInt64(2 * v + 1)) - v
                let pull = (prices[p] - Self.products[p].startTicks) / 400
                prices[p] = max(1, prices[p] + step - pull)
            }
            let offset = Int(Self.next(&priceRng) % UInt64(n))
            for pos in 0..<n {
                let account = (pos * mult + offset) % n
                let elapsed = k * weekMillis / total
                let day = elapsed / Self.sessionMillis
                let at = Instant(millis: Self.firstDay.millis + day * Self.dayMillis + elapsed % Self.sessionMillis)
                emit(&traders[account], account: account, at: at, row: row, prices: prices, into: &buffer)
                k += 1
                if buffer.count >= chunk {
                    write(buffer)
                    buffer.removeAll(keepingCapacity: true)
                }
            }
        }
        if !buffer.isEmpty { write(buffer) }
    }

    /// The whole history in memory (examples and tests).
    public func historyFile() -> [UInt8] {
        var all: [UInt8] = []
        history { all += $0 }
        return all
    }

    // MARK: One event

    func emit(_ t: inout Trader, account: Int, at: Instant, row: Int, prices: [Int64], into out: inout [UInt8]) {
        let id = accountID(account)
        let head = "{\"account\":\"\(id)\",\"at\":\"\(at)\","
        for i in t.live.indices { t.live[i].age += 1 }
        // Orders left working too long are cancelled first (keeps every id well inside the
        // engine's memory of ended orders).
        if let stale = t.live.firstIndex(where: { $0.age > 6 }) {
            let o = t.live.remove(at: stale)
            line(&out, head + "\"type\":\"cancel\",\"id\":\"\(o.id)\"}")
            return
        }
        let roll = Self.next(&t.rng) % 1000
        let p = roll % 7 == 0 ? t.second : t.product
        let prod = Self.products[p]
        let price = prices[p]
        func priceText(_ ticks: Int64) -> String {
            Self.decimal(ticks * prod.tickMicros)
        }
        func size() -> Int64 { Int64(Self.next(&t.rng) % UInt64(prod.maxSize)) + 1 }
        func side() -> Int64 {
            let q = t.positions[p]
            if q != 0 && Self.next(&t.rng) % 3 != 0 { return q > 0 ? -1 : 1 }     // mostly trade back toward flat
            return Self.next(&t.rng) % 2 == 0 ? 1 : -1
        }
        func sideText(_ s: Int64) -> String { s > 0 ? "buy" : "sell" }
        switch roll {
        case 0..<330:
            line(&out, head + "\"type\":\"mark\",\"product\":\"\(prod.symbol)\",\"price\":\(priceText(price))}")
        case 330..<480, 480..<530:
            // A resting limit (below the market for a buy) or a stop (above for a buy).
            let stop = roll >= 480
            let s = side(), q = size()
            let away = Int64(Self.next(&t.rng) % 6) + 1
            let px = stop ? price + s * away : price - s * away
            let oid = "\(id)-\(t.nextOrder)"
            t.nextOrder += 1
            t.live.append((oid, p, s, q, px, 0))
            line(&out, head + "\"type\":\"order\",\"id\":\"\(oid)\",\"orderType\":\"\(stop ? "stop" : "limit")\",\"product\":\"\(prod.symbol)\",\"side\":\"\(sideText(s))\",\"qty\":\(q),\"price\":\(priceText(px))}")
        case 530..<630:
            // A market order and its fill at the same instant.
            let s = side(), q = size()
            let oid = "\(id)-\(t.nextOrder)"
            t.nextOrder += 1
            line(&out, head + "\"type\":\"order\",\"id\":\"\(oid)\",\"product\":\"\(prod.symbol)\",\"side\":\"\(sideText(s))\",\"qty\":\(q)}")
            line(&out, head + "\"type\":\"fill\",\"orderId\":\"\(oid)\",\"product\":\"\(prod.symbol)\",\"side\":\"\(sideText(s))\",\"qty\":\(q),\"price\":\(priceText(price)),\"commission\":\(commission(prod, q))}")
            t.positions[p] += s * q
        case 630..<800:
            // A fill of the oldest live order: partial or complete, at its price.
            guard !t.live.isEmpty else {
                line(&out, head + "\"type\":\"mark\",\"product\":\"\(prod.symbol)\",\"price\":\(priceText(price))}")
                return
            }
            var o = t.live[0]
            let q = o.remaining > 1 && Self.next(&t.rng) % 2 == 0 ? o.remaining / 2 : o.remaining
            let sym = Self.products[o.product].symbol
            let text = Self.decimal(o.price * Self.products[o.product].tickMicros)
            line(&out, head + "\"type\":\"fill\",\"orderId\":\"\(o.id)\",\"product\":\"\(sym)\",\"side\":\"\(sideText(o.side))\",\"qty\":\(q),\"price\":\(text),\"commission\":\(commission(Self.products[o.product], q))}")
            t.positions[o.product] += o.side * q
            o.remaining -= q
            if o.remaining == 0 { t.live.removeFirst() } else { t.live[0] = o }
        case 800..<880:
            guard let o = t.live.last else {
                line(&out, head + "\"type\":\"mark\",\"product\":\"\(prod.symbol)\",\"price\":\(priceText(price))}")
                return
            }
            t.live.removeLast()
            line(&out, head + "\"type\":\"cancel\",\"id\":\"\(o.id)\"}")
        case 880..<940:
            // A trade that names no order (booked by the desk), toward flat when there is a position.
            let q = t.positions[p] != 0 ? min(Int64(t.positions[p].magnitude), size()) : size()
            let s: Int64 = t.positions[p] > 0 ? -1 : 1
            line(&out, head + "\"type\":\"fill\",\"product\":\"\(prod.symbol)\",\"side\":\"\(sideText(s))\",\"qty\":\(q),\"price\":\(priceText(price)),\"commission\":\(commission(prod, q))}")
            t.positions[p] += s * q
        case 940..<975:
            line(&out, head + "\"type\":\"order\",\"product\":\"\(prod.symbol)\",\"side\":\"\(sideText(side()))\",\"qty\":\(size())}")
        case 975..<990:
            let amount = Self.next(&t.rng) % 2 == 0 ? "-25.00" : "-4.95"
            line(&out, head + "\"type\":\"cash\",\"amount\":\(amount)}")
        case 990..<995:
            line(&out, head + "\"type\":\"clock\"}")
        case 995..<998:
            let actions = ["LiquidateOnlyModeImmediately", "LockTradingImmediately", "Normal", "LiquidateImmediately"]
            let a = actions[Int(Self.next(&t.rng) % 4)]
            line(&out, head + "\"type\":\"admin\",\"action\":\"\(a)\",\"reasonCode\":\"Other\",\"reason\":\"desk review\"}")
            if a == "LiquidateImmediately" { t.live.removeAll(); for i in t.positions.indices { t.positions[i] = 0 } }
        default:
            let category = ["eval_5_minis", "eval_10_minis"][Int(Self.next(&t.rng) % 2)]
            line(&out, head + "\"type\":\"switch_category\",\"category\":\"\(category)\"}")
        }
    }

    func commission(_ p: Product, _ q: Int64) -> String {
        let cents = (p.symbol.hasPrefix("M") ? 52 : 250) * q   // 0.52 per micro, 2.50 per mini
        return Self.decimal(cents * 10_000)
    }

    func line(_ out: inout [UInt8], _ s: String) {
        out += Array(s.utf8)
        out.append(0x0A)
    }

    /// Micros as a decimal with at least two decimals: 5990250000 -> "5990.25".
    static func decimal(_ micros: Int64) -> String {
        let neg = micros < 0
        let m = micros.magnitude
        var frac = String(m % 1_000_000)
        frac = String(repeating: "0", count: 6 - frac.count) + frac
        while frac.count > 2 && frac.hasSuffix("0") { frac.removeLast() }
        return (neg ? "-" : "") + String(m / 1_000_000) + "." + frac
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func next(_ s: inout UInt64) -> UInt64 {
        s &+= 0x9E37_79B9_7F4A_7C15
        var z = s
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func gcd(_ a: Int, _ b: Int) -> Int { b == 0 ? a : gcd(b, a % b) }
