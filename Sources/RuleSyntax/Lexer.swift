import RuleBase

/// Turns rulebook bytes into tokens. Spaces and comments become trivia in front of the next
/// token; line breaks are tokens because they end settings. Never fails: a bad literal becomes
/// an `.invalid` token plus a diagnostic, so the parser goes on.
public enum Lexer {
    public static func tokenize(_ file: SourceFile) -> (tokens: [Token], diagnostics: [Diagnostic]) {
        let n = file.bytes.count
        // Tokens are written straight into the result: room for one per four bytes (a
        // rulebook averages one per six) and, in the rare file denser than that, a second
        // pass with room for the most there can be (every token but the end takes a byte).
        var capacity = n > SyntaxLimits.maxFileBytes ? 1 : n / 4 + 16
        while true {
            var state = LexerState(file: file.id)
            let tokens = [Token](unsafeUninitializedCapacity: capacity) { buffer, initialized in
                state.out = buffer.baseAddress!
                state.capacity = buffer.count
                file.bytes.withUnsafeBufferPointer { state.run($0) }
                initialized = state.count
            }
            if !state.overflowed { return (tokens, state.diagnostics) }
            capacity = n + 2
        }
    }
}

private let SPACE: UInt8 = 0x20, TAB: UInt8 = 0x09, CR: UInt8 = 0x0D, LF: UInt8 = 0x0A
private let HASH = UInt8(ascii: "#"), QUOTE = UInt8(ascii: "\""), BACKSLASH = UInt8(ascii: "\\")
private let ZERO = UInt8(ascii: "0"), NINE = UInt8(ascii: "9")

@inline(__always) private func isDigit(_ b: UInt8) -> Bool { b &- ZERO < 10 }
@inline(__always) private func isLetter(_ b: UInt8) -> Bool { (b | 0x20) &- UInt8(ascii: "a") < 26 }
@inline(__always) private func isWordByte(_ b: UInt8) -> Bool { isLetter(b) || isDigit(b) || b == UInt8(ascii: "_") }

private struct LexerState {
    let file: FileID
    /// The token buffer (owned by the caller), its size, and how many tokens are written.
    var out: UnsafeMutablePointer<Token>
    var capacity = 0
    var count = 0
    /// Set when the buffer is full; the run stops and the caller retries with more room.
    var overflowed = false
    var diagnostics: [Diagnostic] = []
    var triviaStart = 0

    init(file: FileID) {
        self.file = file
        out = UnsafeMutablePointer(bitPattern: MemoryLayout<Token>.alignment)!
    }

    mutating func emit(_ kind: TokenKind, _ start: Int, _ end: Int, payload: Int64 = 0,
                       scale: UInt8 = 0, keyword: Keyword = .none, offset: Int32 = 0) {
        guard count < capacity else {
            overflowed = true
            return
        }
        (out + count).initialize(to: Token(kind: kind, keyword: keyword, scale: scale, offset: offset,
                                           triviaStart: UInt32(triviaStart), start: UInt32(start), end: UInt32(end),
                                           payload: payload))
        count += 1
        triviaStart = end
    }

    mutating func report(_ code: DiagnosticCode, _ message: String, _ start: Int, _ end: Int,
                         label: String = "", help: String? = nil) {
        diagnostics.append(Diagnostic(code, message, at: Span(file: file, start: UInt32(start), end: UInt32(end)),
                                      label: label, help: help))
    }

    mutating func run(_ p: UnsafeBufferPointer<UInt8>) {
        let n = p.count
        if n > SyntaxLimits.maxFileBytes {
            report(.fileTooLarge, "file is \(n) bytes, more than the limit of \(SyntaxLimits.maxFileBytes)", 0, 0)
            emit(.endOfFile, 0, 0)
            return
        }
        // A file that is not UTF-8 text (a binary, a wrong encoding) gets one diagnostic, not
        // one per stray byte.
        guard validateUTF8(p) else {
            emit(.endOfFile, n, n)
            return
        }
        var i = 0
        while !overflowed {
            // Trivia: spaces, tabs, carriage returns and comments.
            while i < n {
                let b = p[i]
                if b == SPACE || b == TAB || b == CR { i += 1; continue }
                if b == HASH {
                    while i < n && p[i] != LF { i += 1 }
                    continue
                }
                break
            }
            if i >= n { emit(.endOfFile, n, n); return }
            let start = i
            let b = p[i]
            switch b {
            case LF: emit(.newline, i, i + 1); i += 1
            case UInt8(ascii: "{"): emit(.leftBrace, i, i + 1); i += 1
            case UInt8(ascii: "}"): emit(.rightBrace, i, i + 1); i += 1
            case UInt8(ascii: ","): emit(.comma, i, i + 1); i += 1
            case UInt8(ascii: ";"): emit(.semicolon, i, i + 1); i += 1
            case QUOTE: i = lexString(p, start)
            case _ where isLetter(b):
                // The keyword hash is taken in the same pass that finds the end of the word.
                var h = Keyword.hashStep(Keyword.hashSeed, b)
                i += 1
                while i < n {
                    let c = p[i]
                    guard isWordByte(c) else { break }
                    h = Keyword.hashStep(h, c)
                    i += 1
                }
                let k = Keyword.lookup(hash: h, p, start, i)
                emit(k == .none ? .identifier : .keyword, start, i, keyword: k)
            case _ where isDigit(b):
                i = lexLiteral(p, start)
            case UInt8(ascii: "-") where i + 1 < n && isDigit(p[i + 1]):
                // `-500 USD`: the sign is an error of its own; the amount after it is lexed as
                // usual, so the setting (and the rest of the file) is still checked.
                emit(.invalid, start, start + 1)
                i = lexLiteral(p, start + 1)
                let shown = String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)
                let written = String(shown.dropFirst())
                report(.negativeAmount, "negative amount `\(shown.debugEscaped)`: rulebook amounts are positive", start, i,
                       label: "remove the minus sign",
                       help: "write `\(written.debugEscaped)`: a limit is the size of the loss or position, never signed")
            default:
                // One whole scalar, so the caret covers the character the user sees.
                var end = i + 1
                if b >= 0x80 { while end < n && p[end] & 0xC0 == 0x80 { end += 1 } }
                let shown = String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
                let help: String? = b == UInt8(ascii: "-") ? "rulebook values are never negative; write the limit as a positive amount"
                    : b == UInt8(ascii: "$") ? "write money as `1_000 USD`" : nil
                report(.unexpectedCharacter, "unexpected character `\(shown.debugEscaped)`", start, end,
                       label: "not part of any token", help: help)
                // An invalid token keeps printing lossless and spans ordered.
                emit(.invalid, start, end)
                i = end
            }
        }
    }

    mutating func validateUTF8(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = p.count
        let raw = UnsafeRawBufferPointer(p)
        while i < n {
            // Fast path: eight ASCII bytes with no NUL at a time (most rulebooks are ASCII).
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                let hasHigh = w & 0x8080_8080_8080_8080
                let hasZero = (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080
                if hasHigh | hasZero != 0 { break }
                i += 8
            }
            guard i < n else { return true }
            let b = p[i]
            if b < 0x80 {
                if b == 0 { report(.invalidUTF8, "the file contains a NUL byte", i, i + 1); return false }
                i += 1
                continue
            }
            let len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0
            var ok = len > 0 && i + len <= n && b < 0xF5
            if ok { for k in 1..<len where p[i + k] & 0xC0 != 0x80 { ok = false } }
            // Overlong forms, UTF-16 surrogates and scalars past U+10FFFF (RFC 3629 table).
            if ok {
                let c = p[i + 1]
                if (b == 0xE0 && c < 0xA0) || (b == 0xED && c > 0x9F)
                    || (b == 0xF0 && c < 0x90) || (b == 0xF4 && c > 0x8F) { ok = false }
            }
            if !ok {
                report(.invalidUTF8, "the file is not valid UTF-8", i, i + 1, label: "invalid byte")
                return false
            }
            i += len
        }
        return true
    }

    mutating func lexString(_ p: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        let n = p.count
        var i = start + 1
        while i < n {
            let b = p[i]
            if b == QUOTE { emit(.string, start, i + 1); return i + 1 }
            if b == LF { break }
            if b == BACKSLASH {
                let e = i + 1 < n ? p[i + 1] : 0
                if e != QUOTE && e != BACKSLASH && e != UInt8(ascii: "n") && e != UInt8(ascii: "t") {
                    report(.invalidEscape, "unknown escape in string", i, min(i + 2, n),
                           help: "use `\\\"`, `\\\\`, `\\n` or `\\t`")
                }
                i += 2
                continue
            }
            i += 1
        }
        i = min(i, n)
        report(.unterminatedString, "string is not closed before the end of the line", start, i,
               label: "opened here", help: "add a closing `\"`")
        emit(.string, start, i)
        return i
    }

    /// Reads `dd` digits at `i`; nil if any is not a digit.
    func digits(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, _ count: Int) -> Int? {
        guard i + count <= p.count else { return nil }
        var v = 0
        for k in 0..<count {
            let b = p[i + k]
            guard isDigit(b) else { return nil }
            v = v * 10 + Int(b - ZERO)
        }
        return v
    }

    mutating func lexLiteral(_ p: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        let n = p.count
        var d = 0
        while start + d < n && isDigit(p[start + d]) { d += 1 }
        let next = start + d < n ? p[start + d] : 0
        if d == 4 && next == UInt8(ascii: "-") { return lexDate(p, start) }
        if (d == 1 || d == 2) && next == UInt8(ascii: ":") {
            var i = start
            guard let t = lexTime(p, &i, start) else { return finishInvalid(p, start, i) }
            emit(.time, start, i, payload: Int64(t.seconds))
            return checkBoundary(p, start, i)
        }
        // A plain number, percent, money amount or contract count.
        var i = start
        while i < n && (isDigit(p[i]) || p[i] == UInt8(ascii: "_") || p[i] == UInt8(ascii: ".")) { i += 1 }
        let text = UnsafeBufferPointer(rebasing: p[start..<i])
        guard let number = DecimalNumber(bytes: text) else {
            let shown = String(decoding: text, as: UTF8.self)
            report(.malformedNumber, "malformed number `\(shown)`", start, i,
                   help: shown.filter({ $0 == "." }).count > 1 ? "a number has at most one `.`"
                       : "put `_` only between digits, e.g. `13_200`")
            return finishInvalid(p, start, i)
        }
        if i < n && p[i] == UInt8(ascii: "%") {
            i += 1
            emit(.percent, start, i, payload: number.mantissa, scale: number.scale)
            return checkBoundary(p, start, i)
        }
        // Look past spaces for a unit word.
        var j = i
        while j < n && (p[j] == SPACE || p[j] == TAB) { j += 1 }
        if j < n && isLetter(p[j]) {
            var e = j
            while e < n && isWordByte(p[e]) { e += 1 }
            let unit = Keyword.lookup(p, j, e)
            if unit == .usd {
                guard let m = Money(number) else {
                    report(.percentOutOfRange, "money has at most four decimals (1/100 of a cent)", start, e,
                           help: "round the amount to at most four decimals")
                    emit(.invalid, start, e)
                    return e
                }
                emit(.money, start, e, payload: m.units)
                return checkBoundary(p, start, e)
            }
            if unit == .contracts || unit == .contract {
                guard let count = number.integerValue, number.scale == 0 else {
                    report(.malformedNumber, "a contract count is a whole number", start, e)
                    emit(.invalid, start, e)
                    return e
                }
                emit(.contracts, start, e, payload: count)
                return checkBoundary(p, start, e)
            }
        }
        emit(.number, start, i, payload: number.mantissa, scale: number.scale)
        return checkBoundary(p, start, i)
    }

    /// HH:MM[:SS] at `i` (one- or two-digit hour); advances `i`; reports range errors.
    mutating func lexTime(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int, _ litStart: Int) -> TimeOfDay? {
        let n = p.count
        let s = i
        var hd = 0
        while s + hd < n && isDigit(p[s + hd]) && hd < 3 { hd += 1 }
        guard hd == 1 || hd == 2, let h = digits(p, s, hd), s + hd < n, p[s + hd] == UInt8(ascii: ":"),
              let m = digits(p, s + hd + 1, 2) else {
            i = s + hd
            report(.invalidTime, "malformed time of day", litStart, max(i, litStart + 1),
                   help: "write a time as `HH:MM`, e.g. `16:00`")
            return nil
        }
        i = s + hd + 3
        var sec = 0
        if i < n && p[i] == UInt8(ascii: ":"), let ss = digits(p, i + 1, 2) {
            sec = ss
            i += 3
        }
        guard let t = TimeOfDay(hour: h, minute: m, second: sec) else {
            let shown = String(decoding: UnsafeBufferPointer(rebasing: p[s..<i]), as: UTF8.self)
            let what = h > 23 ? "hour \(h) is past 23" : m > 59 ? "minute \(m) is past 59" : "second \(sec) is past 59"
            report(.invalidTime, "invalid time of day `\(shown)`: \(what)", s, i,
                   help: h == 24 && m == 0 ? "midnight is `00:00`" : "use a 24-hour time from `00:00` to `23:59:59`")
            return nil
        }
        return t
    }

    mutating func lexDate(_ p: UnsafeBufferPointer<UInt8>, _ start: Int) -> Int {
        let n = p.count
        guard let y = digits(p, start, 4), start + 4 < n, p[start + 4] == UInt8(ascii: "-"),
              let mo = digits(p, start + 5, 2), start + 7 < n, p[start + 7] == UInt8(ascii: "-"),
              let d = digits(p, start + 8, 2) else {
            var e = start + 4
            while e < n && (isWordByte(p[e]) || p[e] == UInt8(ascii: "-")) { e += 1 }
            report(.invalidDate, "malformed date", start, e, help: "write a date as `YYYY-MM-DD`, e.g. `2026-11-26`")
            emit(.invalid, start, e)
            return e
        }
        var i = start + 10
        guard let date = CivilDate(year: y, month: mo, day: d) else {
            let what = mo < 1 || mo > 12 ? "there is no month \(mo)"
                : "\(monthName(mo)) \(y) has \(CivilDate.daysIn(year: y, month: mo)) days"
            report(.invalidDate, "invalid date `\(String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self))`: \(what)",
                   start, i, help: "dates are `YYYY-MM-DD` and must exist in the calendar")
            return finishInvalid(p, start, i)
        }
        guard i < n, p[i] == UInt8(ascii: "T") else {
            emit(.date, start, i, payload: date.daysSinceEpoch)
            return checkBoundary(p, start, i)
        }
        i += 1
        guard let t = lexTime(p, &i, start) else { return finishInvalid(p, start, i) }
        var offset: Int32 = 0
        var hasOffset: UInt8 = 0
        if i < n && p[i] == UInt8(ascii: "Z") {
            hasOffset = 1
            i += 1
        } else if i < n && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) {
            let sign: Int32 = p[i] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = digits(p, i + 1, 2), i + 3 < n, p[i + 3] == UInt8(ascii: ":"),
                  let om = digits(p, i + 4, 2), oh <= 18, om <= 59 else {
                report(.invalidDateTime, "malformed UTC offset", i, min(i + 6, n),
                       help: "write the offset as `Z`, `-06:00` or `+01:00`")
                return finishInvalid(p, start, min(i + 1, n))
            }
            offset = sign * Int32(oh * 3600 + om * 60)
            hasOffset = 1
            i += 6
        }
        let wall = date.daysSinceEpoch * 86_400 + Int64(t.seconds)
        emit(.dateTime, start, i, payload: wall, scale: hasOffset, offset: offset)
        return checkBoundary(p, start, i)
    }

    /// A literal must be followed by a separator; `5ES` or `16:00x` is one malformed word.
    mutating func checkBoundary(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        guard end < p.count else { return end }
        let b = p[end]
        guard isWordByte(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: ":") || b == UInt8(ascii: "-")
                || b == UInt8(ascii: "%") else { return end }
        var e = end
        while e < p.count && (isWordByte(p[e]) || p[e] == UInt8(ascii: ".") || p[e] == UInt8(ascii: ":")
                              || p[e] == UInt8(ascii: "-") || p[e] == UInt8(ascii: "%")) { e += 1 }
        let shown = String(decoding: UnsafeBufferPointer(rebasing: p[start..<e]), as: UTF8.self)
        report(.malformedLiteral, "malformed literal `\(shown)`", start, e,
               help: "separate values with spaces; names start with a letter")
        // Replace the token just emitted by one invalid token covering the whole word.
        if count > 0 && !overflowed {
            out[count - 1].kind = .invalid
            out[count - 1].end = UInt32(e)
            triviaStart = e
        }
        return e
    }

    /// Emits an `.invalid` token over the rest of the malformed word (diagnostic already given).
    mutating func finishInvalid(_ p: UnsafeBufferPointer<UInt8>, _ start: Int, _ at: Int) -> Int {
        var e = max(at, start + 1)
        while e < p.count && (isWordByte(p[e]) || p[e] == UInt8(ascii: ".") || p[e] == UInt8(ascii: ":")
                              || p[e] == UInt8(ascii: "-") || p[e] == UInt8(ascii: "%") || p[e] == UInt8(ascii: "+")) { e += 1 }
        e = min(e, p.count)
        emit(.invalid, start, e)
        return e
    }
}

private func monthName(_ m: Int) -> String {
    ["January", "February", "March", "April", "May", "June", "July", "August", "September",
     "October", "November", "December"][max(0, min(11, m - 1))]
}

extension DecimalNumber {
    init?(bytes: UnsafeBufferPointer<UInt8>) {
        var m: Int64 = 0
        var scale: UInt8 = 0
        var sawDot = false, sawDigit = false, prevUnderscore = false
        for b in bytes {
            if isDigit(b) {
                let (a, o1) = m.multipliedReportingOverflow(by: 10)
                let (s, o2) = a.addingReportingOverflow(Int64(b - ZERO))
                if o1 || o2 { return nil }
                m = s
                sawDigit = true
                prevUnderscore = false
                if sawDot { scale += 1; if scale > 16 { return nil } }
            } else if b == UInt8(ascii: "_") {
                if !sawDigit || prevUnderscore { return nil }
                prevUnderscore = true
            } else if b == UInt8(ascii: ".") {
                if sawDot || !sawDigit || prevUnderscore { return nil }
                sawDot = true
                sawDigit = false
            } else { return nil }
        }
        if !sawDigit || prevUnderscore { return nil }
        self.init(mantissa: m, scale: scale)
    }
}

extension String {
    var debugEscaped: String {
        var out = ""
        for s in unicodeScalars {
            if s.value < 0x20 || s.value == 0x7F { out += "\\u{\(String(s.value, radix: 16))}" } else { out.unicodeScalars.append(s) }
        }
        return out
    }
}
