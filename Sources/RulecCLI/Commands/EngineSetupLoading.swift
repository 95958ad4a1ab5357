import RuleBase
import RuleSemantics
import RuleGraph
import RuleEngine
import RuleCodecs

/// What `eval` and `simulate` share: the checked rulebook's chosen template, with its zone
/// loaded from the host tz database.
extension EngineSetup {
    /// Loads the rulebook positionals and picks `--template` (or the only template); reports
    /// every problem on `context`.
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
        return make(graph: graph, rulebook: rb, &context)
    }

    /// The setup of one template's graph: its calendar with the zone from the host tz database.
    static func make(graph: RuleGraph, rulebook rb: CheckedRulebook, _ context: inout Context) -> Result<EngineSetup, CommandSupport.Stopped> {
        let zoneName = graph.calendar?.timezone ?? "UTC"
        guard let zone = zoneName == "UTC" ? ZoneRules.utc : ZoneRules.load(identifier: zoneName) else {
            context.error("time zone `\(zoneName)` is not in this system's tz database")
            return .failure(.init(status: .usage))
        }
        let calendar = TradingCalendar(CalendarRules(graph.calendar, zone: zone))
        return .success(EngineSetup(graph: graph, calendar: calendar, locate: CommandSupport.locator(rb.sources)))
    }

    /// Every template of a checked rulebook, in the rulebook's order (`replay`, `diff --replay`).
    static func all(_ rb: CheckedRulebook, _ context: inout Context) -> Result<[EngineSetup], CommandSupport.Stopped> {
        var setups: [EngineSetup] = []
        for g in Lowering.lower(rb) {
            switch make(graph: g, rulebook: rb, &context) {
            case .success(let s): setups.append(s)
            case .failure(let s): return .failure(s)
            }
        }
        return .success(setups)
    }
}
