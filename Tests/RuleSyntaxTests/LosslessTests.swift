import RuleTestSupport
import Testing
import RuleBase
import RuleSyntax

@Suite("Lossless printing")
struct LosslessTests {
    static let samples: [String] = [
        "",
        "\n",
        "   ",
        "# only a comment",
        "# only a comment\n",
        "import \"std/cme.rules\"\n",
        "calendar cme {\n  timezone \"America/Chicago\"   # zone\n  trading_day_starts 17:00\n}\n",
        "product ES  { point_value 50 USD  tick 0.25  day_margin 500 USD  overnight_margin 13_200 USD }",
        "risk_category r {\n  restrict CL, NG ,\n  max_group g 5 { ES 1; MES 0.1 }\n}\n",
        "template a extends b {\r\n  alert {\r\n    daily_loss 1.5%\r\n  }\r\n}\r\n",
        "\t\ttemplate\tx\t{\tdo_not_unlock\t}\t\n",
        "a;;;b;\n;c",
        // With errors: still lossless.
        "}}} {{{",
        "alert {\n  daily_loss 800 USD\n",
        "x 25:00 2026-02-30 1.2.3 5ES $ - \"open\n",
        "\"unterminated",
        "a \"bad \\q\" 2026-12-31T15:45+6 @@",
        "a { b } c d\n",
        "{\n}\n,\n",
        "trailing_drawdown 2_500 USD {\n  mode end_of_day\n  # no closing brace",
        "description \"€ ünï 注释\" # ✓\n",
        "no newline at end",
        "x\r",
    ]

    @Test("print(parse(text)) == text", arguments: samples)
    func inlineSample(text: String) {
        #expect(Parser.parse(text).tree.print() == text)
    }

    @Test("every bundled rulebook prints back byte for byte")
    func everyBundledRulebook() throws {
        let books = bundledRulebooks()
        // The semantics fixtures are always there; `rules/` and `examples/` join when they exist.
        #expect(books.count >= 5)
        for book in books {
            let file = SourceFile(id: FileID(0), path: book.path, bytes: book.bytes)
            let (tree, _) = Parser.parse(file)
            if String(validating: book.bytes, as: UTF8.self) != nil {
                #expect(Array(tree.print().utf8) == book.bytes, "\(book.path)")
            }
            #expect(coversEveryByte(tree), "\(book.path)")
        }
    }

    @Test("tokens with their trivia tile the file exactly, even for random bytes")
    func tokensTileTheFile() {
        var rng = SplitMix64(seed: 0x5EED_0001)
        for round in 0..<300 {
            let count = Int(rng.next() % 400)
            let alphabet = Array("ab_9 .:-%{}\"\\#,;\nTZ+USD".utf8) + [0x00, 0xC3, 0xA9, 0xFF, 0x0D, 0x09]
            let bytes = (0..<count).map { _ in
                rng.next() % 4 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            let (tree, _) = Parser.parse(SourceFile(id: FileID(0), path: "r\(round).rules", bytes: bytes))
            #expect(coversEveryByte(tree), "round \(round)")
        }
    }

    /// Each token's trivia starts where the previous token ended; the last token ends the file.
    func coversEveryByte(_ tree: SyntaxTree) -> Bool {
        var at: UInt32 = 0
        for t in tree.tokens {
            guard t.triviaStart == at, t.triviaStart <= t.start, t.start <= t.end else { return false }
            at = t.end
        }
        return Int(at) == tree.file.bytes.count && tree.tokens.last?.kind == .endOfFile
    }
}
