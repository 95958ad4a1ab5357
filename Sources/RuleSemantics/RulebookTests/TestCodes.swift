import RuleBase

/// Diagnostic codes of rulebook tests (R6xxx): `test` blocks whose names do not resolve in the
/// rulebook they test, or whose shape the runner cannot replay. Stable forever; never reused.
extension DiagnosticCode {
    public static let testUnknownTemplate = DiagnosticCode(6001, "test-unknown-template", .error,
        "The test names a template that the rulebook (the test file and its imports) does not define. Import the rulebook under test and name one of its templates.")
    public static let testUnknownProduct = DiagnosticCode(6002, "test-unknown-product", .error,
        "A position, fill, mark, order or expectation of the test names a product that is not in the rulebook's catalog.")
    public static let testUnknownCategory = DiagnosticCode(6003, "test-unknown-category", .error,
        "A `switch_category` event names a risk category the rulebook does not define.")
    public static let testMissingSetting = DiagnosticCode(6004, "test-missing-setting", .error,
        "A test needs `template NAME` and `start DATE-TIME`, and a balance when its template has no `starting_balance`.")
    public static let testUnknownRule = DiagnosticCode(6005, "test-unknown-rule", .error,
        "An expectation names a threshold, trailing drawdown or figure that the template under test does not have, so it could never hold.")
    public static let testLimitMismatch = DiagnosticCode(6006, "test-limit-mismatch", .error,
        "An expectation writes a limit for a threshold, and the template under test sets that threshold to another value. Write the template's value, or leave the limit out.")
    public static let testUnknownWord = DiagnosticCode(6007, "test-unknown-word", .error,
        "An admin action, admin reason code or order rejection code is not one the broker defines (`lock`, `Other`, `POSITION_LIMIT`, ...), or a cancel cause or refusal code is not one the engine reports (`auto_liquidate`, `unknown_order`, ...).")
    public static let testDuplicateName = DiagnosticCode(6008, "test-duplicate-name", .error,
        "Two tests in one file share a name; reports and CI test results need each name once.")
    public static let testMisplacedSetting = DiagnosticCode(6009, "test-misplaced-setting", .error,
        "The starting state (template, start, balance, positions, working orders) comes before the first event, and each event has at most one `expect` block. An `order` expectation follows an `order` event; a `refused` expectation follows an event the engine can refuse for that reason (an order with an id, a fill that names its order, a cancel).")
    public static let testUnknownOrder = DiagnosticCode(6010, "test-unknown-order", .error,
        "A fill, cancel or expectation names an order id that no working order of the start and no `order` event before it places, so the engine would refuse the event (`unknown_order`) or the expectation could never fail. Place the order first, fix the id, or expect the refusal with `refused unknown_order`.")
    public static let testDuplicateOrder = DiagnosticCode(6011, "test-duplicate-order", .error,
        "Two working orders of a test's start share an id. Ids name orders for fills and cancels, so the engine keeps them unique among working orders.")
    public static let testRestingOrderIncomplete = DiagnosticCode(6012, "test-resting-order-incomplete", .error,
        "A limit or stop order (a working order of the start or an `order` event) has no id or no price. It rests in the book until fills name it or it is cancelled by name, so it needs an id (`order o1 limit ES buy 2 at 4_990`), and it fills at its price or better (limit) or triggers there (stop), so it needs `at PRICE`. A `market` order needs neither.")
    public static let testRemainingAboveQuantity = DiagnosticCode(6013, "test-remaining-above-quantity", .error,
        "A working order of the start has more contracts open (`remaining`) than it was placed for. Write at most its quantity, or leave `remaining` out when nothing has filled.")

    /// Every code of rulebook tests, for `rulec explain` and the catalog tests.
    public static let testCodes: [DiagnosticCode] = [
        .testUnknownTemplate, .testUnknownProduct, .testUnknownCategory, .testMissingSetting, .testUnknownRule,
        .testLimitMismatch, .testUnknownWord, .testDuplicateName, .testMisplacedSetting, .testUnknownOrder, .testDuplicateOrder,
        .testRestingOrderIncomplete, .testRemainingAboveQuantity,
    ]
}
