import RuleTestSupport
import Testing
import RuleBase
import RuleSyntax

@Suite("Parser recovery and termination")
struct ParserRecoveryTests {
    @Test("a file with many errors reports every one of them, each at its line and column")
    func reportsAllErrors() {
        let text = """
        calendar cme {
          timezone "America/Chicago"
          trading_day_starts 25:00
        }
        , stray
        product ES { point_value 50 USD } tick
        template t {
          alert
          {
            daily_loss 5ES
          }
        }
        }
        template u {
          starting_balance $5

        """
        let file = SourceFile(id: FileID(0), path: "many.rules", text: text)
        let (tree, diagnostics) = Parser.parse(file)
        let sorted = diagnostics.sorted(by: Diagnostic.sortKey)
        #expect(located(sorted, in: file) == [
            "R1004 3:22",     // 25:00
            "R1010 5:1",      // a line starting with `,`
            "R1014 6:35",     // `tick` after a closing `}`
            "R1013 9:3",      // `{` on its own line
            "R1009 10:16",    // 5ES
            "R1012 13:1",     // `}` with no block open
            "R1011 14:12",    // never closed
            "R1002 15:20",    // `$`
        ])
        // Recovery keeps the items around the errors.
        #expect(tree.items.map { tree.text($0.name) } == ["calendar", "product", "template", "template"])
        #expect(outline(tree).contains("  trading_day_starts 25:00:invalid"))
    }

    @Test("an error on one line does not swallow the next line", arguments: [
        "a 1.2.3\nb 1",
        "a \"open\nb 1",
        "a 25:00 x y\nb 1",
        "a $\nb 1",
        ", ,\nb 1",
        "a { } junk\nb 1",
    ])
    func errorStaysOnItsLine(text: String) {
        let (tree, diagnostics) = Parser.parse(text)
        #expect(!diagnostics.isEmpty)
        #expect(outline(tree).last == "b 1:num")
    }

    @Test("a missing `}` is reported at the `{` it leaves open, and the block keeps its items")
    func unclosedBlock() {
        let file = SourceFile(id: FileID(0), path: "u.rules", text: "template t {\n  alert {\n    margin 80%\n")
        let (tree, diagnostics) = Parser.parse(file)
        #expect(located(diagnostics, in: file) == ["R1011 2:9", "R1011 1:12"])
        #expect(outline(tree) == ["template t:id {", "  alert {", "    margin 80%:pct", "  (unclosed)", "(unclosed)"])
    }

    @Test("10,000 nested `{` stop at the nesting limit with R9002, without a crash", arguments: [
        String(repeating: "{", count: 10_000),
        String(repeating: "a {", count: 10_000),
        String(repeating: "a {\n", count: 10_000) + String(repeating: "}\n", count: 10_000),
    ])
    func deepNesting(text: String) {
        let (tree, diagnostics) = Parser.parse(text)
        #expect(diagnostics.filter { $0.code.id == "R9002" }.count == 1)
        var deepest = 0
        tree.walk { _, depth in deepest = max(deepest, depth) }
        #expect(deepest < SyntaxLimits.maxDepth)
    }

    @Test("nesting up to the limit is fine")
    func nestingAtTheLimit() {
        let depth = SyntaxLimits.maxDepth - 1
        let text = String(repeating: "a {\n", count: depth) + String(repeating: "}\n", count: depth)
        let (tree, diagnostics) = Parser.parse(text)
        #expect(diagnostics.isEmpty)
        var deepest = 0
        tree.walk { _, d in deepest = max(deepest, d) }
        #expect(deepest == depth - 1)
    }

    @Test("100,000 stray `}` are each reported and the parser finishes")
    func manyClosingBraces() {
        let (tree, diagnostics) = Parser.parse(String(repeating: "}", count: 100_000))
        #expect(diagnostics.count == 100_000)
        #expect(diagnostics.allSatisfy { $0.code.id == "R1012" })
        #expect(tree.items.isEmpty)
    }

    @Test("more than 1,024 values on one setting is R9003, reported once")
    func tooManyValues() {
        let at = Parser.parse("restrict" + String(repeating: " ES", count: 1_024))
        #expect(at.diagnostics.isEmpty)
        #expect(at.tree.items.first?.values.count == 1_024)
        let over = Parser.parse("restrict" + String(repeating: " ES", count: 2_000))
        #expect(over.diagnostics.map(\.code.id) == ["R9003"])
        #expect(over.tree.items.first?.values.count == 1_024)
    }

    @Test("random token soup always parses to the end")
    func randomTokenSoup() {
        let vocabulary = ["{", "}", "{", "}", ";", ",", "\n", "\n", "template", "alert", "daily_loss", "x", "ES",
                          "\"s\"", "\"open", "800 USD", "1.5%", "16:00", "25:00", "2026-11-26", "1.2.3", "5ES",
                          "$", "#c\n", "é", "\u{0}", "5 contracts", "2026-12-31T15:45Z", "extends"]
        var rng = SplitMix64(seed: 42)
        for _ in 0..<500 {
            let count = Int(rng.next() % 200)
            let text = (0..<count).map { _ in vocabulary[Int(rng.next() % UInt64(vocabulary.count))] }.joined(separator: " ")
            let (tree, diagnostics) = Parser.parse(text)
            #expect(tree.print() == text)
            for d in diagnostics {
                #expect(d.primary.span.end <= UInt32(tree.file.bytes.count))
            }
        }
    }
}
