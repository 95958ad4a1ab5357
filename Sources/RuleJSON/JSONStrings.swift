/// String scanning for `JSONReader`: validation of escapes and UTF-8, then decoding.
extension JSONReader {
    /// A scanned string: the bytes between the quotes, and whether any escape needs decoding.
    struct ScannedString { var content: Range<Int>; var hasEscapes: Bool }

    /// Scans and fully validates a string starting at `"`.
    mutating func scanString() throws(JSONError) -> ScannedString {
        let open = i
        i += 1
        let start = i
        var escapes = false
        while true {
            // Fast path over plain ASCII.
            while i < end, buf[i] >= 0x20, buf[i] < 0x80, buf[i] != UInt8(ascii: "\""), buf[i] != UInt8(ascii: "\\") {
                i += 1
            }
            guard i < end else { throw error("unterminated string", at: open) }
            let b = buf[i]
            if b == UInt8(ascii: "\"") {
                i += 1
                return ScannedString(content: start..<(i - 1), hasEscapes: escapes)
            }
            if b == UInt8(ascii: "\\") {
                escapes = true
                try scanEscape()
            } else if b < 0x20 {
                if b == 0x0A || b == 0x0D { throw error("unterminated string", at: open) }
                throw error("unescaped control character byte 0x\(hex(b)) in string", at: i)
            } else {
                let n = utf8SequenceLength(i)
                if n == 0 { throw error("invalid utf-8 in string", at: i) }
                i += n
            }
        }
    }

    private mutating func scanEscape() throws(JSONError) {
        let at = i
        i += 1
        guard i < end else { throw error("unterminated string", at: at) }
        switch buf[i] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
             UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            i += 1
        case UInt8(ascii: "u"):
            let unit = try hex4(at: at)
            if unit >= 0xDC00 && unit <= 0xDFFF {
                throw error("unpaired surrogate `\\u\(hex4Text(unit))` in string", at: at)
            }
            if unit >= 0xD800 && unit <= 0xDBFF {
                guard i + 1 < end, buf[i] == UInt8(ascii: "\\"), buf[i + 1] == UInt8(ascii: "u") else {
                    throw error("unpaired surrogate `\\u\(hex4Text(unit))` in string", at: at)
                }
                let low = try hex4(at: i)
                guard low >= 0xDC00 && low <= 0xDFFF else {
                    throw error("unpaired surrogate `\\u\(hex4Text(unit))` in string", at: at)
                }
            }
        case 0x21...0x7E:
            throw error("invalid escape `\\\(Character(Unicode.Scalar(buf[i])))` in string", at: at)
        default:
            throw error("invalid escape in string", at: at)
        }
    }

    /// Reads `\uXXXX` starting at the backslash `at`, leaving `i` after it.
    private mutating func hex4(at: Int) throws(JSONError) -> UInt32 {
        i = at + 2
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard i < end, let d = hexValue(buf[i]) else {
                throw error("expected 4 hex digits after `\\u`", at: at)
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    private func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - 48)
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - 87)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - 55)
        default: nil
        }
    }

    private func hex4Text(_ v: UInt32) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - s.count)) + s
    }

    /// Length of the valid UTF-8 sequence starting at `at`, or 0 when it is malformed
    /// (overlong forms, surrogates and values above U+10FFFF are malformed).
    func utf8SequenceLength(_ at: Int) -> Int {
        let b0 = buf[at]
        func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            at + k < end && buf[at + k] >= lo && buf[at + k] <= hi
        }
        switch b0 {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    /// The text of a scanned (hence valid) string.
    func decodeString(_ s: ScannedString) -> String {
        let raw = UnsafeBufferPointer(rebasing: buf[s.content])
        guard s.hasEscapes else { return String(decoding: raw, as: UTF8.self) }
        return JSONReader.unescape(raw)
    }

    /// Decodes the escapes of validated string content.
    static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var k = 0
        func hex4(_ at: Int) -> UInt32 {
            var v: UInt32 = 0
            for j in at..<min(at + 4, raw.count) {
                let b = raw[j]
                v = v << 4 | UInt32(b <= 57 ? b - 48 : (b | 0x20) - 87)
            }
            return v
        }
        while k < raw.count {
            let b = raw[k]
            guard b == UInt8(ascii: "\\"), k + 1 < raw.count else { out.append(b); k += 1; continue }
            let e = raw[k + 1]
            k += 2
            switch e {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = hex4(k)
                k += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF && k + 6 <= raw.count {
                    let low = hex4(k + 2)
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    k += 6
                }
                out.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
            default: out.append(e)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
