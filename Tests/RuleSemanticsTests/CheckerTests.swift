import Testing
import RuleBase
import RuleSyntax
import RuleSemantics

/// Small facts about the checker that a golden file would bury: limits, path rules, and where
/// merging and lookups draw the line.
@Suite("Checker")
struct CheckerTests {
    static func codes(_ source: String, files: [String: String] = [:]) -> [String] {
        Checker.check(source: source, files: files).1.map(\.code.id)
    }

    @Test("an import chain deeper than 64 files is R9004; 64 is fine")
    func importChainTooDeep() {
        func chain(_ length: Int) -> [String: String] {
            var files: [String: String] = [:]
            for i in 0..<length { files["f\(i).rules"] = "import \"f\(i + 1).rules\"\n" }
            files["f\(length).rules"] = "product ES { point_value 50 USD }\n"
            return files
        }
        let deep = chain(70)
        let (_, tooDeep) = Checker.check(source: deep["f0.rules"] ?? "", path: "f0.rules", files: deep)
        #expect(tooDeep.map(\.code.id) == ["R9004"])
        let ok = chain(Checker.maxImportDepth)
        let (model, clean) = Checker.check(source: ok["f0.rules"] ?? "", path: "f0.rules", files: ok)
        #expect(clean.isEmpty)
        #expect(model.products["ES"] != nil)
    }

    @Test("import paths are relative to the importing file and normalised inside the root", arguments: [
        ("a/./b/../c.rules", "a/c.rules" as String?),
        ("a//b.rules", "a/b.rules"),
        ("../x.rules", nil),
        ("a/../../x.rules", nil),
        ("/etc/passwd", nil),
        ("x.rules", "x.rules"),
    ])
    func normalize(path: String, normalized: String?) {
        #expect(Checker.normalize(path) == normalized)
    }

    @Test("`..` inside the root is allowed; one level too many is R2004")
    func importRelativeToImporter() {
        let files = [
            "firm/std/cme.rules": "import \"../../shared.rules\"\n",
            "shared.rules": "product ES { point_value 50 USD }\n",
        ]
        let (model, diagnostics) = Checker.check(source: "import \"std/cme.rules\"\n", path: "firm/main.rules", files: files)
        #expect(diagnostics.isEmpty)
        #expect(model.sources.files.map(\.path) == ["firm/main.rules", "firm/std/cme.rules", "shared.rules"])
        let escaping = ["firm/std/cme.rules": "import \"../../../shared.rules\"\n"]
        #expect(Checker.check(source: "import \"std/cme.rules\"\n", path: "firm/main.rules", files: escaping).1.map(\.code.id) == ["R2004"])
    }

    @Test("a file imported twice (a diamond) is loaded once and defines its names once")
    func diamondImport() {
        let files = [
            "a.rules": "import \"std.rules\"\n",
            "b.rules": "import \"std.rules\"\n",
            "std.rules": "product ES { point_value 50 USD }\n",
        ]
        let (model, diagnostics) = Checker.check(source: "import \"a.rules\"\nimport \"b.rules\"\n", files: files)
        #expect(diagnostics.isEmpty)
        #expect(model.sources.files.count == 4)
    }

    @Test("a self-import is a cycle")
    func selfImport() {
        #expect(Self.codes("import \"main.rules\"\n") == ["R2005"])
    }

    @Test("names of different kinds live apart; the same kind twice is R2002", arguments: [
        ("calendar x { timezone \"UTC\" }\ntime_period x { start 1:00; stop 2:00 }\ntemplate x {}\nrisk_category x {}\n", [String]()),
        ("template x {}\ntemplate x {}\n", ["R2002"]),
        ("calendar c { timezone \"UTC\" }\ncalendar c { timezone \"UTC\" }\n", ["R2002"]),
        ("product \"ES\" { point_value 1 USD }\nproduct ES { point_value 1 USD }\n", ["R2002"]),
    ])
    func namespaces(source: String, codes: [String]) {
        #expect(Self.codes(source) == codes)
    }

    @Test("references resolve by kind and suggest the closest name", arguments: [
        ("template t { calendar cmee }\ncalendar cme { timezone \"UTC\" }\n", "did you mean `cme`?"),
        ("template t extends bse {}\ntemplate base {}\n", "did you mean `base`?"),
        ("template t { time_period close }\n", "define a time period or import a rulebook that does"),
        ("template t { alert { dayly_loss 1% } }\n", "did you mean `daily_loss`?"),
        ("template t { trailing_drawdown 1 USD { mod real_time } }\n", "did you mean `mode`?"),
        ("calender cme {}\n", "did you mean `calendar`?"),
    ])
    func suggestions(source: String, help: String) {
        let (_, diagnostics) = Checker.check(source: source)
        #expect(diagnostics.count == 1)
        #expect(diagnostics.first?.help == help)
    }

    @Test("a flatten_at without offset is read in the calendar the template inherits")
    func flattenAtUsesInheritedCalendar() {
        let source = """
        calendar cme { timezone "America/Chicago" }
        template base { calendar cme }
        template child extends base { flatten_at 2026-12-31T15:45 }
        template orphan { flatten_at 2026-12-31T15:45 }
        """
        let (_, diagnostics) = Checker.check(source: source)
        #expect(diagnostics.map(\.code.id) == ["R3009"])
        #expect(diagnostics.first?.message.contains("`orphan`") == true)
    }

    /// R3009's help gives the offset the rulebook's calendar has on the written date (summer
    /// time in July, standard time in December) and names that calendar, not a made-up one.
    @Test(arguments: [
        ("2026-07-01T15:45", "write `2026-07-01T15:45-05:00` (America/Chicago on 2026-07-01), or set `calendar exchange` in the template"),
        ("2026-12-31T15:45", "write `2026-12-31T15:45-06:00` (America/Chicago on 2026-12-31), or set `calendar exchange` in the template"),
    ])
    func dateTimeNeedsZoneHelp(written: String, help: String) {
        let options = CheckOptions(zoneOffset: LintFixtures.zoneOffset)
        let source = "calendar exchange { timezone \"America/Chicago\" }\ntemplate orphan { flatten_at \(written) }\n"
        let (_, diagnostics) = Checker.check(source: source, options: options)
        #expect(diagnostics.map(\.code.id) == ["R3009"])
        #expect(diagnostics.first?.help == help)
        let (_, none) = Checker.check(source: "template orphan { flatten_at \(written) }\n", options: options)
        #expect(none.first?.help == "write a UTC offset, e.g. `\(written)Z`, or define a calendar with a `timezone` and set it in the template")
    }

    /// A repeated `max_position` is one duplicate; a `max_long` after it is another (it sets a
    /// side the first line already set).
    @Test func repeatedMaxPositionIsOneError() {
        let source = "product ES { point_value 50 USD }\nrisk_category c {\n  max_position ES 5\n  max_position ES 6\n  max_long ES 3\n}\n"
        let (model, diagnostics) = Checker.check(source: source)
        #expect(diagnostics.map(\.code.id) == ["R2003", "R2003"])
        #expect(diagnostics.map(\.message) == ["the position limit of `ES` is set twice", "the long limit of `ES` is set twice"])
        #expect(model.riskCategories["c"]?.limits.first?.long == 5)
    }

    @Test("a template in an extends cycle has no effective template; the others still do")
    func extendsCycleLeavesOthers() {
        let (model, diagnostics) = Checker.check(source: "template a extends b {}\ntemplate b extends a {}\ntemplate c {}\ntemplate d extends c {}\n")
        #expect(diagnostics.map(\.code.id) == ["R4001"])
        #expect(model.effectiveTemplates.map(\.name.value) == ["c", "d"])
    }

    @Test("each threshold key is one field: the same tier, metric and unit twice is R2003, across blocks too")
    func thresholdKeys() {
        #expect(Self.codes("template t { alert { daily_loss 1 USD; daily_loss 1% } }").isEmpty)
        #expect(Self.codes("template t { alert { daily_loss 1 USD }\n alert { margin 5% } }") == ["R2003"])
        #expect(Self.codes("template t { alert { daily_loss 1 USD }\n auto_liquidate { daily_loss 1 USD } }").isEmpty)
    }

    @Test("time zones are checked through the caller's options")
    func timeZoneOption() {
        let source = "calendar c { timezone \"Mars/Olympus\" }\n"
        #expect(Checker.check(source: source).1.isEmpty)                   // default: every name accepted
        #expect(check("main.rules", files: ["main.rules": Array(source.utf8)]).1.map(\.code.id) == ["R3006"])
    }

    @Test("percent limits are above 0% and at most 100%", arguments: [
        ("100%", [String]()), ("0.0001%", []), ("0%", ["R3004"]), ("100.01%", ["R3004"]),
    ])
    func percentRange(value: String, codes: [String]) {
        #expect(Self.codes("template t { alert { daily_loss \(value) } }") == codes)
    }

    @Test("a missing entry file is reported, not trapped")
    func missingEntry() {
        let (model, diagnostics) = Checker.check(entries: ["nope.rules"]) { _ in .notFound }
        #expect(diagnostics.map(\.code.id) == ["R2006"])
        #expect(DiagnosticRenderer().render(diagnostics, sources: model.sources).contains("nope.rules:1:1"))
    }
}
