import Foundation
import RuleBase
import RuleSemantics
import RuleTestSupport

/// The fixtures folder: read from the test bundle, written (when updating goldens) in the
/// source tree next to this file.
enum Fixtures {
    static var bundled: URL? { Bundle.module.url(forResource: "Fixtures", withExtension: nil) }
    static var source: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures") }

    /// Every file under `folder` (relative to Fixtures), keyed by its path relative to `folder`.
    static func files(under folder: String) -> [String: [UInt8]] {
        guard let base = bundled?.appendingPathComponent(folder) else { return [:] }
        var out: [String: [UInt8]] = [:]
        let root = base.resolvingSymlinksInPath().path
        guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey]) else { return [:] }
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                  let data = FileManager.default.contents(atPath: url.path) else { continue }
            let path = url.resolvingSymlinksInPath().path
            out[String(path.dropFirst(root.count + 1))] = [UInt8](data)
        }
        return out
    }
}

/// The options the CLI passes: time zones are checked against the host's tz database.
let hostOptions = CheckOptions(isKnownTimeZone: { TimeZone(identifier: $0) != nil })

/// Checks `entry` with imports read from `files`.
func check(_ entry: String, files: [String: [UInt8]], options: CheckOptions = hostOptions) -> (CheckedRulebook, [Diagnostic]) {
    Checker.check(entries: [entry], options: options) { path in
        files[path].map { LoadResult.loaded($0) } ?? .notFound
    }
}

/// Every diagnostic rendered as plain text, the way `rulec check` prints it.
func render(_ diagnostics: [Diagnostic], _ model: CheckedRulebook) -> String {
    DiagnosticRenderer(color: false).render(diagnostics, sources: model.sources)
}

