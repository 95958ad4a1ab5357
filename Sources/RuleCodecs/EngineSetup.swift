import RuleBase
import RuleGraph
import RuleEngine

/// What the codecs need to read and write one template's events, states, orders and steps:
/// its graph, its calendar (with the zone already loaded), and ways back to rulebook lines and
/// products. The caller builds it (the CLI from files, a fleet replay from its own loader).
public struct EngineSetup: Sendable {
    public var graph: RuleGraph
    public var calendar: TradingCalendar
    /// A span as `file:line:column` text, for the rulebook line behind a breach.
    public var locate: @Sendable (Span) -> String
    /// Product symbols as bytes, by product index, for allocation-free lookups.
    public var symbols: [[UInt8]]

    public init(graph: RuleGraph, calendar: TradingCalendar, locate: @escaping @Sendable (Span) -> String) {
        self.graph = graph
        self.calendar = calendar
        self.locate = locate
        self.symbols = graph.products.map { Array($0.symbol.utf8) }
    }

    public func product(_ bytes: UnsafeBufferPointer<UInt8>) -> Int32? {
        for (i, s) in symbols.enumerated() where s.count == bytes.count {
            if s.withUnsafeBufferPointer({ $0.elementsEqual(bytes) }) { return Int32(i) }
        }
        return nil
    }

    public func product(_ symbol: String) -> Int32? { graph.productIndex(symbol) }

    public func symbol(_ i: Int32) -> String { graph.products[Int(i)].symbol }

    public func source(ofTest i: Int32) -> String { locate(graph.testSpans[Int(i)]) }

    /// The UTC offset of the calendar zone at an instant, for local times in text output.
    public func offset(at t: Instant) -> Int32 { calendar.zone.offset(at: t) }
}
