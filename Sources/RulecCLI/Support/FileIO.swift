#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A file that could not be read, written or listed, with a message fit for the user:
/// "cannot read `x.rules`: no such file".
public struct FileError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Operation: String, Sendable, Hashable { case read, write, list }
    public var operation: Operation
    public var path: String
    public var reason: String

    public init(_ operation: Operation, path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    public var message: String { "cannot \(operation.rawValue) `\(path)`: \(reason)" }
    public var description: String { message }

    static func errno(_ operation: Operation, path: String, _ code: Int32) -> FileError {
        FileError(operation, path: path, reason: FileIO.describe(errno: code))
    }
}

/// What a path names.
public enum FileKind: Sendable, Hashable { case file, directory, other }

/// A directory entry as `discoverRuleFiles` sees it: symbolic links are followed for files
/// but never descended into, so a link cycle cannot loop.
public struct DirectoryEntry: Sendable, Hashable {
    public var name: String
    public var kind: FileKind
    public var isSymbolicLink: Bool
    public init(name: String, kind: FileKind, isSymbolicLink: Bool = false) {
        self.name = name
        self.kind = kind
        self.isSymbolicLink = isSymbolicLink
    }
}

/// Direct POSIX file access for the real `Context`: whole-file reads, atomic writes, listings.
public enum FileIO {
    /// The user-facing reason for an errno: lowercase, no final period.
    static func describe(errno code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case EACCES, EPERM: "permission denied"
        case EISDIR: "is a directory"
        case ENOTDIR: "not a directory"
        case ENOSPC: "no space left on device"
        case EROFS: "read-only file system"
        case EEXIST: "already exists"
        case ELOOP: "too many levels of symbolic links"
        case ENAMETOOLONG: "name too long"
        default:
            if let s = strerror(code) { String(cString: s).lowercased() } else { "error \(code)" }
        }
    }

    /// Reads a whole regular file; directories and missing files give a clear `FileError`.
    public static func readFile(path: String) throws(FileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw .errno(.read, path: path, errno) }
        defer { close(fd) }
        var st = stat()
        if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
            throw FileError(.read, path: path, reason: "is a directory")
        }
        let hint = st.st_size > 0 ? Int(st.st_size) : 0
        return try readAll(fd: fd, path: path, sizeHint: hint)
    }

    /// Reads a descriptor to its end (stdin, pipes, files).
    public static func readAll(fd: Int32, path: String, sizeHint: Int = 0) throws(FileError) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: max(sizeHint + 1, 64 * 1024))
        var count = 0
        while true {
            if count == result.count { result.append(contentsOf: repeatElement(0, count: result.count)) }
            let n = result.withUnsafeMutableBytes { buf -> Int in
                guard let base = buf.baseAddress else { return 0 }
                return read(fd, base + count, buf.count - count)
            }
            if n == 0 { break }
            if n < 0 {
                if errno == EINTR { continue }
                throw .errno(.read, path: path, errno)
            }
            count += n
        }
        result.removeSubrange(count...)
        return result
    }

    /// Replaces `path` with `bytes` so that readers see either the old or the new content,
    /// never a half-written file: write a temporary file in the same directory, fsync it,
    /// rename it over the target. On any failure the temporary file is removed. An existing
    /// target keeps its permission bits. A symbolic link stays a link: the file it points to
    /// is replaced, in that file's directory.
    public static func atomicWrite(path: String, bytes: [UInt8]) throws(FileError) {
        let target = linkTarget(path) ?? path
        let (directory, base) = split(target)
        var existing = stat()
        let hadTarget = stat(target, &existing) == 0
        if hadTarget, (existing.st_mode & S_IFMT) == S_IFDIR {
            throw FileError(.write, path: path, reason: "is a directory")
        }
        var generator = SystemRandomNumberGenerator()
        var fd: Int32 = -1
        var temp = ""
        for _ in 0..<16 {
            let suffix = String(generator.next() as UInt64, radix: 36)
            temp = (directory.isEmpty ? "" : directory.hasSuffix("/") ? directory : directory + "/") + ".\(base).tmp-\(getpid())-\(suffix)"
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 || errno != EEXIST { break }
        }
        if fd < 0 { throw .errno(.write, path: path, errno) }
        var failure: FileError?
        if hadTarget, fchmod(fd, existing.st_mode & 0o7777) != 0 { failure = .errno(.write, path: path, errno) }
        if failure == nil { failure = writeAll(fd: fd, bytes: bytes, path: path) }
        if failure == nil, fsync(fd) != 0 { failure = .errno(.write, path: path, errno) }
        if close(fd) != 0, failure == nil { failure = .errno(.write, path: path, errno) }
        if failure == nil, rename(temp, target) != 0 { failure = .errno(.write, path: path, errno) }
        if let failure {
            unlink(temp)
            throw failure
        }
        // Make the rename itself durable; a failure here cannot un-write the file, so ignore it.
        let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
        if dirFD >= 0 {
            _ = fsync(dirFD)
            close(dirFD)
        }
    }

    /// The file a symbolic link at `path` finally names, or nil when `path` is not a link (or
    /// the link cannot be resolved, in which case writing replaces the link itself).
    static func linkTarget(_ path: String) -> String? {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFLNK,
              let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Writes every byte, retrying short writes and interrupts; nil on success.
    static func writeAll(fd: Int32, pointer p: UnsafeRawBufferPointer, path: String) -> FileError? {
        guard let base = p.baseAddress else { return nil }
        var offset = 0
        while offset < p.count {
            let n = write(fd, base + offset, p.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return .errno(.write, path: path, errno)
            }
            offset += n
        }
        return nil
    }

    static func writeAll(fd: Int32, bytes: [UInt8], path: String) -> FileError? {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { buf -> Int in
                guard let base = buf.baseAddress else { return 0 }
                return write(fd, base + offset, buf.count - offset)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .errno(.write, path: path, errno)
            }
            offset += n
        }
        return nil
    }

    /// What `path` names, following symbolic links; nil when nothing is there.
    public static func kind(of path: String) -> FileKind? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return kind(st.st_mode)
    }

    private static func kind(_ mode: mode_t) -> FileKind {
        switch mode & S_IFMT {
        case S_IFREG: .file
        case S_IFDIR: .directory
        default: .other
        }
    }

    /// The entries of a directory except `.` and `..`, in no particular order.
    public static func directoryEntries(path: String) throws(FileError) -> [DirectoryEntry] {
        guard let dir = opendir(path) else { throw .errno(.list, path: path, errno) }
        defer { closedir(dir) }
        var entries: [DirectoryEntry] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw -> String in
                let bytes = raw.prefix { $0 != 0 }
                return String(decoding: bytes, as: UTF8.self)
            }
            if name == "." || name == ".." { continue }
            let full = path.hasSuffix("/") ? path + name : path + "/" + name
            var st = stat()
            guard lstat(full, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFLNK {
                entries.append(DirectoryEntry(name: name, kind: kind(of: full) ?? .other, isSymbolicLink: true))
            } else {
                entries.append(DirectoryEntry(name: name, kind: kind(st.st_mode)))
            }
        }
        return entries
    }

    /// `a/b/c.rules` → (`a/b`, `c.rules`); `c.rules` → (``, `c.rules`); `/c` → (`/`, `c`).
    static func split(_ path: String) -> (directory: String, base: String) {
        guard let slash = path.lastIndex(of: "/") else { return ("", path) }
        let dir = path[..<slash]
        return (dir.isEmpty ? "/" : String(dir), String(path[path.index(after: slash)...]))
    }
}
