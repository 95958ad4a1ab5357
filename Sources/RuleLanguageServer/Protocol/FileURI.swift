/// `file:` URIs and absolute paths. Other schemes (an editor's `untitled:` buffers) have no
/// path: such a document is checked alone, under its URI.
enum FileURI {
    /// The absolute path of a `file:` URI (`file:///a/b%20c.rules` → `/a/b c.rules`), else nil.
    static func path(_ uri: String) -> String? {
        guard uri.hasPrefix("file://") else { return nil }
        var rest = Substring(uri.dropFirst(7))
        // `file://localhost/…` and `file:///…`; another host is not a local file.
        if !rest.hasPrefix("/") {
            guard let slash = rest.firstIndex(of: "/"), rest[..<slash] == "localhost" else { return nil }
            rest = rest[slash...]
        }
        if let q = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) { rest = rest[..<q] }
        guard let decoded = percentDecode(rest) else { return nil }
        var path = decoded
        // Windows drive letters (`/c:/…`) are kept as written; rulec paths use `/`.
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }

    /// The `file:` URI of an absolute path, percent-encoding what a URI path may not hold.
    static func uri(_ path: String) -> String {
        var out = "file://"
        for b in path.utf8 {
            if isUnreserved(b) || b == UInt8(ascii: "/") {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "%" + hex(b >> 4) + hex(b & 15)
            }
        }
        return out
    }

    private static func isUnreserved(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "~")
    }

    private static func hex(_ n: UInt8) -> String { String(n, radix: 16, uppercase: true) }

    private static func percentDecode(_ s: Substring) -> String? {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%") {
                guard it.count >= 2, let hi = hexValue(it[it.startIndex]), let lo = hexValue(it[it.startIndex + 1]) else { return nil }
                bytes.append(hi << 4 | lo)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    static func isInside(_ path: String, _ dir: String) -> Bool {
        dir == "/" || path.hasPrefix(dir.hasSuffix("/") ? dir : dir + "/")
    }

    static func relative(_ path: String, to dir: String) -> String {
        dir == "/" ? String(path.dropFirst()) : String(path.dropFirst(dir.count + 1))
    }

    static func join(_ dir: String, _ relative: String) -> String {
        dir == "/" ? "/" + relative : dir + "/" + relative
    }
}
