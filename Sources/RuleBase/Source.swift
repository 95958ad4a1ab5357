/// Identifies one loaded source file inside a `SourceMap`.
public struct FileID: Hashable, Comparable, Sendable {
    public let raw: UInt32
    @inlinable public init(_ raw: UInt32) { self.raw = raw }
    public static func < (a: FileID, b: FileID) -> Bool { a.raw < b.raw }
}

/// A half-open byte range `[start, end)` in one source file; line and column are computed only
/// when a message is printed.
public struct Span: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let file: FileID
    public let start: UInt32
    public let end: UInt32

    @inlinable public init(file: FileID, start: UInt32, end: UInt32) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both (same file assumed; the first one's file wins otherwise).
    @inlinable public func union(_ other: Span) -> Span {
        guard other.file == file else { return self }
        return Span(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var length: UInt32 { end - start }
    public static func < (a: Span, b: Span) -> Bool {
        (a.file, a.start, a.end) < (b.file, b.start, b.end)
    }
    public var description: String { "\(file.raw):\(start)..<\(end)" }
}

/// A value together with where it was written.
public struct Located<Value: Sendable>: Sendable {
    public var value: Value
    public var span: Span
    @inlinable public init(_ value: Value, _ span: Span) {
        self.value = value
        self.span = span
    }
}
extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}

/// One rulebook's text, kept as UTF-8 bytes, with a line table built once.
public struct SourceFile: Sendable {
    public let id: FileID
    /// The path as the user should see it in messages (relative when the user gave it so).
    public let path: String
    public let bytes: [UInt8]
    /// Byte offset of the first byte of every line.
    public let lineStarts: [UInt32]

    public init(id: FileID, path: String, bytes: [UInt8]) {
        self.id = id
        self.path = path
        self.bytes = bytes
        self.lineStarts = SourceFile.lineStarts(bytes)
    }

    /// Offsets of line starts: 0 and every byte after a `\n`. Eight bytes at a time, since
    /// every check of every file scans all of its bytes here.
    static func lineStarts(_ bytes: [UInt8]) -> [UInt32] {
        bytes.withUnsafeBytes { raw -> [UInt32] in
            let n = raw.count
            // One pass into a scratch buffer (about one line per 24 bytes), copied out at the end.
            var capacity = max(16, n / 16)
            var out = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity)
            defer { out.deallocate() }
            out[0] = 0
            var k = 1
            @inline(__always) func add(_ start: Int) {
                if k == capacity {
                    let bigger = UnsafeMutablePointer<UInt32>.allocate(capacity: capacity * 2)
                    bigger.initialize(from: out, count: k)
                    out.deallocate()
                    out = bigger
                    capacity *= 2
                }
                out[k] = UInt32(truncatingIfNeeded: start)
                k += 1
            }
            var i = 0
            if let base = raw.baseAddress {
                while i + 8 <= n {
                    // Bit 7 of each byte of m is set exactly where the word has a line feed.
                    let x = base.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
                    var m = ~(((x & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | x | 0x7F7F_7F7F_7F7F_7F7F)
                    while m != 0 {
                        add(i &+ m.trailingZeroBitCount &>> 3 &+ 1)
                        m &= m &- 1
                    }
                    i &+= 8
                }
            }
            while i < n {
                if raw[i] == 0x0A { add(i + 1) }
                i += 1
            }
            return Array(UnsafeBufferPointer(start: out, count: k))
        }
    }

    public init(id: FileID, path: String, text: String) {
        self.init(id: id, path: path, bytes: Array(text.utf8))
    }

    /// 1-based line and column (column counted in Unicode scalars) of a byte offset.
    public func location(of offset: UInt32) -> (line: Int, column: Int) {
        let off = min(Int(offset), bytes.count)
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(lineStarts[mid]) <= off { lo = mid } else { hi = mid - 1 }
        }
        let start = Int(lineStarts[lo])
        var column = 1
        var i = start
        while i < off {
            // Count scalar starts only (skip UTF-8 continuation bytes).
            if bytes[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        return (lo + 1, column)
    }

    /// The text of line `line` (1-based) without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = Int(lineStarts[line - 1])
        var end = line < lineStarts.count ? Int(lineStarts[line]) : bytes.count
        while end > start, bytes[end - 1] == 0x0A || bytes[end - 1] == 0x0D { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    public func text(_ span: Span) -> String {
        let s = min(Int(span.start), bytes.count), e = min(Int(span.end), bytes.count)
        return String(decoding: bytes[s..<e], as: UTF8.self)
    }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// Every file of one compilation, addressed by `FileID`.
public struct SourceMap: Sendable {
    public private(set) var files: [SourceFile] = []
    public init() {}

    @discardableResult
    public mutating func add(path: String, bytes: [UInt8]) -> FileID {
        let id = FileID(UInt32(files.count))
        files.append(SourceFile(id: id, path: path, bytes: bytes))
        return id
    }

    @discardableResult
    public mutating func add(path: String, text: String) -> FileID {
        add(path: path, bytes: Array(text.utf8))
    }

    public subscript(id: FileID) -> SourceFile { files[Int(id.raw)] }

    public func file(path: String) -> SourceFile? { files.first { $0.path == path } }
}
