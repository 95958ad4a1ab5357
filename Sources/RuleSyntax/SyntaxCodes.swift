import RuleBase

/// Diagnostic codes of the syntax phase (R1xxx) and its limits (R90xx). Stable forever.
extension DiagnosticCode {
    public static let invalidUTF8 = DiagnosticCode(1001, "invalid-utf8", .error,
        "A rulebook must be UTF-8 text. The file holds a byte sequence that is not valid UTF-8 or a NUL byte.")
    public static let unexpectedCharacter = DiagnosticCode(1002, "unexpected-character", .error,
        "The character cannot start any token. Names start with a letter, numbers with a digit, strings with `\"`, comments with `#`.")
    public static let malformedNumber = DiagnosticCode(1003, "malformed-number", .error,
        "Numbers are digits with optional `_` separators between digits and at most one `.`, e.g. `13_200` or `0.25`.")
    public static let invalidTime = DiagnosticCode(1004, "invalid-time", .error,
        "A time of day is `HH:MM` or `HH:MM:SS` on a 24-hour clock: hours 00-23, minutes and seconds 00-59.")
    public static let invalidDate = DiagnosticCode(1005, "invalid-date", .error,
        "A date is `YYYY-MM-DD` and must exist in the Gregorian calendar (`2026-02-30` does not).")
    public static let unterminatedString = DiagnosticCode(1006, "unterminated-string", .error,
        "A string starts and ends with `\"` on the same line.")
    public static let invalidEscape = DiagnosticCode(1007, "invalid-escape", .error,
        "Inside a string only `\\\"`, `\\\\`, `\\n` and `\\t` are escapes.")
    public static let invalidDateTime = DiagnosticCode(1008, "invalid-date-time", .error,
        "A date-time is `YYYY-MM-DDTHH:MM[:SS]` with an optional offset `Z` or `±HH:MM`.")
    public static let malformedLiteral = DiagnosticCode(1009, "malformed-literal", .error,
        "A literal runs straight into other characters, e.g. `5ES`; separate values with spaces.")
    public static let expectedItemName = DiagnosticCode(1010, "expected-setting-name", .error,
        "Each line starts with a setting or declaration name, such as `daily_loss` or `template`.")
    public static let unclosedBlock = DiagnosticCode(1011, "unclosed-block", .error,
        "A block opened with `{` must be closed with `}`.")
    public static let unexpectedClosingBrace = DiagnosticCode(1012, "unexpected-closing-brace", .error,
        "A `}` closes a block that was never opened.")
    public static let braceOnOwnLine = DiagnosticCode(1013, "brace-on-own-line", .error,
        "A block opens on the same line as the item it belongs to: `alert {`, not `alert` then `{` on the next line.")
    public static let textAfterBlock = DiagnosticCode(1014, "text-after-block", .error,
        "After a block's closing `}` the line must end (or continue after `;`).")
    public static let percentOutOfRange = DiagnosticCode(1015, "number-too-large", .error,
        "The number does not fit: at most 18 significant digits, money at most four decimals.")
    public static let negativeAmount = DiagnosticCode(1016, "negative-amount", .error,
        "Rulebook amounts are never signed: a loss limit is the size of the loss (`daily_loss 500 USD`), a position limit a number of contracts. Write the amount without the minus sign.")

    public static let fileTooLarge = DiagnosticCode(9001, "file-too-large", .error,
        "A rulebook file may be at most 16 MiB.")
    public static let nestingTooDeep = DiagnosticCode(9002, "nesting-too-deep", .error,
        "Blocks may nest at most 32 levels deep.")
    public static let tooManyValues = DiagnosticCode(9003, "too-many-values", .error,
        "One setting may carry at most 1,024 values.")

    /// Every code of the syntax phase, for `rulec explain` and the catalog tests.
    public static let syntaxCodes: [DiagnosticCode] = [
        .invalidUTF8, .unexpectedCharacter, .malformedNumber, .invalidTime, .invalidDate,
        .unterminatedString, .invalidEscape, .invalidDateTime, .malformedLiteral, .expectedItemName,
        .unclosedBlock, .unexpectedClosingBrace, .braceOnOwnLine, .textAfterBlock, .percentOutOfRange,
        .negativeAmount,
        .fileTooLarge, .nestingTooDeep, .tooManyValues,
    ]
}

/// Limits that keep hostile or accidental input from exhausting time or memory.
public enum SyntaxLimits {
    public static let maxFileBytes = 16 << 20
    public static let maxDepth = 32
    public static let maxValuesPerItem = 1024
}
