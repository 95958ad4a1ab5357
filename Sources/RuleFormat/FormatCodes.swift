import RuleBase

/// Internal-error codes of the formatter (R91xx). They mean a bug in `rulec fmt`, never a
/// mistake in the rulebook; the file is left untouched. Stable forever.
extension DiagnosticCode {
    public static let formatterChangedMeaning = DiagnosticCode(9101, "formatter-changed-meaning", .error,
        "Internal error: the formatted text would not parse back to the same settings as the input, so `rulec fmt` wrote nothing. Please report the file.")
    public static let formatterLostComment = DiagnosticCode(9102, "formatter-lost-comment", .error,
        "Internal error: the formatted text would not keep every comment of the input exactly once, so `rulec fmt` wrote nothing. Please report the file.")

    /// Every code of the formatter, for `rulec explain` and the catalog tests.
    public static let formatCodes: [DiagnosticCode] = [.formatterChangedMeaning, .formatterLostComment]
}
