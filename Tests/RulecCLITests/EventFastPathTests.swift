import Foundation
import RuleBase
import RuleEngine
import Testing
import RuleJSON
import RuleCodecs
@testable import RulecCLI

/// The flat fast path of the event decoder must build exactly the event the general scanner
/// builds, and leave everything unusual (and every error) to it.
@Suite("simulate decoder: fast path agrees with the general scanner")
struct EventFastPathTests {
    static func decoder() throws -> EventDecoder {
        var context = Context.testing(files: ["/work/r.rules": SimulateCommandTests.rulebook + "\nproduct MESH { point_value 5 USD }\n"])
        guard case let .run(args) = try ArgumentParser.parse(["r.rules", "--events", "-"], spec: SimulateCommand.spec),
              case let .success(setup) = EngineSetup.load(args, &context) else { throw CancellationError() }
        return EventDecoder(setup: setup)
    }

    static let lines = [
        #"{"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","side":"buy","qty":2,"price":5000.25,"commission":4.50}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","qty":-2,"price":5000}"#,
        #" { "at" : "2026-03-03T09:00:00-06:00" , "type" : "mark" , "product" : "ES" , "price" : 4990.5 } "#,
        #"{"at":"2026-03-03T15:00:00.250Z","type":"clock","note":"tick"}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"cash","amount":-25.0001}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"order","product":"ES","side":"sell","qty":1,"price":5001}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"order","product":"MESH","side":"sell","qty":1}"#,
        #"{"type":"mark","price":1,"product":"ES","at":"2026-03-03T15:00:00Z","amount":3}"#,
        // Everything below takes the general path (or fails there with its message).
        #"{"at":"2026-03-03T15:00:00Z","type":"order","product":"ZN","side":"buy","qty":1}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"mark","product":"E\u0053","price":1}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"mark","product":"ES","price":1e2}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"mark","product":"ES","price":"4990.00"}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"mark","product":"ES","price":01}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"mark","product":"ES","price":1,"price":2}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","side":"Buy","qty":1,"price":1}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","side":"buy","qty":-1,"price":1}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","qty":0,"price":1}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","qty":1}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"clock"} x"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"clock",}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"clock","extra":null}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"switch_category","category":"x"}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"admin","action":"Normal","reasonCode":"CallIn"}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"cash","amount":-1.00001}"#,
        #"{"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","qty":1,"price":1,"commission":-1}"#,
        "\u{FEFF}{\"at\":\"2026-03-03T15:00:00Z\",\"type\":\"clock\"}",
        "{}", "[]", "{", #"{"at":"#,
    ]

    @Test("same event or same error, line by line", arguments: lines)
    func agree(_ text: String) throws {
        let d = try Self.decoder()
        let bytes = Array(text.utf8)
        let line = JSONLine(number: 7, range: 0..<bytes.count)
        let general = Result { () throws(EventError) -> Event in try d.decodeGeneral(bytes, line) }
        let flat = bytes.withUnsafeBufferPointer { d.decodeFlat($0) }
        let combined = Result { () throws(EventError) -> Event in try d.decode(bytes, line) }
        if let f = flat {
            #expect(try general.get() == f)
        }
        switch (general, combined) {
        case let (.success(a), .success(b)): #expect(a == b)
        case let (.failure(a), .failure(b)): #expect(a.description == b.description)
        default: Issue.record("fast and general paths disagree on \(text)")
        }
    }

    @Test("the common lines do take the fast path")
    func taken() throws {
        let d = try Self.decoder()
        for text in Self.lines.prefix(8) {
            let bytes = Array(text.utf8)
            #expect(bytes.withUnsafeBufferPointer { d.decodeFlat($0) } != nil, "\(text)")
        }
    }
}
