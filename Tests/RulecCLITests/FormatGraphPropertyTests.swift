import RuleBase
import RuleFormat
import RuleGraph
import RuleSemantics
import Testing
import RuleTestSupport

/// `rulec fmt` promises more than a stable layout: the formatted rulebook must mean the same,
/// down to the rule graph every template lowers to. These rulebooks are random but valid:
/// every kind of definition, every tier, metric and unit, `extends` chains, overrides, groups,
/// written in random layouts (comments, blank lines, `;`, one-line blocks, shuffled settings
/// where order carries no meaning).
@Suite struct FormatGraphPropertyTests {
    static let seed: UInt64 = 0x5EED_F0_2026
    static let count = 2_500

    @Test func formattingPreservesTheRuleGraph() {
        var generator = ValidRulebookGenerator(seed: Self.seed)
        var failures = 0
        for n in 0..<Self.count {
            let (text, catalog) = generator.rulebook()
            let files = catalog.map { ["std/catalog.rules": $0] } ?? [:]
            if let problem = Self.problem(text, files: files) {
                failures += 1
                Issue.record("rulebook #\(n): \(problem)\n--- input ---\n\(text)")
                if failures >= 3 { return }
            }
        }
    }

    /// What is wrong with formatting `text`, or nil when the format keeps its meaning.
    static func problem(_ text: String, files: [String: String]) -> String? {
        let (before, beforeDiags) = Checker.check(source: text, path: "main.rules", files: files)
        let errors = beforeDiags.filter { $0.severity == .error }
        if !errors.isEmpty {
            return "the generated rulebook does not check:\n" + DiagnosticRenderer(color: false).render(errors, sources: before.sources)
        }
        let result = RuleFormat.Formatter.format(text, path: "main.rules")
        guard result.status == .formatted, let formatted = result.text else {
            return "the formatter refused it: \(result.status) \(result.diagnostics.map(\.message))"
        }
        let (after, afterDiags) = Checker.check(source: formatted, path: "main.rules", files: files)
        let afterErrors = afterDiags.filter { $0.severity == .error }
        if !afterErrors.isEmpty {
            return "the formatted rulebook does not check:\n"
                + DiagnosticRenderer(color: false).render(afterErrors, sources: after.sources) + "\n--- formatted ---\n" + formatted
        }
        let a = Lowering.lower(before), b = Lowering.lower(after)
        guard a.count == b.count else { return "\(a.count) templates before formatting, \(b.count) after" }
        for (x, y) in zip(a, b) where !x.sameMeaning(as: y) {
            return "template `\(x.template)` lowers to another graph after formatting\n--- formatted ---\n\(formatted)"
        }
        let again = RuleFormat.Formatter.format(formatted, path: "main.rules")
        guard again.text == formatted, !again.changed else {
            return "formatting is not idempotent\n--- once ---\n\(formatted)\n--- twice ---\n\(again.text ?? "nil")"
        }
        return nil
    }

    /// The generator's own promise: what it writes checks without errors, with and without
    /// the imported catalog, across every construct (a property test that passes because the
    /// generator writes nothing would prove nothing).
    @Test func generatorCoversEveryConstruct() {
        var generator = ValidRulebookGenerator(seed: Self.seed)
        var all = ""
        for _ in 0..<200 { all += generator.rulebook().main }
        for construct in ["calendar ", "product ", "time_period ", "risk_category ", "template ", " extends ",
                          "timezone", "trading_day_starts", "week_starts", "end_of_day", "holiday", "early_close",
                          "description", "point_value", "tick", "day_margin", "overnight_margin",
                          "start", "stop", "on ", "max_position", "max_long", "max_short", "restrict", "max_group",
                          "starting_balance", "alert", "liquidate_only", "auto_liquidate",
                          "daily_loss", "weekly_loss", "daily_profit", "weekly_profit", "margin",
                          "trailing_drawdown", "mode end_of_day", "mode real_time", "stop_trailing_at",
                          "flatten_at", "do_not_unlock", "import ", "#", ";", "\n\n", "USD", "%", "contracts", "\"6E\""] {
            #expect(all.contains(construct), "no `\(construct)` in 200 generated rulebooks")
        }
    }
}


/// Writes random rulebooks that check without errors (lints aside): names are declared before
/// they are used, each setting appears once per block, products are limited or restricted at
/// most once per category, templates extend earlier templates only, values are in range.
struct ValidRulebookGenerator {
    var rng: SplitMix64
    init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// An item before layout. `ordered` blocks keep their items' order; the others are
    /// shuffled, as a person might write them.
    struct Node {
        var name: String
        var values: [String]
        var block: [Node]?
        var ordered = false
    }

    /// The main rulebook, and sometimes a catalog (calendars and products) it imports.
    mutating func rulebook() -> (main: String, catalog: String?) {
        let calendars = (0..<int(0...2)).map { "cal\($0)" }
        let symbols = shuffled(["ES", "MES", "NQ", "CL", "GC", "\"6E\"", "\"M2K\"", "ZN"]).prefix(int(1...6)).map { $0 }
        var catalog: [Node] = []
        for c in calendars { catalog.append(calendar(c)) }
        for s in symbols { catalog.append(product(s)) }
        var main: [Node] = []
        let imported = chance(0.3)
        if imported { main.append(Node(name: "import", values: ["\"std/catalog.rules\""])) } else {
            main += catalog
            catalog = []
        }
        let periods = (0..<int(0...2)).map { "period\($0)" }
        for p in periods { main.append(timePeriod(p)) }
        let categories = (0..<int(0...2)).map { "cat\($0)" }
        for c in categories { main.append(category(c, symbols: symbols)) }
        var templates: [String] = []
        var calendarOf: [String: Bool] = [:]
        for k in 0..<int(1...5) {
            let name = "tmpl\(k)"
            let parent = templates.isEmpty || chance(0.4) ? nil : pick(templates)
            let (node, hasCalendar) = template(name, parent: parent, inheritsCalendar: parent.map { calendarOf[$0] ?? false } ?? false,
                                                calendars: calendars, periods: periods, categories: categories)
            calendarOf[name] = hasCalendar
            templates.append(name)
            main.append(node)
        }
        // Definitions may come in any order: names are resolved across the whole rulebook.
        if chance(0.3) { main = shuffled(main) }
        return (layout(main), imported ? layout(catalog) : nil)
    }

    // MARK: Definitions

    mutating func calendar(_ name: String) -> Node {
        var items = [Node(name: "timezone", values: [pick(["\"America/Chicago\"", "\"America/New_York\"", "\"Europe/London\"", "\"Asia/Tokyo\""])])]
        if chance(0.7) { items.append(Node(name: "trading_day_starts", values: [time()])) }
        if chance(0.7) { items.append(Node(name: "week_starts", values: [pick(["sunday", "monday", "saturday"]), time()])) }
        if chance(0.6) { items.append(Node(name: "end_of_day", values: [time()])) }
        let dates = distinctDates(int(0...5))
        for d in dates {
            items.append(chance(0.6) ? Node(name: "holiday", values: [d]) : Node(name: "early_close", values: [d, time()]))
        }
        return Node(name: "calendar", values: [name], block: items)
    }

    mutating func product(_ symbol: String) -> Node {
        var items = [Node(name: "point_value", values: [money()])]
        if chance(0.5) { items.append(Node(name: "description", values: [pick(["\"E-mini\"", "\"with \\\"quotes\\\"\"", "\"# not a comment\"", "\"{ braces }; semicolons\""])])) }
        if chance(0.7) { items.append(Node(name: "tick", values: [pick(["0.25", "0.001", "1", "0.0000050", "1_0.5"])])) }
        if chance(0.5) { items.append(Node(name: "day_margin", values: [money()])) }
        if chance(0.5) { items.append(Node(name: "overnight_margin", values: [money()])) }
        return Node(name: "product", values: [symbol], block: items)
    }

    mutating func timePeriod(_ name: String) -> Node {
        var items = [Node(name: "start", values: [time()]), Node(name: "stop", values: [time()])]
        for d in distinctDates(int(0...4)) {
            let parts = pick([["start", time()], ["stop", time()], ["start", time(), "stop", time()]])
            items.append(Node(name: "on", values: [d] + parts))
        }
        return Node(name: "time_period", values: [name], block: items)
    }

    mutating func category(_ name: String, symbols: [String]) -> Node {
        var items: [Node] = []
        var restricted: [String] = []
        for s in shuffled(symbols) {
            switch int(0...4) {
            case 0: items.append(Node(name: "max_position", values: [s, count()]))
            case 1: items.append(Node(name: "max_long", values: [s, count()]))
            case 2:
                items.append(Node(name: "max_long", values: [s, count()]))
                items.append(Node(name: "max_short", values: [s, count()]))
            case 3: restricted.append(s)
            default: continue
            }
        }
        if !restricted.isEmpty { items.append(Node(name: "restrict", values: restricted)) }
        for g in 0..<int(0...2) {
            let members = shuffled(symbols).prefix(int(0...3)).map { Node(name: $0, values: [pick(["1", "0.1", "2", "0.25", "1_0"])]) }
            items.append(Node(name: "max_group", values: ["group\(g)", count()], block: members, ordered: true))
        }
        return Node(name: "risk_category", values: [name], block: shuffled(items), ordered: true)
    }

    mutating func template(_ name: String, parent: String?, inheritsCalendar: Bool, calendars: [String],
                           periods: [String], categories: [String]) -> (Node, hasCalendar: Bool) {
        var items: [Node] = []
        var hasCalendar = inheritsCalendar
        if !calendars.isEmpty && chance(0.6) { items.append(Node(name: "calendar", values: [pick(calendars)])); hasCalendar = true }
        if !periods.isEmpty && chance(0.5) { items.append(Node(name: "time_period", values: [pick(periods)])) }
        if !categories.isEmpty && chance(0.5) { items.append(Node(name: "risk_category", values: [pick(categories)])) }
        if chance(0.7) { items.append(Node(name: "starting_balance", values: [money()])) }
        for tier in ["alert", "liquidate_only", "auto_liquidate"] where chance(0.6) {
            var thresholds: [Node] = []
            for metric in ["daily_loss", "weekly_loss", "daily_profit", "weekly_profit"] {
                if chance(0.4) { thresholds.append(Node(name: metric, values: [money()])) }
                if chance(0.4) { thresholds.append(Node(name: metric, values: [percent()])) }
            }
            if chance(0.4) { thresholds.append(Node(name: "margin", values: [percent()])) }
            items.append(Node(name: tier, values: [], block: shuffled(thresholds), ordered: true))
        }
        if chance(0.5) {
            var trailing: [Node] = []
            if chance(0.5) { trailing.append(Node(name: "mode", values: [pick(["end_of_day", "real_time"])])) }
            if chance(0.5) { trailing.append(Node(name: "stop_trailing_at", values: [money()])) }
            items.append(Node(name: "trailing_drawdown", values: [money()], block: trailing.isEmpty && chance(0.5) ? nil : trailing))
        }
        if chance(0.4) { items.append(Node(name: "flatten_at", values: [dateTime(zoneless: hasCalendar && chance(0.3))])) }
        if chance(0.3) { items.append(Node(name: "do_not_unlock", values: [])) }
        let head = [name] + (parent.map { ["extends", $0] } ?? [])
        return (Node(name: "template", values: head, block: items), hasCalendar)
    }

    // MARK: Literals, in their accepted spellings

    mutating func grouped(_ value: Int) -> String {
        let plain = String(value)
        guard plain.count > 3, chance(0.5) else { return plain }
        var out = ""
        for (i, ch) in plain.enumerated() {
            if i > 0 && (plain.count - i) % 3 == 0 { out.append("_") }
            out.append(ch)
        }
        return out
    }
    mutating func money() -> String {
        let whole = grouped(pick([1, 5, 25, 500, 1_000, 2_500, 13_200, 50_000, 150_000, 1_234_567]))
        let fraction = chance(0.3) ? "." + pick(["5", "50", "25", "0001", "10"]) : ""
        return whole + fraction + pick([" USD", " USD", "USD", "  USD"])
    }
    mutating func percent() -> String { pick(["0.5", "1", "1.2", "2", "2.50", "3", "40", "99.999", "100"]) + "%" }
    mutating func count() -> String {
        let n = pick([1, 2, 5, 15, 1_500])
        return grouped(n) + (chance(0.5) ? "" : n == 1 ? pick([" contract", " contracts"]) : " contracts")
    }
    mutating func time() -> String {
        let h = int(0...23), m = int(0...59)
        let hour = h < 10 && chance(0.3) ? String(h) : (h < 10 ? "0\(h)" : String(h))
        return "\(hour):\(m < 10 ? "0" : "")\(m)" + (chance(0.15) ? pick([":00", ":30", ":59"]) : "")
    }
    mutating func date() -> String {
        let y = int(2025...2028), m = int(1...12), d = int(1...28)
        return "\(y)-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
    }
    mutating func distinctDates(_ n: Int) -> [String] {
        var out: [String] = []
        while out.count < n { let d = date(); if !out.contains(d) { out.append(d) } }
        return out
    }
    mutating func dateTime(zoneless: Bool) -> String {
        let h = int(0...23), m = int(0...59)
        let t = "\(h < 10 ? "0" : "")\(h):\(m < 10 ? "0" : "")\(m)" + (chance(0.2) ? ":30" : "")
        return date() + "T" + t + (zoneless ? "" : pick(["Z", "-06:00", "+05:30", "+00:00", "-05:00"]))
    }

    // MARK: Layout

    mutating func layout(_ items: [Node]) -> String {
        var out = chance(0.3) ? comment() + "\n" + (chance(0.5) ? "\n" : "") : ""
        write(items, depth: 0, into: &out)
        if chance(0.3) { out += "\n" + comment() }
        return out + (chance(0.8) ? "\n" : "")
    }

    /// Items with random spacing, separators, blank lines and comments; every comment ends
    /// its line and every item has a terminator, so the text always parses.
    mutating func write(_ items: [Node], depth: Int, into out: inout String) {
        for (n, item) in items.enumerated() {
            out += item.name
            for (k, v) in item.values.enumerated() {
                out += k > 0 && item.name == "restrict" && chance(0.7) ? pick([",", ", ", " , "]) : space()
                out += v
            }
            if var block = item.block {
                if !item.ordered { block = shuffled(block) }
                out += pick([" {", "{", "  {"])
                if block.isEmpty || chance(0.25) {
                    out += space()
                    for (k, child) in block.enumerated() {
                        write([child], depth: depth + 1, into: &out)
                        if k + 1 < block.count || chance(0.3) { out += pick([";", "; ", " ; "]) }
                        if chance(0.05) { out += " " + comment() + "\n" }
                    }
                    out += space() + "}"
                } else {
                    lineBreak(depth: depth + 1, into: &out)
                    write(block, depth: depth + 1, into: &out)
                    lineBreak(depth: depth, into: &out)
                    out += "}"
                }
            }
            if n + 1 < items.count {
                if chance(0.1) { out += pick([";", "; ", " ;"]) } else {
                    if chance(0.1) { out += ";" }
                    lineBreak(depth: depth, into: &out)
                }
            }
        }
    }

    mutating func lineBreak(depth: Int, into out: inout String) {
        if chance(0.2) { out += pick([" ", "  ", ""]) + comment() }
        out += chance(0.9) ? "\n" : "\r\n"
        for _ in 0..<int(0...2) where chance(0.5) {
            if chance(0.5) { out += String(repeating: " ", count: int(0...4)) + comment() }
            out += "\n"
        }
        out += chance(0.8) ? String(repeating: "  ", count: depth) : pick(["", "\t", "     "])
    }

    mutating func comment() -> String {
        pick(["# note", "#tight", "## doubled", "# with \"quotes\", { braces } ; and # hashes", "#", "# rulec-allow R5001: why"])
    }
    mutating func space() -> String { pick([" ", " ", " ", "  ", "\t"]) }

    // MARK: Randomness

    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &rng) }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &rng) < p }
    mutating func pick<T>(_ xs: [T]) -> T { xs[int(0...(xs.count - 1))] }
    mutating func shuffled<T>(_ xs: [T]) -> [T] { xs.shuffled(using: &rng) }
}
