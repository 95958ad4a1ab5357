import Foundation
import RuleBase
import RuleSemantics

/// Turns command-line paths into a checked rulebook: finds `*.rules` files, picks the
/// rulebook root (imports may not leave it), reads files through the context, asks the
/// host's tz database about zone names, and runs the checker.
struct RulebookLoader {
    /// Files and folders as the user gave them; `-` reads stdin.
    var paths: [String]
    /// `--root`, when given.
    var root: String?
    /// File contents to use instead of what is on disk, by absolute path (fmt's self-check).
    var overrides: [String: [UInt8]] = [:]
    /// The instant lints about the past compare with; nil skips them.
    var now: Instant? = nil
    /// Whether to lint (only `rulec check` does).
    var lints = false
    /// Lint levels from the command line (`check --warn/--deny/--allow`).
    var levels = LintLevels()

    struct Loaded {
        var rulebook: CheckedRulebook
        var diagnostics: [Diagnostic]
        var fileCount: Int
    }

    /// Loads and checks every file as one rulebook; an unreadable input is a `FileError`
    /// (exit 2), everything about the rulebook's content is a diagnostic.
    func load(_ context: inout Context) throws(FileError) -> Loaded {
        let (entries, read) = try prepare(&context)
        let (model, diags) = Checker.check(entries: entries, options: options, read: read)
        return Loaded(rulebook: model, diagnostics: diags, fileCount: entries.count)
    }

    /// Diagnostics of several independent rulebooks over one shared source map.
    struct Checked {
        var sources: SourceMap
        var diagnostics: [Diagnostic]
        var fileCount: Int
    }

    /// Checks each file as its own rulebook (with its imports), as `rulec check` does: two
    /// account rulebooks in one folder may each define a template `account` without clashing.
    /// A shared import's findings are reported once.
    func checkEach(_ context: inout Context) throws(FileError) -> Checked {
        let (entries, read) = try prepare(&context)
        var merged = SourceMap()
        var byPath: [String: FileID] = [:]
        var seen = Set<String>()
        var diagnostics: [Diagnostic] = []
        for entry in entries {
            let (model, diags) = Checker.check(entries: [entry], options: options, read: read)
            // Map this run's file ids onto the shared map, by path.
            var remap: [FileID: FileID] = [:]
            for f in model.sources.files {
                if let id = byPath[f.path] { remap[f.id] = id; continue }
                let id = merged.add(path: f.path, bytes: f.bytes)
                byPath[f.path] = id
                remap[f.id] = id
            }
            func move(_ span: Span) -> Span {
                Span(file: remap[span.file] ?? span.file, start: span.start, end: span.end)
            }
            for var d in diags {
                d.primary.span = move(d.primary.span)
                d.secondary = d.secondary.map { Label(move($0.span), $0.message) }
                let key = "\(d.primary.span)|\(d.code.id)|\(d.message)"
                if seen.insert(key).inserted { diagnostics.append(d) }
            }
        }
        return Checked(sources: merged, diagnostics: diagnostics.sortedForOutput(merged), fileCount: entries.count)
    }

    /// Checks each file as its own rulebook (with its imports) and keeps every model, in the
    /// order the files were found: what `rulec test` runs, one test file at a time.
    func loadEach(_ context: inout Context) throws(FileError) -> [Loaded] {
        let (entries, read) = try prepare(&context)
        return entries.map { entry in
            let (model, diags) = Checker.check(entries: [entry], options: options, read: read)
            return Loaded(rulebook: model, diagnostics: diags, fileCount: 1)
        }
    }

    var options: CheckOptions {
        CheckOptions(isKnownTimeZone: { TimeZone(identifier: $0) != nil }, now: now,
                     zoneOffset: Self.foundationOffset, lints: lints, levels: levels)
    }

    /// Finds the files, picks the root, reads stdin once, and returns the entries (relative to
    /// the root) with a pure reader for the checker.
    private func prepare(_ context: inout Context) throws(FileError) -> ([String], (String) -> LoadResult) {
        let files = try RuleFileDiscovery.discover(paths, in: context.fileSystem)
        let cwd = context.currentDirectory
        let absolute = files.map { $0 == "-" ? $0 : Self.absolute($0, cwd: cwd) }
        let rootDir: String
        if let r = root {
            rootDir = Self.absolute(r, cwd: cwd)
            switch context.fileSystem.kind(of: rootDir) {
            case .directory?: break
            case nil: throw FileError(.read, path: r, reason: "no such folder (given as `--root`)")
            default: throw FileError(.read, path: r, reason: "not a folder (given as `--root`)")
            }
        } else if absolute.allSatisfy({ $0 == "-" || Self.isInside($0, cwd) }) {
            rootDir = cwd
        } else {
            rootDir = Self.commonDirectory(absolute.filter { $0 != "-" }.map { Self.directory(of: $0) }) ?? cwd
        }
        var entries: [String] = []
        for a in absolute {
            if a == "-" { entries.append("<stdin>"); continue }
            guard Self.isInside(a, rootDir) else {
                throw FileError(.read, path: a, reason: "outside the rulebook root `\(rootDir)`")
            }
            entries.append(Self.relative(a, to: rootDir))
        }
        // Read stdin and the files named on the command line up front, so that an unreadable
        // one is an I/O error (exit 2) and the checker's reader stays a pure lookup.
        var stdinBytes: [UInt8]?
        if entries.contains("<stdin>") { stdinBytes = try context.readInput("-") }
        var entryBytes: [String: [UInt8]] = [:]
        for ((given, a), e) in zip(zip(files, absolute), entries) where a != "-" && entryBytes[e] == nil {
            if let b = overrides[a] { entryBytes[e] = b; continue }
            do { entryBytes[e] = try context.fileSystem.readFile(a) } catch {
                throw FileError(error.operation, path: given, reason: error.reason)
            }
        }
        let fs = context.fileSystem
        let overrides = self.overrides
        let read: (String) -> LoadResult = { path in
            if path == "<stdin>", let b = stdinBytes { return .loaded(b) }
            if let b = entryBytes[path] { return .loaded(b) }
            let full = rootDir == "/" ? "/" + path : rootDir + "/" + path
            if let b = overrides[full] { return .loaded(b) }
            switch fs.kind(of: full) {
            case nil: return .notFound
            case .directory?: return .failed("it is a folder")
            default: break
            }
            do throws(FileError) { return .loaded(try fs.readFile(full)) } catch { return .failed(error.reason) }
        }
        return (entries, read)
    }

    /// Checks a rulebook whose files do not come from the disk (a git revision, a temporary
    /// file): `entries` are paths relative to the rulebook root, `read` supplies every file.
    static func check(entries: [String], read: (String) -> LoadResult) -> Loaded {
        let options = CheckOptions(isKnownTimeZone: { TimeZone(identifier: $0) != nil })
        let (model, diags) = Checker.check(entries: entries, options: options, read: read)
        return Loaded(rulebook: model, diagnostics: diags, fileCount: entries.count)
    }

    /// The host tz database's UTC offset of `zone` at `instant`.
    static let foundationOffset: @Sendable (String, Instant) -> Int32? = { zone, instant in
        guard let tz = TimeZone(identifier: zone) else { return nil }
        return Int32(tz.secondsFromGMT(for: Date(timeIntervalSince1970: Double(instant.epochSeconds))))
    }

    static func absolute(_ path: String, cwd: String) -> String {
        let joined = path.hasPrefix("/") ? path : (cwd.hasSuffix("/") ? cwd : cwd + "/") + path
        var parts: [Substring] = []
        for c in joined.split(separator: "/") {
            if c == "." { continue }
            if c == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(c)
        }
        return "/" + parts.joined(separator: "/")
    }

    static func isInside(_ path: String, _ dir: String) -> Bool {
        dir == "/" || path == dir || path.hasPrefix(dir.hasSuffix("/") ? dir : dir + "/")
    }

    static func relative(_ path: String, to dir: String) -> String {
        if dir == "/" { return String(path.dropFirst()) }
        return path == dir ? "." : String(path.dropFirst(dir.count + 1))
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    static func commonDirectory(_ dirs: [String]) -> String? {
        guard var common = dirs.first?.split(separator: "/").map(String.init) else { return nil }
        for d in dirs.dropFirst() {
            let parts = d.split(separator: "/").map(String.init)
            var k = 0
            while k < common.count && k < parts.count && common[k] == parts[k] { k += 1 }
            common = Array(common.prefix(k))
        }
        return "/" + common.joined(separator: "/")
    }
}

