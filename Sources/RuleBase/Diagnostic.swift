/// How bad a finding is. Ordered so that `error` is the strongest.
public enum Severity: String, Sendable, Hashable, Comparable, CaseIterable {
    case note, warning, error
    private var rank: Int { self == .note ? 0 : self == .warning ? 1 : 2 }
    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A stable diagnostic code: `R` + four digits, a kebab name and a one-paragraph explanation.
/// R1 syntax, R2 names, R3 types and units, R4 inheritance, R5 lints, R9 limits and internal.
/// A code is stable forever and never reused.
public struct DiagnosticCode: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let number: UInt16
    public let name: String
    public let severity: Severity
    public let explanation: String

    public init(_ number: UInt16, _ name: String, _ severity: Severity = .error, _ explanation: String) {
        self.number = number
        self.name = name
        self.severity = severity
        self.explanation = explanation
    }

    public var id: String { "R\(number)" }
    public var description: String { id }
    public static func == (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.number == b.number }
    public func hash(into h: inout Hasher) { h.combine(number) }
    public static func < (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.number < b.number }
}

/// A span with a short message pointing at it.
public struct Label: Hashable, Sendable {
    public var span: Span
    public var message: String
    public init(_ span: Span, _ message: String = "") {
        self.span = span
        self.message = message
    }
}

/// The one diagnostic type of rulec: rendered as text, JSON, GitHub annotations and SARIF.
public struct Diagnostic: Hashable, Sendable {
    public var code: DiagnosticCode
    public var severity: Severity
    /// Lowercase, no final period, user values in backticks.
    public var message: String
    public var primary: Label
    public var secondary: [Label]
    public var notes: [String]
    public var help: String?

    public init(_ code: DiagnosticCode, _ message: String, at primary: Label,
                secondary: [Label] = [], notes: [String] = [], help: String? = nil,
                severity: Severity? = nil) {
        self.code = code
        self.severity = severity ?? code.severity
        self.message = message
        self.primary = primary
        self.secondary = secondary
        self.notes = notes
        self.help = help
    }

    public init(_ code: DiagnosticCode, _ message: String, at span: Span, label: String = "",
                secondary: [Label] = [], notes: [String] = [], help: String? = nil) {
        self.init(code, message, at: Label(span, label), secondary: secondary, notes: notes, help: help)
    }

    /// Deterministic output order: file, position, code, message.
    public static func sortKey(_ a: Diagnostic, _ b: Diagnostic) -> Bool {
        let x = a.primary.span, y = b.primary.span
        if x.file != y.file { return x.file < y.file }
        if x.start != y.start { return x.start < y.start }
        if a.code.number != b.code.number { return a.code.number < b.code.number }
        return a.message < b.message
    }
}

extension Array where Element == Diagnostic {
    /// Sorted by file, line, column and code, with exact duplicates removed.
    public func sortedForOutput(_ sources: SourceMap) -> [Diagnostic] {
        if isEmpty { return [] }
        var seen = Set<Diagnostic>(minimumCapacity: count)
        var out: [Diagnostic] = []
        out.reserveCapacity(count)
        for d in self where seen.insert(d).inserted { out.append(d) }
        // Each file's rank among the paths (equal paths share a rank), so that comparing two
        // diagnostics compares integers rather than path strings.
        let files = sources.files
        let byPath = files.indices.sorted { files[$0].path < files[$1].path }
        var rank = [Int](repeating: 0, count: files.count)
        for (k, f) in byPath.enumerated() where k > 0 {
            rank[f] = files[f].path == files[byPath[k - 1]].path ? rank[byPath[k - 1]] : k
        }
        return out.sorted { a, b in
            let fa = Int(a.primary.span.file.raw), fb = Int(b.primary.span.file.raw)
            let ra = fa < rank.count ? rank[fa] : Int.max, rb = fb < rank.count ? rank[fb] : Int.max
            if ra != rb { return ra < rb }
            return Diagnostic.sortKey(a, b)
        }
    }
    public var hasErrors: Bool { contains { $0.severity == .error } }
}
