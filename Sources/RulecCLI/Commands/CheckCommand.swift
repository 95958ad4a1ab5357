import RuleBase

/// `rulec check`: parse, resolve, type-check and lint rulebooks; the CI gate.
enum CheckCommand: CLICommand {
    static let spec = CommandSpec(
        name: "check",
        abstract: "Parse, resolve, type-check and lint rulebooks.",
        discussion: "Folders are searched recursively for *.rules files. Exit status: 0 clean, 1 errors (or warnings with --deny-warnings), 2 usage or I/O error.",
        options: [
            .value("format", placeholder: "text|json|github", help: "output format", default: "text"),
            .flag("deny-warnings", help: "exit 1 when there are warnings"),
            .value("root", placeholder: "dir", help: "rulebook root that imports may not leave (default: the current folder)"),
        ],
        positionals: [.repeated("path", help: "rulebook files or folders; '-' reads stdin", atLeastOne: true)])

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        let format: String?
        do { format = try args.value("format", oneOf: ["text", "json", "github"]) } catch {
            return context.usageError(error, command: spec)
        }
        let loaded: RulebookLoader.Loaded
        do { loaded = try RulebookLoader(paths: args.positionals, root: args.value("root")).load(&context) } catch {
            return context.fileError(error)
        }
        let diags = loaded.diagnostics
        let sources = loaded.rulebook.sources
        switch format ?? "text" {
        case "json":
            context.stdout.write(DiagnosticFormats.json(diags, sources: sources, files: loaded.fileCount))
        case "github":
            context.stdout.write(DiagnosticFormats.github(diags, sources: sources))
            context.stdout.line(DiagnosticFormats.summary(diags, files: loaded.fileCount))
        default:
            let renderer = DiagnosticRenderer(color: context.terminal.colorsStdout)
            for d in diags { context.stdout.write(renderer.render(d, sources: sources) + "\n") }
            context.stdout.line(DiagnosticFormats.summary(diags, files: loaded.fileCount))
        }
        if diags.hasErrors { return .findings }
        if args.flag("deny-warnings") && diags.contains(where: { $0.severity == .warning }) { return .findings }
        return .success
    }
}
