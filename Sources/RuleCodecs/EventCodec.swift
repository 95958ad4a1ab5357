import RuleBase
import RuleJSON
import RuleEngine

/// A malformed event: what is wrong, at a line and column of the events file.
public struct EventError: Error, Sendable, Hashable {
    public var line: Int
    public var column: Int
    public var message: String
    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
    public var description: String { "\(line):\(column): \(message)" }
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
///     {"at":"2026-03-03T15:07:00Z","type":"order","id":"o1","orderType":"limit","product":"ES","side":"buy","qty":2,"price":4990}
///     {"at":"2026-03-03T15:08:00Z","type":"fill","orderId":"o1","product":"ES","side":"buy","qty":1,"price":4990}
///     {"at":"2026-03-03T15:09:00Z","type":"cancel","id":"o1"}
///
/// With `acceptsAccount` (fleet replay) every line may also carry `"account"`, which the
/// router has already read; the decoder skips it.
/// A final class of constants: one per template per thread, passed by reference on the hot path
/// (a struct this size is copied, with a retain per array, wherever a closure captures it).
public final class EventDecoder {
    public let setup: EngineSetup
    public let acceptsAccount: Bool
    let dates = InstantText.DateCache()
    /// Product symbols packed like keys (symbols of up to 7 bytes match in one compare).
    let packedSymbols: [UInt64]

    public init(setup: EngineSetup, acceptsAccount: Bool = false) {
        self.setup = setup
        self.acceptsAccount = acceptsAccount
        self.packedSymbols = setup.symbols.map { s in s.withUnsafeBufferPointer { Self.pack($0) } }
    }

    @inline(__always) func product(_ b: UnsafeBufferPointer<UInt8>) -> Int32? {
        if b.count <= 7 {
            let k = Self.pack(b)
            for (i, p) in packedSymbols.enumerated() where p == k { return Int32(i) }
            return nil
        }
        return setup.product(b)
    }

    public static let types = ["fill", "mark", "admin", "clock", "cash", "order", "cancel", "switch_category", "reset", "payout"]
    public static let orderTypes = ["market", "limit", "stop"]

    private enum T { case fill, mark, admin, clock, cash, order, cancel, switchCategory, reset, payout }

    /// Up to the first seven bytes of a key or value, with its length in the top byte: a
    /// one-compare match for short names (longer ones are confirmed in full).
    @inline(__always) static func pack(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var v = UInt64(truncatingIfNeeded: min(b.count, 255)) << 56
        var k = 0
        while k < 7 && k < b.count {
            v |= UInt64(b[k]) << (8 * UInt64(k))
            k += 1
        }
        return v
    }

    static func pack(_ s: StaticString) -> UInt64 {
        pack(UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    // The packed names, as literals (a computed `static let` would cost a `swift_once` check on
    // every use in the hot loop); `EventDecoderTests` holds each equal to `pack` of its name.
    static let kAt: UInt64 = 0x0200000000007461 // "at"
    static let kType: UInt64 = 0x0400000065707974 // "type"
    static let kProduct: UInt64 = 0x07746375646F7270 // "product"
    static let kQty: UInt64 = 0x0300000000797471 // "qty"
    static let kSide: UInt64 = 0x0400000065646973 // "side"
    static let kPrice: UInt64 = 0x0500006563697270 // "price"
    static let kCommission: UInt64 = 0x0A7373696D6D6F63 // "commission"
    static let kAmount: UInt64 = 0x0600746E756F6D61 // "amount"
    static let kAction: UInt64 = 0x06006E6F69746361 // "action"
    static let kReasonCode: UInt64 = 0x0A436E6F73616572 // "reasonCode"
    static let kReason: UInt64 = 0x06006E6F73616572 // "reason"
    static let kCategory: UInt64 = 0x08726F6765746163 // "category"
    static let kNote: UInt64 = 0x0400000065746F6E // "note"
    static let kID: UInt64 = 0x0200000000006469 // "id"
    static let kOrderID: UInt64 = 0x076449726564726F // "orderId"
    static let kOrderTy: UInt64 = 0x097954726564726F // "orderType" (its first seven bytes and length)
    static let kAccount: UInt64 = 0x07746E756F636361 // "account"
    static let vCancel: UInt64 = 0x06006C65636E6163 // "cancel"
    static let vMarket: UInt64 = 0x060074656B72616D // "market"
    static let vLimit: UInt64 = 0x05000074696D696C // "limit"
    static let vStop: UInt64 = 0x04000000706F7473 // "stop"
    static let vFill: UInt64 = 0x040000006C6C6966 // "fill"
    static let vMark: UInt64 = 0x040000006B72616D // "mark"
    static let vAdmin: UInt64 = 0x0500006E696D6461 // "admin"
    static let vClock: UInt64 = 0x0500006B636F6C63 // "clock"
    static let vCash: UInt64 = 0x0400000068736163 // "cash"
    static let vOrder: UInt64 = 0x050000726564726F // "order"
    static let vSwitch: UInt64 = 0x0F5F686374697773 // "switch_category"
    static let vBuy: UInt64 = 0x0300000000797562 // "buy"
    static let vSell: UInt64 = 0x040000006C6C6573 // "sell"

    /// One event: the flat fast path for the common shapes, else the general scanner (which
    /// also writes every error message).
    @inline(__always)
    public func decode(_ bytes: [UInt8], _ line: JSONLine) throws(EventError) -> Event {
        let fast = bytes.withUnsafeBufferPointer { buf -> Event? in
            guard line.range.lowerBound >= 0, line.range.upperBound <= buf.count else { return nil }
            return decodeFlat(UnsafeBufferPointer(rebasing: buf[line.range]))
        }
        if let e = fast { return e }
        return try decodeGeneral(bytes, line)
    }

    /// The fast path: a flat object of plain keys and values (strings without escapes, control
    /// or non-ASCII bytes; numbers without exponents), of type fill, mark, clock, cash or order
    /// with a known product. Returns nil for anything else, including every malformed or
    /// unusual line, which the general decoder then reads (and reports) exactly as before: both
    /// paths build the same `Event` from the same field functions.
    public func decodeFlat(_ b: UnsafeBufferPointer<UInt8>) -> Event? {
        let n = b.count
        var i = 0
        @inline(__always) func skipSpace() {
            while i < n, b[i] == 0x20 || b[i] == 0x09 || b[i] == 0x0D { i &+= 1 }
        }
        /// The bytes between quotes, or nil (i at the opening quote).
        @inline(__always) func plainString() -> Range<Int>? {
            guard i < n, b[i] == 0x22 else { return nil }
            i &+= 1
            let start = i
            // Eight bytes at a time while none is a quote, a backslash, a control or a
            // non-ASCII byte (each test may flag a clean byte, never miss one: the byte loop
            // below then decides).
            if let base = b.baseAddress {
                let raw = UnsafeRawPointer(base)
                while i &+ 8 <= n {
                    let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                    let q = w ^ 0x2222_2222_2222_2222, bs = w ^ 0x5C5C_5C5C_5C5C_5C5C
                    let hits = ((q &- 0x0101_0101_0101_0101) & ~q) | ((bs &- 0x0101_0101_0101_0101) & ~bs)
                        | ((w &- 0x2020_2020_2020_2020) & ~w) | w
                    if hits & 0x8080_8080_8080_8080 != 0 { break }
                    i &+= 8
                }
            }
            while i < n {
                let c = b[i]
                if c == 0x22 { i &+= 1; return start..<(i &- 1) }
                if c == 0x5C || c < 0x20 || c >= 0x80 { return nil }
                i &+= 1
            }
            return nil
        }
        /// `-?digits(.digits)?` without leading zeros, or nil.
        @inline(__always) func plainNumber() -> Range<Int>? {
            let start = i
            if i < n, b[i] == 0x2D { i &+= 1 }
            let intStart = i
            while i < n, b[i] &- 0x30 < 10 { i &+= 1 }
            if i == intStart || (b[intStart] == 0x30 && i &- intStart > 1) { return nil }
            if i < n, b[i] == 0x2E {
                i &+= 1
                let f = i
                while i < n, b[i] &- 0x30 < 10 { i &+= 1 }
                if i == f { return nil }
            }
            if i < n, b[i] == 0x65 || b[i] == 0x45 { return nil }
            return start..<i
        }
        @inline(__always) func slice(_ r: Range<Int>) -> UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(rebasing: b[r]) }

        skipSpace()
        guard i < n, b[i] == 0x7B else { return nil }
        i &+= 1
        var at: Instant?
        var type: T?
        var product: Int32?, qty: Int64?, side: Int64?, price: Price?, commission: Money?, amount: Money?
        var id: String?, orderID: String?, orderType = OrderType.market
        var seen: UInt32 = 0
        skipSpace()
        if i < n, b[i] == 0x7D { return nil }
        while true {
            skipSpace()
            guard let kr = plainString() else { return nil }
            skipSpace()
            guard i < n, b[i] == 0x3A else { return nil }
            i &+= 1
            skipSpace()
            let key = kr.count <= 7 ? Self.pack(slice(kr)) : 0
            let bit: UInt32
            if key == Self.kAt {
                bit = 1
                guard let v = plainString(), let t = InstantText.parse(slice(v), cache: dates) else { return nil }
                at = t
            } else if key == Self.kType {
                bit = 2
                guard let v = plainString() else { return nil }
                let k = v.count <= 7 ? Self.pack(slice(v)) : 0
                if k == Self.vMark { type = .mark }
                else if k == Self.vFill { type = .fill }
                else if k == Self.vClock { type = .clock }
                else if k == Self.vCash { type = .cash }
                else if k == Self.vOrder { type = .order }
                else if k == Self.vCancel { type = .cancel }
                else { return nil }
            } else if key == Self.kProduct {
                bit = 4
                guard let v = plainString(), let p = self.product(slice(v)) else { return nil }
                product = p
            } else if key == Self.kQty {
                bit = 8
                guard let v = plainNumber(), let q = JSONNumber.decimal(slice(v))?.integerValue, q != 0, q.magnitude <= 1_000_000 else { return nil }
                qty = q
            } else if key == Self.kSide {
                bit = 16
                guard let v = plainString(), v.count <= 7 else { return nil }
                let k = Self.pack(slice(v))
                if k == Self.vBuy { side = 1 } else if k == Self.vSell { side = -1 } else { return nil }
            } else if key == Self.kPrice {
                bit = 32
                guard let v = plainNumber(), let d = JSONNumber.decimal(slice(v)), let p = Price(d) else { return nil }
                price = p
            } else if key == 0 && kr.count == 10 && Self.pack(slice(kr)) == Self.kCommission
                        && b[kr.lowerBound &+ 7] == 0x69 && b[kr.lowerBound &+ 8] == 0x6F && b[kr.lowerBound &+ 9] == 0x6E {  // "commiss" + "ion"
                bit = 64
                guard let v = plainNumber(), let m = JSONNumber.decimal(slice(v)).flatMap({ Money($0) }), m.units >= 0 else { return nil }
                commission = m
            } else if key == Self.kAmount {
                bit = 128
                guard let v = plainNumber(), let m = JSONNumber.decimal(slice(v)).flatMap({ Money($0) }) else { return nil }
                amount = m
            } else if key == Self.kNote {
                bit = 4096
                guard plainString() != nil else { return nil }
            } else if key == Self.kID {
                bit = 8192
                guard let v = plainString(), !v.isEmpty, v.count <= Self.maxIDLength else { return nil }
                id = String(decoding: slice(v), as: UTF8.self)
            } else if key == Self.kOrderID {
                bit = 16384
                guard let v = plainString(), !v.isEmpty, v.count <= Self.maxIDLength else { return nil }
                orderID = String(decoding: slice(v), as: UTF8.self)
            } else if key == 0 && kr.count == 9 && Self.pack(slice(kr)) == Self.kOrderTy
                        && b[kr.lowerBound &+ 7] == 0x70 && b[kr.lowerBound &+ 8] == 0x65 {  // "orderTy" + "pe"
                bit = 32768
                guard let v = plainString(), v.count <= 7 else { return nil }
                let k = Self.pack(slice(v))
                if k == Self.vLimit { orderType = .limit } else if k == Self.vStop { orderType = .stop }
                else if k == Self.vMarket { orderType = .market } else { return nil }
            } else if key == Self.kAccount && acceptsAccount {
                bit = 65536
                guard plainString() != nil else { return nil }
            } else {
                return nil
            }
            if seen & bit != 0 { return nil }
            seen |= bit
            skipSpace()
            guard i < n else { return nil }
            if b[i] == 0x2C { i &+= 1; continue }
            guard b[i] == 0x7D else { return nil }
            i &+= 1
            skipSpace()
            guard i == n else { return nil }
            break
        }
        guard let at, let type else { return nil }
        switch type {
        case .fill, .order:
            guard let p = product, var q = qty else { return nil }
            if let sd = side {
                guard q > 0 else { return nil }
                q = sd > 0 ? q : 0 &- q
            }
            if type == .order {
                guard orderID == nil else { return nil }
                return Event(at: at, .order(OrderRequest(product: p, quantity: q, limitPrice: price, id: id, type: orderType)))
            }
            guard let pr = price, id == nil, seen & 32768 == 0 else { return nil }
            return Event(at: at, .fill(Fill(product: p, quantity: q, price: pr, commission: commission, orderID: orderID)))
        case .mark:
            guard let p = product, let pr = price, seen & (8192 | 16384 | 32768) == 0 else { return nil }
            return Event(at: at, .mark(Mark(product: p, price: pr)))
        case .clock:
            guard seen & (8192 | 16384 | 32768) == 0 else { return nil }
            return Event(at: at, .clock)
        case .cash:
            guard let m = amount, seen & (8192 | 16384 | 32768) == 0 else { return nil }
            return Event(at: at, .cash(m))
        case .cancel:
            guard let id, seen & ~UInt32(1 | 2 | 4096 | 8192 | 65536) == 0 else { return nil }
            return Event(at: at, .cancel(id))
        case .admin, .switchCategory, .reset, .payout:
            return nil
        }
    }

    public func decodeGeneral(_ bytes: [UInt8], _ line: JSONLine) throws(EventError) -> Event {
        var scanner: JSONObjectScanner
        do { scanner = try JSONObjectScanner(bytes, range: line.range, firstLine: line.number) } catch {
            throw EventError(line: error.line, column: error.column, message: error.message)
        }
        var at: Instant?
        var type: T?
        var typeField: JSONField?
        var product: Int32?, qty: Int64?, side: Int64?, price: Price?, commission: Money?, amount: Money?
        var internalAction: String?
        var action: AdminAction.Kind?, reasonCode: AdminAction.ReasonCode?, reason: String?, category: String?
        var id: String?, orderID: String?, orderType: OrderType?
        var idField: JSONField?, orderIDField: JSONField?, orderTypeField: JSONField?
        var seen: UInt32 = 0
        var unknownProduct: JSONField?
        while true {
            let next: JSONField?
            do { next = try scanner.next() } catch { throw EventError(line: error.line, column: error.column, message: error.message) }
            guard let f = next else { break }
            let key = f.keyHasEscapes ? 0 : scanner.withBytes(f.key) { Self.pack($0) }
            if key == Self.kAt || (key == 0 && scanner.key(f, is: "at")) {
                try Self.once(&seen, scanner, line, 1, f)
                let t = f.kind == .string && !f.valueHasEscapes ? scanner.withBytes(f.value) { InstantText.parse($0, cache: dates) } : nil
                guard let t else { throw Self.fail(scanner, line, "`at` must be an ISO-8601 instant with an offset, like \"2026-03-03T15:00:00Z\"", f) }
                at = t
            } else if key == Self.kType || (key == 0 && scanner.key(f, is: "type")) {
                try Self.once(&seen, scanner, line, 2, f)
                typeField = f
                let v = f.kind == .string && !f.valueHasEscapes ? scanner.withBytes(f.value) { Self.pack($0) } : 0
                if v == Self.vMark { type = .mark }
                else if v == Self.vFill { type = .fill }
                else if v == Self.vClock { type = .clock }
                else if v == Self.vAdmin { type = .admin }
                else if v == Self.vCash { type = .cash }
                else if v == Self.vOrder { type = .order }
                else if v == Self.vCancel { type = .cancel }
                else if v == Self.vSwitch && scanner.string(f, is: "switch_category") { type = .switchCategory }
                else if scanner.string(f, is: "mark") { type = .mark }
                else if scanner.string(f, is: "fill") { type = .fill }
                else if scanner.string(f, is: "clock") { type = .clock }
                else if scanner.string(f, is: "admin") { type = .admin }
                else if scanner.string(f, is: "cash") { type = .cash }
                else if scanner.string(f, is: "order") { type = .order }
                else if scanner.string(f, is: "cancel") { type = .cancel }
                else if scanner.string(f, is: "reset") { type = .reset }
                else if scanner.string(f, is: "payout") { type = .payout }
                else {
                    let given = scanner.string(f) ?? "\(f.kind)"
                    let near = Suggestion.closest(to: given, among: Self.types).map { "; did you mean `\($0)`?" } ?? ""
                    throw Self.fail(scanner, line, "unknown event type `\(given)`\(near)", f)
                }
            } else if key == Self.kProduct || (key == 0 && scanner.key(f, is: "product")) {
                try Self.once(&seen, scanner, line, 4, f)
                guard f.kind == .string else { throw Self.fail(scanner, line, "`product` must be a string", f) }
                product = scanner.withBytes(f.value) { self.product($0) }
                if product == nil, f.valueHasEscapes, let s = scanner.string(f) { product = setup.product(s) }
                // An order for an unknown product is the check's to reject (UNKNOWN_PRODUCT); for
                // every other event type it is an input error, raised once the type is known.
                if product == nil { unknownProduct = f }
            } else if key == Self.kQty || (key == 0 && scanner.key(f, is: "qty")) {
                try Self.once(&seen, scanner, line, 8, f)
                guard let q = scanner.int64(f), q != 0, q.magnitude <= 1_000_000 else {
                    throw Self.fail(scanner, line, "`qty` must be a whole number of contracts, 1 to 1,000,000 (negative for a sell without `side`)", f)
                }
                qty = q
            } else if key == Self.kSide || (key == 0 && scanner.key(f, is: "side")) {
                try Self.once(&seen, scanner, line, 16, f)
                let v = f.kind == .string && !f.valueHasEscapes ? scanner.withBytes(f.value) { Self.pack($0) } : 0
                if v == Self.vBuy || scanner.string(f, is: "buy") || scanner.string(f, is: "Buy") { side = 1 }
                else if v == Self.vSell { side = -1 }
                else if scanner.string(f, is: "sell") || scanner.string(f, is: "Sell") { side = -1 }
                else { throw Self.fail(scanner, line, "`side` must be \"buy\" or \"sell\"", f) }
            } else if key == Self.kPrice || (key == 0 && scanner.key(f, is: "price")) {
                try Self.once(&seen, scanner, line, 32, f)
                guard let d = f.kind == .string ? scanner.string(f).flatMap(DecimalNumber.init) : scanner.decimal(f),
                      let p = Price(d) else {
                    throw Self.fail(scanner, line, "`price` must be a decimal number with at most 6 decimals, within ±10,000,000", f)
                }
                price = p
            } else if (key == Self.kCommission || key == 0) && scanner.key(f, is: "commission") {
                try Self.once(&seen, scanner, line, 64, f)
                guard let m = scanner.money(f), m.units >= 0 else { throw Self.fail(scanner, line, "`commission` must be money ≥ 0 with at most 4 decimals", f) }
                commission = m
            } else if key == Self.kAmount || (key == 0 && scanner.key(f, is: "amount")) {
                try Self.once(&seen, scanner, line, 128, f)
                guard let m = scanner.money(f) else { throw Self.fail(scanner, line, "`amount` must be money with at most 4 decimals", f) }
                amount = m
            } else if key == Self.kAction || (key == 0 && scanner.key(f, is: "action")) {
                try Self.once(&seen, scanner, line, 256, f)
                let s = scanner.string(f) ?? ""
                // An internal value is a well-formed call the broker refuses: an
                // `admin_rejected` decision, not a bad line.
                if AdminAction.Kind.internalNames.contains(s) {
                    internalAction = s
                    action = .normal
                } else {
                    guard let k = AdminAction.Kind(name: s) else {
                        throw Self.fail(scanner, line, "unknown admin action `\(s)`; expected Normal, LockTradingImmediately, LiquidateImmediately or LiquidateOnlyModeImmediately", f)
                    }
                    action = k
                }
            } else if (key == Self.kReasonCode || key == 0) && scanner.key(f, is: "reasonCode") {
                try Self.once(&seen, scanner, line, 512, f)
                let s = scanner.string(f) ?? ""
                guard let c = AdminAction.ReasonCode(name: s) else {
                    let near = Suggestion.closest(to: s, among: AdminAction.ReasonCode.allCases.map(\.description)).map { "; did you mean `\($0)`?" } ?? ""
                    throw Self.fail(scanner, line, "unknown reason code `\(s)`\(near)", f)
                }
                reasonCode = c
            } else if key == Self.kReason || (key == 0 && scanner.key(f, is: "reason")) {
                try Self.once(&seen, scanner, line, 1024, f)
                guard f.kind == .string || f.kind == .null else { throw Self.fail(scanner, line, "`reason` must be a string", f) }
                reason = scanner.string(f)
            } else if (key == Self.kCategory || key == 0) && scanner.key(f, is: "category") {
                try Self.once(&seen, scanner, line, 2048, f)
                guard let s = scanner.string(f) else { throw Self.fail(scanner, line, "`category` must be a string", f) }
                category = s
            } else if key == Self.kNote || (key == 0 && scanner.key(f, is: "note")) {
                try Self.once(&seen, scanner, line, 4096, f)
            } else if key == Self.kID || (key == 0 && scanner.key(f, is: "id")) {
                try Self.once(&seen, scanner, line, 8192, f)
                id = try Self.identifier(scanner, line, f, "id")
                idField = f
            } else if key == Self.kOrderID || (key == 0 && scanner.key(f, is: "orderId")) {
                try Self.once(&seen, scanner, line, 16384, f)
                orderID = try Self.identifier(scanner, line, f, "orderId")
                orderIDField = f
            } else if scanner.key(f, is: "orderType") {
                try Self.once(&seen, scanner, line, 32768, f)
                let s = scanner.string(f) ?? ""
                guard let t = OrderType.allCases.first(where: { $0.description == s }) else {
                    throw Self.fail(scanner, line, "`orderType` must be \"market\", \"limit\" or \"stop\"", f)
                }
                orderType = t
                orderTypeField = f
            } else if acceptsAccount && (key == Self.kAccount || (key == 0 && scanner.key(f, is: "account"))) {
                try Self.once(&seen, scanner, line, 65536, f)
            } else {
                throw Self.fail(scanner, line, "unknown field `\(scanner.keyString(f))`", f)
            }
        }
        guard let at else { throw Self.fail(scanner, line, "missing `at`", nil) }
        guard let type else { throw Self.fail(scanner, line, "missing `type` (one of \(Self.types.joined(separator: ", ")))", nil) }
        let typeName = type
        // Lifecycle fields belong to their event types.
        if let f = idField, type != .order && type != .cancel {
            throw Self.fail(scanner, line, "`id` names an order or the order a cancel takes out; a fill names its order with `orderId`", f)
        }
        if let f = orderIDField, type != .fill { throw Self.fail(scanner, line, "`orderId` belongs to a fill", f) }
        if let f = orderTypeField, type != .order { throw Self.fail(scanner, line, "`orderType` belongs to an order", f) }
        if let f = unknownProduct {
            let s = scanner.string(f) ?? ""
            if type == .order {
                guard let q = qty else { throw Self.missing(scanner, line, typeName, "qty", typeField) }
                guard side.map({ _ in q > 0 }) ?? true else { throw Self.fail(scanner, line, "`qty` must be positive when `side` is given", typeField) }
                return Event(at: at, .order(OrderRequest(product: Order.unknownProduct, quantity: q * (side ?? 1), limitPrice: price,
                                                         unknownSymbol: s, id: id, type: orderType ?? .market)))
            }
            let near = Suggestion.closest(to: s, among: setup.graph.products.map(\.symbol)).map { "; did you mean `\($0)`?" } ?? ""
            throw Self.fail(scanner, line, "unknown product `\(s)`\(near)", f)
        }
        switch type {
        case .fill, .order:
            guard let p = product else { throw Self.missing(scanner, line, typeName, "product", typeField) }
            guard var q = qty else { throw Self.missing(scanner, line, typeName, "qty", typeField) }
            if let sd = side {
                guard q > 0 else { throw Self.fail(scanner, line, "`qty` must be positive when `side` is given", typeField) }
                q *= sd
            }
            if type == .order {
                return Event(at: at, .order(OrderRequest(product: p, quantity: q, limitPrice: price, id: id, type: orderType ?? .market)))
            }
            guard let pr = price else { throw Self.missing(scanner, line, typeName, "price", typeField) }
            return Event(at: at, .fill(Fill(product: p, quantity: q, price: pr, commission: commission, orderID: orderID)))
        case .cancel:
            guard let id else { throw Self.missing(scanner, line, typeName, "id", typeField) }
            return Event(at: at, .cancel(id))
        case .mark:
            guard let p = product else { throw Self.missing(scanner, line, typeName, "product", typeField) }
            guard let pr = price else { throw Self.missing(scanner, line, typeName, "price", typeField) }
            return Event(at: at, .mark(Mark(product: p, price: pr)))
        case .admin:
            guard let a = action else { throw Self.missing(scanner, line, typeName, "action", typeField) }
            guard let c = reasonCode else { throw Self.missing(scanner, line, typeName, "reasonCode", typeField) }
            if let name = internalAction { return Event(at: at, .admin(AdminAction(internal: name, reasonCode: c, reason: reason))) }
            return Event(at: at, .admin(AdminAction(a, reasonCode: c, reason: reason)))
        case .clock:
            return Event(at: at, .clock)
        case .cash:
            guard let m = amount else { throw Self.missing(scanner, line, typeName, "amount", typeField) }
            return Event(at: at, .cash(m))
        case .switchCategory:
            guard let c = category else { throw Self.missing(scanner, line, typeName, "category", typeField) }
            return Event(at: at, .switchCategory(c))
        case .reset:
            guard let m = amount else { throw Self.missing(scanner, line, typeName, "amount", typeField) }
            guard m.units > 0 else { throw Self.fail(scanner, line, "a `reset` event's `amount` (the new balance) must be positive", typeField) }
            return Event(at: at, .reset(m))
        case .payout:
            guard let m = amount else { throw Self.missing(scanner, line, typeName, "amount", typeField) }
            guard m.units > 0 else { throw Self.fail(scanner, line, "a `payout` amount must be greater than zero", typeField) }
            return Event(at: at, .payout(m))
        }
    }

    @inline(never)
    private static func missing(_ scanner: borrowing JSONObjectScanner, _ line: JSONLine, _ type: T, _ name: String,
                                _ f: JSONField?) -> EventError {
        let names: [T: String] = [.fill: "fill", .mark: "mark", .admin: "admin", .clock: "clock", .cash: "cash",
                                  .order: "order", .cancel: "cancel", .switchCategory: "switch_category", .reset: "reset",
                                  .payout: "payout"]
        return fail(scanner, line, "a `\(names[type] ?? "")` event needs `\(name)`", f)
    }

    /// Order ids are 1 to 128 bytes.
    public static let maxIDLength = 128

    static func identifier(_ scanner: borrowing JSONObjectScanner, _ line: JSONLine, _ f: JSONField, _ name: String) throws(EventError) -> String {
        guard f.kind == .string, let s = scanner.string(f), !s.isEmpty, s.utf8.count <= maxIDLength else {
            throw fail(scanner, line, "`\(name)` must be a non-empty string of at most \(maxIDLength) bytes", f)
        }
        return s
    }

    @inline(never)
    static func fail(_ scanner: borrowing JSONObjectScanner, _ line: JSONLine, _ message: String, _ f: JSONField?) -> EventError {
        let e = scanner.error(message, at: f?.key.lowerBound.advanced(by: -1) ?? line.range.lowerBound)
        return EventError(line: e.line, column: e.column, message: message)
    }

    @inline(__always)
    static func once(_ seen: inout UInt32, _ scanner: borrowing JSONObjectScanner, _ line: JSONLine, _ bit: UInt32,
                     _ f: JSONField) throws(EventError) {
        if seen & bit != 0 { throw fail(scanner, line, "duplicate field `\(scanner.keyString(f))`", f) }
        seen |= bit
    }

}
