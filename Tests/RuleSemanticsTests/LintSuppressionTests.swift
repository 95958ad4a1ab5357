import RuleBase
import RuleSemantics
import Testing

/// `# rulec-allow CODE: reason`: where a directive applies, and what a wrong one reports.
@Suite struct LintSuppressionTests {
    /// A template with an alert at the auto-liquidate level (R5001, line 5) and a daily loss
    /// at the trailing drawdown (R5017, line 8), with `{A}`..`{D}` slots for comments.
    static func rulebook(_ slots: [String: String] = [:]) -> String {
        func s(_ k: String) -> String { slots[k].map { " " + $0 } ?? "" }
        return """
            template eval_50k {\(s("A"))
              starting_balance 50_000 USD
            \(slots["B"] ?? "")
              alert {\(s("C"))
                daily_loss 2_000 USD\(s("D"))
              }\(s("E"))
              auto_liquidate {
                daily_loss 2_000 USD
              }
              trailing_drawdown 2_000 USD {
                mode end_of_day
              }
            }

            """
    }

    static func codes(_ source: String) -> [String] {
        LintFixtures.check(source, path: "s.rules").1.map(\.code.id)
    }

    @Test func unsuppressedBaseline() {
        #expect(Self.codes(Self.rulebook()) == ["R5001", "R5017"])
    }

    @Test(arguments: [
        ("A", "# rulec-allow R5001: whole template"),        // end of the template's line
        ("B", "  # rulec-allow R5001: alert block"),         // own line above the block
        ("C", "# rulec-allow R5001: block header"),          // end of the block's `{` line
        ("D", "# rulec-allow R5001: this limit"),            // end of the setting's line
        ("E", "# rulec-allow R5001: closing brace"),         // end of the block's `}` line
        ("D", "# rulec-allow tiers-out-of-order: by name"),  // a name instead of a code
    ])
    func suppressesWhereWritten(slot: String, comment: String) {
        #expect(Self.codes(Self.rulebook([slot: comment])) == ["R5017"])
    }

    @Test func severalCodesReportTheUnusedOne() {
        let (rb, diags) = LintFixtures.check(Self.rulebook(["D": "# rulec-allow R5001, R5003: both"]), path: "s.rules")
        #expect(diags.map(\.code.id) == ["R5100", "R5017"])
        let unused = diags[0]
        #expect(unused.severity == .warning)
        #expect(unused.message == "suppression of `R5003` (trailing-cap-below-start) suppresses nothing")
        #expect(rb.sources[unused.primary.span.file].text(unused.primary.span) == "R5003")
    }

    @Test func suppressionOfAnotherItemIsUnused() {
        // On the line above `starting_balance`: covers that line only, not the alert.
        let source = Self.rulebook(["A": "\n  # rulec-allow R5001: wrong line"])
        #expect(Self.codes(source) == ["R5100", "R5001", "R5017"])
    }

    @Test func danglingDirectiveIsUnused() {
        let source = Self.rulebook().replacingOccurrences(of: "    mode end_of_day\n  }\n}",
                                                          with: "    mode end_of_day\n  }\n  # rulec-allow R5017: nothing below\n}")
        let (_, diags) = LintFixtures.check(source, path: "s.rules")
        #expect(diags.map(\.code.id) == ["R5001", "R5017", "R5100"])
        #expect(diags.last?.primary.message == "not attached to any setting")
    }

    @Test(arguments: [
        ("# rulec-allow R5001", "suppression of `R5001` has no reason"),
        ("# rulec-allow R5001:   ", "suppression of `R5001` has no reason"),
        ("# rulec-allow: why", "suppression names no lint code"),
        ("# rulec-allow R3001: not a lint", "`R3001` is not a lint and cannot be suppressed"),
        ("# rulec-allow R5999: typo", "unknown lint code `R5999` in suppression"),
    ])
    func malformedDirectiveIsAnError(comment: String, message: String) {
        let (_, diags) = LintFixtures.check(Self.rulebook(["D": comment]), path: "s.rules")
        // The error stops the lints, so nothing else is reported.
        #expect(diags.map(\.message) == [message])
        #expect(diags.allSatisfy { $0.code == .invalidSuppression && $0.severity == .error })
    }

    @Test func ordinaryCommentsAreNotDirectives() {
        #expect(Self.codes(Self.rulebook(["D": "# rulec-allowance is not a directive"])) == ["R5001", "R5017"])
        #expect(Self.codes(Self.rulebook(["D": "# see rulec-allow R5001: in docs"])) == ["R5001", "R5017"])
    }

    @Test func unusedSuppressionsAreNotReportedWhenErrorsStopTheLints() {
        let source = Self.rulebook(["D": "# rulec-allow R5003: x"]) + "template broken {\n  daily_loss 1 USD\n}\n"
        let (_, diags) = LintFixtures.check(source, path: "s.rules")
        #expect(!diags.isEmpty && diags.allSatisfy { $0.code.number < 5000 })
    }
}

@Suite struct LintSuppressionReadmeTests {
    /// The README's suppression example, under a parent that makes both limits looser, checks
    /// clean: each directive suppresses what the README says it does.
    @Test func readmeExampleIsClean() throws {
        let readme = try String(contentsOf: LintFixtures.readme, encoding: .utf8)
        let section = try #require(readme.range(of: "### Suppressing a finding"))
        let open = try #require(readme.range(of: "```\n", range: section.upperBound..<readme.endIndex))
        let close = try #require(readme.range(of: "```\n", range: open.upperBound..<readme.endIndex))
        let example = String(readme[open.upperBound..<close.lowerBound])
        let parent = "template eval_base {\n  alert {\n    daily_loss 1.2%\n  }\n  auto_liquidate {\n    daily_loss 2%\n  }\n}\n"
        let (rb, diags) = LintFixtures.check(parent + example, path: "eval-150k.rules")
        #expect(diags.isEmpty, "\(LintFixtures.render(diags, rb.sources))")
        let stripped = example.split(separator: "\n").map { line in line.range(of: "# rulec-allow").map { String(line[..<$0.lowerBound]) } ?? String(line) }
            .joined(separator: "\n")
        let (_, unsuppressed) = LintFixtures.check(parent + stripped, path: "eval-150k.rules")
        #expect(unsuppressed.map(\.code.id) == ["R5013", "R5013"])
    }

}

/// `# rulec-file LEVEL CODE: reason` headers: a lint's level in one file.
@Suite struct LintFileLevelTests {

    static func findings(_ source: String) -> [String] {
        LintFixtures.check(source, path: "s.rules").1.map { "\($0.code.id) \($0.severity.rawValue)" }
    }

    @Test(arguments: [
        ("# rulec-file warn R5017", ["R5001 warning", "R5017 warning"]),
        ("# rulec-file deny R5001, daily-loss-at-or-above-trailing", ["R5001 error", "R5017 error"]),
        ("# rulec-file allow R5017: the trailing drawdown is the limit we mean", ["R5001 warning"]),
        ("# a comment\n# rulec-file deny R5017\n\n# about the template", ["R5001 warning", "R5017 error"]),
    ])
    func fileHeaderSetsLevels(header: String, expected: [String]) {
        #expect(Self.findings(header + "\n" + LintSuppressionTests.rulebook()) == expected)
    }

    @Test(arguments: [
        ("# rulec-file allow R5017", "file-level allow of `R5017` has no reason"),
        ("# rulec-file forbid R5017: x", "unknown lint level `forbid`"),
        ("# rulec-file deny R3001", "`R3001` (wrong-type) is not a lint; only R5xxx lint codes have levels"),
        ("# rulec-file deny", "`# rulec-file deny` names no lint code"),
    ])
    func malformedFileHeader(header: String, message: String) {
        let diags = LintFixtures.check(header + "\n" + LintSuppressionTests.rulebook(), path: "s.rules").1
        #expect(diags.contains { $0.code == .invalidSuppression && $0.message == message }, "\(diags.map(\.message))")
    }

    /// After the first item the directive would read as if it covered only what follows.
    @Test func fileHeaderAfterTheFirstItemIsAnError() {
        let diags = LintFixtures.check(LintSuppressionTests.rulebook(["B": "  # rulec-file allow R5001: x"]), path: "s.rules").1
        #expect(diags.map(\.code.id).contains("R5101"))
        #expect(diags.first { $0.code == .invalidSuppression }?.message == "a `# rulec-file` directive must come before the first item of the file")
    }
}
