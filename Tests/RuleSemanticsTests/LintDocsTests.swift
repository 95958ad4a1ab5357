import Foundation
import RuleBase
import RuleSemantics
import Testing

/// The README's per-code lint pages are generated from the fixtures and their goldens, so
/// the documentation cannot drift from the checker. `RULEC_UPDATE_GOLDENS=1` rewrites them.
@Suite struct LintDocsTests {
    static let begin = "<!-- BEGIN GENERATED: lint pages, from Tests/RuleSemanticsTests/Fixtures/lints (RULEC_UPDATE_GOLDENS=1 swift test --filter LintDocsTests) -->"
    static let end = "<!-- END GENERATED: lint pages -->"

    static func fence(_ text: String) -> String {
        "```\n" + text + (text.hasSuffix("\n") ? "" : "\n") + "```\n"
    }

    static func section() throws -> String {
        var out = "| Code | Name | Severity |\n|---|---|---|\n"
        for c in LintFixtures.documented {
            out += "| [\(c.id)](#\(c.id.lowercased())-\(c.name)) | `\(c.name)` | \(c.severity.rawValue) |\n"
        }
        for c in LintFixtures.documented {
            let bad = try LintFixtures.text("\(c.id).bad.rules")
            let good = try LintFixtures.text("\(c.id).good.rules")
            let (rb, diags) = LintFixtures.check(bad, path: "\(c.id).bad.rules")
            out += "\n### \(c.id) \(c.name)\n\n"
            out += "*\(c.severity.rawValue)*. \(c.explanation)\n\n"
            out += "Flagged:\n\n" + fence(bad) + "\n"
            out += fence(LintFixtures.render(diags, rb.sources)) + "\n"
            out += "Clean:\n\n" + fence(good)
        }
        return out
    }

    @Test func readmeLintPagesAreUpToDate() throws {
        let readme = try String(contentsOf: LintFixtures.readme, encoding: .utf8)
        guard let b = readme.range(of: Self.begin), let e = readme.range(of: Self.end), b.upperBound <= e.lowerBound else {
            Issue.record("README.md lacks the generated lint pages markers")
            return
        }
        let expected = "\n" + (try Self.section()) + "\n"
        let actual = String(readme[b.upperBound..<e.lowerBound])
        if LintFixtures.updating, actual != expected {
            let updated = String(readme[..<b.upperBound]) + expected + String(readme[e.lowerBound...])
            try updated.write(to: LintFixtures.readme, atomically: true, encoding: .utf8)
            return
        }
        #expect(actual == expected, "README lint pages are stale: run RULEC_UPDATE_GOLDENS=1 swift test --filter LintDocsTests")
    }

    /// The README's severity policy table names every lint once, with its default severity.
    @Test func severityTableMatchesTheCodes() throws {
        let readme = try String(contentsOf: LintFixtures.readme, encoding: .utf8)
        let section = try #require(readme.range(of: "### Severity policy"))
        let end = try #require(readme.range(of: "### Lint levels", range: section.upperBound..<readme.endIndex))
        let rows = readme[section.upperBound..<end.lowerBound].split(separator: "\n").filter { $0.hasPrefix("| R5") }
        #expect(rows.count == Lints.codes.count)
        for c in Lints.codes {
            #expect(rows.contains { $0.hasPrefix("| \(c.id) \(c.name) | \(c.severity.rawValue) |") }, "\(c.id) \(c.name) \(c.severity.rawValue)")
        }
    }
}
