import RuleTestSupport
import RuleBase
import Testing
@testable import RuleJSON

/// Seeded properties of the one JSON implementation: printing what was parsed gives the same
/// text back, mutated documents never crash any reader, and numbers stay exact.
@Suite struct JSONPropertyTests {
    /// `print(parse(x)) == x` for text the writers produce, in every layout, and
    /// `parse(print(v)) == v` for generated values.
    @Test func printOfParseIsTheSameText() throws {
        var rng = SplitMix64(seed: 0x5EED_0001)
        for _ in 0..<1500 {
            let value = JSONWriterTests.generate(&rng, depth: 0)
            let texts = [JSONWriter.string(value), JSONWriter.string(value, style: .pretty),
                         value.readableText(), value.spacedText, value.readableText(width: 20)]
            for text in texts {
                let parsed = try JSONParser.parse(text)
                #expect(parsed == value, "\(text)")
            }
            let compact = texts[0], pretty = texts[1], readable = texts[2], spaced = texts[3]
            #expect(JSONWriter.string(try JSONParser.parse(compact)) == compact)
            #expect(JSONWriter.string(try JSONParser.parse(pretty), style: .pretty) == pretty)
            #expect(try JSONParser.parse(readable).readableText() == readable)
            #expect(try JSONParser.parse(spaced).spacedText == spaced)
        }
    }

    /// Valid documents with bytes deleted, inserted, replaced, duplicated or swapped: the parser,
    /// the object scanner and the JSON Lines splitter either succeed or report an error inside
    /// the input, never trap; whatever parses prints and parses back to itself.
    @Test func mutatedDocumentsNeverCrash() throws {
        var rng = SplitMix64(seed: 0x5EED_0002)
        let inserts = Array("{}[],:\"\\ u0123456789eE.+-tfn\n\r\t".utf8) + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC3, 0xA9, 0xED, 0xF0, 0xF4, 0xFF]
        var parsedCount = 0, failedCount = 0
        for _ in 0..<4000 {
            var bytes = Array(JSONWriter.string(Self.object(&rng)).utf8)
            for _ in 0...rng.below(3) { Self.mutate(&bytes, &rng, inserts) }
            do {
                let v = try JSONParser.parse(bytes)
                parsedCount += 1
                let text = JSONWriter.string(v)
                #expect(try JSONParser.parse(text) == v, "\(text)")
            } catch {
                failedCount += 1
                #expect(error.offset >= 0 && error.offset <= bytes.count)
                #expect(error.line >= 1 && error.column >= 1)
                #expect(error.message.first?.isLowercase == true && error.message.last != ".", "\(error.message)")
            }
            do {
                var s = try JSONObjectScanner(bytes)
                var fields = 0
                while let f = try s.next() {
                    fields += 1
                    #expect(fields <= bytes.count)
                    _ = s.keyString(f); _ = s.string(f); _ = s.decimal(f); _ = s.money(f); _ = s.bool(f)
                    if f.kind == .object || f.kind == .array { _ = try s.value(f) }
                }
            } catch {
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
            for line in JSONLines(bytes) {
                #expect(line.range.lowerBound >= 0 && line.range.upperBound <= bytes.count && !line.range.isEmpty)
            }
        }
        // The mutations are neither all harmless nor all fatal.
        #expect(parsedCount > 100 && failedCount > 1000, "\(parsedCount) parsed, \(failedCount) failed")
    }

    /// Number text survives parsing and printing byte for byte; `decimalValue` is exact or nil.
    @Test(arguments: [
        ("0", "0"), ("-0", "0"), ("12.50", "12.50"), ("0.1", "0.1"), ("1e3", "1000"), ("1E+3", "1000"),
        ("1.5e-2", "0.015"), ("-123456789012345678", "-123456789012345678"),
        ("922337203685477.5807", "922337203685477.5807"), ("0.000000000000000001", "0.000000000000000001"),
        ("12.500000000000000000000", "12.5"),
    ])
    func numbersAreExact(text: String, decimal: String) throws {
        let v = try JSONParser.parse("[\(text)]")
        #expect(v == .array([.number(text)]))
        #expect(JSONWriter.string(v) == "[\(text)]")
        #expect(v[0]?.decimalValue?.description == decimal)
    }

    @Test(arguments: ["123456789012345678901234567890", "1e400", "0.0000000000000000001", "9223372036854775808"])
    func numbersThatDoNotFitStayTextAndAreNotRounded(text: String) throws {
        let v = try JSONParser.parse(text)
        #expect(v == .number(text))
        #expect(JSONWriter.string(v) == text && v.readableText() == text + "\n")
        #expect(v.decimalValue == nil)
    }

    @Test func moneyFromNumbersIsExact() throws {
        var rng = SplitMix64(seed: 0x5EED_0003)
        for _ in 0..<2000 {
            let units = Int64(bitPattern: rng.next()) / Int64(1 + rng.below(1 << 20))
            let m = Money(units: units)
            var w = JSONWriter()
            w.money(m)
            #expect(try JSONParser.parse(w.text).moneyValue == m, "\(w.text)")
            let sink = ByteSink(capacity: 8)
            sink.money(m)
            #expect(sink.text == w.text)
            #expect(JSONNumber.decimal(sink.text).flatMap { Money($0) } == m)
        }
    }

    // MARK: Generators

    static func object(_ rng: inout SplitMix64) -> JSONValue {
        var members: [JSONValue.Member] = []
        for k in 0..<(1 + rng.below(5)) {
            members.append(.init("k\(k)", JSONWriterTests.generate(&rng, depth: 1)))
        }
        return .object(members)
    }

    static func mutate(_ bytes: inout [UInt8], _ rng: inout SplitMix64, _ inserts: [UInt8]) {
        guard !bytes.isEmpty else { bytes = [inserts[rng.below(inserts.count)]]; return }
        let at = rng.below(bytes.count)
        switch rng.below(5) {
        case 0: bytes.remove(at: at)
        case 1: bytes.insert(inserts[rng.below(inserts.count)], at: at)
        case 2: bytes[at] = inserts[rng.below(inserts.count)]
        case 3:
            let end = min(bytes.count, at + 1 + rng.below(8))
            bytes.insert(contentsOf: bytes[at..<end], at: at)
        default:
            let other = rng.below(bytes.count)
            bytes.swapAt(at, other)
        }
    }
}
