import RuleBase
import RuleSyntax
import RuleFormat
import RuleGraph

/// `rulec fmt`: one canonical layout for rulebooks, so text diffs show only real changes.
enum FmtCommand: CLICommand {
    static let spec = CommandSpec(
        name: "fmt",
        abstract: "Format rulebooks in the canonical layout.",
        discussion: "With one file (or '-') and no flag, prints the formatted text. --check lists files that would change (exit 1); --write rewrites them atomically. Files with syntax errors are refused. Every result is re-parsed and, when the rulebook checks, its rule graph is compared with the original's: if anything differs, nothing is written.",
        options: [
            .flag("check", help: "exit 1 and list the files that are not formatted"),
            .flag("diff", help: "with --check, print a unified diff per file"),
            .flag("write", short: "w", help: "rewrite files in place (atomically)"),
            .value("root", placeholder: "dir", help: "rulebook root for the rule-graph self-check"),
        ],
        positionals: [.repeated("path", help: "rulebook files or folders; '-' reads stdin and writes stdout", atLeastOne: true)])

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        let check = args.flag("check"), write = args.flag("write")
        if check && write {
            return context.usageError(UsageError("`--check` and `--write` cannot be combined"), command: spec)
        }
        if args.flag("diff") && !check {
            return context.usageError(UsageError("`--diff` works with `--check`"), command: spec)
        }
        let files: [String]
        do { files = try RuleFileDiscovery.discover(args.positionals, in: context.fileSystem) } catch {
            return context.fileError(error)
        }
        if !check && !write && files.count > 1 {
            return context.usageError(UsageError("formatting \(files.count) files: add `--write` to rewrite them or `--check` to list them"), command: spec)
        }
        if write && files.contains("-") {
            return context.usageError(UsageError("`--write` cannot rewrite stdin"), command: spec)
        }
        var status = ExitStatus.success
        var unformatted = 0
        for path in files {
            let bytes: [UInt8]
            do { bytes = try context.readInput(path) } catch { return context.fileError(error) }
            var sources = SourceMap()
            let id = sources.add(path: path == "-" ? "<stdin>" : path, bytes: bytes)
            let result = Formatter.format(sources[id])
            guard result.status == .formatted, let text = result.text else {
                let renderer = DiagnosticRenderer(color: context.terminal.colorsStderr)
                for d in result.diagnostics { context.stderr.write(renderer.render(d, sources: sources) + "\n") }
                context.error(result.status == .refused
                              ? "not formatting `\(path)`: it has syntax errors"
                              : "internal error while formatting `\(path)`; nothing was written")
                status = .findings
                continue
            }
            if path != "-" && result.changed, let problem = graphChanged(path: path, formatted: Array(text.utf8), args, &context) {
                context.error("internal error: formatting `\(path)` would change its rule graph (\(problem)); nothing was written")
                status = .findings
                continue
            }
            if check {
                if result.changed {
                    unformatted += 1
                    context.stdout.line("would reformat \(path)")
                    if args.flag("diff") {
                        context.stdout.write(unifiedDiff(old: String(decoding: bytes, as: UTF8.self), new: text, path: path))
                    }
                }
            } else if write {
                if result.changed {
                    do { try context.writeOutput(path, bytes: Array(text.utf8)) } catch { return context.fileError(error) }
                    context.stdout.line("formatted \(path)")
                }
            } else {
                context.stdout.write(text)
            }
        }
        if check && unformatted > 0 {
            context.stderr.line("\(unformatted) of \(files.count) file\(files.count == 1 ? "" : "s") would be reformatted")
            return .findings
        }
        return status
    }

    /// Checks the rulebook with and without the formatted text and compares the rule graphs;
    /// returns what differs, or nil when they agree (or the rulebook does not check at all).
    static func graphChanged(path: String, formatted: [UInt8], _ args: ParsedArguments, _ context: inout Context) -> String? {
        let before: RulebookLoader.Loaded, after: RulebookLoader.Loaded
        let absolute = RulebookLoader.absolute(path, cwd: context.currentDirectory)
        do {
            before = try RulebookLoader(paths: [path], root: args.value("root")).load(&context)
            after = try RulebookLoader(paths: [path], root: args.value("root"), overrides: [absolute: formatted]).load(&context)
        } catch { return nil }
        if before.diagnostics.hasErrors { return nil }
        if after.diagnostics.hasErrors { return "the formatted text does not check" }
        let a = Lowering.lower(before.rulebook), b = Lowering.lower(after.rulebook)
        guard a.count == b.count else { return "template count differs" }
        for (x, y) in zip(a, b) where !x.sameMeaning(as: y) { return "template `\(x.template)` differs" }
        return nil
    }
}
