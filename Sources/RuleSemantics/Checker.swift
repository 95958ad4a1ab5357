import RuleBase
import RuleSyntax

/// What loading a file gave.
public enum LoadResult: Sendable {
    case loaded([UInt8])
    case notFound
    case failed(String)
}

/// Knobs the caller provides; the checker itself does no I/O.
public struct CheckOptions: Sendable {
    /// Whether a time zone name exists in the host's tz database (the CLI asks Foundation).
    public var isKnownTimeZone: @Sendable (String) -> Bool
    /// The instant the rulebook is checked at, for lints about dates in the past
    /// (`flatten_at`, early closes); nil skips them. The checker never reads the clock.
    public var now: Instant?
    /// The UTC offset in seconds of a tz zone at an instant (the CLI asks Foundation); nil
    /// skips the lints that need wall time in a calendar's zone for a written offset.
    public var zoneOffset: (@Sendable (String, Instant) -> Int32?)?
    /// Whether to run the R5xxx lints (and read `# rulec-allow` suppressions) after an
    /// error-free check. Off by default: `rulec check` turns it on; commands that only need a
    /// model (compile, eval, simulate) leave it off so a lint never blocks them.
    public var lints: Bool
    /// Lint levels from the command line (`--warn`, `--deny`, `--allow`); a file's
    /// `# rulec-file` header and an item's `# rulec-allow` take precedence.
    public var levels: LintLevels
    public init(isKnownTimeZone: @escaping @Sendable (String) -> Bool = { _ in true },
                now: Instant? = nil,
                zoneOffset: (@Sendable (String, Instant) -> Int32?)? = nil,
                lints: Bool = false, levels: LintLevels = LintLevels()) {
        self.isKnownTimeZone = isKnownTimeZone
        self.now = now
        self.zoneOffset = zoneOffset
        self.lints = lints
        self.levels = levels
    }
}

/// Parse, resolve imports and names, type-check and merge `extends`: rulebook files in, a
/// checked model and diagnostics out. Pure: files come through `read`, paths are relative to
/// the rulebook root and use `/`.
public enum Checker {
    public static let maxImportDepth = 64

    public static func check(entries: [String], options: CheckOptions = CheckOptions(),
                             read: (String) -> LoadResult) -> (CheckedRulebook, [Diagnostic]) {
        var state = CheckerState(options: options)
        for entry in entries {
            state.load(path: normalize(entry) ?? entry, from: nil, depth: 0, read: read, entry: true)
        }
        state.collectDeclarations()
        state.resolveTemplates()
        state.checkFirmRules()
        state.checkTests()
        state.runLints()
        let diagnostics = state.diagnostics.sortedForOutput(state.model.sources)
        return (state.model, diagnostics)
    }

    /// Checks one in-memory rulebook (imports resolved against `files`).
    public static func check(source: String, path: String = "main.rules", files: [String: String] = [:],
                             options: CheckOptions = CheckOptions()) -> (CheckedRulebook, [Diagnostic]) {
        check(entries: [path], options: options) { p in
            if p == path { return .loaded(Array(source.utf8)) }
            if let f = files[p] { return .loaded(Array(f.utf8)) }
            return .notFound
        }
    }

    /// `a/./b/../c.rules` → `a/c.rules`; nil when the path climbs above the root or is absolute.
    public static func normalize(_ path: String) -> String? {
        if path.hasPrefix("/") { return nil }
        var parts: [Substring] = []
        for comp in path.split(separator: "/", omittingEmptySubsequences: true) {
            if comp == "." { continue }
            if comp == ".." {
                if parts.isEmpty { return nil }
                parts.removeLast()
            } else { parts.append(comp) }
        }
        return parts.joined(separator: "/")
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[..<slash])
    }
}

/// Mutable state of one check run.
struct CheckerState {
    let options: CheckOptions
    var model = CheckedRulebook(sources: SourceMap(), trees: [])
    var diagnostics: [Diagnostic] = []
    var loaded: [String: FileID] = [:]
    var inProgress: [String] = []

    init(options: CheckOptions) { self.options = options }

    mutating func report(_ code: DiagnosticCode, _ message: String, at span: Span, label: String = "",
                         secondary: [Label] = [], notes: [String] = [], help: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: Label(span, label), secondary: secondary, notes: notes, help: help))
    }

    mutating func load(path: String, from importer: (Span, String)?, depth: Int,
                       read: (String) -> LoadResult, entry: Bool) {
        // The cycle check comes first: a file is in `loaded` from before its imports are read.
        if let at = inProgress.firstIndex(of: path), let (span, _) = importer {
            let chain = (inProgress[at...] + [path]).map { "`\($0)`" }.joined(separator: " → ")
            report(.importCycle, "import cycle: \(chain)", at: span, label: "closes the cycle",
                   help: "move the shared definitions into a file that both can import")
            return
        }
        if let id = loaded[path] {
            if entry { model.entryFiles.insert(id) }
            return
        }
        if depth > Checker.maxImportDepth, let (span, _) = importer {
            report(.importTooDeep, "imports nest more than \(Checker.maxImportDepth) files deep", at: span)
            return
        }
        let bytes: [UInt8]
        switch read(path) {
        case let .loaded(b): bytes = b
        case .notFound:
            if let (span, written) = importer {
                report(.importNotFound, "cannot find imported file `\(written)`", at: span,
                       label: "no file at `\(path)`", help: "import paths are relative to the importing file")
            } else {
                // Entry files are opened by the CLI first; this only happens with an in-memory caller.
                let id = model.sources.add(path: path, bytes: [])
                report(.importNotFound, "cannot read `\(path)`", at: Span(file: id, start: 0, end: 0))
            }
            return
        case let .failed(why):
            if let (span, written) = importer {
                report(.importNotFound, "cannot read imported file `\(written)`: \(why)", at: span,
                       label: "cannot read `\(path)`", help: "import a `.rules` file that you can read")
            } else {
                let id = model.sources.add(path: path, bytes: [])
                report(.importNotFound, "cannot read `\(path)`: \(why)", at: Span(file: id, start: 0, end: 0))
            }
            return
        }
        let id = model.sources.add(path: path, bytes: bytes)
        loaded[path] = id
        if entry { model.entryFiles.insert(id) }
        let (tree, parseDiagnostics) = Parser.parse(model.sources[id])
        diagnostics += parseDiagnostics
        model.trees.append(tree)
        inProgress.append(path)
        defer { inProgress.removeLast() }
        for item in tree.items where tree[item.name].keyword == .import {
            noBlock(tree, item, "import")
            guard let v = values(tree, item, .string, setting: "import", help: "write `import \"std/cme.rules\"`") else { continue }
            let written = tree.stringValue(v[0])
            let joined = Checker.directory(of: path).isEmpty ? written : Checker.directory(of: path) + "/" + written
            guard let target = Checker.normalize(joined) else {
                report(.importEscapesRoot, "import `\(written)` reaches outside the rulebook root", at: tree.span(v[0]),
                       label: "leaves the root", help: "keep shared rulebooks under the root folder and import them by a relative path inside it")
                continue
            }
            load(path: target, from: (tree.span(v[0]), written), depth: depth + 1, read: read, entry: false)
        }
    }
}
