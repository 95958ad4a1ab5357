import RuleBase
import RuleJSON
import RuleGraph
import RuleEngine
import RuleCodecs

// Fleet replay (issue 10): every account of a firm on one execution history.
//
// The history is read in blocks of whole lines. The calling thread routes each line to the
// worker that owns its account (account number modulo the number of jobs); each worker decodes
// and applies its lines in order with one engine per account and writes the steps that decided
// something. Outputs are merged back in input-line order, so the bytes never depend on the
// number of jobs. With more than one job, blocks are pipelined: while the workers run block i,
// the calling thread merges and writes block i − 1 and routes block i + 1. Memory holds the
// accounts, their working orders and two blocks, never the history.
//
// Output line order: by input line; the steps one input line produced (the clock boundaries its
// instant crossed, then the event itself) in the engine's order. Each line starts with
// `{"account":ID,"line":N,` where N is the input line that produced it.

/// A bad input line: where and what. Columns count bytes from 1.
public struct ReplayProblem: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String
    public var description: String { "\(line):\(column): \(message)" }
}

public struct ReplayOptions: Sendable {
    /// Worker threads; 1 runs everything on the calling thread.
    public var jobs: Int
    /// Keep only the accounts of this shard: (index 0-based, count).
    public var shard: (index: Int, count: Int)?
    /// Skip and count bad lines instead of stopping at the first.
    public var skipBad: Bool
    /// Write the decision lines (false: summaries only).
    public var decisions: Bool
    /// Target size of a block of input lines.
    public var blockBytes: Int
    /// Each input line is `E<TAB>N<TAB>event`: N is its line number in the whole history (a
    /// partition of a history cut elsewhere, as the Spark example sends it).
    public var numbered: Bool = false

    public init(jobs: Int = 1, shard: (index: Int, count: Int)? = nil, skipBad: Bool = false, decisions: Bool = true,
                blockBytes: Int = 1 << 20) {
        self.jobs = max(1, min(jobs, 256))
        self.shard = shard
        self.skipBad = skipBad
        self.decisions = decisions
        self.blockBytes = max(blockBytes, 1 << 12)
    }
}

public struct ReplayResult: Sendable {
    /// Every account of the shard, sorted by id (byte order of the UTF-8 id).
    public var summaries: [AccountSummary]
    /// Bad lines skipped (with `skipBad`), in line order.
    public var skipped: [ReplayProblem]
    /// The bad line the run stopped at (without `skipBad`).
    public var stopped: ReplayProblem?
    /// Input lines read (blank lines included).
    public var lines: Int
}

/// One history through one fleet. Build, then `run` once.
public final class FleetReplay {
    let templates: [EngineSetup]
    let accounts: [FleetAccount]
    let options: ReplayOptions
    let pipeline: BlockPipeline<ReplayWorker>
    var workers: [ReplayWorker] { pipeline.workers }

    /// - Parameter observer: called once per account of the shard; a non-nil observer sees every
    ///   step of that account.
    public init(templates: [EngineSetup], accounts: [FleetAccount], options: ReplayOptions,
                observer: ((FleetAccount) -> (any StepObserver)?)? = nil) {
        self.templates = templates
        self.accounts = accounts
        self.options = options
        let programs = templates.map { EngineProgram(graph: $0.graph, calendar: $0.calendar) }
        let workers = (0..<options.jobs).map { _ in ReplayWorker(templates: templates, programs: programs, decisions: options.decisions) }
        pipeline = BlockPipeline(ids: accounts.map(\.id), shard: options.shard, workers: workers) { w, i in
            let a = accounts[i]
            let slot = workers[w].runs.count
            workers[w].add(AccountRun(account: i, template: a.template, setup: templates[a.template], id: a.id,
                                      state: a.state, observer: observer?(a)))
            return slot
        }
    }

    /// Replays the history: `read` gives the next bytes of it (nil at the end), `write` takes
    /// the output in order, one block at a time.
    public func run(read: () -> [UInt8]?, write: (UnsafeRawBufferPointer) -> Void) -> ReplayResult {
        var reader = BlockReader(target: options.blockBytes, numbered: options.numbered)
        var skipped: [ReplayProblem] = []
        var stopped: ReplayProblem?
        let merged = ByteSink(capacity: options.blockBytes * 2)
        // Merges parity `p`'s outputs (lines before the first bad one, unless skipped) and
        // writes them; true to go on.
        pipeline.run(&reader, read: read) { p, routed in
            var problems = routed
            for w in workers { problems += w.problems[p] }
            problems.sort { ($0.line, $0.column) < ($1.line, $1.column) }
            var limit = Int.max
            if let first = problems.first, !options.skipBad {
                limit = first.line
                stopped = first
            } else {
                skipped += problems
            }
            if workers.count == 1 {
                // One worker: its output is already in line order; write it where it is.
                let w = workers[0]
                var end = 0
                for m in w.marks[p] where m.line < limit { end = m.end }
                if end > 0 { w.sinks[p].withBytes { write(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0)[0..<end])) } }
            } else {
                merged.reset()
                mergeOutputs(p, below: limit, into: merged)
                if merged.count > 0 { merged.withBytes { write(UnsafeRawBufferPointer($0)) } }
            }
            return stopped == nil
        }
        var summaries: [AccountSummary] = []
        summaries.reserveCapacity(accounts.count)
        for w in workers {
            for r in w.runs { summaries.append(r.finished(templates[r.template])) }
        }
        summaries.sort { $0.account.utf8.lexicographicallyPrecedes($1.account.utf8) }
        return ReplayResult(summaries: summaries, skipped: skipped, stopped: stopped, lines: reader.lineCount)
    }

    /// Writes the workers' outputs for parity `p` in line order, lines below `limit` only.
    func mergeOutputs(_ p: Int, below limit: Int, into out: ByteSink) {
        let n = workers.count
        var next = [Int](repeating: 0, count: n)
        var from = [Int](repeating: 0, count: n)
        while true {
            var best = -1, bestLine = Int.max
            for k in 0..<n where next[k] < workers[k].marks[p].count {
                let line = workers[k].marks[p][next[k]].line
                if line < bestLine { bestLine = line; best = k }
            }
            if best < 0 || bestLine >= limit { break }
            let m = workers[best].marks[p][next[best]]
            let start = from[best]
            workers[best].sinks[p].withBytes { out.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0)[start..<m.end])) }
            from[best] = m.end
            next[best] += 1
        }
    }
}

/// The accounts of one worker thread and what it writes for each parity.
final class ReplayWorker: RoutedWorker, @unchecked Sendable {
    let templates: [EngineSetup]
    /// Per template, shared by every engine of it (immutable).
    let programs: [EngineProgram]
    /// Per template, behind a reference: reading a struct out of an array copies it (and
    /// retains every array it holds) on each event.
    final class Codecs {
        let decoder: EventDecoder
        let writer: StepWriter
        init(_ d: EventDecoder, _ w: StepWriter) { decoder = d; writer = w }
    }
    let codecs: [Codecs]
    let decisions: Bool
    var runs: [AccountRun] = []
    var quotedIDs: [[UInt8]] = []
    var inputs: [[WorkItem]] = [[], []]
    var blocks: [[UInt8]] = [[], []]
    let sinks = [ByteSink(capacity: 1 << 20), ByteSink(capacity: 1 << 20)]
    var marks: [[(line: Int, end: Int)]] = [[], []]
    var problems: [[ReplayProblem]] = [[], []]
    var out = Outcome()

    init(templates: [EngineSetup], programs: [EngineProgram], decisions: Bool) {
        self.templates = templates
        self.programs = programs
        self.decisions = decisions
        self.codecs = zip(templates, programs).map { Codecs(EventDecoder(setup: $0, acceptsAccount: true), StepWriter(setup: $0, preTrade: $1.preTrade)) }
    }

    func add(_ r: AccountRun) {
        let s = ByteSink(capacity: 48)
        s.raw("{\"account\":")
        s.quoted(r.summary.account)
        s.raw(",\"line\":")
        quotedIDs.append(s.bytes)
        runs.append(r)
    }

    /// Applies this worker's lines of the block of parity `p`.
    func process(_ p: Int) {
        let sink = sinks[p]
        sink.reset()
        marks[p].removeAll(keepingCapacity: true)
        problems[p].removeAll(keepingCapacity: true)
        let bytes = blocks[p]
        let items = inputs[p]
        // One exclusive access to the accounts for the whole block, not several per event.
        var runs = self.runs
        self.runs = []
        var out = self.out
        var marks = self.marks[p]
        var problems = self.problems[p]
        runs.withUnsafeMutableBufferPointer { rb in
            for item in items {
                apply(item, bytes, sink, &rb[Int(item.slot)], &out, &marks, &problems)
            }
        }
        self.runs = runs
        self.out = out
        self.marks[p] = marks
        self.problems[p] = problems
    }

    @inline(__always)
    func apply(_ item: WorkItem, _ bytes: [UInt8], _ sink: ByteSink, _ run: inout AccountRun, _ out: inout Outcome,
               _ marks: inout [(line: Int, end: Int)], _ problems: inout [ReplayProblem]) {
        let slot = Int(item.slot)
        let t = run.template
        let codec = codecs[t]
        let event: Event
        do { event = try codec.decoder.decode(bytes, JSONLine(number: item.line, range: item.range)) } catch {
            problems.append(ReplayProblem(line: error.line, column: error.column, message: error.message))
            return
        }
        if let p = run.outOfOrder(event.at, line: item.line) {
            problems.append(p)
            return
        }
        let error = run.apply(event, program: programs[t], into: &out)
        let writer = codec.writer
        // Messages name the category in force: the account's own after a switch.
        var category = false
        if case .switchCategory = event.kind { category = true }
        category = category || run.switched
        if category, let e = run.engine { writer.inForce.check = e.preTrade }
        let before = sink.count
        for step in out.steps {
            let items = out.items(of: step)
            run.count(step, items)
            let isEvent = step.origin == .event
            run.observer?.observe(step, items, event: isEvent ? event : nil)
            if decisions && !items.isEmpty {
                sink.append(quotedIDs[slot])
                sink.int(Int64(item.line))
                sink.byte(UInt8(ascii: ","))
                writer.jsonLine(step, items, line: nil, event: isEvent ? event : nil, into: sink, brace: false)
            }
        }
        if category { writer.inForce.check = programs[t].preTrade }
        if sink.count > before { marks.append((item.line, sink.count)) }
        if let e = error {
            problems.append(ReplayProblem(line: item.line, column: 1, message: e.message(symbol: templates[t].symbol)))
        } else {
            run.summary.events += 1
        }
    }
}

