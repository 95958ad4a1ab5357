import Dispatch
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
    var table: AccountTable
    /// Per account: the worker that owns it (−1: another shard) and its slot there.
    var workerOf: [Int32]
    var slotOf: [Int32]
    let workers: [ReplayWorker]

    /// - Parameter observer: called once per account of the shard; a non-nil observer sees every
    ///   step of that account.
    public init(templates: [EngineSetup], accounts: [FleetAccount], options: ReplayOptions,
                observer: ((FleetAccount) -> (any StepObserver)?)? = nil) {
        self.templates = templates
        self.accounts = accounts
        self.options = options
        var table = AccountTable(capacity: accounts.count)
        for a in accounts { _ = table.insert(a.id) }
        self.table = table
        let jobs = options.jobs
        let preTrade = templates.map { PreTradeCheck(graph: $0.graph, zone: $0.calendar.zone) }
        let workers = (0..<jobs).map { _ in ReplayWorker(templates: templates, preTrade: preTrade, decisions: options.decisions) }
        var workerOf = [Int32](repeating: -1, count: accounts.count)
        var slotOf = [Int32](repeating: -1, count: accounts.count)
        var kept = 0
        for (i, a) in accounts.enumerated() {
            if let s = options.shard, AccountTable.shard(of: a.id, count: s.count) != s.index { continue }
            let w = kept % jobs
            kept += 1
            workerOf[i] = Int32(w)
            slotOf[i] = Int32(workers[w].runs.count)
            workers[w].add(AccountRun(account: i, template: a.template, setup: templates[a.template], id: a.id,
                                      state: a.state, observer: observer?(a)))
        }
        self.workerOf = workerOf
        self.slotOf = slotOf
        self.workers = workers
    }

    /// Replays the history: `read` gives the next bytes of it (nil at the end), `write` takes
    /// the output in order, one block at a time.
    public func run(read: () -> [UInt8]?, write: ([UInt8]) -> Void) -> ReplayResult {
        var reader = BlockReader(target: options.blockBytes, numbered: options.numbered)
        var skipped: [ReplayProblem] = []
        var stopped: ReplayProblem?
        let merged = ByteSink(capacity: options.blockBytes * 2)

        /// Merges parity `p`'s outputs (lines below `limit`) and writes them; true to go on.
        func finish(_ p: Int, routed: [ReplayProblem]) -> Bool {
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
            merged.reset()
            mergeOutputs(p, below: limit, into: merged)
            if merged.count > 0 { write(merged.bytes) }
            return stopped == nil
        }

        if options.jobs == 1 {
            let w = workers[0]
            while let block = reader.next(read) {
                let routed = route(block, parity: 0)
                w.process(0)
                if !finish(0, routed: routed) { break }
            }
        } else {
            let queue = DispatchQueue.global(qos: .userInitiated)
            var current = reader.next(read)
            var routed = current.map { route($0, parity: 0) } ?? []
            var parity = 0
            var group: DispatchGroup?
            var previous: (parity: Int, routed: [ReplayProblem])?
            while true {
                // Start the workers on the routed block.
                if current != nil {
                    let g = DispatchGroup()
                    for w in workers {
                        let p = parity
                        queue.async(group: g) { w.process(p) }
                    }
                    group = g
                }
                // Meanwhile: merge and write the block before, route the next one.
                if let prev = previous, !finish(prev.parity, routed: prev.routed) {
                    group?.wait()
                    break
                }
                previous = nil
                let next = current == nil ? nil : reader.next(read)
                let nextRouted = next.map { route($0, parity: 1 - parity) } ?? []
                group?.wait()
                group = nil
                if current == nil { break }
                previous = (parity, routed)
                current = next
                routed = nextRouted
                parity = 1 - parity
            }
        }
        var summaries: [AccountSummary] = []
        summaries.reserveCapacity(accounts.count)
        for w in workers {
            for r in w.runs { summaries.append(r.finished(templates[r.template])) }
        }
        summaries.sort { $0.account.utf8.lexicographicallyPrecedes($1.account.utf8) }
        return ReplayResult(summaries: summaries, skipped: skipped, stopped: stopped, lines: reader.lineCount)
    }

    /// Hands each line of `block` to the worker that owns its account; returns the lines that
    /// name no account of the fleet.
    func route(_ block: Block, parity p: Int) -> [ReplayProblem] {
        for w in workers {
            w.inputs[p].removeAll(keepingCapacity: true)
            w.blocks[p] = block.bytes
        }
        var problems: [ReplayProblem] = block.problems
        block.bytes.withUnsafeBufferPointer { b in
            for l in block.lines {
                let r = l.range
                guard let idRange = AccountField.find(b, r, block.bytes) else {
                    problems.append(AccountField.problem(block.bytes, l))
                    continue
                }
                let found: Int?
                switch idRange {
                case .plain(let ir): found = table.index(of: UnsafeBufferPointer(rebasing: b[ir]))
                case .escaped(let s): found = table.index(of: s)
                }
                guard let a = found else {
                    let id = AccountField.text(b, idRange)
                    problems.append(ReplayProblem(line: l.number, column: 1, message: "unknown account `\(id)`; it is not in the accounts file"))
                    continue
                }
                let w = workerOf[a]
                if w < 0 { continue }       // another shard's account
                workers[Int(w)].inputs[p].append(WorkItem(line: l.number, slot: slotOf[a], range: r))
            }
        }
        return problems
    }

    /// Writes the workers' outputs for parity `p` in line order, lines below `limit` only.
    func mergeOutputs(_ p: Int, below limit: Int, into out: ByteSink) {
        let n = workers.count
        if n == 1 {
            let w = workers[0]
            var end = 0
            for m in w.marks[p] where m.line < limit { end = m.end }
            w.sinks[p].withBytes { out.append(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer($0)[0..<end])) }
            return
        }
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

/// A line of a block to process: its number, the account's slot in the worker, its bytes.
struct WorkItem {
    var line: Int
    var slot: Int32
    var range: Range<Int>
}

/// The accounts of one worker thread and what it writes for each parity.
final class ReplayWorker: @unchecked Sendable {
    let templates: [EngineSetup]
    let preTrade: [PreTradeCheck]
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

    init(templates: [EngineSetup], preTrade: [PreTradeCheck], decisions: Bool) {
        self.templates = templates
        self.preTrade = preTrade
        self.decisions = decisions
        self.codecs = zip(templates, preTrade).map { Codecs(EventDecoder(setup: $0, acceptsAccount: true), StepWriter(setup: $0, preTrade: $1)) }
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
        if let last = run.last, event.at < last {
            problems.append(ReplayProblem(line: item.line, column: 1, message:
                "event at \(event.at) is earlier than account `\(run.summary.account)`'s previous event or state (\(last)); each account's events must be in time order"))
            return
        }
        // The engine is mutated in place: copying it out would retain every array it holds.
        if !run.started {
            run.engine = run.makeEngine(at: event.at, setup: templates[t], preTrade: preTrade[t])
            run.started = true
        }
        run.last = event.at
        out.removeAll()
        let error = run.engine!.apply(event, into: &out)
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
        if category { writer.inForce.check = preTrade[t] }
        if sink.count > before { marks.append((item.line, sink.count)) }
        if let e = error {
            problems.append(ReplayProblem(line: item.line, column: 1, message: e.message(symbol: templates[t].symbol)))
        } else {
            run.summary.events += 1
        }
    }
}

/// A block of whole lines and their numbers.
struct Block {
    var bytes: [UInt8]
    var lines: [JSONLine]
    /// Numbered input only: lines whose prefix is malformed.
    var problems: [ReplayProblem] = []
}

/// Cuts the input into blocks of whole lines of at least `target` bytes (the last may be
/// shorter), numbering lines from 1. Blank lines are counted and skipped.
struct BlockReader {
    let target: Int
    let numbered: Bool
    var carry: [UInt8] = []
    var ended = false
    var lineCount = 0
    /// Numbered input: the last line number, to keep them increasing.
    var lastNumber = 0

    init(target: Int, numbered: Bool = false) {
        self.target = target
        self.numbered = numbered
    }

    mutating func next(_ read: () -> [UInt8]?) -> Block? {
        var bytes = carry
        carry = []
        while !ended && (bytes.count < target || bytes.lastIndex(of: 0x0A) == nil) {
            guard let chunk = read() else { ended = true; break }
            bytes += chunk
        }
        guard !bytes.isEmpty else { return nil }
        var cut = bytes.count
        if !ended, let nl = bytes.lastIndex(of: 0x0A) {
            cut = nl + 1
            carry = Array(bytes[cut...])
            bytes.removeSubrange(cut...)
        }
        var lines: [JSONLine] = []
        var problems: [ReplayProblem] = []
        lines.reserveCapacity(bytes.count / 80)
        bytes.withUnsafeBufferPointer { b in
            var start = 0
            let n = b.count
            while start < n {
                var end = start
                while end < n && b[end] != 0x0A { end += 1 }
                lineCount += 1
                var e = end
                if e > start && b[e - 1] == 0x0D { e -= 1 }
                var s = start
                while s < e && (b[s] == 0x20 || b[s] == 0x09) { s += 1 }
                if s < e {
                    if numbered {
                        // `E<TAB>digits<TAB>`
                        var i = s + 2
                        var v = 0, digits = 0
                        while i < e, b[i] >= 0x30, b[i] <= 0x39, digits < 15 { v = v * 10 + Int(b[i] - 0x30); i += 1; digits += 1 }
                        if e - s < 4 || b[s] != 0x45 || b[s + 1] != 0x09 || digits == 0 || i >= e || b[i] != 0x09 {
                            problems.append(ReplayProblem(line: lineCount, column: 1, message: "a numbered line is `E<TAB>line<TAB>event`"))
                        } else if v <= lastNumber {
                            problems.append(ReplayProblem(line: v, column: 1, message: "line numbers must increase (\(v) after \(lastNumber))"))
                        } else {
                            lastNumber = v
                            lines.append(JSONLine(number: v, range: (i + 1)..<e))
                        }
                    } else {
                        lines.append(JSONLine(number: lineCount, range: start..<e))
                    }
                }
                start = end + 1
            }
        }
        return Block(bytes: bytes, lines: lines, problems: problems)
    }
}

/// Finds the `account` member of an event line.
enum AccountField {
    enum Found {
        case plain(Range<Int>)
        case escaped(String)
    }

    /// The id: fast when the line starts `{"account":"…"`, else by scanning its members.
    @inline(__always)
    static func find(_ b: UnsafeBufferPointer<UInt8>, _ r: Range<Int>, _ bytes: [UInt8]) -> Found? {
        let prefix: StaticString = "{\"account\":\""
        let pn = prefix.utf8CodeUnitCount
        var i = r.lowerBound
        while i < r.upperBound && (b[i] == 0x20 || b[i] == 0x09) { i += 1 }
        if r.upperBound - i > pn {
            var same = true
            let p = prefix.utf8Start
            for k in 0..<pn where b[i + k] != p[k] { same = false; break }
            if same {
                let s = i + pn
                var e = s
                while e < r.upperBound && b[e] != 0x22 && b[e] != 0x5C && b[e] >= 0x20 { e += 1 }
                if e < r.upperBound && b[e] == 0x22 { return .plain(s..<e) }
            }
        }
        return scan(bytes, r)
    }

    static func scan(_ bytes: [UInt8], _ r: Range<Int>) -> Found? {
        guard var scanner = try? JSONObjectScanner(bytes, range: r) else { return nil }
        while let f = try? scanner.next() {
            if scanner.key(f, is: "account") {
                guard f.kind == .string, let s = scanner.string(f) else { return nil }
                return .escaped(s)
            }
        }
        return nil
    }

    static func text(_ b: UnsafeBufferPointer<UInt8>, _ f: Found) -> String {
        switch f {
        case .plain(let r): return String(decoding: UnsafeBufferPointer(rebasing: b[r]), as: UTF8.self)
        case .escaped(let s): return s
        }
    }

    /// Why a line has no account: malformed JSON (with its position) or a missing member.
    static func problem(_ bytes: [UInt8], _ l: JSONLine) -> ReplayProblem {
        do {
            var scanner = try JSONObjectScanner(bytes, range: l.range, firstLine: l.number)
            while let f = try scanner.next() {
                if scanner.key(f, is: "account") {
                    let e = scanner.error("`account` must be a string", at: f.key.lowerBound - 1)
                    return ReplayProblem(line: e.line, column: e.column, message: e.message)
                }
            }
            return ReplayProblem(line: l.number, column: 1, message: "missing `account`: each line of a fleet history names its account")
        } catch {
            return ReplayProblem(line: error.line, column: error.column, message: error.message)
        }
    }
}
