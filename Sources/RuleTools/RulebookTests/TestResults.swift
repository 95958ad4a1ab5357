import RuleBase

/// What `rulec test` reports: one result per test, in the order the tests are written (files in
/// the order given), and the settings of each tested template that no test exercised.
public struct TestRunReport: Sendable, Hashable {
    public var results: [TestResult]
    /// Per template, sorted by name.
    public var coverage: [TemplateCoverage]

    public var passed: Int { results.count { $0.failure == nil } }
    public var failed: Int { results.count { $0.failure != nil } }
    /// Every setting no test reached, by template then position in the template.
    public var unexercised: [CoverageItem] { coverage.flatMap { $0.items.filter { !$0.exercised } } }
}

/// A line of a rulebook file, for reports: where it is and what it says.
public struct TestSourceLine: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    /// The line's text without indentation and comment.
    public var text: String
    public var description: String { "\(file):\(line)" }
}

public struct TestResult: Sendable, Hashable {
    public var name: String
    /// The `test "name"` line.
    public var source: TestSourceLine
    public var template: String
    /// nil when the test passed.
    public var failure: TestFailure?
    public var passed: Bool { failure == nil }
}

/// The first event after which something expected did not hold. Later events are not replayed:
/// they would start from a state the test did not intend.
public struct TestFailure: Sendable, Hashable {
    /// The event that diverged; nil for the starting state (an `expect` before any event) or when
    /// the test could not start.
    public var event: TestSourceLine?
    public var mismatches: [Mismatch]
}

/// One expectation that did not hold: what the test wrote and what the engine decided.
public struct Mismatch: Sendable, Hashable {
    /// The expectation's line (or the event's, for problems with the event itself).
    public var line: Int
    public var expected: String
    public var actual: String
}

/// The settings of one effective template and whether some test exercised each.
public struct TemplateCoverage: Sendable, Hashable {
    public var template: String
    /// Whether any test names the template.
    public var tested: Bool
    public var items: [CoverageItem]
    public var exercised: Int { items.count { $0.exercised } }
}

/// One setting a test can exercise: a threshold (breached), the trailing drawdown's mode (the
/// level moved) and cap (the level held at it), `flatten_at` and the time period's boundaries
/// (fired), `do_not_unlock` (a manual lock), a position limit, restriction or group (an order
/// rejected by it), the risk category (an order decided under it), the calendar (a session
/// boundary), `starting_balance` (a test starting from it).
public struct CoverageItem: Sendable, Hashable {
    public var template: String
    /// The setting as an author reads it: `auto_liquidate.daily_loss (USD)`, `max_position ES 5`.
    public var setting: String
    public var source: TestSourceLine?
    public var exercised: Bool
}
