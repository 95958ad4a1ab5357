import RuleBase
import RuleJSON
import RuleGraph
import RuleEngine
import RuleCodecs

/// `rulec eval`: one account state at one instant -> the post-trade decision, and with `--order`
/// the pre-trade verdict on one order against the account after it.
enum EvalCommand: CLICommand {
    static let spec = CommandSpec(
        name: "eval",
        abstract: "Evaluate one account state against a rulebook's post-trade rules.",
        discussion: """
            Reads an account state (JSON: balance, day and week starting balances, high-water \
            mark, positions with marks) and prints what the rules decide at that instant: every \
            breached threshold, the action (alert, liquidate-only, flatten and lock), the mode \
            and when it ends. --order checks one order (JSON: product, side, qty, optional \
            price) against the account after that decision: accepted, or rejected with the \
            reason and the rulebook line. --explain prints every threshold test with its value, \
            limit, result and rulebook line. See README "Evaluating accounts".
            """,
        options: [
            .value("template", placeholder: "name", help: "the template to evaluate (optional when the rulebook has one)"),
            .value("state", placeholder: "file", help: "account state (JSON); '-' reads stdin"),
            .value("order", placeholder: "file", help: "an order to check (JSON: product, side, qty, optional price)"),
            .value("at", placeholder: "instant", help: "ISO-8601 instant; overrides the state's `at`"),
            .value("format", placeholder: "text|json", help: "output format", default: "text"),
            .flag("explain", help: "print every threshold test with value, limit, result and line"),
            .value("root", placeholder: "dir", help: "rulebook root that imports may not leave"),
        ],
        positionals: [.repeated("rulebook", help: "rulebook files or folders", atLeastOne: true)])

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        let format: String?
        do { format = try args.value("format", oneOf: ["text", "json"]) } catch { return context.usageError(error, command: spec) }
        guard let statePath = args.value("state") else {
            return context.usageError(UsageError("missing --state <file>"), command: spec)
        }
        var at: Instant?
        if let a = args.value("at") {
            guard let t = InstantText.parse(a) else {
                return context.usageError(UsageError("--at `\(a)` is not an ISO-8601 instant with an offset, like 2026-03-03T15:00:00Z"), command: spec)
            }
            at = t
        }
        let setup: EngineSetup
        switch EngineSetup.load(args, &context) {
        case let .success(s): setup = s
        case let .failure(s): return s.status
        }
        let bytes: [UInt8]
        do { bytes = try context.readInput(statePath) } catch { return context.fileError(error) }
        let state: StateFile
        switch StateFile.parse(bytes, path: statePath, setup: setup) {
        case .success(let s): state = s
        case .failure(let e):
            context.error("\(statePath):\(e.line):\(e.column): \(e.message)")
            return .findings
        }
        guard let instant = at ?? state.at else {
            context.error("\(statePath): the state has no `at`; add one or pass --at")
            return .usage
        }
        var order: OrderRequest?
        if let orderPath = args.value("order") {
            let ob: [UInt8]
            do { ob = try context.readInput(orderPath) } catch { return context.fileError(error) }
            switch OrderFile.parse(ob, setup: setup) {
            case .success(let o): order = o
            case .failure(let e):
                context.error("\(orderPath):\(e.line):\(e.column): \(e.message)")
                return .findings
            }
        }
        var engine = PostTradeEngine(graph: setup.graph, calendar: setup.calendar, account: state.account, at: instant,
                                     workingOrders: state.workingOrders, evaluation: state.evaluation)
        let before = engine.snapshot
        let measures = engine.measures()
        var out = Outcome()
        engine.apply(Event(at: instant, .clock), into: &out)
        guard let step = out.steps.last else { return .success }
        let items = out.items(of: step)
        let writer = StepWriter(setup: setup, preTrade: engine.preTrade)
        let explain = args.flag("explain")
        // The order meets the account after the post-trade decision at the same instant.
        let verdict = order.map { o in (o, engine.check(o) ?? .accepted) }
        if format == "json" {
            context.stdout.write(bytes: json(writer, instant, before, step, items, verdict, explain ? measures : nil).bytes)
        } else {
            context.stdout.write(text(writer, instant, before, step, items, verdict, explain ? measures : nil))
        }
        return .success
    }

    static func decidingBreach(_ items: ArraySlice<DecisionItem>) -> Breach? {
        var best: Breach?
        for case .breach(let b) in items where best == nil || b.tier > (best?.tier ?? .alert) { best = b }
        return best
    }

    static func text(_ w: StepWriter, _ at: Instant, _ before: Snapshot, _ step: Step,
                     _ items: ArraySlice<DecisionItem>, _ order: (OrderRequest, OrderDecision)?, _ measures: [Measure]?) -> String {
        let g = w.setup.graph
        func numbers(_ n: Snapshot) -> String {
            var s = "net liq \(n.netLiq.formatted())  balance \(n.balance.formatted())  day start \(n.dayStart.formatted())  week start \(n.weekStart.formatted())"
            if let l = n.trailingLevel { s += "  trailing level \(l.formatted())" }
            return s + "  margin \(n.marginUsed.formatted())"
        }
        var out = "template \(g.template) at \(w.local(at)) (trade date \(before.tradeDate))\n"
        out += "account: \(numbers(before))\n"
        if let b = decidingBreach(items) {
            let action: String
            switch b.tier {
            case .alert: action = "ALERT"
            case .liquidateOnly: action = "LIQUIDATE ONLY"
            case .autoLiquidate: action = "AUTO-LIQUIDATE"
            }
            out += "decision: \(action) by \(g.testFields[Int(b.test)])  [\(w.setup.source(ofTest: b.test))]\n"
        } else {
            out += "decision: none (no threshold reached)\n"
        }
        for item in items { out += "  " + w.itemText(item, indent: "  ") + "\n" }
        let n = step.snapshot
        var mode = "mode: \(n.mode)"
        if let c = n.governing {
            mode += " by \(w.originText(c.origin)) \(w.releaseText(c.release, c.releaseAt))"
        }
        out += mode + "\n"
        if !items.isEmpty { out += "after: \(numbers(n))\n" }
        out += w.firmLines(n)
        if let (o, d) = order {
            out += "order: \(o.quantity > 0 ? "buy" : "sell") \(o.quantity.magnitude) \(w.productText(o))"
                + (o.limitPrice.map { " @ \($0)" } ?? "") + " -> " + w.verdictText(d, o, w.inForce.check) + "\n"
        }
        if let ms = measures {
            out += "tests (decision order):\n"
            for (i, m) in ms.enumerated() {
                let f = g.testFields[i]
                out += "  \(m.breached ? "BREACH" : "ok    ")  \(f): \(w.measureText(m, metric: f.metric))  [\(w.setup.source(ofTest: Int32(i)))]\n"
            }
        }
        return out
    }

    static func json(_ w: StepWriter, _ at: Instant, _ before: Snapshot, _ step: Step,
                     _ items: ArraySlice<DecisionItem>, _ order: (OrderRequest, OrderDecision)?, _ measures: [Measure]?) -> ByteSink {
        let g = w.setup.graph
        let s = ByteSink()
        s.raw("{\"template\":")
        s.quoted(g.template)
        s.raw(",\"at\":\"")
        s.instant(at)
        s.raw("\",\"before\":{")
        w.snapshot(before, s)
        s.raw("},\"decision\":")
        if let b = decidingBreach(items) {
            s.raw("{\"action\":\"")
            s.text(b.tier.description)
            s.raw("\",\"rule\":")
            s.quoted(g.testFields[Int(b.test)].description)
            s.raw(",\"source\":")
            s.quoted(w.setup.source(ofTest: b.test))
            s.byte(UInt8(ascii: "}"))
        } else {
            s.raw("{\"action\":\"none\"}")
        }
        s.raw(",\"decisions\":[")
        for (k, item) in items.enumerated() {
            if k > 0 { s.byte(UInt8(ascii: ",")) }
            w.decision(item, s)
        }
        s.raw("],\"after\":{")
        w.snapshot(step.snapshot, s)
        s.byte(UInt8(ascii: "}"))
        if let (o, d) = order {
            s.raw(",\"order\":")
            w.decision(.order(o, d), s)
        }
        if let ms = measures {
            s.raw(",\"tests\":[")
            for (i, m) in ms.enumerated() {
                if i > 0 { s.byte(UInt8(ascii: ",")) }
                let f = g.testFields[i]
                s.raw("{\"test\":")
                s.int(Int64(i))
                s.raw(",\"rule\":")
                s.quoted(f.description)
                s.raw(",")
                w.measure(m, s)
                s.raw(",\"breached\":")
                s.raw(m.breached ? "true" : "false")
                s.raw(",\"source\":")
                s.quoted(w.setup.source(ofTest: Int32(i)))
                s.byte(UInt8(ascii: "}"))
            }
            s.byte(UInt8(ascii: "]"))
        }
        s.raw("}\n")
        return s
    }
}
