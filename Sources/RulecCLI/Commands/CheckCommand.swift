import Foundation
import RuleBase
import RuleSemantics
import RuleSyntax

/// `rulec check`: parse, resolve, type-check and lint rulebooks; the CI gate.
enum CheckCommand: CLICommand {
    static let formats = ["text", "json", "github", "sarif"]

    static let spec = CommandSpec(
        name: "check",
        abstract: "Parse, resolve, type-check and lint rulebooks.",
        discussion: "Folders are searched recursively for *.rules files; each file is checked as its own rulebook, with its imports. Exit status: 0 clean, 1 errors (or warnings with --deny-warnings), 2 usage or I/O error.",
        options: [
            .value("format", placeholder: "text|json|github|sarif", help: "output format", default: "text"),
            .flag("deny-warnings", help: "exit 1 when there are warnings (notes never fail)"),
            .repeatedValue("warn", placeholder: "code", help: "report this lint as a warning (a code or name such as R5015; commas separate several)"),
            .repeatedValue("deny", placeholder: "code", help: "report this lint as an error, which fails the check"),
            .repeatedValue("allow", placeholder: "code", help: "do not report this lint"),
            .value("now", placeholder: "date-time", help: "the instant past dates are judged against, e.g. 2026-11-23T18:00Z (default: the current time)"),
            .value("root", placeholder: "dir", help: "rulebook root that imports may not leave (default: the current folder)"),
        ],
        positionals: [.repeated("path", help: "rulebook files or folders; '-' reads stdin", atLeastOne: true)])

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        let format: String?
        let now: Instant
        let levels: LintLevels
        do {
            format = try args.value("format", oneOf: formats)
            now = try args.value("now").map(parseInstant) ?? context.now()
            levels = try lintLevels(args)
        } catch {
            return context.usageError(error, command: spec)
        }
        let loaded: RulebookLoader.Checked
        do { loaded = try RulebookLoader(paths: args.positionals, root: args.value("root"), now: now, lints: true, levels: levels).checkEach(&context) } catch {
            return context.fileError(error)
        }
        let diags = loaded.diagnostics
        let sources = loaded.sources
        switch format ?? "text" {
        case "json":
            context.stdout.write(DiagnosticFormats.json(diags, sources: sources, files: loaded.fileCount))
        case "sarif":
            context.stdout.write(SarifFormat.sarif(diags, sources: sources))
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

    /// `--warn`, `--deny` and `--allow`: codes or names, repeatable or comma-separated. One
    /// code given two different levels is a usage error rather than a silent winner.
    static func lintLevels(_ args: ParsedArguments) throws(UsageError) -> LintLevels {
        var levels = LintLevels()
        var seen: [UInt16: LintLevel] = [:]
        for level in LintLevel.allCases {
            for value in args.values(level.rawValue) {
                for part in value.split(separator: ",") {
                    let word = part.trimmingCharacters(in: .whitespaces)
                    guard let code = LintLevels.lint(named: word) else {
                        throw UsageError("`--\(level.rawValue)`: " + LintLevels.problem(with: word))
                    }
                    if code == .invalidSuppression {
                        throw UsageError("`--\(level.rawValue) \(word)`: a malformed suppression is always an error")
                    }
                    if let other = seen[code.number], other != level {
                        throw UsageError("`\(code.id)` is given both `--\(other.rawValue)` and `--\(level.rawValue)`; give it one level")
                    }
                    seen[code.number] = level
                    levels.set(code, level)
                }
            }
        }
        return levels
    }

    /// An ISO-8601 date-time with a UTC offset, read by the rulebook lexer:
    /// `2026-11-23T18:00Z`, `2026-11-23T12:00:30-06:00`.
    static func parseInstant(_ text: String) throws(UsageError) -> Instant {
        let (tokens, problems) = Lexer.tokenize(SourceFile(id: FileID(0), path: "--now", text: text))
        guard problems.isEmpty, tokens.count == 2, tokens[0].kind == .dateTime, tokens[0].end == UInt32(text.utf8.count),
              let instant = tokens[0].dateTime.instant else {
            throw UsageError("`--now` expects a date-time with a UTC offset, e.g. `2026-11-23T18:00Z`, found `\(text)`")
        }
        return instant
    }
}
