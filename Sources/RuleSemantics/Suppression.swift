import RuleBase
import RuleSyntax

extension DiagnosticCode {
    public static let unusedSuppression = DiagnosticCode(5100, "unused-suppression", .warning,
        "A `# rulec-allow CODE: reason` comment suppresses nothing: the lint no longer fires on the item it is attached to (the rulebook was fixed, or the comment sits on the wrong line). Remove it so it cannot hide a future finding.")
    public static let invalidSuppression = DiagnosticCode(5101, "invalid-suppression", .error,
        "A suppression is `# rulec-allow R5003: reason` (several codes separated by commas; codes or their names). The reason after the colon is required, so a reviewer can see why the finding is accepted. Only lint codes (R5xxx) can be suppressed; checker errors cannot.")
}

/// `# rulec-allow R5003: reason` comments and what they suppress. On its own line the comment
/// applies to the item below it (with its whole block); at the end of a line, to the item that
/// line starts (or, on a `}` line, the block it closes).
struct Suppressions {
    struct Directive {
        var comment: Span
        var codes: [(code: DiagnosticCode, span: Span)]
        /// The item the directive covers; nil when it is attached to nothing.
        var scope: Span?
        var used = Set<UInt16>()
    }

    static let marker = "rulec-allow"

    /// A `# rulec-file LEVEL CODE` header line: the level of one lint in one file.
    struct FileLevel {
        var file: FileID
        var code: DiagnosticCode
        var level: LintLevel
    }

    var directives: [Directive] = []
    var fileLevels: [FileLevel] = []
    /// Malformed directives, reported whether or not lints run.
    var problems: [Diagnostic] = []

    static func collect(_ trees: [SyntaxTree]) -> Suppressions {
        var s = Suppressions()
        for tree in trees { s.collect(tree) }
        return s
    }

    mutating func collect(_ tree: SyntaxTree) {
        let file = tree.file
        // A directive (or a malformed one) contains the marker: most files have none.
        guard Suppressions.contains(file.bytes, Array("rulec-".utf8)) else { return }
        let headerEnd = tree.items.first.map { tree[$0.name].start } ?? UInt32(file.bytes.count)
        var items = ItemIndex()
        tree.walk { item, _ in items.items.append(item) }
        for i in tree.tokens.indices {
            let t = tree.tokens[i]
            guard t.triviaStart < t.start else { continue }
            for comment in tree.comments(before: TokenIndex(i)) {
                parseFileDirective(comment, file, header: comment.start < headerEnd)
                guard let d = parse(comment, file) else { continue }
                var directive = d
                directive.scope = scope(of: TokenIndex(i), in: tree, &items)
                directives.append(directive)
            }
        }
    }

    /// Whether `needle` occurs in `bytes`.
    static func contains(_ bytes: [UInt8], _ needle: [UInt8]) -> Bool {
        guard let first = needle.first, needle.count <= bytes.count else { return false }
        var i = 0
        let last = bytes.count - needle.count
        while i <= last {
            if bytes[i] == first {
                var k = 1
                while k < needle.count && bytes[i + k] == needle[k] { k += 1 }
                if k == needle.count { return true }
            }
            i += 1
        }
        return false
    }

    /// The items of a file in walk order, with lookups built on first use.
    struct ItemIndex {
        var items: [Item] = []
        /// The line of each item's name.
        var lines: [Int]?
        /// Item position by name token.
        var byName: [TokenIndex: Int]?
    }

    /// Reads one comment; nil when it is not a directive.
    mutating func parse(_ comment: Span, _ file: SourceFile) -> Directive? {
        let bytes = Array(file.bytes[Int(comment.start)..<Int(comment.end)])
        var k = 1   // after `#`
        while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
        let marker = Array(Self.marker.utf8)
        guard bytes.count - k >= marker.count, Array(bytes[k..<k + marker.count]) == marker else { return nil }
        k += marker.count
        if k < bytes.count, bytes[k] != 0x20, bytes[k] != 0x09, bytes[k] != UInt8(ascii: ":") { return nil }
        let at = { (a: Int, b: Int) in Span(file: file.id, start: comment.start + UInt32(a), end: comment.start + UInt32(b)) }
        let colon = bytes[k...].firstIndex(of: UInt8(ascii: ":"))
        let listEnd = colon ?? bytes.count
        var codes: [(DiagnosticCode, Span)] = []
        var j = k
        while j < listEnd {
            if bytes[j] == 0x20 || bytes[j] == 0x09 || bytes[j] == UInt8(ascii: ",") { j += 1; continue }
            var e = j
            while e < listEnd, bytes[e] != 0x20, bytes[e] != 0x09, bytes[e] != UInt8(ascii: ",") { e += 1 }
            let word = String(decoding: bytes[j..<e], as: UTF8.self)
            let span = at(j, e)
            let all = DiagnosticCode.syntaxCodes + DiagnosticCode.semanticCodes + DiagnosticCode.testCodes + Lints.codes
            if let code = Lints.all.map(\.code).first(where: { $0.id == word || $0.name == word }) {
                codes.append((code, span))
            } else if let other = all.first(where: { $0.id == word || $0.name == word }) {
                problems.append(Diagnostic(.invalidSuppression, "`\(other.id)` is not a lint and cannot be suppressed",
                    at: Label(span, "not a lint code"), help: "fix the rulebook; only R5xxx lint findings can be allowed"))
            } else {
                let near = Lints.all.map(\.code).first { $0.name.hasPrefix(word) || word.hasPrefix($0.id) }
                problems.append(Diagnostic(.invalidSuppression, "unknown lint code `\(word)` in suppression",
                    at: Label(span, "no such lint"),
                    help: near.map { "did you mean `\($0.id)` (\($0.name))?" } ?? "write a code such as `R5003`; `rulec explain --list` lists them"))
            }
            j = e
        }
        let reason = colon.map { String(decoding: bytes[($0 + 1)...], as: UTF8.self).trimmingSpaces } ?? ""
        let written = bytes[k..<listEnd].contains { $0 != 0x20 && $0 != 0x09 && $0 != UInt8(ascii: ",") }
        if !written {
            problems.append(Diagnostic(.invalidSuppression, "suppression names no lint code",
                at: Label(comment, "no code"), help: "write `# rulec-allow R5003: why this is accepted`"))
            return nil
        }
        guard !codes.isEmpty else { return nil }
        if reason.isEmpty {
            problems.append(Diagnostic(.invalidSuppression, "suppression of " + codes.map { "`\($0.0.id)`" }.joined(separator: ", ") + " has no reason",
                at: Label(comment, "reason missing"),
                help: "say why after a colon: `# rulec-allow \(codes.map(\.0.id).joined(separator: ", ")): larger account, approved by the risk desk`"))
            return nil
        }
        return Directive(comment: comment, codes: codes, scope: nil)
    }

    /// The item a directive in the trivia before token `i` covers.
    func scope(of i: TokenIndex, in tree: SyntaxTree, _ index: inout ItemIndex) -> Span? {
        let file = tree.file
        let items = index.items
        if i > 0, tree[i - 1].kind != .newline {
            // End of a line: the first item starting on that line, else the innermost item around it.
            let line = file.location(of: tree[i - 1].start).line
            if index.lines == nil { index.lines = items.map { file.location(of: tree[$0.name].start).line } }
            if let k = index.lines!.firstIndex(of: line) {
                return tree.span(of: items[k])
            }
            let at = tree[i - 1].start
            return items.map { tree.span(of: $0) }.filter { $0.start <= at && at < $0.end + 1 }
                .min { $0.length < $1.length }
        }
        // Own line: the next item, if only blank lines and comments come between.
        var j = Int(i)
        while j < tree.tokens.count, tree.tokens[j].kind == .newline { j += 1 }
        if index.byName == nil {
            var m: [TokenIndex: Int] = [:]
            for (k, item) in items.enumerated() where m[item.name] == nil { m[item.name] = k }
            index.byName = m
        }
        guard j < tree.tokens.count, let k = index.byName![TokenIndex(j)] else { return nil }
        return tree.span(of: items[k])
    }

    /// Removes the findings a directive covers and records which directives were used.
    mutating func filter(_ findings: [Diagnostic]) -> [Diagnostic] {
        findings.filter { d in
            let p = d.primary.span
            for k in directives.indices {
                guard let scope = directives[k].scope, scope.file == p.file, scope.start <= p.start, p.start <= scope.end,
                      directives[k].codes.contains(where: { $0.code == d.code }) else { continue }
                directives[k].used.insert(d.code.number)
                return false
            }
            return true
        }
    }

    /// A warning for every code of a directive that suppressed nothing.
    func unused() -> [Diagnostic] {
        var out: [Diagnostic] = []
        for d in directives {
            for (code, span) in d.codes where !d.used.contains(code.number) {
                out.append(Diagnostic(.unusedSuppression,
                    "suppression of `\(code.id)` (\(code.name)) suppresses nothing",
                    at: Label(span, d.scope == nil ? "not attached to any setting" : "no `\(code.id)` finding here"),
                    help: d.scope == nil ? "put the comment on the line above the setting, or at the end of its line"
                        : "remove the suppression"))
            }
        }
        return out
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}
