import RuleBase
import RuleSemantics
import RuleEngine
import RuleTools

/// `rulec test`: runs the rulebook tests (`test` blocks, usually in `*.test.rules` files next to
/// the rulebooks they import) and reports each, with the settings no test exercised.
enum TestCommand: CLICommand {
    static let formats = ["text", "json", "junit"]

    static let spec = CommandSpec(
        name: "test",
        abstract: "Run rulebook tests: timed events and the decisions expected after each.",
        discussion: """
            Folders are searched recursively for *.rules files; each file is checked as its own \
            rulebook (with its imports) and the `test` blocks it holds are run through the \
            engine, in order. A failing test stops at the first event whose expectations do not \
            hold and shows them beside what the engine decided. --coverage lists the settings of \
            each tested template (and each account template without a test) that no test \
            exercised. See README "Rulebook tests". Exit status: 0 every test passed, 1 a test \
            failed, a rulebook has errors or there is no test; 2 usage or I/O error.
            """,
        options: [
            .value("format", placeholder: "text|json|junit", help: "output format", default: "text"),
            .flag("coverage", help: "list the settings no test exercised"),
            .value("root", placeholder: "dir", help: "rulebook root that imports may not leave (default: the current folder)"),
        ],
        positionals: [.repeated("path", help: "test files or folders; '-' reads stdin", atLeastOne: true)])

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        let format: String?
        do { format = try args.value("format", oneOf: formats) } catch { return context.usageError(error, command: spec) }
        let loaded: [RulebookLoader.Loaded]
        do { loaded = try RulebookLoader(paths: args.positionals, root: args.value("root")).loadEach(&context) } catch {
            return context.fileError(error)
        }
        // A rulebook with errors cannot be replayed: report its errors (a shared import's once).
        var seen = Set<String>()
        var errors = 0
        let renderer = DiagnosticRenderer(color: context.terminal.colorsStderr)
        for l in loaded {
            for d in l.diagnostics where d.severity == .error {
                let text = renderer.render(d, sources: l.rulebook.sources)
                guard seen.insert(text).inserted else { continue }
                errors += 1
                context.stderr.write(text + "\n")
            }
        }
        if errors > 0 {
            context.error("\(errors) error\(errors == 1 ? "" : "s") in the rulebooks; no test was run")
            return .findings
        }
        var session = TestSession(zone: { ZoneRules.load(identifier: $0) })
        for l in loaded { session.run(l.rulebook) }
        let report = session.report()
        guard !report.results.isEmpty else {
            context.error("no tests in \(args.positionals.map { "`\($0)`" }.joined(separator: ", ")): write `test \"name\" { ... }` blocks (README \"Rulebook tests\")")
            return .findings
        }
        let coverage = args.flag("coverage")
        switch format ?? "text" {
        case "json": context.stdout.write(TestReportFormats.json(report, coverage: coverage))
        case "junit": context.stdout.write(report.junit())
        default: context.stdout.write(report.text(coverage: coverage))
        }
        return report.failed > 0 ? .findings : .success
    }
}
