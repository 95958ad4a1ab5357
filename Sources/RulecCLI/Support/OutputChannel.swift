#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output or error as a value: buffered writes to a descriptor for the real process,
/// or an in-memory transcript for tests. Works with `print(_:to:)`.
public struct OutputChannel: Sendable, TextOutputStream {
    enum Destination: Sendable, Hashable {
        case descriptor(Int32)
        case memory
    }

    let destination: Destination
    /// Pending bytes (descriptor) or everything written so far (memory).
    private var buffer: [UInt8] = []
    /// Flush a descriptor once this many bytes are pending; 0 flushes every write.
    private let flushThreshold: Int
    /// Set when a write to the descriptor failed (a closed pipe, a full disk).
    public private(set) var writeFailed = false

    /// A buffered descriptor. Use `flushThreshold: 0` for stderr and for a terminal, so that
    /// messages appear when written.
    public init(descriptor: Int32, flushThreshold: Int = 64 * 1024) {
        self.destination = .descriptor(descriptor)
        self.flushThreshold = flushThreshold
        buffer.reserveCapacity(flushThreshold)
    }

    /// Collects everything written, for tests.
    public static func memory() -> OutputChannel { OutputChannel() }

    private init() {
        destination = .memory
        flushThreshold = .max
    }

    public mutating func write(_ string: String) {
        buffer.append(contentsOf: string.utf8)
        if buffer.count >= flushThreshold { flush() }
    }

    public mutating func write(bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= flushThreshold { flush() }
    }

    /// Writes `string` followed by a line break.
    public mutating func line(_ string: String = "") {
        buffer.append(contentsOf: string.utf8)
        buffer.append(0x0A)
        if buffer.count >= flushThreshold { flush() }
    }

    /// Everything written so far, for a memory channel (empty for a descriptor).
    public var text: String {
        destination == .memory ? String(decoding: buffer, as: UTF8.self) : ""
    }
    public var bytes: [UInt8] { destination == .memory ? buffer : [] }

    /// Sends pending bytes to the descriptor; a memory channel keeps its transcript.
    public mutating func flush() {
        guard case .descriptor(let fd) = destination, !buffer.isEmpty else { return }
        if !writeFailed, FileIO.writeAll(fd: fd, bytes: buffer, path: "<output>") != nil {
            writeFailed = true
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Standard input as a value: the process's descriptor 0, or fixed bytes for tests.
public struct InputSource: Sendable, Hashable {
    enum Origin: Sendable, Hashable {
        case descriptor(Int32)
        case bytes([UInt8])
        case consumed
    }
    var origin: Origin

    public static func descriptor(_ fd: Int32) -> InputSource { InputSource(origin: .descriptor(fd)) }
    public static func bytes(_ bytes: [UInt8]) -> InputSource { InputSource(origin: .bytes(bytes)) }
    public static func text(_ text: String) -> InputSource { .bytes(Array(text.utf8)) }

    /// Reads everything; standard input can be read once, later reads give no bytes.
    public mutating func readAll() throws(FileError) -> [UInt8] {
        switch origin {
        case .descriptor(let fd):
            origin = .consumed
            return try FileIO.readAll(fd: fd, path: "<stdin>")
        case .bytes(let b):
            origin = .consumed
            return b
        case .consumed:
            return []
        }
    }
}
