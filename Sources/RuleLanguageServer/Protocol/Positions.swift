import RuleBase
import RuleJSON

/// How the `character` of an LSP position counts: UTF-16 code units (the protocol's default),
/// or UTF-8 bytes or Unicode scalars when the client offers them in `positionEncodings`.
public enum PositionEncoding: String, Sendable, Hashable {
    case utf8 = "utf-8", utf16 = "utf-16", utf32 = "utf-32"

    /// The client's preference among the ones it offers; UTF-8 first since rulec counts bytes.
    static func negotiate(_ offered: [String]?) -> PositionEncoding {
        guard let offered else { return .utf16 }
        if offered.contains("utf-8") { return .utf8 }
        if offered.contains("utf-16") || offered.isEmpty { return .utf16 }
        if offered.contains("utf-32") { return .utf32 }
        return .utf16
    }
}

/// A zero-based line and character, as LSP positions count.
public struct Position: Sendable, Hashable, Comparable {
    public var line: Int
    public var character: Int
    public init(line: Int, character: Int) {
        self.line = line
        self.character = character
    }
    public static func < (a: Position, b: Position) -> Bool { (a.line, a.character) < (b.line, b.character) }

    var json: JSONValue { .obj(["line": .int(line), "character": .int(character)]) }

    static func read(_ v: JSONValue?) -> Position? {
        guard let v, let l = v["line"]?.intValue, let c = v["character"]?.intValue, l >= 0, c >= 0 else { return nil }
        return Position(line: l, character: c)
    }
}

/// Converts between byte offsets and LSP positions over one text's bytes and line table.
struct LineMap: Sendable {
    let bytes: [UInt8]
    let lineStarts: [UInt32]
    let encoding: PositionEncoding

    init(_ file: SourceFile, _ encoding: PositionEncoding) {
        self.bytes = file.bytes
        self.lineStarts = file.lineStarts
        self.encoding = encoding
    }

    init(bytes: [UInt8], _ encoding: PositionEncoding) {
        self.init(SourceFile(id: FileID(0), path: "", bytes: bytes), encoding)
    }

    /// The line holding byte `offset` (0-based).
    func line(of offset: UInt32) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    func position(_ offset: UInt32) -> Position {
        let off = min(Int(offset), bytes.count)
        let line = line(of: UInt32(off))
        var units = 0
        var i = Int(lineStarts[line])
        while i < off {
            units += Self.units(bytes[i], encoding)
            i += 1
        }
        return Position(line: line, character: units)
    }

    /// The byte offset of a position; a character past the line's end is the line's end, a line
    /// past the last one is the end of the text.
    func offset(_ p: Position) -> UInt32 {
        guard p.line < lineStarts.count else { return UInt32(bytes.count) }
        var i = Int(lineStarts[p.line])
        let end = lineEnd(p.line)
        if encoding == .utf8 { return UInt32(min(i + p.character, end)) }
        var units = 0
        while i < end && units < p.character {
            let u = Self.units(bytes[i], encoding)
            // A position inside a surrogate pair stays before the scalar.
            if units + u > p.character { break }
            units += u
            i += 1
            while i < end, bytes[i] & 0xC0 == 0x80 { i += 1 }
        }
        return UInt32(i)
    }

    /// The offset of the end of a line's text (before `\r\n` or `\n`).
    func lineEnd(_ line: Int) -> Int {
        var end = line + 1 < lineStarts.count ? Int(lineStarts[line + 1]) : bytes.count
        if end > Int(lineStarts[line]), end <= bytes.count, end > 0, bytes[end - 1] == 0x0A { end -= 1 }
        if end > Int(lineStarts[line]), bytes[end - 1] == 0x0D { end -= 1 }
        return end
    }

    /// Code units one UTF-8 byte adds: continuation bytes add none, a four-byte lead two
    /// UTF-16 units (a surrogate pair).
    @inline(__always) static func units(_ b: UInt8, _ e: PositionEncoding) -> Int {
        switch e {
        case .utf8: return 1
        case .utf16: return b & 0xC0 == 0x80 ? 0 : (b >= 0xF0 ? 2 : 1)
        case .utf32: return b & 0xC0 == 0x80 ? 0 : 1
        }
    }

    func range(_ span: Span) -> JSONValue { Self.range(position(span.start), position(span.end)) }

    static func range(_ a: Position, _ b: Position) -> JSONValue { .obj(["start": a.json, "end": b.json]) }

    var endPosition: Position { position(UInt32(bytes.count)) }
}
