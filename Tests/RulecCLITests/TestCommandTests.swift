import Foundation
import RuleBase
import Testing
import RuleJSON
@testable import RulecCLI

/// `rulec test` end to end: outputs against the goldens of the runner's fixtures
/// (Tests/RuleToolsTests/Fixtures/rulebook-tests), exit statuses, and the bundled tests.
@Suite("rulec test")
struct TestCommandTests {
    static let fixtures = URL(fileURLWithPath: repositoryRoot).appendingPathComponent("Tests/RuleToolsTests/Fixtures/rulebook-tests")

    static func fixture(_ name: String) -> String {
        (try? String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }

    /// The fixture files in an in-memory folder /work, the current folder.
    static var files: [String: String] {
        var out: [String: String] = [:]
        for n in ["account.rules", "passing.test.rules", "failing.test.rules", "errors.test.rules"] { out["/work/\(n)"] = fixture(n) }
        return out
    }

    static func run(_ args: [String], files: [String: String] = files) -> (status: ExitStatus, stdout: String, stderr: String) {
        var context = Context.testing(files: files)
        let status = Rulec.cli.run(["test"] + args, context: &context)
        return (status, context.stdout.text, context.stderr.text)
    }

    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = fixtures.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RULEC_UPDATE_GOLDENS"] == "1" {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        #expect(actual == fixture(name), "golden rulebook-tests/\(name) differs", sourceLocation: sourceLocation)
    }

    @Test("a passing file: exit 0, the runner's text with --coverage")
    func passing() {
        let r = Self.run(["passing.test.rules", "--coverage"])
        #expect(r.status == .success)
        #expect(r.stderr == "")
        #expect(r.stdout == Self.fixture("passing.txt"))
    }

    @Test("a failing file: exit 1; text, JSON and JUnit")
    func failing() {
        let text = Self.run(["failing.test.rules"])
        #expect(text.status == .findings)
        #expect(text.stdout == Self.fixture("failing.txt"))
        let json = Self.run(["failing.test.rules", "--format", "json", "--coverage"])
        #expect(json.status == .findings)
        Self.expectGolden(json.stdout, "failing.json")
        let junit = Self.run(["--format=junit", "failing.test.rules"])
        #expect(junit.status == .findings)
        #expect(junit.stdout == Self.fixture("failing.junit.xml"))
    }

    @Test("JSON output parses, with one entry per test and the summary")
    func jsonShape() throws {
        let r = Self.run(["passing.test.rules", "failing.test.rules", "--format", "json"])
        let doc = try JSONParser.parse(Array(r.stdout.utf8))
        #expect(doc["version"]?.int64Value == 1)
        #expect(doc["summary"]?["passed"]?.int64Value == 3)
        #expect(doc["summary"]?["failed"]?.int64Value == 5)
        #expect(doc["coverage"] == nil)
    }

    @Test("a rulebook with errors: diagnostics on stderr, no test run, exit 1")
    func errors() {
        let r = Self.run(["errors.test.rules"])
        #expect(r.status == .findings)
        #expect(r.stdout == "")
        #expect(r.stderr.contains("error[R6001]: no template `small_acount` in the rulebook under test"))
        #expect(r.stderr.hasSuffix("error: 34 errors in the rulebooks; no test was run\n"))
    }

    @Test("no tests at all is a failure; a bad format or a missing file is a usage or I/O error")
    func usage() {
        let none = Self.run(["account.rules"])
        #expect(none.status == .findings)
        #expect(none.stderr.hasPrefix("error: no tests in `account.rules`"))
        #expect(Self.run(["passing.test.rules", "--format", "xml"]).status == .usage)
        #expect(Self.run(["missing.test.rules"]).status == .usage)
        #expect(Self.run([]).status == .usage)
    }

    @Test("--help is generated from the spec")
    func help() {
        let r = Self.run(["--help"])
        #expect(r.status == .success)
        #expect(r.stdout == """
            OVERVIEW: Run rulebook tests: timed events and the decisions expected after
              each.

            Folders are searched recursively for *.rules files; each file is checked as its
            own rulebook (with its imports) and the `test` blocks it holds are run through
            the engine, in order. A failing test stops at the first event whose expectations
            do not hold and shows them beside what the engine decided. --coverage lists the
            settings of each tested template (and each account template without a test) that
            no test exercised. See README "Rulebook tests". Exit status: 0 every test
            passed, 1 a test failed, a rulebook has errors or there is no test; 2 usage or
            I/O error.

            USAGE: rulec test [<options>] <path>...

            ARGUMENTS:
              <path>...               test files or folders; '-' reads stdin

            OPTIONS:
              --format <text|json|junit>
                                      output format (default: text)
              --coverage              list the settings no test exercised
              --root <dir>            rulebook root that imports may not leave (default: the
                                      current folder)
              -h, --help              Show help information.

            """)
    }

    @Test("`rulec test rules`: every bundled test passes and every setting is exercised")
    func bundled() {
        let r = runInRepository(["test", "rules", "--coverage"])
        #expect(r.status == .success, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.contains(" passed, 0 failed\n"))
        #expect(r.stdout.hasSuffix(" passed, 0 failed\ncoverage: 213 of 213 settings exercised in 4 templates\n"), "\(r.stdout)")
    }
}
