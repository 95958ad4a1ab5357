/// Every reserved word of the rulebook language. `grammar.ebnf` lists the same set; a test
/// keeps the two in step.
public enum Keyword: UInt8, CaseIterable, Sendable, CustomStringConvertible {
    case none = 0
    // declarations
    case `import`, calendar, product, timePeriod, riskCategory, template, extends
    // calendar settings
    case timezone, tradingDayStarts, weekStarts, endOfDay, holiday, earlyClose
    case sunday, monday, tuesday, wednesday, thursday, friday, saturday
    // product settings
    case description, pointValue, tick, dayMargin, overnightMargin
    // time period settings
    case start, stop, on
    // risk category settings
    case maxPosition, maxLong, maxShort, maxGroup, restrict
    // template settings
    case startingBalance, alert, liquidateOnly, autoLiquidate
    case dailyLoss, weeklyLoss, dailyProfit, weeklyProfit, margin
    case trailingDrawdown, mode, realTime, stopTrailingAt, flattenAt, doNotUnlock
    // units
    case usd, contracts, contract
    // rulebook tests (`*.test.rules`): declaration, starting state, events, expectations
    case test, expect, at
    case balance, dayStart, weekStart, highWaterMark, commission, position, long, short, flat
    case fill, mark, order, admin, clock, cash, fee, switchCategory, buy, sell
    case normal, locked, no, liquidated, flattened, accepted, rejected, unlocks, never, manual
    case trailingLevel, netLiq
    // rulebook tests: the order lifecycle (working orders, cancels, refusals)
    case market, limit, working, remaining, cancel, cancelled, refused
    // rulebook tests: review expectations (admin outcomes, releases, trade date) and the reset event
    case applied, released, tradeDate, nothing, realized, reset
    // firm rules (issue 13): evaluation objectives, scaling plan, news windows, flat-by, open loss
    case objectives, profitTarget, minTradingDays, winningDays, atLeast, consistency
    case scalingPlan, maxContracts, above
    case newsWindows, news, before, after, minutes, minute, flattenPositions
    case flatBy, maxPositionLoss
    // rulebook tests: the evaluation status and objectives met so far
    case status, inProgress, passed, failed, met, tradingDays
    // firm rules: payouts (a withdrawal of profit, checked against the payout conditions)
    case payout

    /// The spelling in rulebooks.
    public var text: String { Keyword.spellings[Int(rawValue)] }
    public var description: String { text }

    // INVARIANT: one spelling per case, in declaration order (a test checks the round trip).
    private static let spellings: [String] = [
        "",
        "import", "calendar", "product", "time_period", "risk_category", "template", "extends",
        "timezone", "trading_day_starts", "week_starts", "end_of_day", "holiday", "early_close",
        "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
        "description", "point_value", "tick", "day_margin", "overnight_margin",
        "start", "stop", "on",
        "max_position", "max_long", "max_short", "max_group", "restrict",
        "starting_balance", "alert", "liquidate_only", "auto_liquidate",
        "daily_loss", "weekly_loss", "daily_profit", "weekly_profit", "margin",
        "trailing_drawdown", "mode", "real_time", "stop_trailing_at", "flatten_at", "do_not_unlock",
        "USD", "contracts", "contract",
        "test", "expect", "at",
        "balance", "day_start", "week_start", "high_water_mark", "commission", "position", "long", "short", "flat",
        "fill", "mark", "order", "admin", "clock", "cash", "fee", "switch_category", "buy", "sell",
        "normal", "locked", "no", "liquidated", "flattened", "accepted", "rejected", "unlocks", "never", "manual",
        "trailing_level", "net_liq",
        "market", "limit", "working", "remaining", "cancel", "cancelled", "refused",
        "applied", "released", "trade_date", "nothing", "realized", "reset",
        "objectives", "profit_target", "min_trading_days", "winning_days", "at_least", "consistency",
        "scaling_plan", "max_contracts", "above",
        "news_windows", "news", "before", "after", "minutes", "minute", "flatten_positions",
        "flat_by", "max_position_loss",
        "status", "in_progress", "passed", "failed", "met", "trading_days",
        "payout",
    ]

    /// Every keyword spelling, for tests and suggestions.
    public static let all: [Keyword] = allCases.filter { $0 != .none }

    private static let table: [String: Keyword] = {
        var t: [String: Keyword] = [:]
        for k in all { t[k.text] = k }
        return t
    }()

    /// Looks a word up; `.none` when it is not a keyword.
    public static func lookup(_ word: String) -> Keyword { table[word] ?? .none }

    /// Looks up raw bytes without building a String on the common path.
    @inline(__always)
    static func lookup(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Keyword {
        var h = hashSeed
        for i in start..<end { h = hashStep(h, p[i]) }
        return lookup(hash: h, p, start, end)
    }

    /// The same, with the FNV-1a hash of the bytes already taken (`hashSeed`, `hashStep`).
    @inline(__always)
    static func lookup(hash h: UInt64, _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Keyword {
        let n = end - start
        guard n >= 2, n <= KeywordTable.maxLength else { return .none }
        return KeywordTable.shared.find(hash: h, p, start, n)
    }

    static let hashSeed: UInt64 = 0xcbf2_9ce4_8422_2325
    @inline(__always) static func hashStep(_ h: UInt64, _ b: UInt8) -> UInt64 { (h ^ UInt64(b)) &* 0x100_0000_01b3 }
}

/// Open-addressing table of keyword spellings keyed by FNV-1a, probed without Swift's
/// `Hasher`: the lexer looks up every word, so this is on the hot path.
struct KeywordTable: Sendable {
    static let maxLength = 18
    static let size = 256
    static let shared = KeywordTable()

    /// Per slot: the full hash (0 = empty), the keyword, and its spelling's offset in `bytes`.
    private var hashes = [UInt64](repeating: 0, count: size)
    private var keywords = [Keyword](repeating: .none, count: size)
    private var offsets = [Int](repeating: 0, count: size)
    private var lengths = [Int](repeating: 0, count: size)
    private var bytes: [UInt8] = []

    private init() {
        for k in Keyword.all {
            let b = Array(k.text.utf8)
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
            var slot = Int(h & UInt64(Self.size - 1))
            while hashes[slot] != 0 { slot = (slot + 1) & (Self.size - 1) }
            hashes[slot] = h
            keywords[slot] = k
            offsets[slot] = bytes.count
            lengths[slot] = b.count
            bytes += b
        }
    }

    @inline(__always)
    func find(hash h: UInt64, _ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ n: Int) -> Keyword {
        var slot = Int(h & UInt64(Self.size - 1))
        while true {
            let stored = hashes[slot]
            if stored == 0 { return .none }
            if stored == h && lengths[slot] == n {
                let off = offsets[slot]
                for i in 0..<n where bytes[off + i] != p[start + i] { return .none }
                return keywords[slot]
            }
            slot = (slot + 1) & (Self.size - 1)
        }
    }
}
