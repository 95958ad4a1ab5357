/// The files a command may touch. The real one is the disk; tests use `InMemoryFileSystem`,
/// so commands never reach the disk directly.
public protocol FileSystem: Sendable {
    func readFile(_ path: String) throws(FileError) -> [UInt8]
    /// Replaces the file's content so that no reader ever sees a half-written file.
    mutating func writeFileAtomically(_ path: String, bytes: [UInt8]) throws(FileError)
    /// What `path` names (following symbolic links), or nil when nothing is there.
    func kind(of path: String) -> FileKind?
    func directoryEntries(_ path: String) throws(FileError) -> [DirectoryEntry]
}

/// The disk, through POSIX calls; relative paths resolve against the process's directory.
public struct LocalFileSystem: FileSystem {
    public init() {}
    public func readFile(_ path: String) throws(FileError) -> [UInt8] { try FileIO.readFile(path: path) }
    public mutating func writeFileAtomically(_ path: String, bytes: [UInt8]) throws(FileError) {
        try FileIO.atomicWrite(path: path, bytes: bytes)
    }
    public func kind(of path: String) -> FileKind? { FileIO.kind(of: path) }
    public func directoryEntries(_ path: String) throws(FileError) -> [DirectoryEntry] {
        try FileIO.directoryEntries(path: path)
    }
}

/// Files held in memory for tests, keyed by absolute normalized path. Directories exist
/// implicitly as the parents of files (plus any added with `addDirectory`).
public struct InMemoryFileSystem: FileSystem {
    public private(set) var files: [String: [UInt8]] = [:]
    private var directories: Set<String> = ["/"]
    /// Relative paths resolve against this directory.
    public var currentDirectory: String

    public init(files: [String: String] = [:], currentDirectory: String = "/work") {
        self.currentDirectory = currentDirectory
        addDirectory(currentDirectory)
        for (path, text) in files { setFile(path, bytes: Array(text.utf8)) }
    }

    public mutating func setFile(_ path: String, bytes: [UInt8]) {
        let full = absolute(path)
        files[full] = bytes
        addDirectory(FileIO.split(full).directory)
    }

    public mutating func addDirectory(_ path: String) {
        var p = absolute(path)
        while directories.insert(p).inserted, p != "/" { p = FileIO.split(p).directory }
    }

    /// The text of a file, for assertions; nil when absent.
    public func text(_ path: String) -> String? {
        files[absolute(path)].map { String(decoding: $0, as: UTF8.self) }
    }

    public func readFile(_ path: String) throws(FileError) -> [UInt8] {
        let full = absolute(path)
        if let bytes = files[full] { return bytes }
        if directories.contains(full) { throw FileError(.read, path: path, reason: "is a directory") }
        throw FileError(.read, path: path, reason: "no such file")
    }

    public mutating func writeFileAtomically(_ path: String, bytes: [UInt8]) throws(FileError) {
        let full = absolute(path)
        if directories.contains(full) { throw FileError(.write, path: path, reason: "is a directory") }
        guard directories.contains(FileIO.split(full).directory) else {
            throw FileError(.write, path: path, reason: "no such file")
        }
        files[full] = bytes
    }

    public func kind(of path: String) -> FileKind? {
        let full = absolute(path)
        if files[full] != nil { return .file }
        return directories.contains(full) ? .directory : nil
    }

    public func directoryEntries(_ path: String) throws(FileError) -> [DirectoryEntry] {
        let full = absolute(path)
        guard directories.contains(full) else {
            throw FileError(.list, path: path, reason: files[full] == nil ? "no such file" : "not a directory")
        }
        var entries: [DirectoryEntry] = []
        for f in files.keys where FileIO.split(f).directory == full {
            entries.append(DirectoryEntry(name: FileIO.split(f).base, kind: .file))
        }
        for d in directories where d != full && FileIO.split(d).directory == full {
            entries.append(DirectoryEntry(name: FileIO.split(d).base, kind: .directory))
        }
        return entries
    }

    /// `a/./b/../c` relative to the current directory → `/work/a/c`.
    func absolute(_ path: String) -> String {
        let joined = path.hasPrefix("/") ? path : currentDirectory + "/" + path
        var parts: [Substring] = []
        for part in joined.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}

/// Finds the rulebooks a command should read from its path arguments.
public enum RuleFileDiscovery {
    /// Expands `paths` in order: a file is kept as given (whatever its extension), `-` is kept
    /// (stdin), a directory is searched recursively for `*.<fileExtension>` files in byte
    /// order of their names, skipping hidden entries (names starting with `.`) and never
    /// descending into symbolic links. Duplicates keep their first position. A folder with no
    /// such file is an error.
    public static func discover(_ paths: [String], in fileSystem: some FileSystem,
                                fileExtension: String = "rules") throws(FileError) -> [String] {
        var result: [String] = []
        var seen = Set<String>()
        func add(_ p: String) { if seen.insert(p).inserted { result.append(p) } }
        for path in paths {
            if path == "-" { add(path); continue }
            switch fileSystem.kind(of: path) {
            case .file, .other: add(path)
            case .directory:
                var found = 0
                try walk(path, fileSystem, "." + fileExtension, depth: 0) { found += 1; add($0) }
                // A folder that holds no rulebook is a wrong path, not a clean rulebook.
                if found == 0 {
                    throw FileError(.read, path: path, reason: "no `*.\(fileExtension)` files in this folder")
                }
            case nil: throw FileError(.read, path: path, reason: "no such file")
            }
        }
        return result
    }

    /// Deeper trees than this are reported rather than walked (a runaway tree, not a rulebook).
    static let maximumDepth = 64

    private static func walk(_ directory: String, _ fs: some FileSystem, _ suffix: String, depth: Int,
                             _ add: (String) -> Void) throws(FileError) {
        guard depth < maximumDepth else {
            throw FileError(.list, path: directory, reason: "folders nested deeper than \(maximumDepth) levels")
        }
        let entries = try fs.directoryEntries(directory)
            .filter { !$0.name.hasPrefix(".") }
            .sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        for e in entries {
            switch e.kind {
            case .directory where !e.isSymbolicLink:
                try walk(prefix + e.name, fs, suffix, depth: depth + 1, add)
            case .file where e.name.hasSuffix(suffix) && e.name.utf8.count > suffix.utf8.count:
                add(prefix + e.name)
            default: continue
            }
        }
    }
}
