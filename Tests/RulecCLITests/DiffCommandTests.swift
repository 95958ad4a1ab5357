import Foundation
import RuleBase
import Testing
@testable import RulecCLI

/// `rulec diff` end to end: arguments, formats, exit statuses, textconv and git revisions.
@Suite struct DiffCommandTests {
    static let catalog = """
        calendar cme {
          timezone "America/Chicago"
        }
        product ES {
          point_value 50 USD
        }

        """

    static let old = """
        import "lib/catalog.rules"
        template acct {
          calendar cme
          auto_liquidate {
            daily_loss 1_000 USD
            weekly_loss 2_000 USD
          }
        }

        """

    static func run(_ args: [String], files: [String: String]) -> (status: ExitStatus, stdout: String, stderr: String) {
        var context = Context.testing(files: files)
        let status = Rulec.cli.run(["diff"] + args, context: &context)
        return (status, context.stdout.text, context.stderr.text)
    }

    static func files(new: String) -> [String: String] {
        ["/work/lib/catalog.rules": catalog, "/work/old.rules": old, "/work/new.rules": new]
    }

    static let loosened = old.replacingOccurrences(of: "daily_loss 1_000 USD", with: "daily_loss 1_500 USD")
    static let tightened = old.replacingOccurrences(of: "weekly_loss 2_000 USD", with: "weekly_loss 1_500 USD")

    @Test func textOutputAndDefaultExit() {
        let r = Self.run(["old.rules", "new.rules"], files: Self.files(new: Self.loosened))
        #expect(r.status == .success)
        #expect(r.stdout == """
            template acct
              loosens   auto_liquidate.daily_loss (USD): 1_000 USD -> 1_500 USD
                        higher limit: flattens and locks later
                        old old.rules:5, new new.rules:5

            1 template changed: 1 loosens

            """)
    }

    @Test(arguments: [
        ("loosen", false, ExitStatus.findings), ("tighten", false, .success), ("any", false, .findings),
        ("loosen", true, .success), ("tighten", true, .findings), ("any", true, .findings),
    ])
    func failOn(_ what: String, _ tighten: Bool, _ expected: ExitStatus) {
        let r = Self.run(["old.rules", "new.rules", "--fail-on", what],
                         files: Self.files(new: tighten ? Self.tightened : Self.loosened))
        #expect(r.status == expected)
    }

    /// A dollar limit replaced by a percent one is context-dependent: `loosen` fails on it
    /// unless `loosen-only` is asked for.
    @Test(arguments: [("loosen", ExitStatus.findings), ("loosen-only", .success), ("context-dependent", .findings), ("tighten", .success)])
    func failOnContextDependent(_ gate: String, _ expected: ExitStatus) {
        let replaced = Self.old.replacingOccurrences(of: "daily_loss 1_000 USD", with: "daily_loss 2%")
        let r = Self.run(["old.rules", "new.rules", "--fail-on", gate], files: Self.files(new: replaced))
        #expect(r.status == expected)
        #expect(r.stdout.contains("context-dependent auto_liquidate.daily_loss: 1_000 USD -> 2%"))
        #expect(r.stdout.contains("equal at 50_000 USD; the new limit is tighter below that balance and looser above it"))
    }

    @Test func reformattedFileIsEmptyAndPassesEveryGate() {
        let reformatted = """
            # same rules, other layout
            import "lib/catalog.rules"

            template acct {
              auto_liquidate { weekly_loss 2000 USD; daily_loss 1000.00 USD }
              calendar cme
            }
            """
        for gate in ["loosen", "tighten", "any"] {
            let r = Self.run(["old.rules", "new.rules", "--fail-on", gate], files: Self.files(new: reformatted))
            #expect(r.status == .success)
            #expect(r.stdout == "no semantic changes\n")
        }
    }

    @Test func markdownAndJSON() {
        let md = Self.run(["--format", "markdown", "old.rules", "new.rules"], files: Self.files(new: Self.loosened))
        #expect(md.stdout.hasPrefix("### rulec diff `old.rules` → `new.rules`\n\n**1 template changed: 1 loosens**\n"))
        #expect(md.stdout.contains("| **loosens** | `auto_liquidate.daily_loss (USD)` | 1_000 USD | 1_500 USD |"))
        let json = Self.run(["--format=json", "old.rules", "new.rules"], files: Self.files(new: Self.loosened))
        let parsed = try? JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let summary = parsed?["summary"] as? [String: Any]
        #expect(summary?["loosens"] as? Int == 1)
        #expect(summary?["tightens"] as? Int == 0)
    }

    @Test func usageErrors() {
        #expect(Self.run(["old.rules"], files: Self.files(new: Self.old)).status == .usage)
        #expect(Self.run(["old.rules", "new.rules", "--format", "html"], files: Self.files(new: Self.old)).status == .usage)
        #expect(Self.run(["old.rules", "new.rules", "--fail-on", "loose"], files: Self.files(new: Self.old)).stderr
            .contains("did you mean `loosen`?"))
        #expect(Self.run(["old.rules", "missing.rules"], files: Self.files(new: Self.old)).status == .usage)
    }

    @Test func rulebookWithErrorsIsNotCompared() {
        let broken = Self.old.replacingOccurrences(of: "daily_loss 1_000 USD", with: "daily_loss 5 contracts")
        let r = Self.run(["old.rules", "new.rules"], files: Self.files(new: broken))
        #expect(r.status == .findings)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("cannot compare: `new.rules` has errors"))
    }

    @Test func textconvListingIgnoresLayout() {
        let a = Self.run(["--textconv", "old.rules"], files: Self.files(new: Self.old))
        #expect(a.status == .success)
        #expect(a.stdout == """
            # rulec semantic listing: effective templates after imports and extends, then the file's definitions

            template acct
              calendar: cme
              calendar.timezone: America/Chicago
              calendar.trading_day_starts: 17:00
              calendar.week_starts: sunday 17:00
              calendar.end_of_day: 16:00
              auto_liquidate.daily_loss (USD): 1_000 USD
              auto_liquidate.weekly_loss (USD): 2_000 USD
              product ES: listed
              product ES.point_value: 50 USD

            """)
        let reformatted = "import \"lib/catalog.rules\"\ntemplate acct {\n  auto_liquidate { weekly_loss 2000 USD; daily_loss 1000 USD }\n  calendar cme\n}\n"
        #expect(Self.run(["--textconv", "new.rules"], files: Self.files(new: reformatted)).stdout == a.stdout)
    }

    /// git hands textconv a temporary copy outside the work tree; imports are found under the root.
    @Test func textconvFindsImportsOfATemporaryCopy() {
        var files = Self.files(new: Self.old)
        files["/tmp/XyZ_old.rules"] = Self.old
        files["/work/rules/eval.rules"] = Self.old
        files["/work/rules/lib/catalog.rules"] = Self.catalog
        files["/work/lib/catalog.rules"] = nil
        let r = Self.run(["--textconv", "/tmp/XyZ_old.rules"], files: files)
        #expect(r.status == .success)
        #expect(r.stdout.contains("product ES.point_value: 50 USD"))
        #expect(!r.stdout.contains("# note:"))
    }

    // MARK: git revisions

    static func git(_ args: [String], in dir: URL) -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git"] + args
        p.currentDirectoryURL = dir
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        do { try p.run() } catch { return -1 }
        p.waitUntilExit()
        return p.terminationStatus
    }

    static var gitAvailable: Bool { git(["--version"], in: URL(fileURLWithPath: NSTemporaryDirectory())) == 0 }

    @Test func gitRevisionRangeInATemporaryRepository() throws {
        guard Self.gitAvailable else {
            withKnownIssue("FIXME(no git): git is not installed on this machine, revision diffs are untested") {
                Issue.record("git unavailable")
            }
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulec-diff-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules.appendingPathComponent("lib"), withIntermediateDirectories: true)
        func write(_ path: String, _ text: String) throws {
            try text.write(to: rules.appendingPathComponent(path), atomically: true, encoding: .utf8)
        }
        try write("lib/catalog.rules", Self.catalog)
        try write("acct.rules", Self.old)
        for args in [["init", "-q"], ["config", "user.email", "t@example.com"], ["config", "user.name", "t"],
                     ["config", "commit.gpgsign", "false"], ["add", "."], ["commit", "-q", "-m", "one"]] {
            #expect(Self.git(args, in: dir) == 0, "git \(args.joined(separator: " "))")
        }
        // Second commit: loosen the daily loss; change ES's point value in the imported catalog
        // (neutral, reported for every template that trades ES).
        try write("acct.rules", Self.loosened)
        try write("lib/catalog.rules", Self.catalog.replacingOccurrences(of: "point_value 50 USD", with: "point_value 20 USD"))
        #expect(Self.git(["commit", "-q", "-a", "-m", "two"], in: dir) == 0)
        // Third commit: reformat only.
        try write("acct.rules", "import \"lib/catalog.rules\"\ntemplate acct {\n  calendar cme\n  auto_liquidate { weekly_loss 2000 USD; daily_loss 1500 USD }\n}\n")
        #expect(Self.git(["commit", "-q", "-a", "-m", "three"], in: dir) == 0)

        func run(_ args: [String]) -> (ExitStatus, String, String) {
            var context = Context(stdout: .memory(), stderr: .memory(), stdin: .text(""), fileSystem: LocalFileSystem(),
                                  environment: [:], terminal: Terminal(stdoutIsTTY: false, stderrIsTTY: false, environment: [:]),
                                  currentDirectory: dir.path, now: { Instant(epochSeconds: 0) })
            let status = Rulec.cli.run(["diff"] + args, context: &context)
            return (status, context.stdout.text, context.stderr.text)
        }
        let (status, out, err) = run(["HEAD~2..HEAD~1", "--fail-on", "loosen", "--", "rules/"])
        #expect(status == .findings, "stderr: \(err)")
        #expect(out == """
            template acct
              loosens   auto_liquidate.daily_loss (USD): 1_000 USD -> 1_500 USD
                        higher limit: flattens and locks later
                        old rules/acct.rules:5, new rules/acct.rules:5
              neutral   product ES.point_value: 50 USD -> 20 USD
                        less P&L per 1.00 price move: dollar limits are reached after a larger move
                        old rules/lib/catalog.rules:5, new rules/lib/catalog.rules:5

            1 template changed: 1 loosens, 1 neutral

            """)
        // Reformatting alone: nothing, whole repository by default.
        let (s2, o2, _) = run(["HEAD~1..HEAD"])
        #expect(s2 == .success)
        #expect(o2 == "no semantic changes\n")
        // `A..` means `A..HEAD`; a path below the top narrows the files.
        let (_, o3, _) = run(["HEAD~2..", "--", "rules/acct.rules"])
        #expect(o3.contains("auto_liquidate.daily_loss (USD): 1_000 USD -> 1_500 USD"))
        // An unknown revision is an I/O-class error.
        let (s4, _, e4) = run(["nope..HEAD"])
        #expect(s4 == .usage)
        #expect(e4.contains("cannot read `nope`: not a revision of this repository"))
    }
}
