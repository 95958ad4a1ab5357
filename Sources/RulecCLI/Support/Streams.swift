#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An input read a chunk at a time, so that a command's memory does not grow with the input:
/// a file on disk or standard input through its descriptor, or bytes held in memory (tests).
public final class ChunkedInput {
    enum Source {
        case descriptor(Int32, close: Bool)
        case bytes([UInt8], offset: Int)
        case done
    }
    private var source: Source
    private let path: String
    private let chunk: Int
    /// The read error that ended the input early, if any.
    public private(set) var error: FileError?

    init(_ source: Source, path: String, chunk: Int = 1 << 20) {
        self.source = source
        self.path = path
        self.chunk = chunk
    }

    deinit {
        if case .descriptor(let fd, true) = source { close(fd) }
    }

    /// The next bytes, or nil at the end (or after an error, see `error`).
    public func next() -> [UInt8]? {
        switch source {
        case .done:
            return nil
        case .bytes(let b, let offset):
            guard offset < b.count else { source = .done; return nil }
            let end = min(b.count, offset + chunk)
            source = .bytes(b, offset: end)
            return Array(b[offset..<end])
        case .descriptor(let fd, let owned):
            var buffer = [UInt8](repeating: 0, count: chunk)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, chunk) }
                if n > 0 {
                    buffer.removeSubrange(n...)
                    return buffer
                }
                if n < 0 && errno == EINTR { continue }
                if n < 0 { error = .errno(.read, path: path, errno) }
                if owned { close(fd) }
                source = .done
                return nil
            }
        }
    }
}

/// Where a command streams its output: standard output, a file written atomically through a
/// temporary file beside it (renamed over the target on `commit`, removed on `abort`), or, for
/// a file system that is not the disk, a buffer written atomically on `commit`.
public final class StreamedOutput {
    enum Target {
        case stdout
        case temporary(fd: Int32, temp: String, target: String, path: String)
        case buffer(path: String)
    }
    let target: Target
    /// Bytes not yet handed on (standard output and buffered files).
    var pending: [UInt8] = []
    public private(set) var error: FileError?

    init(_ target: Target) { self.target = target }

    var isStdout: Bool { if case .stdout = target { true } else { false } }

    /// Writes bytes in place (no array made of them).
    func write(_ p: UnsafeRawBufferPointer) {
        guard error == nil, p.count > 0 else { return }
        switch target {
        case .stdout, .buffer:
            pending.append(contentsOf: p)
        case .temporary(let fd, _, _, let path):
            error = FileIO.writeAll(fd: fd, pointer: p, path: path)
        }
    }

    func write(_ bytes: [UInt8]) {
        guard error == nil else { return }
        switch target {
        case .stdout, .buffer:
            pending += bytes
        case .temporary(let fd, _, _, let path):
            error = FileIO.writeAll(fd: fd, bytes: bytes, path: path)
        }
    }
}

extension Context {
    /// `path`'s bytes a chunk at a time; `-` is standard input.
    public mutating func openInput(_ path: String) throws(FileError) -> ChunkedInput {
        if path == "-" {
            switch stdin.origin {
            case .descriptor(let fd):
                stdin = InputSource(origin: .consumed)
                return ChunkedInput(.descriptor(fd, close: false), path: "<stdin>")
            case .bytes(let b):
                stdin = InputSource(origin: .consumed)
                return ChunkedInput(.bytes(b, offset: 0), path: "<stdin>", chunk: 1 << 16)
            case .consumed:
                return ChunkedInput(.done, path: "<stdin>")
            }
        }
        if fileSystem is LocalFileSystem {
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            if fd < 0 { throw .errno(.read, path: path, errno) }
            var st = stat()
            if fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR {
                close(fd)
                throw FileError(.read, path: path, reason: "is a directory")
            }
            return ChunkedInput(.descriptor(fd, close: true), path: path)
        }
        // Small chunks in memory, so that tests cross chunk boundaries.
        return ChunkedInput(.bytes(try fileSystem.readFile(path), offset: 0), path: path, chunk: 1 << 12)
    }

    /// An output stream to `path` (`-`: standard output). Nothing appears at `path` until
    /// `finish(commit: true)`.
    public mutating func openOutput(_ path: String) throws(FileError) -> StreamedOutput {
        if path == "-" { return StreamedOutput(.stdout) }
        guard fileSystem is LocalFileSystem else { return StreamedOutput(.buffer(path: path)) }
        let target = FileIO.linkTarget(path) ?? path
        if FileIO.kind(of: target) == .directory { throw FileError(.write, path: path, reason: "is a directory") }
        let (directory, base) = FileIO.split(target)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let suffix = String(generator.next() as UInt64, radix: 36)
            let temp = (directory.isEmpty ? "" : directory.hasSuffix("/") ? directory : directory + "/") + ".\(base).tmp-\(getpid())-\(suffix)"
            let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd >= 0 { return StreamedOutput(.temporary(fd: fd, temp: temp, target: target, path: path)) }
            if errno != EEXIST { throw .errno(.write, path: path, errno) }
        }
        throw FileError(.write, path: path, reason: "cannot create a temporary file")
    }

    /// Hands standard output's pending bytes on (files stream as they are written).
    public mutating func flush(_ out: StreamedOutput) {
        if out.isStdout && !out.pending.isEmpty {
            stdout.write(bytes: out.pending)
            out.pending.removeAll(keepingCapacity: true)
        }
    }

    /// Commits (rename over the target) or aborts (remove the temporary file) an output.
    public mutating func finish(_ out: StreamedOutput, commit: Bool) throws(FileError) {
        switch out.target {
        case .stdout:
            flush(out)
        case .buffer(let path):
            if commit { try fileSystem.writeFileAtomically(path, bytes: out.pending) }
        case .temporary(let fd, let temp, let target, let path):
            var failure = out.error
            if commit && failure == nil && fsync(fd) != 0 { failure = .errno(.write, path: path, errno) }
            if close(fd) != 0 && failure == nil { failure = .errno(.write, path: path, errno) }
            if commit && failure == nil && rename(temp, target) != 0 { failure = .errno(.write, path: path, errno) }
            if !commit || failure != nil { unlink(temp) }
            if let f = failure, commit { throw f }
        }
    }
}
