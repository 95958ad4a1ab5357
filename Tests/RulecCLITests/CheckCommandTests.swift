import Foundation
import RuleBase
import Testing
import RuleJSON
@testable import RulecCLI

/// `rulec check` behaviour: exit statuses, `--deny-warnings`, `--now`, colors, `explain`
/// for lint codes, SARIF structure, and the bundled rulebooks.
@Suite struct CheckCommandTests {
    static let warningOnly = """
        template eval_50k {
          starting_balance 50_000 USD
          auto_liquidate {
            daily_loss 2_500 USD
          }
          trailing_drawdown 2_000 USD {
            mode end_of_day
          }
        }

        """
    static let clean = """
        template eval_50k {
          starting_balance 50_000 USD
          auto_liquidate {
            daily_loss 1_000 USD
          }
          flatten_at 2026-12-18T08:00-06:00
        }

        """

    static func run(_ args: [String], _ rulebook: String, isTTY: Bool = false, environment: [String: String] = [:],
                    now: Instant = Instant(epochSeconds: 1_795_456_800)) -> (status: RulecCLI.ExitStatus, stdout: String, stderr: String) {
        CheckFormatTests.run(args, files: ["rules/a.rules": rulebook], environment: environment, isTTY: isTTY, now: now)
    }

    @Test func cleanRulebookExitsZero() {
        let r = Self.run(["check", "--deny-warnings", "rules"], Self.clean)
        #expect(r.status == .success)
        #expect(r.stdout == "checked 1 file: 0 errors, 0 warnings\n")
    }

    @Test func warningsFailOnlyWithDenyWarnings() {
        #expect(Self.run(["check", "rules"], Self.warningOnly).status == .success)
        #expect(Self.run(["check", "--deny-warnings", "rules"], Self.warningOnly).status == .findings)
        for format in CheckCommand.formats {
            #expect(Self.run(["check", "--format", format, "--deny-warnings", "rules"], Self.warningOnly).status == .findings)
        }
    }

    /// A firm's own levels: `--deny` fails the check on a lint, `--allow` drops it, `--warn`
    /// reports it as a warning; codes or names, comma-separated or repeated.
    @Test(arguments: [
        (["--deny", "R5017"], RulecCLI.ExitStatus.findings, "checked 1 file: 1 error, 0 warnings"),
        (["--deny", "daily-loss-at-or-above-trailing"], .findings, "checked 1 file: 1 error, 0 warnings"),
        (["--allow", "R5017"], .success, "checked 1 file: 0 errors, 0 warnings"),
        (["--allow", "R5001,R5017"], .success, "checked 1 file: 0 errors, 0 warnings"),
        (["--warn", "R5017", "--deny-warnings"], .findings, "checked 1 file: 0 errors, 1 warning"),
        (["--deny", "R5001", "--deny", "R5010"], .success, "checked 1 file: 0 errors, 1 warning"),
    ])
    func commandLineLevels(flags: [String], status: RulecCLI.ExitStatus, summary: String) {
        let r = Self.run(["check"] + flags + ["rules"], Self.warningOnly)
        #expect(r.status == status)
        #expect(r.stdout.hasSuffix(summary + "\n"), "\(r.stdout)")
        if flags.first == "--deny" && status == .findings { #expect(r.stdout.hasPrefix("error[R5017]")) }
    }

    @Test(arguments: [
        (["--deny", "R1002"], "`--deny`: `R1002` (unexpected-character) is not a lint; only R5xxx lint codes have levels"),
        (["--allow", "R5O17"], "`--allow`: unknown lint code `R5O17`; did you mean `R5017`?"),
        (["--warn", "R5017", "--deny", "R5017"], "`R5017` is given both `--warn` and `--deny`; give it one level"),
        (["--allow", "R5101"], "`--allow R5101`: a malformed suppression is always an error"),
    ])
    func badLevelsAreUsageErrors(flags: [String], message: String) {
        let r = Self.run(["check"] + flags + ["rules"], Self.warningOnly)
        #expect(r.status == .usage)
        #expect(r.stderr.hasPrefix("error: " + message), "\(r.stderr)")
    }

    /// A note is shown and counted apart; it never fails, not even with `--deny-warnings`.
    @Test func notesNeverFail() {
        let overnight = "calendar cme {\n  timezone \"America/Chicago\"\n}\ntime_period night {\n  start 15:55\n  stop 07:00\n}\n" + Self.clean
            .replacingOccurrences(of: "  starting_balance 50_000 USD\n", with: "  starting_balance 50_000 USD\n  calendar cme\n  time_period night\n")
        let r = Self.run(["check", "--deny-warnings", "rules"], overnight)
        #expect(r.status == .success)
        #expect(r.stdout.hasPrefix("note[R5021]"), "\(r.stdout)")
        #expect(r.stdout.hasSuffix("checked 1 file: 0 errors, 0 warnings, 1 note\n"))
        #expect(Self.run(["check", "--deny", "R5021", "rules"], overnight).status == .findings)
    }

    /// A file's `# rulec-file` header is nearer than the command line, so it wins.
    @Test func fileLevelBeatsTheCommandLine() {
        let allowed = "# rulec-file allow R5017: the trailing drawdown is the real limit here\n" + Self.warningOnly
        #expect(Self.run(["check", "--deny", "R5017", "--deny-warnings", "rules"], allowed).status == .success)
        let denied = "# rulec-file deny R5017\n" + Self.warningOnly
        let r = Self.run(["check", "--warn", "R5017", "rules"], denied)
        #expect(r.status == .findings)
        #expect(r.stdout.hasPrefix("error[R5017]"))
    }

    @Test func nowDefaultsToTheContextClock() {
        // 2027-01-01: the December flatten is past.
        let later = Instant(epochSeconds: 1_798_761_600)
        let r = Self.run(["check", "rules"], Self.clean, now: later)
        #expect(r.stdout.contains("warning[R5010]"))
        #expect(Self.run(["check", "--now", "2026-12-18T13:59Z", "rules"], Self.clean, now: later).status == .success)
        #expect(Self.run(["check", "--now", "2026-12-18T08:00-06:00", "rules"], Self.clean, now: later).stdout.contains("R5010"))
    }

    @Test(arguments: ["2026-12-18", "2026-12-18T08:00", "tomorrow", "2026-12-18T08:00Z junk"])
    func malformedNowIsAUsageError(text: String) {
        let r = Self.run(["check", "--now", text, "rules"], Self.clean)
        #expect(r.status == .usage)
        #expect(r.stdout == "")
        #expect(r.stderr.hasPrefix("error: `--now` expects a date-time with a UTC offset, e.g. `2026-11-23T18:00Z`, found `\(text)`\n"))
    }

    @Test func unknownFormatIsAUsageError() {
        let r = Self.run(["check", "--format", "xml", "rules"], Self.clean)
        #expect(r.status == .usage)
        #expect(r.stderr.contains("sarif"))
    }

    @Test func missingFileIsAnIOError() {
        #expect(Self.run(["check", "nope.rules"], Self.clean).status == .ioError)
    }

    @Test func textIsColoredOnATerminalOnly() {
        let colored = Self.run(["check", "rules"], Self.warningOnly, isTTY: true).stdout
        #expect(colored.contains("\u{1B}[1;33mwarning[R5017]\u{1B}[0m"))
        #expect(!Self.run(["check", "rules"], Self.warningOnly, isTTY: true, environment: ["NO_COLOR": "1"]).stdout.contains("\u{1B}["))
        #expect(!Self.run(["check", "rules"], Self.warningOnly).stdout.contains("\u{1B}["))
    }

    @Test func explainKnowsEveryLintCode() {
        var context = Context.testing()
        #expect(Rulec.cli.run(["explain", "R5013"], context: &context) == .success)
        #expect(context.stdout.text.hasPrefix("R5013 loosens-parent-limit (warning)\n\n"))
        var list = Context.testing()
        _ = Rulec.cli.run(["explain", "--list"], context: &list)
        for code in ["R5001", "R5017", "R5100", "R5101"] { #expect(list.stdout.text.contains(code)) }
    }

    /// What GitHub code scanning requires of an uploaded SARIF file, checked on the document.
    @Test func sarifHasWhatCodeScanningRequires() throws {
        let r = Self.run(["check", "--format", "sarif", "rules"], Self.warningOnly)
        let doc = try JSONParser.parse(r.stdout)
        func get(_ v: JSONValue?, _ path: String...) -> JSONValue? {
            var cur = v
            for key in path {
                if let i = Int(key), case let .array(a)? = cur { cur = i < a.count ? a[i] : nil; continue }
                guard case let .object(members)? = cur else { return nil }
                cur = members.first { $0.key == key }?.value
            }
            return cur
        }
        #expect(get(doc, "version") == .string("2.1.0"))
        #expect(get(doc, "$schema") != nil)
        let driver = get(doc, "runs", "0", "tool", "driver")
        #expect(get(driver, "name") == .string("rulec"))
        for key in ["version", "informationUri"] { #expect(get(driver, key) != nil) }
        for key in ["id", "name", "shortDescription", "fullDescription", "help", "defaultConfiguration"] {
            #expect(get(driver, "rules", "0", key) != nil, "rule lacks \(key)")
        }
        let result = get(doc, "runs", "0", "results", "0")
        #expect(get(result, "ruleId") == .string("R5017"))
        #expect(get(result, "ruleIndex") == .number("0"))
        #expect(get(result, "level") == .string("warning"))
        #expect(get(result, "message", "text") != nil)
        let loc = get(result, "locations", "0", "physicalLocation")
        #expect(get(loc, "artifactLocation", "uri") == .string("rules/a.rules"))
        #expect(get(loc, "artifactLocation", "uriBaseId") == .string("%SRCROOT%"))
        for key in ["startLine", "startColumn", "endLine", "endColumn"] { #expect(get(loc, "region", key) != nil) }
        #expect(get(result, "partialFingerprints") != nil)
    }

    @Test func fingerprintsIgnoreLineMoves() {
        let a = Self.run(["check", "--format", "sarif", "rules"], Self.warningOnly).stdout
        let b = Self.run(["check", "--format", "sarif", "rules"], "# a new comment line\n\n" + Self.warningOnly).stdout
        func prints(_ s: String) -> [Substring] { s.split(separator: "\n").filter { $0.contains("rulecFingerprint/v1") } }
        #expect(!prints(a).isEmpty)
        #expect(prints(a) == prints(b))
        #expect(a != b)
    }

    /// CI runs `rulec check --deny-warnings rules examples`; the bundled rulebooks pass it.
    @Test func bundledRulebooksPassDenyWarnings() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var files: [String: String] = [:]
        for dir in ["rules", "examples"] {
            let base = root.appendingPathComponent(dir)
            for rel in FileManager.default.enumerator(atPath: base.path)?.compactMap({ $0 as? String }) ?? [] where rel.hasSuffix(".rules") {
                files["\(dir)/\(rel)"] = try String(contentsOf: base.appendingPathComponent(rel), encoding: .utf8)
            }
        }
        #expect(files.count >= 7)
        let r = CheckFormatTests.run(["check", "--deny-warnings", "rules", "examples"], files: files)
        #expect(r.status == .success, "\(r.stdout)")
        #expect(r.stdout == "checked \(files.count) files: 0 errors, 0 warnings\n")
    }
}
