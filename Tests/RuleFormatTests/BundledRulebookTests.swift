import Foundation
import RuleFormat
import RuleSyntax
import Testing

/// Every rulebook shipped in `rules/` and `examples/` is already formatted, and fmt is a fixed
/// point on it.
@Suite struct BundledRulebookTests {
    /// The package root: the first folder above this file that holds `Package.swift`.
    static var packageRoot: URL? {
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" {
            if FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) { return dir }
            dir = dir.deletingLastPathComponent()
        }
        return nil
    }

    static var rulebooks: [String] {
        guard let root = packageRoot else { return [] }
        var out: [String] = []
        for folder in ["rules", "examples"] {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(atPath: base.path) else { continue }
            while let rel = walker.nextObject() as? String {
                if rel.hasSuffix(".rules") { out.append(folder + "/" + rel) }
            }
        }
        return out.sorted()
    }

    @Test func fmtIsAFixedPointOnBundledRulebooks() throws {
        let files = Self.rulebooks
        let root = try #require(Self.packageRoot)
        try #require(!files.isEmpty, "no bundled rulebooks found under rules/ and examples/")
        for path in files {
            let text = try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
            guard let once = formatted(text, path: path) else { continue }
            #expect(formatted(once, path: path) == once, "fmt is not idempotent on \(path)")
            #expect(once == text, "\(path) is not in canonical layout:\n\(unifiedDiff(old: text, new: once, path: path))")
        }
    }
}
