import RuleBase
import RuleFormat
import RuleSyntax
import Testing

/// fmt on thousands of generated rulebooks (fixed seeds): the output parses, means the same,
/// keeps every comment exactly once, and is a fixed point of fmt.
@Suite struct FormatPropertyTests {
    static let seeds: [UInt64] = [1, 2, 3, 4]
    static let filesPerSeed = 600

    @Test(arguments: seeds)
    func formatIsIdempotentAndKeepsMeaning(seed: UInt64) {
        var generator = RulebookGenerator(seed: seed)
        var failures = 0
        for n in 0..<Self.filesPerSeed where failures < 3 {
            let input = generator.file()
            let (tree, parseDiagnostics) = Parser.parse(input)
            guard parseDiagnostics.isEmpty else {
                failures += 1
                Issue.record("generator wrote invalid text (seed \(seed), file \(n)): \(parseDiagnostics.map(\.message))\n\(input)")
                continue
            }
            let first = Formatter.format(tree, diagnostics: parseDiagnostics)
            guard first.status == .formatted, let once = first.text else {
                failures += 1
                Issue.record("fmt failed (seed \(seed), file \(n)): \(first.diagnostics.map(\.message))\n\(input)")
                continue
            }
            let (reparsed, again) = Parser.parse(once)
            let twice = Formatter.format(reparsed, diagnostics: again).text
            let ok = again.isEmpty && tree.sameMeaning(as: reparsed)
                && tree.commentTexts.sorted() == reparsed.commentTexts.sorted()
                && twice == once
            if !ok {
                failures += 1
                Issue.record("""
                    property failed (seed \(seed), file \(n)): parses \(again.isEmpty), \
                    meaning \(tree.sameMeaning(as: reparsed)), comments \
                    \(tree.commentTexts.sorted() == reparsed.commentTexts.sorted()), idempotent \(twice == once)
                    --- input
                    \(input)
                    --- fmt(input)
                    \(once)
                    --- fmt(fmt(input))
                    \(twice ?? "<nil>")
                    """)
            }
        }
    }

    @Test func generatedFilesCoverEveryConstruct() {
        // The generator must exercise what the properties are about, or they prove little.
        var generator = RulebookGenerator(seed: 1)
        var text = ""
        for _ in 0..<200 { text += generator.file() }
        for needle in ["#", ";", "\r\n", "\n\n", "template", "alert", "max_group", "restrict", "on ", "USD", "%",
                       "contract", "T", "\"", "{ ", "extends", "import"] {
            #expect(text.contains(needle), "generated files never contain \(needle.debugDescription)")
        }
    }
}
