import Foundation
import RuleBase
import RuleJSON
import RuleGraph
import RuleEngine
import RuleCodecs
import RuleFleet

/// `rulec replay`: every account of a fleet on one execution history, in parallel, sharded on
/// request; or `--merge` of shard outputs.
enum ReplayCommand: CLICommand {
    static let spec = CommandSpec(
        name: "replay",
        abstract: "Replay one execution history for a whole fleet of accounts.",
        discussion: """
            --accounts is JSON Lines, one account per line (account id, template, optional \
            starting state with the fields of a state file). --events is one history for all \
            accounts: JSON Lines events as for `simulate`, each naming its `account`, in time \
            order per account (accounts may interleave freely). Output: the decisions as JSON \
            Lines in input-line order, each tagged with its account and input line, then one \
            summary per account (sorted by id) and the fleet totals; other formats print the \
            summary only (--decisions FILE also writes the decision lines). Identical bytes for \
            any --jobs. --shard K/N keeps the accounts whose FNV-1a 64 hash of the id is K-1 \
            modulo N; --merge combines the JSON Lines outputs of the N shards into the unsharded \
            output. A bad line stops the run (exit 1) unless --skip-bad skips and counts it. \
            See README "Fleet replay".
            """,
        options: [
            .value("accounts", placeholder: "file", help: "the accounts (JSON Lines)"),
            .value("events", placeholder: "file", help: "the history (JSON Lines; '-' reads stdin)"),
            .value("format", placeholder: "jsonl|json|text|markdown|html", help: "output format", default: "jsonl"),
            .value("output", short: "o", placeholder: "file", help: "write the output here, atomically (default: stdout)"),
            .value("decisions", placeholder: "file", help: "with a summary format, also write the decision lines (JSON Lines) here"),
            .value("jobs", short: "j", placeholder: "n", help: "worker threads (default: the machine's cores)"),
            .value("shard", placeholder: "K/N", help: "replay only shard K of N (1 <= K <= N)"),
            .flag("merge", help: "merge shard outputs (the positionals are `--format jsonl` outputs of each shard)"),
            .flag("pipe", help: "--events is a partition bundle: `A<TAB>account` lines, then `E<TAB>line<TAB>event` lines (the Spark example)"),
            .flag("skip-bad", help: "skip bad lines (reported on stderr and counted) instead of stopping"),
            .value("root", placeholder: "dir", help: "rulebook root that imports may not leave"),
        ],
        positionals: [.repeated("path", help: "rulebook files or folders (with --merge: shard outputs)", atLeastOne: true)])

    static let formats = ["jsonl", "json", "text", "markdown", "html"]

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        let format: String
        do { format = try args.value("format", oneOf: formats) ?? "jsonl" } catch { return context.usageError(error, command: spec) }
        if args.flag("merge") { return merge(args, format: format, &context) }
        let pipe = args.flag("pipe")
        if pipe && args.value("accounts") != nil {
            return context.usageError(UsageError("with --pipe the accounts come in the bundle (`A<TAB>account` lines); drop --accounts"), command: spec)
        }
        guard let eventsPath = args.value("events") else { return context.usageError(UsageError("missing --events <file>"), command: spec) }
        guard pipe || args.value("accounts") != nil else { return context.usageError(UsageError("missing --accounts <file>"), command: spec) }
        let accountsPath = args.value("accounts") ?? eventsPath
        var jobs = defaultJobs()
        if let j = args.value("jobs") {
            guard let n = Int(j), n >= 1, n <= 256 else { return context.usageError(UsageError("--jobs must be a whole number from 1 to 256"), command: spec) }
            jobs = n
        }
        var shard: (index: Int, count: Int)?
        if let s = args.value("shard") {
            let parts = s.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, n <= 1_000_000, k >= 1, k <= n else {
                return context.usageError(UsageError("--shard must be K/N with 1 <= K <= N, like 2/8"), command: spec)
            }
            shard = (k - 1, n)
        }
        if args.value("decisions") != nil && format == "jsonl" {
            return context.usageError(UsageError("--decisions is for the summary formats; --format jsonl already writes the decision lines"), command: spec)
        }

        // The templates of the rulebook.
        let loaded: RulebookLoader.Loaded
        switch CommandSupport.loadClean(args, &context, paths: args.positional("path")) {
        case let .success(l): loaded = l
        case let .failure(s): return s.status
        }
        let setups: [EngineSetup]
        switch EngineSetup.all(loaded.rulebook, &context) {
        case .success(let s): setups = s
        case .failure(let s): return s.status
        }
        let input: ChunkedInput
        do { input = try context.openInput(eventsPath) } catch { return context.fileError(error) }
        var accountBytes: [UInt8]
        var first: [UInt8] = []
        if pipe {
            (accountBytes, first) = bundleAccounts(input)
        } else {
            do { accountBytes = try context.readInput(accountsPath) } catch { return context.fileError(error) }
        }
        let accounts: [FleetAccount]
        switch AccountsFile.parse(accountBytes, templates: setups) {
        case .success(let a): accounts = a
        case .failure(let e):
            context.error("\(accountsPath):\(e.line):\(e.column): \(e.message)")
            return .findings
        }

        let outputPath = args.value("output") ?? "-"
        let out: StreamedOutput
        do { out = try context.openOutput(outputPath) } catch { return context.fileError(error) }
        var decisionsOut: StreamedOutput?
        if let d = args.value("decisions") {
            do { decisionsOut = try context.openOutput(d) } catch {
                try? context.finish(out, commit: false)
                return context.fileError(error)
            }
        }
        let charts = format == "html" ? FleetCharts(accounts: accounts, setups: setups) : nil
        var options = ReplayOptions(jobs: jobs, shard: shard, skipBad: args.flag("skip-bad"),
                                    decisions: format == "jsonl" || decisionsOut != nil)
        options.numbered = pipe
        let replay = FleetReplay(templates: setups, accounts: accounts, options: options, observer: charts.map { c in { c.observer(for: $0) } })
        let lineSink = format == "jsonl" ? out : decisionsOut
        var pending: [UInt8]? = first.isEmpty ? nil : first
        let result = replay.run(read: {
            if let p = pending { pending = nil; return p }
            return input.next()
        }, write: { bytes in
            lineSink?.write(bytes)
            if let l = lineSink { context.flush(l) }
        })
        if let e = input.error {
            abort(out, decisionsOut, &context)
            return context.fileError(e)
        }
        for p in result.skipped { context.warning("\(eventsPath):\(p) (skipped)") }
        if !result.skipped.isEmpty {
            context.warning("skipped \(result.skipped.count) bad line\(result.skipped.count == 1 ? "" : "s")")
        }
        if let p = result.stopped {
            context.error("\(eventsPath):\(p)")
            abort(out, decisionsOut, &context)
            return .findings
        }
        let summary = ByteSink(capacity: 1 << 16)
        render(format, result.summaries, charts: charts, into: summary)
        out.write(summary.bytes)
        do {
            if let d = decisionsOut { try context.finish(d, commit: true) }
            try context.finish(out, commit: true)
        } catch { return context.fileError(error) }
        if let e = out.error ?? decisionsOut?.error { return context.fileError(e) }
        return .success
    }

    static func abort(_ out: StreamedOutput, _ decisions: StreamedOutput?, _ context: inout Context) {
        try? context.finish(out, commit: !isFile(out))
        if let d = decisions { try? context.finish(d, commit: !isFile(d)) }
    }

    /// A file output is removed on failure; standard output has already been written.
    static func isFile(_ o: StreamedOutput) -> Bool { !o.isStdout }

    static func render(_ format: String, _ summaries: [AccountSummary], charts: FleetCharts?, into o: ByteSink) {
        switch format {
        case "jsonl": SummaryCodec.tail(summaries, into: o)
        case "json": SummaryCodec.document(summaries, into: o)
        case "text": o.text(FleetReport.text(summaries))
        case "markdown": o.text(FleetReport.markdown(summaries))
        default: o.text(FleetHTMLReport.page(summaries, charts: charts))
        }
    }

    static func merge(_ args: ParsedArguments, format: String, _ context: inout Context) -> ExitStatus {
        if format == "html" {
            return context.usageError(UsageError("--merge writes jsonl, json, text or markdown (the charts of an HTML report need the replay itself)"), command: spec)
        }
        for flag in ["accounts", "events", "shard", "jobs", "decisions"] where args.value(flag) != nil {
            return context.usageError(UsageError("--\(flag) does not go with --merge"), command: spec)
        }
        let paths = args.positional("path")
        var inputs: [ChunkedInput] = []
        for p in paths {
            do { inputs.append(try context.openInput(p)) } catch { return context.fileError(error) }
        }
        let out: StreamedOutput
        do { out = try context.openOutput(args.value("output") ?? "-") } catch { return context.fileError(error) }
        let result = ShardMerge.merge(inputs.map { i in { i.next() } }, write: { bytes in
            if format == "jsonl" {
                out.write(bytes)
                context.flush(out)
            }
        })
        for (k, i) in inputs.enumerated() {
            if let e = i.error {
                _ = k
                try? context.finish(out, commit: false)
                return context.fileError(e)
            }
        }
        switch result {
        case .failure(let f):
            context.error("\(paths[f.input]):\(f.description)")
            try? context.finish(out, commit: !isFile(out))
            return .findings
        case .success(let summaries):
            let o = ByteSink(capacity: 1 << 16)
            render(format, summaries, charts: nil, into: o)
            out.write(o.bytes)
            do { try context.finish(out, commit: true) } catch { return context.fileError(error) }
            return .success
        }
    }

    /// Splits a `--pipe` bundle: the accounts (the `A<TAB>` lines, as an accounts file) and the
    /// bytes from the first `E<TAB>` line on, which start the history.
    static func bundleAccounts(_ input: ChunkedInput) -> (accounts: [UInt8], rest: [UInt8]) {
        var accounts: [UInt8] = []
        var buffer: [UInt8] = []
        var start = 0
        while true {
            // Whole lines in the buffer.
            while let nl = buffer[start...].firstIndex(of: 0x0A) {
                let line = buffer[start..<nl]
                if line.starts(with: [0x41, 0x09]) {
                    accounts += line.dropFirst(2)
                    accounts.append(0x0A)
                    start = nl + 1
                } else if line.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) {
                    start = nl + 1
                } else {
                    return (accounts, Array(buffer[start...]))
                }
            }
            guard let chunk = input.next() else {
                let tail = buffer[start...]
                if tail.starts(with: [0x41, 0x09]) { accounts += tail.dropFirst(2); return (accounts, []) }
                return (accounts, Array(tail))
            }
            buffer = Array(buffer[start...]) + chunk
            start = 0
        }
    }

    static func defaultJobs() -> Int {
        max(1, min(ProcessInfo.processInfo.activeProcessorCount, 64))
    }
}
