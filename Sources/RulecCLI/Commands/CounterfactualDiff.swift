import RuleBase
import RuleJSON
import RuleSemantics
import RuleEngine
import RuleCodecs
import RuleTools
import RuleFleet

/// `rulec diff OLD NEW --replay HISTORY --accounts ACCOUNTS`: the static diff, and what the
/// change would have done to the fleet's accounts on their real history.
enum CounterfactualDiff {
    static let conditions = ["new-liquidation", "new-lock", "divergence"]

    static func run(_ diff: RulebookDiff, old: CheckedRulebook, new: CheckedRulebook, history: String, accounts accountsPath: String,
                    format: String, failOn: [String], _ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        var jobs = ReplayCommand.defaultJobs()
        if let j = args.value("jobs") {
            guard let n = Int(j), n >= 1, n <= 256 else {
                return context.usageError(UsageError("--jobs must be a whole number from 1 to 256"), command: DiffCommand.spec)
            }
            jobs = n
        }
        let oldSetups: [EngineSetup], newSetups: [EngineSetup]
        switch EngineSetup.all(old, &context) {
        case .success(let s): oldSetups = s
        case .failure(let s): return s.status
        }
        switch EngineSetup.all(new, &context) {
        case .success(let s): newSetups = s
        case .failure(let s): return s.status
        }
        let accountBytes: [UInt8]
        do { accountBytes = try context.readInput(accountsPath) } catch { return context.fileError(error) }
        var sides: [CounterfactualSide] = []
        for (setups, label) in [(oldSetups, diff.oldLabel), (newSetups, diff.newLabel)] {
            switch AccountsFile.parse(accountBytes, templates: setups) {
            case .success(let a): sides.append(CounterfactualSide(templates: setups, accounts: a))
            case .failure(let e):
                context.error("\(accountsPath):\(e.line):\(e.column): \(e.message) (in `\(label)`)")
                return .findings
            }
        }
        let input: ChunkedInput
        do { input = try context.openInput(history) } catch { return context.fileError(error) }
        let replay = CounterfactualReplay(old: sides[0], new: sides[1],
                                          options: ReplayOptions(jobs: jobs, skipBad: args.flag("skip-bad"), decisions: false))
        let result = replay.run(read: { input.next() })
        if let e = input.error { return context.fileError(e) }
        for p in result.skipped { context.warning("\(history):\(p) (skipped)") }
        if !result.skipped.isEmpty {
            context.warning("skipped \(result.skipped.count) bad line\(result.skipped.count == 1 ? "" : "s")")
        }
        if let p = result.stopped {
            context.error("\(history):\(p)")
            return .findings
        }
        let name = history == "-" ? "stdin" : history
        switch format {
        case "markdown":
            context.stdout.write(CounterfactualReport.markdownSummary(result, history: name) + "\n")
            context.stdout.write(DiffMarkdownRenderer.render(diff))
            let accounts = CounterfactualReport.markdownAccounts(result)
            if !accounts.isEmpty { context.stdout.write("\n" + accounts) }
        case "json":
            context.stdout.write(json(diff, result, history: name))
        default:
            context.stdout.write(DiffTextRenderer.render(diff, color: context.terminal.colorsStdout))
            context.stdout.write("\n" + CounterfactualReport.text(result, history: name))
        }
        let t = result.totals
        let hit = failOn.contains { c in
            switch c {
            case "new-liquidation": return t.newlyLiquidated > 0
            case "new-lock": return t.newlyLocked > 0
            case "divergence": return t.diverged > 0
            default: return DiffCommand.matches(c, diff)
            }
        }
        return hit ? .findings : .success
    }

    /// The JSON document, schema version 1: `{"version":1,"diff":…,"counterfactual":…}`; `diff`
    /// is `rulec diff --format json`'s document.
    static func json(_ diff: RulebookDiff, _ r: CounterfactualResult, history: String) -> String {
        let staticPart = DiffJSONRenderer.render(diff).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.isEmpty ? "" : "  " + $0 }.joined(separator: "\n")
        let s = ByteSink(capacity: 1 << 14)
        CounterfactualReport.json(r, history: history, into: s)
        var trimmed = staticPart
        while trimmed.hasSuffix("\n") { trimmed.removeLast() }
        return "{\n  \"version\": 1,\n  \"diff\": " + trimmed.drop { $0 == " " } + ",\n  \"counterfactual\": " + s.text + "\n}\n"
    }
}
