import Foundation
import RuleBase
import RuleJSON
import RuleSemantics
import RuleGraph
import RuleTools

/// `rulec compile`: check a rulebook and print the rule graph of its templates, or with
/// `--target broker-json` the broker's JSON objects.
enum CompileCommand: CLICommand {
    static let spec = CommandSpec(
        name: "compile",
        abstract: "Compile a rulebook to its typed rule graph or to broker JSON.",
        discussion: "Prints every template's graph, or one with --template. With --target broker-json it prints the broker's objects instead (one document with --template, else an array of them); a construct the broker cannot express is an error, or with --lossy a warning and left out.",
        options: [
            .value("template", placeholder: "name", help: "only this template"),
            .value("emit", placeholder: "graph|dot", help: "graph: readable text; dot: Graphviz", default: "graph"),
            .value("target", placeholder: "broker-json", help: "broker-json: the broker's post- and pre-trade objects"),
            .flag("lossy", help: "with --target broker-json: warn about constructs without a broker field and leave them out"),
            .value("root", placeholder: "dir", help: "rulebook root that imports may not leave"),
        ],
        positionals: [.repeated("rulebook", help: "rulebook files or folders; '-' reads stdin", atLeastOne: true)])

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        let emit: String?
        let target: String?
        do {
            emit = try args.value("emit", oneOf: ["graph", "dot"])
            target = try args.value("target", oneOf: ["broker-json"])
        } catch { return context.usageError(error, command: spec) }
        if target == nil && args.flag("lossy") {
            return context.usageError(UsageError("--lossy only applies to --target broker-json"), command: spec)
        }
        let loaded: RulebookLoader.Loaded
        switch CommandSupport.loadClean(args, &context) {
        case let .success(l): loaded = l
        case let .failure(status): return status.status
        }
        let rb = loaded.rulebook
        if target == "broker-json" { return brokerJSON(rb, args, &context) }
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

    /// `--target broker-json`: the documents on stdout; lossy constructs as errors (nothing
    /// printed, exit 1) or, with `--lossy`, as warnings.
    static func brokerJSON(_ rb: CheckedRulebook, _ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        var templates = rb.effectiveTemplates
        if let name = args.value("template") {
            guard let t = rb.effective(name) else { return CommandSupport.unknownTemplate(name, in: rb, &context) }
            templates = [t]
        }
        let results = templates.map { BrokerExport.export($0, in: rb, offset: hostOffset) }
        let lossy = args.flag("lossy")
        let locate = CommandSupport.locator(rb.sources)
        var count = 0
        for (t, r) in zip(templates, results) {
            for issue in r.issues {
                count += 1
                let at = issue.span.map { locate($0) + ": " } ?? ""
                let text = "\(at)template `\(t.name.value)`: \(issue.message)"
                if lossy { context.warning(text) } else { context.error(text) }
            }
        }
        if count > 0 && !lossy {
            context.stderr.line("\(count) construct\(count == 1 ? " has" : "s have") no broker field; pass --lossy to leave \(count == 1 ? "it" : "them") out with a warning")
            return .findings
        }
        // Firm rules: exported as no broker field, listed as monitored (a warning each).
        var documents: [JSONValue] = []
        for (t, r) in zip(templates, results) {
            let monitored = BrokerExport.monitored(t)
            for m in monitored { context.warning("\(locate(m.span)): template `\(t.name.value)`: \(m.message)") }
            documents.append(BrokerExport.document(r, monitored: monitored))
        }
        let json: JSONValue = args.value("template") != nil ? documents[0] : .array(documents)
        context.stdout.write(json.readableText())
        return .success
    }

    /// The UTC offset of a wall time in an IANA zone, from the host's tz database (for a
    /// `flatten_at` written without an offset).
    static let hostOffset: BrokerExport.OffsetProvider = { wall, zone in
        guard let tz = TimeZone(identifier: zone) else { return nil }
        func offset(at seconds: Int64) -> Int64 {
            Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(seconds))))
        }
        let guess = offset(at: wall.wallSeconds)
        let second = offset(at: wall.wallSeconds - guess)
        return UTCOffset(seconds: Int32(second))
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
        let hint = near.map { "; did you mean `\($0)`?" }
            ?? (names.isEmpty ? "; it defines no templates" : "; templates: " + names.map { "`\($0)`" }.joined(separator: ", "))
        context.error("no template `\(name)` in the rulebook" + hint)
        return .usage
    }

    /// `file:line` for a span, for printed graphs and explanations.
    static func locator(_ sources: SourceMap) -> @Sendable (Span) -> String {
        { span in
            let f = sources[span.file]
            return "\(f.path):\(f.location(of: span.start).line)"
        }
    }
}
