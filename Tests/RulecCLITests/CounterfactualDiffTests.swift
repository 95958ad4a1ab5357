import Foundation
import Testing
@testable import RulecCLI

/// `rulec diff OLD NEW --replay HISTORY --accounts ACCOUNTS` on the bundled fleet
/// (examples/fleet): each scenario edits a copy of the bundled rulebooks and compares the whole
/// pull-request Markdown and JSON with goldens in Fixtures/counterfactual
/// (`RULEC_UPDATE_GOLDENS=1 swift test` rewrites them).
@Suite("rulec diff --replay: counterfactual review")
struct CounterfactualDiffTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let goldens = root + "/Tests/RulecCLITests/Fixtures/counterfactual/"

    /// The bundled rulebooks without their tests (a changed limit would fail them), by path
    /// under `rules/`.
    static let rulebooks: [String: String] = {
        var files: [String: String] = [:]
        let fm = FileManager.default
        let dir = root + "/rules"
        for p in (fm.enumerator(atPath: dir)?.allObjects as? [String]) ?? [] where p.hasSuffix(".rules") && !p.hasSuffix(".test.rules") {
            files[p] = try? String(contentsOfFile: dir + "/" + p, encoding: .utf8)
        }
        return files
    }()

    struct Edit: Sendable {
        var file: String
        var from: String
        var to: String
    }

    /// The scenarios the issue names, as edits of the bundled rulebooks.
    static let scenarios: [String: [Edit]] = [
        // Loosens (a higher weekly profit trigger) but no account reaches either level.
        "loosen-no-outcome": [Edit(file: "funded-100k.rules", from: "    weekly_profit 6_000 USD", to: "    weekly_profit 7_000 USD")],
        // A higher daily loss limit: first divergence mid-session, then a lock it no longer takes.
        "daily-loss-lock": [Edit(file: "eval-50k.rules", from: "    daily_loss 1_000 USD", to: "    daily_loss 1_250 USD")],
        // The parent eval_base tightens its percent daily loss: seen through eval_50k, eval_100k, eval_150k.
        "parent-change": [Edit(file: "firm/base.rules", from: "    daily_loss 2% # daily loss limit", to: "    daily_loss 1.8% # daily loss limit")],
        // Comments, blank lines, indentation and block order: nothing changes, not even a line.
        "reformat": [
            Edit(file: "eval-50k.rules", from: "import \"firm/base.rules\"\n", to: "# reviewed 2026-12-01\n\n\nimport   \"firm/base.rules\"\n\n"),
            Edit(file: "eval-50k.rules", from: "  alert {\n    daily_loss 600 USD\n  }\n  liquidate_only {\n    daily_loss 800 USD\n  }\n",
                 to: "  liquidate_only { daily_loss 800 USD }\n\n  alert {\n      daily_loss 600 USD   # heads-up\n  }\n"),
        ],
    ]

    /// The bundled rulebooks twice (`old/`, `new/` with the edits) and the bundled fleet;
    /// `lines` keeps the first lines of the history only (for the cheaper tests).
    static func files(_ edits: [Edit], lines: Int? = nil) -> [String: String] {
        var files: [String: String] = [:]
        for (p, text) in rulebooks {
            files["/work/old/" + p] = text
            var t = text
            for e in edits where e.file == p {
                precondition(t.contains(e.from), "scenario edit not found in \(p): \(e.from)")
                t = t.replacingOccurrences(of: e.from, with: e.to)
            }
            files["/work/new/" + p] = t
        }
        for f in ["history.jsonl", "accounts.jsonl"] {
            files["/work/fleet/" + f] = try? String(contentsOfFile: root + "/examples/fleet/" + f, encoding: .utf8)
        }
        if let n = lines, let h = files["/work/fleet/history.jsonl"] {
            files["/work/fleet/history.jsonl"] = h.split(separator: "\n").prefix(n).joined(separator: "\n") + "\n"
        }
        return files
    }

    /// The golden runs, made once: scenario and format -> output.
    static let outputs: [String: (status: ExitStatus, stdout: String, stderr: String)] = {
        var out: [String: (status: ExitStatus, stdout: String, stderr: String)] = [:]
        for s in scenarios.keys {
            for f in ["markdown", "json"] { out[s + "." + f] = diff(s, ["--format", f, "--jobs", "2"]) }
        }
        return out
    }()

    static func runRulec(_ args: [String], files: [String: String]) -> (status: ExitStatus, stdout: String, stderr: String) {
        var context = Context.testing(files: files)
        let status = Rulec.cli.run(args, context: &context)
        return (status, context.stdout.text, context.stderr.text)
    }

    static func diff(_ scenario: String, _ extra: [String], lines: Int? = nil) -> (status: ExitStatus, stdout: String, stderr: String) {
        runRulec(["diff", "old", "new", "--replay", "fleet/history.jsonl", "--accounts", "fleet/accounts.jsonl"] + extra,
                 files: files(scenarios[scenario] ?? [], lines: lines))
    }

    @Test("pull-request Markdown and JSON match their goldens",
          arguments: ["loosen-no-outcome", "daily-loss-lock", "parent-change", "reformat"], ["markdown", "json"])
    func golden(_ scenario: String, _ format: String) throws {
        let r = try #require(Self.outputs[scenario + "." + format])
        #expect(r.status == .success, "\(r.stderr)")
        #expect(r.stderr.isEmpty, "\(r.stderr)")
        let path = Self.goldens + scenario + (format == "json" ? ".json" : ".md")
        if ProcessInfo.processInfo.environment["RULEC_UPDATE_GOLDENS"] == "1" {
            try r.stdout.write(toFile: path, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOfFile: path, encoding: .utf8)
        #expect(r.stdout == expected, "\(scenario) \(format): output differs from \(path)")
    }

    @Test("the JSON document parses and its totals are the figures of the scenario")
    func figures() throws {
        let r = try #require(Self.outputs["daily-loss-lock.json"])
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(doc["version"] as? Int == 1)
        let cf = try #require(doc["counterfactual"] as? [String: Any])
        let totals = try #require(cf["totals"] as? [String: Any])
        #expect(totals["accounts"] as? Int == 300)
        #expect(totals["diverged"] as? Int == 37)
        #expect(totals["noLongerLiquidated"] as? Int == 1)
        #expect(totals["noLongerLocked"] as? Int == 1)
        #expect(totals["newlyLiquidated"] as? Int == 0)
        #expect((totals["realizedDelta"] as? NSNumber)?.decimalValue == Decimal(string: "937.50"))
        let first = try #require((cf["accounts"] as? [[String: Any]])?.first)
        #expect(first["account"] as? String == "A00001")
        let d = try #require(first["firstDivergence"] as? [String: Any])
        #expect(d["line"] as? Int == 9711)
        #expect(d["local"] as? String == "2026-12-17T13:13:00.800-06:00")
        #expect((d["new"] as? [String]) == ["MODE normal -> liquidate_only"])
        let diff = try #require(doc["diff"] as? [String: Any])
        #expect((diff["summary"] as? [String: Any])?["loosens"] as? Int == 1)
    }

    @Test("the same rulebook on both sides never diverges")
    func identity() {
        let r = Self.diff("none", ["--format", "text", "--fail-on", "divergence,any,new-liquidation,new-lock"])
        #expect(r.status == .success, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains("no account's decisions change on this history"))
    }

    @Test("any number of jobs gives the same bytes")
    func jobs() {
        let one = Self.diff("parent-change", ["--format", "json", "--jobs", "1"], lines: 5_000)
        let three = Self.diff("parent-change", ["--format", "json", "--jobs", "3"], lines: 5_000)
        #expect(one.status == .success)
        #expect(one.stdout == three.stdout)
    }

    @Test("--fail-on gates on consequences as well as on direction (the first 5,000 lines)", arguments: [
        ("loosen-no-outcome", "divergence", ExitStatus.success),
        ("loosen-no-outcome", "loosen", .findings),
        ("loosen-no-outcome", "new-liquidation,new-lock", .success),
        ("daily-loss-lock", "divergence", .findings),
        ("daily-loss-lock", "new-lock", .success),
        ("parent-change", "new-liquidation", .findings),
        ("parent-change", "new-lock", .findings),
        ("reformat", "any,divergence", .success),
    ])
    func failOn(_ scenario: String, _ conditions: String, _ status: ExitStatus) {
        let r = Self.diff(scenario, ["--fail-on", conditions], lines: 5_000)
        #expect(r.status == status, "\(scenario) --fail-on \(conditions): \(r.stderr)")
    }

    @Test("usage errors are one line and exit 2", arguments: [
        (["diff", "old", "new", "--replay", "fleet/history.jsonl"], "error: --replay and --accounts go together"),
        (["diff", "old", "new", "--jobs", "2"], "error: --jobs is for --replay HISTORY --accounts ACCOUNTS"),
        (["diff", "old", "new", "--skip-bad"], "error: --skip-bad is for --replay HISTORY --accounts ACCOUNTS"),
        (["diff", "old", "new", "--fail-on", "divergence"], "error: --fail-on divergence needs --replay HISTORY --accounts ACCOUNTS"),
        (["diff", "old", "new", "--fail-on", "loosen,new-lok", "--replay", "fleet/history.jsonl", "--accounts", "fleet/accounts.jsonl"],
         "error: unknown --fail-on condition `new-lok`; did you mean `new-lock`?"),
        (["diff", "old", "new", "--jobs", "0", "--replay", "fleet/history.jsonl", "--accounts", "fleet/accounts.jsonl"],
         "error: --jobs must be a whole number from 1 to 256"),
    ])
    func usage(_ args: [String], _ message: String) {
        let r = Self.runRulec(args, files: Self.files([]))
        #expect(r.status == .usage)
        #expect(r.stderr.hasPrefix(message), "\(r.stderr)")
    }

    @Test("a bad history line stops the comparison with its position; --skip-bad counts it")
    func badLine() {
        var files = Self.files([], lines: 1_000)
        files["/work/fleet/history.jsonl"]! += "{\"account\":\"A00001\",\"at\":\"2026-12-19T10:00:00Z\",\"type\":\"fill\"\n"
        let stop = Self.runRulec(["diff", "old", "new", "--replay", "fleet/history.jsonl", "--accounts", "fleet/accounts.jsonl"], files: files)
        #expect(stop.status == .findings)
        #expect(stop.stderr.hasPrefix("error: fleet/history.jsonl:1001:"), "\(stop.stderr)")
        #expect(stop.stdout.isEmpty)
        let skip = Self.runRulec(["diff", "old", "new", "--replay", "fleet/history.jsonl", "--accounts", "fleet/accounts.jsonl", "--skip-bad"], files: files)
        #expect(skip.status == .success)
        #expect(skip.stderr.contains("skipped 1 bad line"), "\(skip.stderr)")
    }
}
