import RuleBase
import RuleSyntax

/// The outcome of formatting one file.
public struct FormatResult: Sendable {
    public enum Status: Sendable, Hashable {
        /// `text` holds the canonical layout (possibly identical to the input).
        case formatted
        /// The file has syntax errors (in `diagnostics`); nothing was formatted.
        case refused
        /// The formatter failed its own check (R9101, R9102); nothing may be written.
        case internalError
    }

    public var status: Status
    /// The formatted text; nil unless `status == .formatted`.
    public var text: String?
    /// The syntax errors that made the formatter refuse, or the internal error.
    public var diagnostics: [Diagnostic]
    /// True when the formatted text differs from the input.
    public var changed: Bool

    public init(status: Status, text: String?, diagnostics: [Diagnostic], changed: Bool) {
        self.status = status
        self.text = text
        self.diagnostics = diagnostics
        self.changed = changed
    }
}

/// `rulec fmt`: one canonical layout for a rulebook, with no options. It reads syntax only,
/// refuses files with syntax errors, keeps every comment next to the setting it describes, and
/// proves each result by parsing it again: same meaning, same comments, or nothing is returned.
public enum Formatter {
    /// Formats a parsed file. `diagnostics` are the parser's; when they hold an error the file
    /// is refused and they are returned as the reason.
    public static func format(_ tree: SyntaxTree, diagnostics: [Diagnostic]) -> FormatResult {
        let errors = diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else {
            return FormatResult(status: .refused, text: nil, diagnostics: errors, changed: false)
        }
        let attached = CommentAttacher.attach(tree)
        let text = Printer.print(tree, attached)
        if let problem = selfCheck(input: tree, output: text) {
            return FormatResult(status: .internalError, text: nil, diagnostics: [problem], changed: false)
        }
        return FormatResult(status: .formatted, text: text, diagnostics: [], changed: text != tree.print())
    }

    /// Formats a parsed file, parsing it again to learn whether it has syntax errors.
    public static func format(_ tree: SyntaxTree) -> FormatResult {
        format(tree, diagnostics: Parser.parse(tree.file).diagnostics)
    }

    /// Parses and formats a source file.
    public static func format(_ file: SourceFile) -> FormatResult {
        let (tree, diagnostics) = Parser.parse(file)
        return format(tree, diagnostics: diagnostics)
    }

    /// Parses and formats text, as if read from `path`.
    public static func format(_ text: String, path: String = "<input>") -> FormatResult {
        format(SourceFile(id: FileID(0), path: path, text: text))
    }

    /// Parses the output again: it must have no syntax errors, the same meaning as the input,
    /// and exactly the input's comments. Returns the internal error otherwise.
    static func selfCheck(input: SyntaxTree, output: String) -> Diagnostic? {
        let at = Span(file: input.file.id, start: 0, end: 0)
        let note = "this is a bug in `rulec fmt`; the file was left unchanged"
        let (reparsed, diagnostics) = Parser.parse(SourceFile(id: input.file.id, path: input.file.path, text: output))
        if let first = diagnostics.first(where: { $0.severity == .error }) {
            return Diagnostic(.formatterChangedMeaning,
                              "formatted text does not parse: \(first.message)", at: at, notes: [note])
        }
        if input.commentTexts.sorted() != reparsed.commentTexts.sorted() {
            let before = input.commentTexts.count, after = reparsed.commentTexts.count
            return Diagnostic(.formatterLostComment,
                              "formatting would change the comments (\(before) before, \(after) after)",
                              at: at, notes: [note])
        }
        if !input.sameMeaning(as: reparsed) {
            return Diagnostic(.formatterChangedMeaning, "formatting would change the meaning of the file",
                              at: at, notes: [note])
        }
        return nil
    }
}
