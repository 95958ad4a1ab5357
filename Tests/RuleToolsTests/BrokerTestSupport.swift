import Foundation
import Testing
import RuleBase
import RuleSemantics
import RuleTools

/// Paths, the bundled rulebooks and golden files for the broker tests. Goldens live in the
/// source tree (Fixtures/broker); `RULEC_UPDATE_GOLDENS=1` rewrites them.
enum BrokerFixtures {
    static let testsDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    static let fixturesDir = testsDir.appendingPathComponent("Fixtures/broker")

    /// The folder holding Package.swift, found by walking up from this file.
    static let repoRoot: URL? = {
        var dir = testsDir
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }()

    static var updating: Bool { ProcessInfo.processInfo.environment["RULEC_UPDATE_GOLDENS"] == "1" }

    /// Checks files under `root` (paths relative to it).
    static func check(entries: [String], root: URL) -> (CheckedRulebook, [Diagnostic]) {
        Checker.check(entries: entries) { path in
            guard let d = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else { return .notFound }
            return .loaded(Array(d))
        }
    }

    /// `rules/` of the repository, every top-level rulebook as an entry.
    static let bundled: CheckedRulebook? = {
        guard let root = repoRoot?.appendingPathComponent("rules"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return nil }
        let entries = names.filter { $0.hasSuffix(".rules") }.sorted()
        let (rb, diags) = check(entries: entries, root: root)
        return diags.contains { $0.severity == .error } ? nil : rb
    }()

    static func bundledFile(_ path: String) -> String? {
        guard let root = repoRoot else { return nil }
        return try? String(contentsOf: root.appendingPathComponent("rules").appendingPathComponent(path), encoding: .utf8)
    }

    static func read(_ name: String) -> String? {
        try? String(contentsOf: fixturesDir.appendingPathComponent(name), encoding: .utf8)
    }

    static func names(in folder: String, suffix: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: fixturesDir.appendingPathComponent(folder).path)) ?? [])
            .filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// Compares `actual` with the golden file `name`, or writes it when updating.
    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let url = fixturesDir.appendingPathComponent(name)
        if updating {
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = read(name) else {
            Issue.record("missing golden \(name); run with RULEC_UPDATE_GOLDENS=1", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "golden \(name) differs", sourceLocation: sourceLocation)
    }

    /// A span as `file:line`.
    static func locate(_ span: Span?, _ rb: CheckedRulebook) -> String {
        guard let span else { return "-" }
        let f = rb.sources[span.file]
        return "\(f.path):\(f.location(of: span.start).line)"
    }

    /// A template's settings without spans or origins, in key order.
    static func settings(_ t: EffectiveTemplate) -> [FieldKey: FieldValue] {
        var out: [FieldKey: FieldValue] = [:]
        for f in t.fields { out[f.key] = f.value }
        return out
    }
}

/// A small, fast stand-in for std/cme.rules: calendar `cme` and every symbol the generators use.
enum BrokerCatalog {
    static let symbols = ["ES", "MES", "NQ", "MNQ", "CL", "NG", "GC", "SI", "6E", "ZN_2"]
    static let text: String = "calendar cme {\n  timezone \"America/Chicago\"\n}\n\n"
        + symbols.map { "product \"\($0)\" {\n  point_value 50 USD\n}\n" }.joined(separator: "\n")
}
