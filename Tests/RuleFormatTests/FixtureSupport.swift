import Foundation
import RuleBase
import RuleFormat
import RuleSyntax
import Testing

/// Golden files under `Tests/RuleFormatTests/Fixtures/`: read from the test bundle, rewritten
/// in the source tree when `RULEC_UPDATE_GOLDENS=1`.
enum Fixtures {
    static var directory: URL {
        Bundle.module.resourceURL?.appendingPathComponent("Fixtures") ?? URL(fileURLWithPath: ".")
    }

    static var sourceDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }

    static var updating: Bool { ProcessInfo.processInfo.environment["RULEC_UPDATE_GOLDENS"] == "1" }

    /// Names (without extension) of every fixture with the given extension.
    static func names(withExtension ext: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return files.filter { $0.hasSuffix("." + ext) }.map { String($0.dropLast(ext.count + 1)) }.sorted()
    }

    static func read(_ name: String) -> String? {
        try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    /// Compares `actual` with the golden file `name`, or rewrites it when updating.
    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if updating {
            try? actual.write(to: sourceDirectory.appendingPathComponent(name), atomically: true, encoding: .utf8)
            return
        }
        guard let expected = read(name) else {
            Issue.record("missing golden file \(name); run with RULEC_UPDATE_GOLDENS=1", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "golden \(name) differs:\n\(unifiedDiff(old: expected, new: actual, path: name))",
                sourceLocation: sourceLocation)
    }
}

/// Formats `text`, failing the test unless the formatter accepted it.
func formatted(_ text: String, path: String = "<test>", sourceLocation: SourceLocation = #_sourceLocation) -> String? {
    let r = Formatter.format(text, path: path)
    guard r.status == .formatted, let out = r.text else {
        let why = r.diagnostics.map { "\($0.code) \($0.message)" }.joined(separator: "; ")
        Issue.record("fmt did not format \(path): \(r.status) \(why)", sourceLocation: sourceLocation)
        return nil
    }
    return out
}
