import Foundation
import RuleBase
import RuleSemantics

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

/// A small deterministic generator (splitmix64), so mutants are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { n <= 0 ? 0 : Int(next() % UInt64(n)) }
}
