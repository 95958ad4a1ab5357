import RuleBase
import RuleJSON
import RuleGraph
import RuleEngine
import RuleCodecs

/// `rulec simulate`: replays a JSON Lines event stream through the post-trade engine and prints
/// the timeline of decisions, clock boundaries included.
enum SimulateCommand: CLICommand {
    static let spec = CommandSpec(
        name: "simulate",
        abstract: "Replay an event stream against a rulebook and print every decision.",
        discussion: """
            Events are JSON Lines (fill, mark, admin, clock, cash, order, switch_category), each \
            with an ISO-8601 instant, in time order. Clock boundaries (end of day, session open, \
            week start, time period, flatten_at) fire between events even when nothing else \
            happens. The account starts from --state, or flat at the template's starting_balance \
            at the first event's instant. A malformed line stops the run with its line number \
            (exit 1) unless --skip-bad skips it and counts it. See README "Evaluating accounts".
            """,
        options: [
            .value("template", placeholder: "name", help: "the template to evaluate (optional when the rulebook has one)"),
            .value("events", placeholder: "file", help: "JSON Lines events; '-' reads stdin"),
            .value("state", placeholder: "file", help: "initial account state (JSON)"),
            .value("format", placeholder: "text|jsonl", help: "timeline format", default: "text"),
            .value("html", placeholder: "file", help: "also write a self-contained HTML page with an SVG chart"),
            .flag("skip-bad", help: "skip malformed events (reported on stderr and counted) instead of stopping"),
            .value("root", placeholder: "dir", help: "rulebook root that imports may not leave"),
        ],
        positionals: [.repeated("rulebook", help: "rulebook files or folders", atLeastOne: true)])

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        let format: String?
        do { format = try args.value("format", oneOf: ["text", "jsonl"]) } catch { return context.usageError(error, command: spec) }
        guard let eventsPath = args.value("events") else {
            return context.usageError(UsageError("missing --events <file>"), command: spec)
        }
        let setup: EngineSetup
        switch EngineSetup.load(args, &context) {
        case let .success(s): setup = s
        case let .failure(s): return s.status
        }
        let events: [UInt8]
        do { events = try context.readInput(eventsPath) } catch { return context.fileError(error) }
        var state: StateFile?
        if let path = args.value("state") {
            let bytes: [UInt8]
            do { bytes = try context.readInput(path) } catch { return context.fileError(error) }
            switch StateFile.parse(bytes, path: path, setup: setup) {
            case .success(let s): state = s
            case .failure(let e):
                context.error("\(path):\(e.line):\(e.column): \(e.message)")
                return .findings
            }
        }
        let run = Simulation(setup: setup, eventsPath: eventsPath, jsonl: format == "jsonl",
                             skipBad: args.flag("skip-bad"), chart: args.value("html") != nil)
        let result = run.run(events, state: state, &context)
        if let htmlPath = args.value("html"), let chart = result.chart {
            let page = HTMLChart.page(chart)
            do { try context.writeOutput(htmlPath, bytes: Array(page.utf8)) } catch { return context.fileError(error) }
        }
        return result.status
    }
}

/// The simulate loop, separate from argument handling so the benchmark can drive it.
struct Simulation {
    let setup: EngineSetup
    let eventsPath: String
    let jsonl: Bool
    let skipBad: Bool
    let chart: Bool

    struct Result {
        var status: ExitStatus
        var events: Int
        var skipped: Int
        var chart: ChartData?
    }

    func run(_ bytes: [UInt8], state: StateFile?, _ context: inout Context) -> Result {
        let decoder = EventDecoder(setup: setup)
        var skipped = 0
        var count = 0
        // Report a bad line: fail, or skip and count it.
        func bad(_ e: EventError, _ context: inout Context) -> Bool {
            if skipBad {
                skipped += 1
                context.warning("\(eventsPath):\(e.description) (skipped)")
                return true
            }
            context.error("\(eventsPath):\(e.description)")
            return false
        }
        // The start instant: the state's, else the first well-formed event's.
        var start = state?.at
        if start == nil {
            for line in JSONLines(bytes) {
                if let e = try? decoder.decode(bytes, line) { start = e.at; break }
            }
        }
        guard let start else {
            // Nothing to replay; still report malformed lines.
            for line in JSONLines(bytes) {
                do { _ = try decoder.decode(bytes, line) } catch {
                    if !bad(error, &context) { return Result(status: .findings, events: 0, skipped: skipped) }
                }
            }
            if skipped > 0 { context.warning("skipped \(skipped) malformed event\(skipped == 1 ? "" : "s")") }
            return Result(status: .success, events: 0, skipped: skipped, chart: chart ? ChartData(setup: setup) : nil)
        }
        let account: AccountState
        if let s = state {
            account = s.account
        } else if let b = setup.graph.startingBalance {
            account = AccountState(productCount: setup.graph.products.count, balance: b)
        } else {
            context.error("template `\(setup.graph.template)` has no starting_balance; pass --state with a balance")
            return Result(status: .usage, events: 0, skipped: 0)
        }
        var engine = PostTradeEngine(graph: setup.graph, calendar: setup.calendar, account: account, at: start,
                                     workingOrders: state?.workingOrders ?? [], evaluation: state?.evaluation)
        let writer = StepWriter(setup: setup, preTrade: engine.preTrade)
        var out = Outcome()
        let sink = ByteSink(capacity: 1 << 17)
        var data = chart ? ChartData(setup: setup, writer: writer) : nil
        data?.start(engine.snapshot, at: start)
        var last = start
        var status = ExitStatus.success
        for line in JSONLines(bytes) {
            let event: Event
            do { event = try decoder.decode(bytes, line) } catch {
                if bad(error, &context) { continue }
                status = .findings
                break
            }
            if event.at < last {
                let e = EventError(line: line.number, column: 1,
                                   message: "event at \(event.at) is earlier than the one before (\(last)); events must be in time order")
                if bad(e, &context) { continue }
                status = .findings
                break
            }
            last = event.at
            out.removeAll()
            let lifecycle = engine.apply(event, into: &out)
            if lifecycle == nil { count += 1 }
            if case .switchCategory = event.kind { writer.inForce.check = engine.preTrade }
            for step in out.steps {
                let isEvent = step.origin == .event
                let items = out.items(of: step)
                if jsonl {
                    writer.jsonLine(step, items, line: isEvent ? line.number : nil, event: isEvent ? event : nil, into: sink)
                } else {
                    sink.text(writer.stepText(step, items, line: isEvent ? line.number : nil, event: isEvent ? event : nil))
                }
                data?.add(step, items: items, event: isEvent ? event : nil, line: isEvent ? line.number : nil)
            }
            if let e = lifecycle {
                if bad(EventError(line: line.number, column: 1, message: e.message(symbol: setup.symbol)), &context) { continue }
                status = .findings
                break
            }
            if sink.count >= 1 << 16 {
                sink.withBytes { context.stdout.write(bytes: $0) }
                sink.reset()
            }
        }
        if !jsonl && status == .success {
            let n = engine.snapshot
            sink.text("\(count) event\(count == 1 ? "" : "s"); final net liq \(n.netLiq.formatted()), mode \(n.mode)\n")
        }
        sink.withBytes { context.stdout.write(bytes: $0) }
        if skipped > 0 { context.warning("skipped \(skipped) malformed event\(skipped == 1 ? "" : "s")") }
        return Result(status: status, events: count, skipped: skipped, chart: data)
    }
}
