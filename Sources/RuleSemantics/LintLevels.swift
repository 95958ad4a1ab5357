import RuleBase
import RuleSyntax

/// A firm's own level for a lint, as clippy's and ruff's: drop the finding, report it as a
/// warning, or make it an error that fails `rulec check`.
public enum LintLevel: String, Sendable, Hashable, CaseIterable {
    case allow, warn, deny

    /// The severity a finding gets at this level; nil when it is dropped.
    public var severity: Severity? {
        switch self {
        case .allow: return nil
        case .warn: return .warning
        case .deny: return .error
        }
    }
}

/// Levels by lint code, from the command line (`--warn`, `--deny`, `--allow`) or a file's
/// `# rulec-file LEVEL CODE: reason` header. Only lint codes (R5xxx) have levels: checker
/// errors always fail.
public struct LintLevels: Sendable, Hashable {
    public private(set) var byCode: [UInt16: LintLevel] = [:]

    public init() {}

    /// Sets `level` for `code`; a later setting of the same code wins (as on clippy's
    /// command line).
    public mutating func set(_ code: DiagnosticCode, _ level: LintLevel) { byCode[code.number] = level }

    public func level(of code: DiagnosticCode) -> LintLevel? { byCode[code.number] }

    public var isEmpty: Bool { byCode.isEmpty }

    /// The lint named by `word`, a code (`R5015`) or a name (`uncapped-product`).
    public static func lint(named word: String) -> DiagnosticCode? {
        Lints.codes.first { $0.id == word || $0.name == word }
    }

    /// What `word` is when it is not a lint, for the usage error: a checker code, or a
    /// close lint code or name.
    public static func problem(with word: String) -> String {
        let all = DiagnosticCode.syntaxCodes + DiagnosticCode.semanticCodes + DiagnosticCode.testCodes
        if let other = all.first(where: { $0.id == word || $0.name == word }) {
            return "`\(other.id)` (\(other.name)) is not a lint; only R5xxx lint codes have levels"
        }
        let names = Lints.codes.map(\.name) + Lints.codes.map(\.id)
        let near = Suggestion.closest(to: word, among: names).map { "; did you mean `\($0)`?" } ?? ""
        return "unknown lint code `\(word)`\(near)"
    }
}

extension Suppressions {
    static let fileMarker = "rulec-file"

    /// A `# rulec-file LEVEL CODE[, CODE]: reason` comment: the header of a file, before
    /// its first item. `allow` needs a reason, as `# rulec-allow` does.
    mutating func parseFileDirective(_ comment: Span, _ file: SourceFile, header: Bool) {
        let bytes = Array(file.bytes[Int(comment.start)..<Int(comment.end)])
        var k = 1
        while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
        let marker = Array(Self.fileMarker.utf8)
        guard bytes.count - k >= marker.count, Array(bytes[k..<k + marker.count]) == marker else { return }
        k += marker.count
        if k < bytes.count, bytes[k] != 0x20, bytes[k] != 0x09 { return }
        let at = { (a: Int, b: Int) in Span(file: file.id, start: comment.start + UInt32(a), end: comment.start + UInt32(b)) }
        guard header else {
            problems.append(Diagnostic(.invalidSuppression, "a `# rulec-file` directive must come before the first item of the file",
                at: Label(comment, "after the first item"),
                help: "move it to the top of the file; for one item write `# rulec-allow CODE: reason` above it"))
            return
        }
        while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
        var e = k
        while e < bytes.count, bytes[e] != 0x20, bytes[e] != 0x09, bytes[e] != UInt8(ascii: ":") { e += 1 }
        let word = String(decoding: bytes[k..<e], as: UTF8.self)
        guard let level = LintLevel(rawValue: word) else {
            problems.append(Diagnostic(.invalidSuppression, word.isEmpty ? "`# rulec-file` names no level" : "unknown lint level `\(word)`",
                at: Label(word.isEmpty ? comment : at(k, e), "not `allow`, `warn` or `deny`"),
                help: "write `# rulec-file deny R5015: every product is capped at this firm`"))
            return
        }
        let colon = bytes[e...].firstIndex(of: UInt8(ascii: ":"))
        let listEnd = colon ?? bytes.count
        var codes: [DiagnosticCode] = []
        var bad = false
        var j = e
        while j < listEnd {
            if bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == UInt8(ascii: ",") { j += 1; continue }
            var w = j
            while w < listEnd, bytes[w] != 0x20, bytes[w] != 0x09, bytes[w] != UInt8(ascii: ",") { w += 1 }
            let name = String(decoding: bytes[j..<w], as: UTF8.self)
            let found = LintLevels.lint(named: name)
            if let code = found, code != .invalidSuppression {
                codes.append(code)
            } else {
                bad = true
                problems.append(Diagnostic(.invalidSuppression, found != nil
                        ? "`R5101` (invalid-suppression) cannot be given a level" : LintLevels.problem(with: name),
                    at: Label(at(j, w), "not a lint code"), help: "write a code such as `R5015`; `rulec explain --list` lists them"))
            }
            j = w
        }
        if codes.isEmpty {
            if !bad {
                problems.append(Diagnostic(.invalidSuppression, "`# rulec-file \(level.rawValue)` names no lint code",
                    at: Label(comment, "no code"), help: "write `# rulec-file \(level.rawValue) R5015: why`"))
            }
            return
        }
        let reason = colon.map { String(decoding: bytes[($0 + 1)...], as: UTF8.self).trimmingSpaces } ?? ""
        if level == .allow && reason.isEmpty {
            problems.append(Diagnostic(.invalidSuppression, "file-level allow of " + codes.map { "`\($0.id)`" }.joined(separator: ", ") + " has no reason",
                at: Label(comment, "reason missing"),
                help: "say why after a colon: `# rulec-file allow \(codes.map(\.id).joined(separator: ", ")): a catalog, not an account rulebook`"))
            return
        }
        for c in codes { fileLevels.append(FileLevel(file: file.id, code: c, level: level)) }
    }

    /// Applies the file headers, then the command-line levels, to findings the item-level
    /// suppressions kept: the nearest setting wins (item, then file, then command line).
    func level(_ findings: [Diagnostic], commandLine: LintLevels) -> [Diagnostic] {
        if fileLevels.isEmpty && commandLine.isEmpty { return findings }
        var out: [Diagnostic] = []
        for var d in findings {
            let level = fileLevels.last { $0.file == d.primary.span.file && $0.code == d.code }?.level
                ?? commandLine.level(of: d.code)
            guard let level else { out.append(d); continue }
            guard let severity = level.severity else { continue }
            d.severity = severity
            out.append(d)
        }
        return out
    }
}
