import Foundation
import Testing
import RuleBase
import RuleSemantics
import RuleTools

/// The rulebooks in rules/ ship with tests: every one passes, and together they exercise every
/// setting of every account template.
@Suite("Bundled rulebook tests")
struct RulebookTestBundledTests {
    static func report() throws -> TestRunReport {
        let root = try #require(RulebookTestFixtures.bundledRoot)
        return RulebookTestFixtures.run(RulebookTestFixtures.bundledEntries, root: root)
    }

    @Test("every test in rules/ passes")
    func allPass() throws {
        let r = try Self.report()
        #expect(r.results.count >= 50)
        #expect(r.failed == 0, "\(r.text(coverage: false))")
    }

    @Test("each account template of rules/ has tests")
    func everyTemplateTested() throws {
        let r = try Self.report()
        #expect(r.coverage.map(\.template) == ["eval_100k", "eval_150k", "eval_50k", "funded_100k"])
        #expect(r.coverage.allSatisfy { $0.tested })
    }

    @Test("the tests exercise every setting of every template: zero unexercised with --coverage")
    func fullCoverage() throws {
        let r = try Self.report()
        #expect(r.unexercised.isEmpty, "\(r.coverageText())")
        #expect(r.coverage.reduce(0) { $0 + $1.items.count } == 213)
    }
}
