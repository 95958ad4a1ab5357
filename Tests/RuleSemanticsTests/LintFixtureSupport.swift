import Foundation
import RuleBase
import RuleSemantics

/// The lint fixtures under `Fixtures/lints/`: for every documented code a rulebook that
/// triggers it (`CODE.bad.rules`, its rendered findings in `CODE.bad.txt`) and one that
/// checks clean (`CODE.good.rules`). The README's "Lints" section is generated from them.
enum LintFixtures {
    static let testsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let directory = testsDirectory.appendingPathComponent("Fixtures/lints")
    static let readme = testsDirectory.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("README.md")

    /// 2026-11-23T18:00:00Z: fixtures are judged at a fixed instant.
    static let now = Instant(epochSeconds: 1_795_456_800)

    static let zoneOffset: @Sendable (String, Instant) -> Int32? = { zone, instant in
        guard let tz = TimeZone(identifier: zone) else { return nil }
        return Int32(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.epochSeconds))))
    }

    static let options = CheckOptions(isKnownTimeZone: { TimeZone(identifier: $0) != nil }, now: now, zoneOffset: zoneOffset, lints: true)

    /// The codes with a fixture pair and a README entry: R2008 (the lint for a position limit
    /// on an unknown product is the checker's error) and every lint and suppression code.
    static let documented: [DiagnosticCode] = [.unknownProduct] + Lints.codes

    static var updating: Bool { ProcessInfo.processInfo.environment["RULEC_UPDATE_GOLDENS"] == "1" }

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func check(_ source: String, path: String, options: CheckOptions = options) -> (CheckedRulebook, [Diagnostic]) {
        Checker.check(source: source, path: path, options: options)
    }

    static func render(_ diags: [Diagnostic], _ sources: SourceMap) -> String {
        diags.map { DiagnosticRenderer().render($0, sources: sources) }.joined(separator: "\n")
    }

    /// Compares `actual` with the golden file, or rewrites it under `RULEC_UPDATE_GOLDENS=1`.
    static func golden(_ name: String, _ actual: String) throws -> String? {
        let url = directory.appendingPathComponent(name)
        if updating {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            return actual
        }
        return try? String(contentsOf: url, encoding: .utf8)
    }
}
