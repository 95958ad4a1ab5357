import RuleBase
import RuleSemantics
import RuleTools

/// `rulec diff`: what two versions of a rulebook mean differently, per effective template,
/// each change marked tightens, loosens or neutral; the reviewer's view and a CI gate.
enum DiffCommand: CLICommand {
    static let spec = CommandSpec(
        name: "diff",
        abstract: "Compare the effective templates of two rulebooks: what tightens, loosens or is neutral.",
        discussion: """
            Inputs are two files or folders (`rulec diff old.rules new.rules`), or a git revision range \
            with optional paths (`rulec diff main..HEAD -- rules/`), read with git. Reformatting, comments \
            and reordering produce no changes. With --textconv, prints a canonical listing of one \
            rulebook's effective templates for git's textconv. Exit status: 0, or 1 when --fail-on \
            matches a change or a rulebook has errors; 2 usage or I/O error.
            """,
        options: [
            .value("format", placeholder: "text|markdown|json", help: "output format", default: "text"),
            .value("fail-on", placeholder: "condition,...",
                   help: "exit 1 when a change loosens (context-dependent ones count; loosen-only does not), is context-dependent, tightens, or at all (loosen, loosen-only, context-dependent, tighten, any); with --replay also new-liquidation, new-lock, divergence"),
            .value("replay", placeholder: "history", help: "replay this fleet history (JSON Lines) under both rulebooks"),
            .value("accounts", placeholder: "file", help: "the fleet's accounts for --replay (JSON Lines)"),
            .value("jobs", short: "j", placeholder: "n", help: "worker threads for --replay (default: the machine's cores)"),
            .flag("skip-bad", help: "with --replay, skip bad history lines (reported and counted) instead of stopping"),
            .flag("textconv", help: "print a canonical listing of one rulebook (for git's diff.<driver>.textconv)"),
            .value("root", placeholder: "dir", help: "rulebook root that imports may not leave"),
        ],
        positionals: [.repeated("input", help: "OLD NEW (files or folders), or REV1..REV2 [-- PATH...]", atLeastOne: true)])

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        let format: String?
        var failOn: [String] = []
        do throws(UsageError) {
            format = try args.value("format", oneOf: ["text", "markdown", "json"])
            if let f = args.value("fail-on") {
                failOn = f.split(separator: ",", omittingEmptySubsequences: false).map { String($0) }
                let known = args.value("replay") == nil ? staticConditions : staticConditions + CounterfactualDiff.conditions
                for c in failOn where !known.contains(c) {
                    if CounterfactualDiff.conditions.contains(c) { throw UsageError("--fail-on \(c) needs --replay HISTORY --accounts ACCOUNTS") }
                    let near = Suggestion.closest(to: c, among: known).map { "; did you mean `\($0)`?" } ?? ""
                    throw UsageError("unknown --fail-on condition `\(c)`\(near) (one of \(known.joined(separator: ", ")))")
                }
            }
            if (args.value("replay") == nil) != (args.value("accounts") == nil) {
                throw UsageError("--replay and --accounts go together: the history and the accounts it names")
            }
            if args.value("replay") == nil, let flag = args.value("jobs") != nil ? "--jobs" : args.flag("skip-bad") ? "--skip-bad" : nil {
                throw UsageError("\(flag) is for --replay HISTORY --accounts ACCOUNTS")
            }
        } catch { return context.usageError(error, command: spec) }
        let inputs = args.positionals

        if args.flag("textconv") {
            guard inputs.count == 1 else {
                return context.usageError(UsageError("--textconv takes exactly one file"), command: spec)
            }
            return textconv(inputs[0], root: args.value("root"), &context)
        }

        let old: RulebookLoader.Loaded, new: RulebookLoader.Loaded
        let oldLabel: String, newLabel: String
        do throws(FileError) {
            if let first = inputs.first, context.fileSystem.kind(of: first) == nil, let range = GitRevisions.parseRange(first) {
                let git = GitRevisions(directory: context.currentDirectory)
                let paths = inputs.count > 1 ? Array(inputs.dropFirst()) : ["."]
                (oldLabel, newLabel) = range
                old = try git.load(revision: range.old, paths: paths)
                new = try git.load(revision: range.new, paths: paths)
            } else {
                guard inputs.count == 2 else {
                    let why = inputs.count < 2 ? "expected two rulebooks (OLD NEW) or a revision range such as `main..HEAD`"
                                               : "expected two rulebooks (OLD NEW), found \(inputs.count) paths; to compare git revisions write `REV1..REV2 -- PATH...`"
                    return context.usageError(UsageError(why), command: spec)
                }
                (oldLabel, newLabel) = (inputs[0], inputs[1])
                old = try RulebookLoader(paths: [inputs[0]], root: args.value("root")).load(&context)
                new = try RulebookLoader(paths: [inputs[1]], root: args.value("root")).load(&context)
            }
        } catch {
            return context.fileError(error)
        }
        for (side, label) in [(old, oldLabel), (new, newLabel)] where side.diagnostics.hasErrors {
            let renderer = DiagnosticRenderer(color: context.terminal.colorsStderr)
            for d in side.diagnostics where d.severity == .error {
                context.stderr.write(renderer.render(d, sources: side.rulebook.sources) + "\n")
            }
            context.error("cannot compare: `\(label)` has errors; `rulec check` lists them")
            return .findings
        }

        let diff = SemanticDiff.compare(old: old.rulebook, new: new.rulebook, oldLabel: oldLabel, newLabel: newLabel)
        if let history = args.value("replay"), let accounts = args.value("accounts") {
            return CounterfactualDiff.run(diff, old: old.rulebook, new: new.rulebook, history: history, accounts: accounts,
                                          format: format ?? "text", failOn: failOn, args, &context)
        }
        switch format ?? "text" {
        case "markdown": context.stdout.write(DiffMarkdownRenderer.render(diff))
        case "json": context.stdout.write(DiffJSONRenderer.render(diff))
        default: context.stdout.write(DiffTextRenderer.render(diff, color: context.terminal.colorsStdout))
        }
        return failOn.contains { matches($0, diff) } ? .findings : .success
    }

    static let staticConditions = RulebookDiff.failOnChoices

    /// Whether a static `--fail-on` condition holds for `diff`.
    static func matches(_ condition: String, _ diff: RulebookDiff) -> Bool {
        diff.fails(on: condition)
    }

    // MARK: textconv

    /// Where git's temporary copy of a blob is placed inside the rulebook root: deep enough that
    /// `../` imports stay inside, and named so that no real folder is mistaken for it.
    static let virtualDirectory = "__rulec_textconv__/.d1/.d2/.d3/.d4"

    /// `rulec diff --textconv FILE`: the canonical listing. git passes a temporary file for old
    /// blobs, so imports that cannot be found next to it are looked up under the root (git runs
    /// textconv at the top of the work tree): first as written, then as the one `*.rules` file
    /// whose path ends with the import's path. Always exits 0 on a readable file, so that
    /// `git diff` keeps working on a broken rulebook; the listing notes the errors.
    static func textconv(_ path: String, root: String?, _ context: inout Context) -> ExitStatus {
        let cwd = context.currentDirectory
        let rootDir = RulebookLoader.absolute(root ?? ".", cwd: cwd)
        let loaded: RulebookLoader.Loaded
        do throws(FileError) {
            if path != "-", RulebookLoader.isInside(RulebookLoader.absolute(path, cwd: cwd), rootDir) {
                loaded = try RulebookLoader(paths: [path], root: rootDir).load(&context)
            } else {
                let bytes = try context.readInput(path)
                let base = path == "-" ? "stdin.rules" : String(path.split(separator: "/").last ?? "input.rules")
                let entry = virtualDirectory + "/" + base
                let fs = context.fileSystem
                var catalog: [String]?
                loaded = RulebookLoader.check(entries: [entry]) { p in
                    if p == entry { return .loaded(bytes) }
                    var parts = p.split(separator: "/").map(String.init)
                    while let f = parts.first, f == "__rulec_textconv__" || (f.hasPrefix(".d") && f.count == 3) { parts.removeFirst() }
                    let rest = parts.joined(separator: "/")
                    let direct = rootDir + "/" + rest
                    if fs.kind(of: direct) == .file, let b = try? fs.readFile(direct) { return .loaded(b) }
                    if catalog == nil { catalog = (try? RuleFileDiscovery.discover([rootDir], in: fs)) ?? [] }
                    guard let match = catalog?.first(where: { $0.hasSuffix("/" + rest) }),
                          let b = try? fs.readFile(match) else { return .notFound }
                    return .loaded(b)
                }
            }
        } catch {
            return context.fileError(error)
        }
        context.stdout.write(SemanticListing.render(loaded.rulebook))
        let errors = loaded.diagnostics.filter { $0.severity == .error }.count
        if errors > 0 {
            context.stdout.line("# note: \(errors) \(errors == 1 ? "error" : "errors") in this rulebook; `rulec check` lists them")
        }
        return .success
    }
}
