import RuleBase
import RuleJSON
import RuleSemantics
import RuleGraph
import RuleEngine
import RuleCodecs
import Testing

/// The codecs used as a library, with no CLI in between (as a fleet replay will use them): a
/// setup built from a graph, events decoded, a state and an order read, steps written.
@Suite("codecs without the CLI")
struct CodecLibraryTests {
    static let rulebook = """
    template t {
      starting_balance 50_000 USD
      auto_liquidate {
        daily_loss 1_000 USD
      }
    }
    product ES { point_value 50 USD; tick 0.25; day_margin 500 USD; overnight_margin 13_200 USD }
    """

    static func setup() throws -> EngineSetup {
        let (model, diagnostics) = Checker.check(source: rulebook, options: CheckOptions(isKnownTimeZone: { _ in true }))
        #expect(diagnostics.filter { $0.severity == .error }.isEmpty)
        let graph = try #require(Lowering.lower(model).first)
        let calendar = TradingCalendar(CalendarRules(graph.calendar, zone: .utc))
        return EngineSetup(graph: graph, calendar: calendar, locate: { "r.rules:\($0.start)" })
    }

    @Test func replaysEventsIntoJSONLines() throws {
        let setup = try Self.setup()
        let bytes = Array("""
            {"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","side":"buy","qty":2,"price":5000}
            {"at":"2026-03-03T15:01:00Z","type":"mark","product":"ES","price":"4990.00"}

            """.utf8)
        let decoder = EventDecoder(setup: setup)
        let events = try JSONLines(bytes).map { line throws(EventError) in try decoder.decode(bytes, line) }
        #expect(events.count == 2)
        var engine = PostTradeEngine(graph: setup.graph, calendar: setup.calendar,
                                     account: AccountState(productCount: 1, balance: Money(dollars: 50_000)), at: events[0].at)
        let writer = StepWriter(setup: setup, preTrade: engine.preTrade)
        let sink = ByteSink(capacity: 16)
        var out = Outcome()
        for (k, e) in events.enumerated() {
            out.removeAll()
            engine.apply(e, into: &out)
            for step in out.steps { writer.jsonLine(step, out.items(of: step), line: k + 1, event: e, into: sink) }
        }
        let lines = sink.text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].contains(#""netLiq":49000.00"#) && lines[1].contains(#""mode":"locked""#), "\(lines[1])")
        // Every line the writer produces is JSON the one parser reads.
        for line in lines { #expect(throws: Never.self) { try JSONParser.parse(String(line)) } }
    }

    @Test func decodeErrorsCarryLineAndColumn() throws {
        let decoder = EventDecoder(setup: try Self.setup())
        let bytes = Array(#"{"at":"2026-03-03T15:00:00Z","type":"fil"}"#.utf8)
        #expect(throws: EventError(line: 7, column: 30, message: "unknown event type `fil`; did you mean `fill`?")) {
            try decoder.decode(bytes, JSONLine(number: 7, range: 0..<bytes.count))
        }
    }

    @Test func readsStateAndOrderFiles() throws {
        let setup = try Self.setup()
        let state = try StateFile.parse(Array(#"{"at":"2026-03-03T15:05:00Z","balance":"50_000.00 USD","positions":[{"product":"ES","qty":-1,"avgPrice":5000,"mark":4990.25}]}"#.utf8),
                                        path: "s.json", setup: setup).get()
        #expect(state.at == InstantText.parse("2026-03-03T15:05:00Z"))
        #expect(state.account.balance == Money(dollars: 50_000))
        let order = try OrderFile.parse(Array(#"{"product":"ES","side":"sell","qty":2}"#.utf8), setup: setup).get()
        #expect(order.quantity == -2 && order.product == 0)
        #expect(throws: EventError(line: 1, column: 1, message: "unknown field `qtty` in the order; did you mean `qty`?")) {
            try OrderFile.parse(Array(#"{"product":"ES","qtty":2}"#.utf8), setup: setup).get()
        }
    }

    /// A misspelt field inside a position is an error, as everywhere else in the state: a
    /// silently ignored `avgprice` would give the position the wrong average.
    @Test(arguments: [
        (#"{"product":"ES","qty":1,"avgPrice":5000,"marks":4990}"#, "positions[0]: unknown field `marks`; did you mean `mark`?"),
        (#"{"product":"ES","qty":1,"avgPrice":5000,"side":"buy"}"#, "positions[0]: unknown field `side`"),
        (#"5"#, "positions[0] must be an object"),
    ])
    func rejectsUnknownPositionFields(position: String, message: String) throws {
        let text = #"{"balance":50000,"positions":["# + position + "]}"
        #expect(throws: EventError(line: 1, column: 1, message: message)) {
            try StateFile.parse(Array(text.utf8), path: "s.json", setup: try Self.setup()).get()
        }
    }
}
