import Foundation
import RuleBase
import Testing
import RuleJSON
@testable import RulecCLI

/// The repository root, found by walking up from this file.
let repositoryRoot: String = {
    var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    while url.path != "/" {
        if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        url.deleteLastPathComponent()
    }
    return FileManager.default.currentDirectoryPath
}()

/// Runs `rulec ARGS` in-process against the real files of the repository.
func runInRepository(_ args: [String]) -> (status: ExitStatus, stdout: String, stderr: String) {
    var context = Context(stdout: .memory(), stderr: .memory(), stdin: .text(""), fileSystem: LocalFileSystem(),
                          environment: [:], terminal: Terminal(stdoutIsTTY: false, stderrIsTTY: false, environment: [:]),
                          currentDirectory: repositoryRoot, now: { Instant(epochSeconds: 1_795_392_000) })
    let status = Rulec.cli.run(args, context: &context)
    return (status, context.stdout.text, context.stderr.text)
}

/// Every rulebook shipped in `rules/` and `examples/` checks clean, is canonically formatted
/// and compiles to rule graphs: what we ship is what we would accept in review.
@Suite("Bundled rulebooks")
struct BundledRulebookTests {
    @Test("rules/ and examples/ check with no diagnostics")
    func checkClean() {
        let r = runInRepository(["check", "rules", "examples"])
        #expect(r.status == .success, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.hasSuffix(": 0 errors, 0 warnings\n"), "\(r.stdout)")
    }

    @Test("rules/ and examples/ are in canonical layout")
    func formatted() {
        let r = runInRepository(["fmt", "--check", "--diff", "rules", "examples"])
        #expect(r.status == .success, "\(r.stdout)\(r.stderr)")
        #expect(r.stdout.isEmpty)
    }

    @Test("every bundled template compiles to a rule graph and to DOT")
    func compiles() {
        let graph = runInRepository(["compile", "rules"])
        #expect(graph.status == .success, "\(graph.stderr)")
        for name in ["eval_50k", "eval_100k", "eval_150k", "funded_100k"] {
            #expect(graph.stdout.contains("template \(name)\n"))
        }
        let dot = runInRepository(["compile", "--emit", "dot", "rules"])
        #expect(dot.status == .success)
        #expect(dot.stdout.hasPrefix("digraph rulec {"))
        #expect(dot.stdout.hasSuffix("}\n"))
    }

    @Test("a rulebook with errors fails check with exit 1 and file:line:col")
    func errorsExitOne() {
        var context = Context.testing(files: ["/work/bad.rules": "template t {\n  alert {\n    daily_loss 5 contracts\n  }\n}\n"])
        let status = Rulec.cli.run(["check", "bad.rules"], context: &context)
        #expect(status == .findings)
        #expect(context.stdout.text.contains("error[R3001]: `daily_loss` expects money or a percent, found a contract count\n --> bad.rules:3:16\n"))
        #expect(context.stdout.text.hasSuffix("checked 1 file: 1 error, 0 warnings\n"))
    }

    @Test("missing files and unknown flags are one-line errors with exit 2", arguments: [
        (["check", "nope.rules"], "error: cannot read `nope.rules`: no such file\n"),
        (["check", "--fromat", "json", "x.rules"], "error: unknown option `--fromat`; did you mean `--format`?\n"),
        (["compile", "--emit", "svg", "x.rules"], "error: "),
    ])
    func usageErrors(args: [String], expected: String) {
        var context = Context.testing(files: ["/work/x.rules": "template t {\n}\n"])
        let status = Rulec.cli.run(args, context: &context)
        #expect(status == .usage)
        #expect(context.stderr.text.hasPrefix(expected), "\(context.stderr.text)")
    }

    @Test("check --format json has the documented shape")
    func jsonShape() throws {
        var context = Context.testing(files: ["/work/a.rules": "template t {\n  alert {\n    daily_loss 0 USD\n  }\n}\n"])
        let status = Rulec.cli.run(["check", "--format", "json", "a.rules"], context: &context)
        #expect(status == .findings)
        let doc = try JSONParser.parse(context.stdout.text)
        #expect(doc["version"]?.int64Value == 1)
        #expect(doc["files"]?.int64Value == 1)
        let d = doc["diagnostics"]?[0]
        #expect(d?["code"]?.stringValue == "R3005")
        #expect(d?["file"]?.stringValue == "a.rules")
        #expect(d?["line"]?.int64Value == 3)
        #expect(d?["column"]?.int64Value == 16)
        #expect(doc["summary"]?["errors"]?.int64Value == 1)
    }
}

/// `rulec explain` knows every code any phase can emit, each once.
@Suite("Diagnostic catalog")
struct DiagnosticCatalogTests {
    @Test("every code is listed once, with a unique number and name")
    func unique() {
        let codes = ExplainCommand.allCodes
        #expect(Set(codes.map(\.number)).count == codes.count)
        #expect(Set(codes.map(\.name)).count == codes.count)
        for id in ["R1004", "R2007", "R3001", "R4001", "R5001", "R6001", "R9001", "R9101"] {
            #expect(codes.contains { $0.id == id }, "\(id) missing from rulec explain")
        }
    }
}
