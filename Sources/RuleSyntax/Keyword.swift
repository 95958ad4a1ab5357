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
        let n = end - start
        guard n >= 2, n <= 18 else { return .none }
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in start..<end { h = (h ^ UInt64(p[i])) &* 0x100_0000_01b3 }
        guard let (k, bytes) = hashTable[h], bytes.count == n else { return .none }
        for i in 0..<n where bytes[i] != p[start + i] { return .none }
        return k
    }

    private static let hashTable: [UInt64: (Keyword, [UInt8])] = {
        var t: [UInt64: (Keyword, [UInt8])] = [:]
        for k in all {
            let b = Array(k.text.utf8)
            var h: UInt64 = 0xcbf2_9ce4_8422_2325
            for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
            t[h] = (k, b)
        }
        return t
    }()
}
