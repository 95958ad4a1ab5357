import RuleBase

/// Diagnostic codes of name resolution (R2xxx), types and units (R3xxx) and inheritance
/// (R4xxx). Stable forever; never reused.
extension DiagnosticCode {
    public static let unknownSetting = DiagnosticCode(2001, "unknown-setting", .error,
        "The name is not a setting of this block. Each block kind accepts the settings listed in grammar.ebnf section 3.")
    public static let duplicateDefinition = DiagnosticCode(2002, "duplicate-definition", .error,
        "Two definitions of the same kind share a name across the rulebook and its imports; names must be unique.")
    public static let duplicateSetting = DiagnosticCode(2003, "duplicate-setting", .error,
        "A setting may appear once per block; a second one would silently win. Remove one of them.")
    public static let importEscapesRoot = DiagnosticCode(2004, "import-escapes-root", .error,
        "Imports are relative to the importing file and may not reach outside the rulebook root.")
    public static let importCycle = DiagnosticCode(2005, "import-cycle", .error,
        "Files import each other in a cycle. Move shared definitions into a file both can import.")
    public static let importNotFound = DiagnosticCode(2006, "import-not-found", .error,
        "The imported file does not exist or cannot be read.")
    public static let unknownName = DiagnosticCode(2007, "unknown-name", .error,
        "The name does not refer to any definition of the expected kind in this rulebook or its imports.")
    public static let unknownProduct = DiagnosticCode(2008, "unknown-product", .error,
        "The product symbol is not defined by any `product` in the rulebook or its imports.")
    public static let missingName = DiagnosticCode(2009, "missing-name", .error,
        "A declaration needs a name, e.g. `template eval_50k { ... }`.")
    public static let keywordAsName = DiagnosticCode(2010, "keyword-as-name", .error,
        "Keywords are reserved and cannot name a definition.")
    public static let misplacedItem = DiagnosticCode(2011, "misplaced-setting", .error,
        "The item is valid only inside another block (or only at the top level).")
    public static let missingBlock = DiagnosticCode(2012, "missing-block", .error,
        "The declaration needs a `{ ... }` block on the same line.")
    public static let unexpectedBlock = DiagnosticCode(2013, "unexpected-block", .error,
        "The setting takes values only, no `{ ... }` block.")

    public static let wrongType = DiagnosticCode(3001, "wrong-type", .error,
        "The value has the wrong type or unit for this setting (money, percent, contracts, time, date, name...).")
    public static let missingValue = DiagnosticCode(3002, "missing-value", .error,
        "The setting needs a value it does not have.")
    public static let extraValue = DiagnosticCode(3003, "extra-value", .error,
        "The setting has more values than it takes.")
    public static let percentOutOfRange = DiagnosticCode(3004, "percent-out-of-range", .error,
        "A percent limit is greater than 0% and at most 100%.")
    public static let nonPositiveLimit = DiagnosticCode(3005, "non-positive-limit", .error,
        "Limits, balances, point values, ticks and margins must be greater than zero.")
    public static let unknownTimeZone = DiagnosticCode(3006, "unknown-time-zone", .error,
        "The time zone is not in the host's tz database; use an IANA name such as `America/Chicago`.")
    public static let missingRequiredSetting = DiagnosticCode(3007, "missing-required-setting", .error,
        "The definition lacks a setting it cannot do without (a calendar's timezone, a product's point value, a time period's start and stop).")
    public static let wrongUnitForMetric = DiagnosticCode(3008, "wrong-unit-for-metric", .error,
        "Margin limits are a percent of net liquidation value; dollar margin limits are not a broker setting.")
    public static let dateTimeNeedsZone = DiagnosticCode(3009, "date-time-needs-zone", .error,
        "A date-time without a UTC offset is read in the template's calendar zone, so the template needs a calendar.")
    public static let invalidWeight = DiagnosticCode(3010, "invalid-weight", .error,
        "A group weight is a positive number of group units per contract, e.g. `MES 0.1`.")

    public static let extendsCycle = DiagnosticCode(4001, "extends-cycle", .error,
        "Templates extend each other in a cycle, so no effective template exists.")
    public static let importTooDeep = DiagnosticCode(9004, "import-too-deep", .error,
        "Imports chain more than 64 files deep.")

    /// Every code of the semantic phase, for `rulec explain` and the catalog tests.
    public static let semanticCodes: [DiagnosticCode] = [
        .unknownSetting, .duplicateDefinition, .duplicateSetting, .importEscapesRoot, .importCycle,
        .importNotFound, .unknownName, .unknownProduct, .missingName, .keywordAsName, .misplacedItem,
        .missingBlock, .unexpectedBlock,
        .wrongType, .missingValue, .extraValue, .percentOutOfRange, .nonPositiveLimit, .unknownTimeZone,
        .missingRequiredSetting, .wrongUnitForMetric, .dateTimeNeedsZone, .invalidWeight,
        .extendsCycle, .importTooDeep,
        .firmRuleNeedsSetting, .invalidScalingPlan,
    ]
}
