/// The base protocol's framing: a header (`Content-Length: N`, optionally `Content-Type`, each
/// line ended by `\r\n`, the header by an empty line) and N bytes of JSON. A pure decoder over
/// a byte buffer, so that the stdio loop and the tests feed it the same way, in any chunks.
public struct MessageDecoder: Sendable {
    /// The largest body accepted; a longer one is a framing error (its bytes are skipped).
    public static let maxContentLength = 64 << 20
    /// A header that runs this long without its empty line is a framing error.
    public static let maxHeaderLength = 8 << 10

    /// What the decoder found next.
    public enum Output: Sendable, Hashable {
        /// The body of one message (not yet parsed as JSON).
        case message([UInt8])
        /// A header the decoder could not read; the decoder has already resynchronised.
        case framingError(String)
    }

    private var buffer: [UInt8] = []
    private var start = 0
    /// Body bytes still to drop after an oversized `Content-Length`.
    private var skipping = 0

    public init() {}

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next complete message or framing error; nil when more bytes are needed.
    public mutating func next() -> Output? {
        defer { compact() }
        if skipping > 0 {
            let n = min(skipping, buffer.count - start)
            start += n
            skipping -= n
            if skipping > 0 { return nil }
        }
        // Blank lines between messages are tolerated (some clients send a trailing CRLF).
        while start < buffer.count, buffer[start] == 0x0D || buffer[start] == 0x0A { start += 1 }
        guard start < buffer.count else { return nil }
        guard let (headerEnd, bodyStart) = headerBounds() else {
            if buffer.count - start > Self.maxHeaderLength {
                start = buffer.count
                return .framingError("header longer than \(Self.maxHeaderLength) bytes without an empty line")
            }
            return nil
        }
        let headerStart = start
        var length: Int?
        var problem: String?
        for whole in headerLines(start, headerEnd) {
            // Bytes left over from a message with a bad header run into the next header: read
            // from its `Content-Length` on, so that one bad message costs only itself.
            let line = Self.fromContentLength(whole)
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else {
                problem = problem ?? "header line `\(Self.show(line))` has no `:`"
                continue
            }
            let name = String(decoding: line[line.startIndex..<colon], as: UTF8.self).lowercased()
            let value = Self.trim(line[(colon + 1)...])
            switch name {
            case "content-length":
                if let n = Self.decimal(value) { length = n } else {
                    problem = problem ?? "`Content-Length` is not a number: `\(Self.show(value))`"
                }
            case "content-type":
                break // utf-8 JSON is the only encoding; the charset is not checked
            default:
                break // unknown header fields are ignored
            }
        }
        start = bodyStart
        if let problem { return .framingError(problem) }
        guard let n = length else { return .framingError("message header has no `Content-Length`") }
        if n > Self.maxContentLength {
            skipping = n
            return .framingError("`Content-Length` \(n) is larger than \(Self.maxContentLength) bytes")
        }
        guard buffer.count - start >= n else {
            start = headerStart // read the header again once the body is complete
            return nil
        }
        let body = Array(buffer[start..<start + n])
        start += n
        return .message(body)
    }

    /// `(end of the last header line, start of the body)`, or nil when the empty line has not
    /// arrived. Lines may end in `\r\n` or a bare `\n`.
    private func headerBounds() -> (Int, Int)? {
        var i = start
        while i < buffer.count {
            if buffer[i] == 0x0A {
                // An empty line follows this line break?
                var j = i + 1
                if j < buffer.count, buffer[j] == 0x0D { j += 1 }
                if j < buffer.count, buffer[j] == 0x0A { return (i, j + 1) }
                if j >= buffer.count { return nil }
            }
            i += 1
        }
        return nil
    }

    private func headerLines(_ from: Int, _ to: Int) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var s = from
        var i = from
        while i <= to {
            if i == to || buffer[i] == 0x0A {
                var e = i
                if e > s, buffer[e - 1] == 0x0D { e -= 1 }
                if e > s { out.append(buffer[s..<e]) }
                s = i + 1
            }
            i += 1
        }
        return out
    }

    private mutating func compact() {
        if start > 1 << 16 && start * 2 > buffer.count {
            buffer.removeFirst(start)
            start = 0
        }
    }

    static func fromContentLength(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let needle = Array("content-length:".utf8)
        guard line.count > needle.count else { return line }
        var i = line.startIndex + 1
        while i + needle.count <= line.endIndex {
            var k = 0
            while k < needle.count, line[i + k] | 0x20 == needle[k] { k += 1 }
            if k == needle.count { return line[i...] }
            i += 1
        }
        return line
    }

    static func trim(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var a = s.startIndex, b = s.endIndex
        while a < b, s[a] == 0x20 || s[a] == 0x09 { a += 1 }
        while b > a, s[b - 1] == 0x20 || s[b - 1] == 0x09 { b -= 1 }
        return s[a..<b]
    }

    static func decimal(_ s: ArraySlice<UInt8>) -> Int? {
        guard !s.isEmpty, s.count <= 12 else { return nil }
        var n = 0
        for b in s {
            guard b >= 0x30, b <= 0x39 else { return nil }
            n = n * 10 + Int(b - 0x30)
        }
        return n
    }

    static func show(_ s: ArraySlice<UInt8>) -> String {
        let text = String(decoding: s.prefix(60), as: UTF8.self)
        return s.count > 60 ? text + "…" : text
    }
}

/// Frames one message body for sending.
public enum MessageEncoder {
    public static func frame(_ body: [UInt8]) -> [UInt8] {
        Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }
}
