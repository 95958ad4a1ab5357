import RuleBase
import RuleSemantics
import RuleGraph
import RuleEngine

/// What `eval` and `simulate` share: the checked rulebook, one template's graph, its calendar
/// with the zone loaded from the host tz database, and ways back to rulebook lines and products.
struct EngineSetup {
    var rulebook: CheckedRulebook
    var graph: RuleGraph
    var calendar: TradingCalendar
    var locate: (Span) -> String
    /// Product symbols as bytes, by product index, for allocation-free lookups.
    var symbols: [[UInt8]]

    /// Loads the rulebook positionals and picks `--template` (or the only template).
    static func load(_ args: ParsedArguments, _ context: inout Context) -> Result<EngineSetup, CommandSupport.Stopped> {
        let loaded: RulebookLoader.Loaded
        switch CommandSupport.loadClean(args, &context, paths: args.positional("rulebook")) {
        case let .success(l): loaded = l
        case let .failure(s): return .failure(s)
        }
        let rb = loaded.rulebook
        let graphs = Lowering.lower(rb)
        let graph: RuleGraph
        if let name = args.value("template") {
            guard let g = graphs.first(where: { $0.template == name }) else {
                return .failure(.init(status: CommandSupport.unknownTemplate(name, in: rb, &context)))
            }
            graph = g
        } else if graphs.count == 1, let g = graphs.first {
            graph = g
        } else {
            context.error("the rulebook has \(graphs.count) templates; choose one with --template (\(graphs.map(\.template).joined(separator: ", ")))")
            return .failure(.init(status: .usage))
        }
        let zoneName = graph.calendar?.timezone ?? "UTC"
        guard let zone = zoneName == "UTC" ? ZoneRules.utc : ZoneRules.load(identifier: zoneName) else {
            context.error("time zone `\(zoneName)` is not in this system's tz database")
            return .failure(.init(status: .usage))
        }
        let calendar = TradingCalendar(CalendarRules(graph.calendar, zone: zone))
        return .success(EngineSetup(rulebook: rb, graph: graph, calendar: calendar,
                                    locate: CommandSupport.locator(rb.sources),
                                    symbols: graph.products.map { Array($0.symbol.utf8) }))
    }

    func product(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        for (i, s) in symbols.enumerated() where s.count == bytes.count {
            if s.withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) { return Int32(i) }
        }
        return nil
    }

    func product(_ symbol: String) -> Int32? { graph.productIndex(symbol) }

    func symbol(_ i: Int32) -> String { graph.products[Int(i)].symbol }

    func source(ofTest i: Int32) -> String { locate(graph.testSpans[Int(i)]) }

    /// The UTC offset of the calendar zone at an instant, for local times in text output.
    func offset(at t: Instant) -> Int32 { calendar.zone.offset(at: t) }
}
