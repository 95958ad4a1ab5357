import Foundation
import Testing
import RuleBase
import RuleSemantics
import RuleEngine
import RuleTools

/// Fixture rulebook tests (Fixtures/rulebook-tests) and the bundled ones (rules/), run the way
/// `rulec test` runs them: each file checked as its own rulebook, then replayed.
enum RulebookTestFixtures {
    static let fixturesDir = BrokerFixtures.testsDir.appendingPathComponent("Fixtures/rulebook-tests")

    /// Zones from the host tz database, as the CLI loads them.
    static let zone: @Sendable (String) -> ZoneRules? = { ZoneRules.load(identifier: $0) }

    static func check(_ entry: String, root: URL = fixturesDir) -> (CheckedRulebook, [Diagnostic]) {
        BrokerFixtures.check(entries: [entry], root: root)
    }

    /// Runs the tests of `entries` (each its own rulebook); records an issue for any error.
    static func run(_ entries: [String], root: URL = fixturesDir, sourceLocation: SourceLocation = #_sourceLocation) -> TestRunReport {
        var session = TestSession(zone: zone)
        for e in entries {
            let (rb, diags) = check(e, root: root)
            let errors = diags.filter { $0.severity == .error }
            #expect(errors.isEmpty, "\(e): \(errors.map(\.message))", sourceLocation: sourceLocation)
            session.run(rb)
        }
        return session.report()
    }

    /// Diagnostics of a file as `rulec test` prints them (no color).
    static func rendered(_ entry: String) -> String {
        let (rb, diags) = check(entry)
        let r = DiagnosticRenderer(color: false)
        return diags.map { r.render($0, sources: rb.sources) + "\n" }.joined()
    }

    /// The golden file `rulebook-tests/NAME`.
    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = fixturesDir.appendingPathComponent(name)
        if BrokerFixtures.updating {
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
            Issue.record("missing golden rulebook-tests/\(name); run with RULEC_UPDATE_GOLDENS=1", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "golden rulebook-tests/\(name) differs", sourceLocation: sourceLocation)
    }

    /// The top-level files of rules/, as `rulec test rules` finds them (sorted; subfolders hold
    /// only imported rulebooks).
    static var bundledEntries: [String] {
        guard let root = BrokerFixtures.repoRoot?.appendingPathComponent("rules"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return [] }
        return names.filter { $0.hasSuffix(".rules") }.sorted()
    }

    static var bundledRoot: URL? { BrokerFixtures.repoRoot?.appendingPathComponent("rules") }
}
