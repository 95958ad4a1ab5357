import RuleTestSupport

/// Writes random rulebooks that parse without errors: random declarations and settings
/// (known and unknown), literals in every accepted spelling, random spacing, blank lines, `;`,
/// one-line blocks and comments wherever a line may end.
struct RulebookGenerator {
    var rng: SplitMix64

    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// An item before layout: a name, value spellings and an optional block.
    struct Node {
        var name: String
        var values: [String]
        var block: [Node]?
    }

    // MARK: Structure

    mutating func file() -> String {
        var top: [Node] = []
        for _ in 0..<int(0...6) { top.append(declaration()) }
        var out = ""
        if chance(0.3) { out += comment() + "\n" + (chance(0.5) ? "\n" : "") }
        write(top, depth: 0, into: &out)
        if chance(0.3) { out += (chance(0.5) ? "\n" : "") + comment() + (chance(0.5) ? "\n" : "") }
        return out
    }

    mutating func declaration() -> Node {
        switch int(0...7) {
        case 0: return Node(name: "import", values: [string()], block: nil)
        case 1: return Node(name: "calendar", values: [ident()], block: many(0...7) { $0.calendarSetting() })
        case 2: return Node(name: "product", values: [chance(0.2) ? "\"M2K\"" : ident()],
                            block: many(0...5) { $0.productSetting() })
        case 3: return Node(name: "time_period", values: [ident()], block: many(0...5) { $0.periodSetting() })
        case 4: return Node(name: "risk_category", values: [ident()], block: many(0...5) { $0.categorySetting() })
        case 5: return Node(name: ident(), values: many(0...2) { $0.anyValue() },
                            block: chance(0.5) ? many(0...3) { $0.unknownSetting() } : nil)
        default:
            return Node(name: "template", values: [ident()] + (chance(0.5) ? ["extends", ident()] : []),
                        block: many(0...9) { $0.templateSetting() })
        }
    }

    mutating func calendarSetting() -> Node {
        switch int(0...6) {
        case 0: return Node(name: "timezone", values: ["\"America/Chicago\""], block: nil)
        case 1: return Node(name: "trading_day_starts", values: [time()], block: nil)
        case 2: return Node(name: "week_starts", values: [pick(["sunday", "monday"]), time()], block: nil)
        case 3: return Node(name: "end_of_day", values: [time()], block: nil)
        case 4: return Node(name: "holiday", values: [date()], block: nil)
        case 5: return Node(name: "early_close", values: [date(), time()], block: nil)
        default: return unknownSetting()
        }
    }

    mutating func productSetting() -> Node {
        switch int(0...5) {
        case 0: return Node(name: "description", values: [string()], block: nil)
        case 1: return Node(name: "point_value", values: [money()], block: nil)
        case 2: return Node(name: "tick", values: [number()], block: nil)
        case 3: return Node(name: "day_margin", values: [money()], block: nil)
        case 4: return Node(name: "overnight_margin", values: [money()], block: nil)
        default: return unknownSetting()
        }
    }

    mutating func periodSetting() -> Node {
        switch int(0...3) {
        case 0: return Node(name: "start", values: [time()], block: nil)
        case 1: return Node(name: "stop", values: [time()], block: nil)
        case 2:
            let parts = pick([["start", time()], ["stop", time()], ["start", time(), "stop", time()]])
            return Node(name: "on", values: [date()] + parts, block: nil)
        default: return unknownSetting()
        }
    }

    mutating func categorySetting() -> Node {
        switch int(0...5) {
        case 0, 1, 2:
            return Node(name: pick(["max_position", "max_long", "max_short"]), values: [product(), count()], block: nil)
        case 3: return Node(name: "restrict", values: many(1...4) { $0.product() }, block: nil)
        case 4:
            return Node(name: "max_group", values: [ident(), count()],
                        block: many(0...4) { g in Node(name: g.product(), values: [g.number()], block: nil) })
        default: return unknownSetting()
        }
    }

    mutating func templateSetting() -> Node {
        switch int(0...9) {
        case 0: return Node(name: pick(["calendar", "time_period", "risk_category"]), values: [ident()], block: nil)
        case 1: return Node(name: "starting_balance", values: [money()], block: nil)
        case 2, 3, 4:
            return Node(name: pick(["alert", "liquidate_only", "auto_liquidate"]), values: [],
                        block: many(0...6) { $0.threshold() })
        case 5:
            return Node(name: "trailing_drawdown", values: [money()],
                        block: chance(0.5) ? many(0...3) { t in
                            t.chance(0.5) ? Node(name: "mode", values: [t.pick(["end_of_day", "real_time"])], block: nil)
                                : Node(name: "stop_trailing_at", values: [t.money()], block: nil)
                        } : nil)
        case 6: return Node(name: "flatten_at", values: [dateTime()], block: nil)
        case 7: return Node(name: "do_not_unlock", values: [], block: nil)
        default: return unknownSetting()
        }
    }

    mutating func threshold() -> Node {
        if chance(0.1) { return unknownSetting() }
        let name = pick(["daily_loss", "weekly_loss", "daily_profit", "weekly_profit", "margin"])
        return Node(name: name, values: [name == "margin" || chance(0.5) ? percent() : money()], block: nil)
    }

    mutating func unknownSetting() -> Node {
        let name = chance(0.1) ? "\"quoted name\"" : ident()
        return Node(name: name, values: many(0...3) { $0.anyValue() },
                    block: chance(0.15) ? many(0...3) { $0.unknownSetting() } : nil)
    }

    // MARK: Literals, in every accepted spelling

    mutating func anyValue() -> String {
        switch int(0...10) {
        case 0: return money()
        case 1: return number()
        case 2: return percent()
        case 3: return count()
        case 4: return time()
        case 5: return date()
        case 6: return dateTime()
        case 7: return string()
        case 8: return pick(["sunday", "end_of_day", "real_time", "mode"])
        case 9: return "\(int(0...99)), " + pick(["USD", "contracts", "contract"]) // must keep its comma
        default: return ident()
        }
    }

    mutating func digits(_ value: Int) -> String {
        let plain = String(value)
        guard plain.count > 3 else { return plain }
        switch int(0...2) {
        case 0: return plain
        case 1: // thousands groups
            var out = ""
            for (i, ch) in plain.enumerated() {
                if i > 0 && (plain.count - i) % 3 == 0 { out.append("_") }
                out.append(ch)
            }
            return out
        default: // an odd but valid grouping
            return String(plain.dropLast(2)) + "_" + String(plain.suffix(2))
        }
    }

    mutating func decimal(maxFraction: Int) -> String {
        let whole = pick([0, 1, 5, 25, 500, 1_000, 2_500, 13_200, 50_000, 150_000, 1_234_567])
        var text = digits(whole)
        if chance(0.4) {
            let places = int(1...maxFraction)
            var fraction = ""
            for _ in 0..<places { fraction += String(int(0...9)) }
            if chance(0.3) { fraction += "0" } // a trailing zero the formatter drops
            if fraction.count <= maxFraction { text += "." + fraction }
        }
        return text
    }

    mutating func money() -> String { decimal(maxFraction: 4) + pick([" USD", "USD", "  USD", "\tUSD"]) }
    mutating func number() -> String { decimal(maxFraction: 6) }
    mutating func percent() -> String { decimal(maxFraction: 3) + "%" }
    mutating func count() -> String {
        let n = pick([0, 1, 2, 5, 15, 1_500])
        return chance(0.3) ? String(n) : digits(n) + pick([" contracts", " contract", "contracts"])
    }
    mutating func time() -> String {
        let h = int(0...23), m = int(0...59)
        let hour = h < 10 && chance(0.5) ? String(h) : (h < 10 ? "0\(h)" : String(h))
        let minute = m < 10 ? "0\(m)" : String(m)
        let second = chance(0.2) ? ":" + pick(["00", "30", "59"]) : ""
        return "\(hour):\(minute)\(second)"
    }
    mutating func date() -> String {
        let y = int(1999...2030), m = int(1...12), d = int(1...28)
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }
    mutating func dateTime() -> String {
        date() + "T" + time() + pick(["", "Z", "-06:00", "+05:30", "+00:00", "-00:00"])
    }
    mutating func string() -> String {
        pick(["\"firm/base.rules\"", "\"America/Chicago\"", "\"E-mini S&P 500\"", "\"with \\\"escapes\\\" \\\\ \\t\"",
              "\"\"", "\"# not a comment\"", "\"{ braces }\""])
    }
    mutating func ident() -> String {
        pick(["eval_50k", "firm_base", "cme_globex", "cme_close", "eval_5_minis", "x", "colour", "blue", "T09"])
    }
    mutating func product() -> String { pick(["ES", "MES", "NQ", "M2K", "\"6E\"", "CL"]) }

    mutating func comment() -> String {
        pick(["# note", "#tight", "## doubled", "# with \"quotes\" and { braces } ; and # hashes", "#",
              "# trailing spaces   ", "#\ttab"])
    }

    // MARK: Layout

    /// Writes items with random spacing, separators, blank lines and comments. Every comment
    /// is followed by a line break, and every `}` by a terminator, so the text always parses.
    mutating func write(_ items: [Node], depth: Int, into out: inout String) {
        for (n, item) in items.enumerated() {
            out += item.name
            for (k, v) in item.values.enumerated() {
                out += k > 0 && chance(0.2) ? pick([",", ", ", " ,"]) : space()
                out += v
            }
            if let block = item.block {
                out += pick([" {", "{", "  {"])
                if block.isEmpty || chance(0.3) {
                    // One-line block (it may still break where a comment ends a line).
                    out += space()
                    writeInline(block, depth: depth + 1, into: &out)
                    out += space() + "}"
                } else {
                    lineBreak(depth: depth + 1, into: &out)
                    write(block, depth: depth + 1, into: &out)
                    lineBreak(depth: depth, into: &out)
                    out += "}"
                }
            }
            if n + 1 < items.count {
                // Every item needs a terminator: `;` on the same line, or a line break.
                if chance(0.15) {
                    out += pick([";", "; ", " ;", ";\t"])
                } else {
                    if chance(0.15) { out += pick([";", " ;"]) }
                    lineBreak(depth: depth, into: &out)
                }
            } else if depth == 0 {
                if chance(0.8) { out += "\n" }
            }
        }
    }

    /// Items separated by `;` on one line, with an occasional comment and line break.
    mutating func writeInline(_ items: [Node], depth: Int, into out: inout String) {
        for (n, item) in items.enumerated() {
            write([item], depth: depth, into: &out)
            if n + 1 < items.count || chance(0.3) {
                out += pick([";", "; ", " ; "])
                if chance(0.1) { out += " " + comment() + "\n" }
            }
        }
    }

    /// A line break with an optional end-of-line comment, then optional blank and comment
    /// lines, then indentation (sometimes wrong, which the formatter fixes).
    mutating func lineBreak(depth: Int, into out: inout String) {
        if chance(0.2) { out += pick([" ", "  ", ""]) + comment() }
        out += pick(["\n", "\n", "\n", "\r\n"])
        for _ in 0..<int(0...2) {
            if chance(0.5) { out += String(repeating: " ", count: int(0...4)) + comment() }
            out += "\n"
        }
        out += chance(0.8) ? String(repeating: "  ", count: depth) : pick(["", "\t", "     "])
    }

    mutating func space() -> String { pick([" ", " ", " ", "  ", "\t"]) }

    // MARK: Randomness

    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
    mutating func many<T>(_ r: ClosedRange<Int>, _ make: (inout RulebookGenerator) -> T) -> [T] {
        var out: [T] = []
        for _ in 0..<int(r) { out.append(make(&self)) }
        return out
    }
}
