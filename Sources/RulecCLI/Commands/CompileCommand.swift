import RuleBase
import RuleSemantics
import RuleGraph

/// `rulec compile`: check a rulebook and print the rule graph of its templates.
enum CompileCommand: CLICommand {
    static let spec = CommandSpec(
        name: "compile",
        abstract: "Compile a rulebook to its typed rule graph.",
        discussion: "Prints every template's graph, or one with --template.",
        options: [
            .value("template", placeholder: "name", help: "only this template"),
            .value("emit", placeholder: "graph|dot", help: "graph: readable text; dot: Graphviz", default: "graph"),
            .value("root", placeholder: "dir", help: "rulebook root that imports may not leave"),
        ],
        positionals: [.repeated("rulebook", help: "rulebook files or folders; '-' reads stdin", atLeastOne: true)])

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        let emit: String?
        do { emit = try args.value("emit", oneOf: ["graph", "dot"]) } catch { return context.usageError(error, command: spec) }
        let loaded: RulebookLoader.Loaded
        switch CommandSupport.loadClean(args, &context) {
        case let .success(l): loaded = l
        case let .failure(status): return status.status
        }
        let rb = loaded.rulebook
        var graphs = Lowering.lower(rb)
        if let name = args.value("template") {
            guard let g = graphs.first(where: { $0.template == name }) else {
                return CommandSupport.unknownTemplate(name, in: rb, &context)
            }
            graphs = [g]
        }
        let locate = CommandSupport.locator(rb.sources)
        if emit == "dot" {
            context.stdout.write(GraphPrinter.dot(graphs, locate: locate))
        } else {
            context.stdout.write(graphs.map { GraphPrinter.text($0, locate: locate) }.joined(separator: "\n"))
        }
        return .success
    }
}

/// Shared steps of the commands that need an error-free rulebook.
enum CommandSupport {
    /// Why a command stopped before it could run: already reported, with its exit status.
    struct Stopped: Error { var status: ExitStatus }

    /// Loads and checks; on errors prints them to stderr and stops with 1 (2 when a file
    /// could not be read at all).
    static func loadClean(_ args: ParsedArguments, _ context: inout Context,
                          paths: [String]? = nil) -> Result<RulebookLoader.Loaded, Stopped> {
        let loaded: RulebookLoader.Loaded
        do { loaded = try RulebookLoader(paths: paths ?? args.positionals, root: args.value("root")).load(&context) } catch {
            return .failure(Stopped(status: context.fileError(error)))
        }
        if loaded.diagnostics.hasErrors {
            let renderer = DiagnosticRenderer(color: context.terminal.colorsStderr)
            for d in loaded.diagnostics { context.stderr.write(renderer.render(d, sources: loaded.rulebook.sources) + "\n") }
            context.stderr.line(DiagnosticFormats.summary(loaded.diagnostics, files: loaded.fileCount))
            return .failure(Stopped(status: .findings))
        }
        return .success(loaded)
    }

    static func unknownTemplate(_ name: String, in rb: CheckedRulebook, _ context: inout Context) -> ExitStatus {
        let names = rb.effectiveTemplates.map(\.name.value)
        let near = Suggestion.closest(to: name, among: names)
        context.error("no template `\(name)` in the rulebook" + (near.map { "; did you mean `\($0)`?" } ?? "; templates: " + names.joined(separator: ", ")))
        return .usage
    }

    /// `file:line` for a span, for printed graphs and explanations.
    static func locator(_ sources: SourceMap) -> (Span) -> String {
        { span in
            let f = sources[span.file]
            return "\(f.path):\(f.location(of: span.start).line)"
        }
    }
}
