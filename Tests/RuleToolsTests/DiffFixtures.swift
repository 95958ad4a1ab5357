import Foundation
import RuleBase
import RuleSemantics
import RuleTools
import Testing

/// Diff fixtures under `Tests/RuleToolsTests/Fixtures/diff/`: each case is a folder with an
/// `old/` and a `new/` rulebook; the expected outputs sit beside it as `CASE.txt`, `.md`,
/// `.json`. `RULEC_UPDATE_GOLDENS=1 swift test` rewrites the expected files in the source tree.
enum DiffFixtures {
    static var directory: URL {
        (Bundle.module.resourceURL ?? URL(fileURLWithPath: ".")).appendingPathComponent("Fixtures/diff")
    }

    static var sourceDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/diff")
    }

    static var updating: Bool { ProcessInfo.processInfo.environment["RULEC_UPDATE_GOLDENS"] == "1" }

    /// Every `*.rules` file under `case/side`, relative to it, in byte order.
    static func files(_ name: String, _ side: String) -> [String: String] {
        let root = directory.appendingPathComponent(name).appendingPathComponent(side)
        var out: [String: String] = [:]
        let walker = FileManager.default.enumerator(atPath: root.path)
        while let rel = walker?.nextObject() as? String {
            guard rel.hasSuffix(".rules"),
                  let text = try? String(contentsOf: root.appendingPathComponent(rel), encoding: .utf8) else { continue }
            out[rel] = text
        }
        return out
    }

    /// Checks an in-memory rulebook made of `files` (every file an entry), failing the test on errors.
    static func check(_ files: [String: String], sourceLocation: SourceLocation = #_sourceLocation) -> CheckedRulebook {
        let entries = files.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let (rb, diags) = Checker.check(entries: entries) { p in
            files[p].map { .loaded(Array($0.utf8)) } ?? .notFound
        }
        let errors = diags.filter { $0.severity == .error }
        #expect(errors.isEmpty, "fixture has errors: \(errors.map { "\($0.code) \($0.message)" })", sourceLocation: sourceLocation)
        return rb
    }

    /// The diff of fixture `name`, forward (old → new) or backward.
    static func diff(_ name: String, backward: Bool = false) -> RulebookDiff {
        let old = check(files(name, "old")), new = check(files(name, "new"))
        return backward ? SemanticDiff.compare(old: new, new: old, oldLabel: "new", newLabel: "old")
                        : SemanticDiff.compare(old: old, new: new, oldLabel: "old", newLabel: "new")
    }

    /// Compares `actual` with the expected file `name`, or rewrites it when updating.
    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if updating {
            try? actual.write(to: sourceDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else {
            Issue.record("missing golden file \(name); run with RULEC_UPDATE_GOLDENS=1", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "golden \(name) differs; run with RULEC_UPDATE_GOLDENS=1 and review", sourceLocation: sourceLocation)
    }
}
