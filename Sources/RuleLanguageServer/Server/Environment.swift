import RuleBase
import RuleSemantics

/// What the server may know of the outside world, passed in by `rulec lsp`: the library reads
/// no file, clock or environment itself.
public struct ServerEnvironment: Sendable {
    /// A file's bytes by absolute path (the disk, in `rulec lsp`). Open documents are read
    /// from their buffers first and never through this.
    public var readFile: @Sendable (String) -> LoadResult
    /// The `*.rules` files under a folder, as absolute paths: where references and renames look
    /// for files that are not open. nil: open documents (and what they import) only.
    public var listRulebooks: (@Sendable (String) -> [String])?
    /// The instant lints about the past compare with (as `rulec check` does); nil skips them.
    public var now: @Sendable () -> Instant?
    /// Whether a time zone name exists in the host's tz database.
    public var isKnownTimeZone: @Sendable (String) -> Bool
    /// A tz zone's UTC offset at an instant.
    public var zoneOffset: (@Sendable (String, Instant) -> Int32?)?
    /// `serverInfo.version`.
    public var version: String
    /// Where a diagnostic code links to (`codeDescription.href`); see `Explanations`.
    public var explanationBase: String

    public init(readFile: @escaping @Sendable (String) -> LoadResult,
                listRulebooks: (@Sendable (String) -> [String])? = nil,
                now: @escaping @Sendable () -> Instant? = { nil },
                isKnownTimeZone: @escaping @Sendable (String) -> Bool = { _ in true },
                zoneOffset: (@Sendable (String, Instant) -> Int32?)? = nil,
                version: String = "0",
                explanationBase: String = Explanations.defaultBase) {
        self.readFile = readFile
        self.listRulebooks = listRulebooks
        self.now = now
        self.isKnownTimeZone = isKnownTimeZone
        self.zoneOffset = zoneOffset
        self.version = version
        self.explanationBase = explanationBase
    }

    var checkOptions: CheckOptions {
        CheckOptions(isKnownTimeZone: isKnownTimeZone, now: now(), zoneOffset: zoneOffset, lints: true)
    }
}

/// Links from a diagnostic code to its explanation: the README's lint page for codes that have
/// one (`#r5001-tiers-out-of-order`), else the README's section on `rulec check` output, where
/// `rulec explain CODE` is described.
public enum Explanations {
    /// FIXME(no public home yet): the same placeholder home as the SARIF output's.
    public static let defaultBase = "https://github.com/rulec/rulec/blob/main/README.md"

    /// Codes with a page of their own under "Lint pages".
    static let pages: Set<UInt16> = Set(Lints.codes.map(\.number) + [DiagnosticCode.unknownProduct.number])

    static func href(_ code: DiagnosticCode, base: String) -> String {
        if pages.contains(code.number) { return "\(base)#\(code.id.lowercased())-\(code.name)" }
        return "\(base)#rulec-check-output"
    }
}
