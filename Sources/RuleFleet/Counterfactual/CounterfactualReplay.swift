import RuleBase
import RuleJSON
import RuleGraph
import RuleEngine
import RuleCodecs

// Two rulebooks over one fleet history in one pass (issue 11). Each account runs two engines,
// one per rulebook, on the same lines. After every line the two sides' decisions are compared
// in StepWriter's comparing form: rule names, tiers, the account's measured values, products,
// causes and verdicts — not lines, test numbers, limits or messages — so a reformatting or a
// reordering never diverges, and a breach both sides make at the same event is the same
// decision even when its limit moved. The first line that differs
// is kept, with both sides' decisions in words; the rest is counted. The pipeline, routing and
// shards are `rulec replay`'s (`BlockPipeline`).
//
// A line bad under both rulebooks is a bad line (it stops the run, or is skipped and counted
// with `skipBad`). A line only one side cannot apply — a fill of an order that only the other
// side left working, once the engine no longer remembers the order — is counted for that side
// as inapplicable and changes nothing there.

/// One side of the comparison: a rulebook's templates and the fleet's accounts read against them
/// (the same ids in the same order on both sides).
public struct CounterfactualSide: Sendable {
    public var templates: [EngineSetup]
    public var accounts: [FleetAccount]
    public init(templates: [EngineSetup], accounts: [FleetAccount]) {
        self.templates = templates
        self.accounts = accounts
    }
}

public final class CounterfactualReplay {
    let old: CounterfactualSide
    let new: CounterfactualSide
    let options: ReplayOptions
    let pipeline: BlockPipeline<CompareWorker>

    /// - Precondition: both sides list the same account ids in the same order.
    public init(old: CounterfactualSide, new: CounterfactualSide, options: ReplayOptions) {
        precondition(old.accounts.map(\.id) == new.accounts.map(\.id), "both sides must list the same accounts")
        self.old = old
        self.new = new
        self.options = options
        // The new side may reuse the old side's decoded event when both rulebooks know the same
        // products in the same order (the decoder maps symbols to product numbers, nothing else).
        var shared: [Bool] = []
        for a in old.accounts.indices {
            let o = old.templates[old.accounts[a].template], n = new.templates[new.accounts[a].template]
            shared.append(o.symbols == n.symbols)
        }
        // Decoders and writers keep scratch state: each worker has its own.
        let oldPrograms = old.templates.map { EngineProgram(graph: $0.graph, calendar: $0.calendar) }
        let newPrograms = new.templates.map { EngineProgram(graph: $0.graph, calendar: $0.calendar) }
        let workers = (0..<options.jobs).map { _ in
            CompareWorker(old: SideKit(old.templates, oldPrograms), new: SideKit(new.templates, newPrograms))
        }
        pipeline = BlockPipeline(ids: old.accounts.map(\.id), shard: options.shard, workers: workers) { w, i in
            let (a, b) = (old.accounts[i], new.accounts[i])
            let slot = workers[w].pairs.count
            workers[w].pairs.append(AccountPair(
                old: AccountRun(account: i, template: a.template, setup: old.templates[a.template], id: a.id, state: a.state, observer: nil),
                new: AccountRun(account: i, template: b.template, setup: new.templates[b.template], id: b.id, state: b.state, observer: nil),
                sharedDecode: shared[i]))
            return slot
        }
    }

    /// Replays the history under both rulebooks: `read` gives its next bytes (nil at the end).
    public func run(read: () -> [UInt8]?) -> CounterfactualResult {
        var reader = BlockReader(target: options.blockBytes, numbered: options.numbered)
        var skipped: [ReplayProblem] = []
        var stopped: ReplayProblem?
        let workers = pipeline.workers
        pipeline.run(&reader, read: read) { p, routed in
            var problems = routed
            for w in workers { problems += w.problems[p] }
            problems.sort { ($0.line, $0.column) < ($1.line, $1.column) }
            if let first = problems.first, !options.skipBad {
                stopped = first
                return false
            }
            skipped += problems
            return true
        }
        var accounts: [AccountComparison] = []
        accounts.reserveCapacity(old.accounts.count)
        for w in workers {
            for pair in w.pairs {
                accounts.append(pair.comparison(old: old.templates[pair.old.template], new: new.templates[pair.new.template]))
            }
        }
        accounts.sort { $0.account.utf8.lexicographicallyPrecedes($1.account.utf8) }
        return CounterfactualResult(accounts: accounts, totals: CounterfactualTotals(accounts), skipped: skipped,
                                    stopped: stopped, lines: reader.lineCount)
    }
}

/// What a worker needs of one rulebook: per template its setup, engine program, decoder, and
/// two writers: one for comparing (no rulebook positions) and one for words. Owned by one worker.
final class SideKit: @unchecked Sendable {
    let templates: [EngineSetup]
    let programs: [EngineProgram]
    let decoders: [EventDecoder]
    let comparing: [StepWriter]
    let words: [StepWriter]
    init(_ templates: [EngineSetup], _ programs: [EngineProgram]) {
        self.templates = templates
        self.programs = programs
        let preTrade = programs.map(\.preTrade)
        decoders = templates.map { EventDecoder(setup: $0, acceptsAccount: true) }
        comparing = zip(templates, preTrade).map { StepWriter(setup: $0, preTrade: $1, comparing: true) }
        words = zip(templates, preTrade).map { StepWriter(setup: $0, preTrade: $1) }
    }
}

/// One account under both rulebooks, and what the comparison found so far.
struct AccountPair {
    var old: AccountRun
    var new: AccountRun
    let sharedDecode: Bool
    var oldInapplicable = 0
    var newInapplicable = 0
    var divergence: Divergence?
    var changedLines = 0
    var newlyRejected = 0
    var newlyAccepted = 0

    func comparison(old o: EngineSetup, new n: EngineSetup) -> AccountComparison {
        AccountComparison(account: old.summary.account, template: old.summary.template,
                          old: SideOutcome(summary: old.finished(o), lockings: old.lockings, inapplicable: oldInapplicable),
                          new: SideOutcome(summary: new.finished(n), lockings: new.lockings, inapplicable: newInapplicable),
                          divergence: divergence, changedLines: changedLines,
                          newlyRejected: newlyRejected, newlyAccepted: newlyAccepted)
    }
}

final class CompareWorker: RoutedWorker, @unchecked Sendable {
    let oldKit: SideKit
    let newKit: SideKit
    var pairs: [AccountPair] = []
    var inputs: [[WorkItem]] = [[], []]
    var blocks: [[UInt8]] = [[], []]
    var problems: [[ReplayProblem]] = [[], []]
    var oldOut = Outcome()
    var newOut = Outcome()
    let oldKey = ByteSink(capacity: 1 << 12)
    let newKey = ByteSink(capacity: 1 << 12)

    init(old: SideKit, new: SideKit) {
        oldKit = old
        newKit = new
    }

    func process(_ p: Int) {
        problems[p].removeAll(keepingCapacity: true)
        let bytes = blocks[p]
        var pairs = self.pairs
        self.pairs = []
        var problems = self.problems[p]
        pairs.withUnsafeMutableBufferPointer { pb in
            for item in inputs[p] { apply(item, bytes, &pb[Int(item.slot)], &problems) }
        }
        self.pairs = pairs
        self.problems[p] = problems
    }

    func apply(_ item: WorkItem, _ bytes: [UInt8], _ pair: inout AccountPair, _ problems: inout [ReplayProblem]) {
        let line = JSONLine(number: item.line, range: item.range)
        var oldEvent: Event?, newEvent: Event?
        var decodeError: EventError?
        do { oldEvent = try oldKit.decoders[pair.old.template].decode(bytes, line) } catch { decodeError = error }
        if pair.sharedDecode {
            newEvent = oldEvent
        } else {
            do { newEvent = try newKit.decoders[pair.new.template].decode(bytes, line) } catch { decodeError = decodeError ?? error }
        }
        guard let shown = oldEvent ?? newEvent else {
            // Neither side could read it: the decoder's error (with its column).
            if let e = decodeError { problems.append(ReplayProblem(line: e.line, column: e.column, message: e.message)) }
            return
        }
        if let p = pair.old.outOfOrder(shown.at, line: item.line) ?? pair.new.outOfOrder(shown.at, line: item.line) {
            problems.append(p)
            return
        }
        // A side that cannot read the line (a product only the other rulebook knows) skips it.
        var oldError: LifecycleError?, newError: LifecycleError?
        if let e = oldEvent { oldError = step(&pair.old, e, oldKit, &oldOut) } else { oldOut.removeAll() }
        if let e = newEvent { newError = step(&pair.new, e, newKit, &newOut) } else { newOut.removeAll() }
        let oldFailed = oldEvent == nil || oldError != nil, newFailed = newEvent == nil || newError != nil
        if oldFailed && newFailed {
            // Bad under both rulebooks: the history itself is wrong.
            let message = oldError?.message(symbol: oldKit.templates[pair.old.template].symbol) ?? "cannot be applied under either rulebook"
            problems.append(ReplayProblem(line: item.line, column: 1, message: message))
            return
        }
        if oldFailed { pair.oldInapplicable += 1 }
        if newFailed { pair.newInapplicable += 1 }
        if case .order = shown.kind {
            switch (verdict(oldOut), verdict(newOut)) {
            case (true?, false?): pair.newlyRejected += 1
            case (false?, true?): pair.newlyAccepted += 1
            default: break
            }
        }
        key(oldOut, oldKit.comparing[pair.old.template], oldKey)
        key(newOut, newKit.comparing[pair.new.template], newKey)
        if oldKey.count == newKey.count && oldKey.withBytes({ a in newKey.withBytes { b in a.elementsEqual(b) } }) { return }
        pair.changedLines += 1
        if pair.divergence == nil {
            pair.divergence = divergence(item.line, shown, pair)
        }
    }

    /// Applies `event` to one side's engine; the lifecycle error when it could not be applied.
    func step(_ run: inout AccountRun, _ event: Event, _ kit: SideKit, _ out: inout Outcome) -> LifecycleError? {
        let t = run.template
        let error = run.apply(event, program: kit.programs[t], into: &out)
        for s in out.steps { run.count(s, out.items(of: s)) }
        if error == nil { run.summary.events += 1 }
        return error
    }

    /// The order verdict of an order line: accepted, rejected, or nil (no verdict).
    func verdict(_ out: Outcome) -> Bool? {
        for s in out.steps where s.origin == .event {
            for case .order(_, let d) in out.items(of: s) { return d.isAccepted }
        }
        return nil
    }

    /// The decisions of a line in a form two rulebooks can be compared in: each step with
    /// decisions, its origin and instant, and the decisions without rulebook positions.
    func key(_ out: Outcome, _ writer: StepWriter, _ sink: ByteSink) {
        sink.reset()
        for s in out.steps {
            let items = out.items(of: s)
            if items.isEmpty { continue }
            sink.raw(StepWriter.originName(s.origin))
            sink.instant(s.at)
            for i in items { writer.decision(i, sink) }
            sink.byte(0x0A)
        }
    }

    /// What each side decided on the first line that differs and the other did not, in words
    /// (decisions both sides made are counted, not repeated).
    func divergence(_ line: Int, _ event: Event, _ pair: AccountPair) -> Divergence {
        let ow = oldKit.words[pair.old.template], nw = newKit.words[pair.new.template]
        let a = decisions(oldOut, oldKit.comparing[pair.old.template], ow, pair.old)
        let b = decisions(newOut, newKit.comparing[pair.new.template], nw, pair.new)
        var matched = [Bool](repeating: false, count: b.count)
        var oldOnly: [Decision] = []
        for d in a {
            if let k = b.indices.first(where: { !matched[$0] && b[$0].key == d.key }) { matched[k] = true } else { oldOnly.append(d) }
        }
        let newOnly = b.indices.filter { !matched[$0] }.map { b[$0] }
        let firsts = [oldOnly.first?.at, newOnly.first?.at].compactMap { $0 }
        let at = firsts.min() ?? event.at
        return Divergence(line: line, at: at, localTime: ow.local(at), event: ow.eventText(event),
                          old: oldOnly.map(\.text), new: newOnly.map(\.text), same: a.count - oldOnly.count)
    }

    struct Decision {
        var key: [UInt8]
        var text: String
        var at: Instant
    }

    /// Every decision of the line: its comparison key and its words; a clock boundary's
    /// decisions name the boundary.
    func decisions(_ out: Outcome, _ comparing: StepWriter, _ w: StepWriter, _ run: AccountRun) -> [Decision] {
        withCategory(w, run) {
            var list: [Decision] = []
            let sink = ByteSink(capacity: 256)
            for s in out.steps {
                let prefix: String
                switch s.origin {
                case .event: prefix = ""
                case .sessionOpen: prefix = "at session open " + w.local(s.at) + ": "
                case .endOfDay: prefix = "at end of day " + w.local(s.at) + ": "
                case .weekStart: prefix = "at week start " + w.local(s.at) + ": "
                case .timePeriodStart: prefix = "at the time period's start " + w.local(s.at) + ": "
                case .timePeriodStop: prefix = "at the time period's end " + w.local(s.at) + ": "
                case .flattenAt: prefix = "at flatten_at " + w.local(s.at) + ": "
                case .firm(let f): prefix = "at \(f.name) " + w.local(s.at) + ": "
                }
                for i in out.items(of: s) {
                    sink.reset()
                    sink.raw(StepWriter.originName(s.origin))
                    sink.instant(s.at)
                    comparing.decision(i, sink)
                    list.append(Decision(key: sink.bytes, text: prefix + w.itemText(i, indent: "  "), at: s.at))
                }
            }
            return list
        }
    }

    /// Order and switch messages name the category in force: the account's own after a switch.
    func withCategory<T>(_ w: StepWriter, _ run: AccountRun, _ body: () -> T) -> T {
        guard run.switched, let e = run.engine else { return body() }
        let saved = w.inForce.check
        w.inForce.check = e.preTrade
        defer { w.inForce.check = saved }
        return body()
    }
}
