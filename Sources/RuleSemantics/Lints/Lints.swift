import RuleBase

/// What a lint may know besides the checked rulebook: the check's instant and zone offsets,
/// and which files the user named. Lints never read clocks, files or the environment.
public struct LintContext: Sendable {
    /// The instant of the check; lints about the past are skipped when nil.
    public var now: Instant?
    /// UTC offset in seconds of a tz zone at an instant; nil when the host cannot say.
    public var zoneOffset: (@Sendable (String, Instant) -> Int32?)?
    /// Files given on the command line, as opposed to files only imported.
    public var entryFiles: Set<FileID>

    public init(now: Instant? = nil, zoneOffset: (@Sendable (String, Instant) -> Int32?)? = nil,
                entryFiles: Set<FileID> = []) {
        self.now = now
        self.zoneOffset = zoneOffset
        self.entryFiles = entryFiles
    }

    public func isEntryFile(_ file: FileID) -> Bool { entryFiles.contains(file) }
}

/// One lint: a stable code and a pure function from the checked rulebook to findings.
public struct Lint: Sendable {
    public let code: DiagnosticCode
    public let run: @Sendable (CheckedRulebook, LintContext) -> [Diagnostic]
    public init(_ code: DiagnosticCode, _ run: @escaping @Sendable (CheckedRulebook, LintContext) -> [Diagnostic]) {
        self.code = code
        self.run = run
    }
}

/// The registry of lints, in code order. A lint runs only on a rulebook without errors.
public enum Lints {
    public static let all: [Lint] = [
        Lint(.tiersOutOfOrder, TiersOutOfOrder.check),
        Lint(.percentDollarMismatch, PercentDollarMismatch.check),
        Lint(.trailingCapBelowStart, TrailingCapBelowStart.check),
        Lint(.trailingDrawdownTooLarge, TrailingDrawdownTooLarge.check),
        Lint(.doNotUnlockWithoutDailyLoss, DoNotUnlockWithoutDailyLoss.check),
        Lint(.restrictedProductWithLimit, RestrictedProductWithLimit.check),
        Lint(.emptyTimePeriodWindow, EmptyTimePeriodWindow.check),
        Lint(.overlappingTimePeriodWindows, OverlappingTimePeriodWindows.check),
        Lint(.overrideOnNonTradingDay, OverrideOnNonTradingDay.check),
        Lint(.flattenAtInPast, FlattenAtInPast.check),
        Lint(.flattenAtInsideTimePeriod, FlattenAtInsideTimePeriod.check),
        Lint(.unusedDefinition, UnusedDefinition.check),
        Lint(.loosensParentLimit, LoosensParentLimit.check),
        Lint(.noLossProtection, NoLossProtection.check),
        Lint(.uncappedProduct, UncappedProduct.check),
        Lint(.earlyCloseNotCovered, EarlyCloseNotCovered.check),
        Lint(.dailyLossAtOrAboveTrailing, DailyLossAtOrAboveTrailing.check),
        Lint(.fractionLookingPercent, FractionLookingPercent.check),
        Lint(.trailingCapAtStart, TrailingCapAtStart.check),
        Lint(.trailingModeNotWritten, TrailingModeNotWritten.check),
        Lint(.timePeriodCrossesMidnight, TimePeriodCrossesMidnight.check),
        Lint(.flattenAtMarketClosed, FlattenAtMarketClosed.check),
        Lint(.productLimitUnreachable, ProductLimitUnreachable.check),
        Lint(.oneSidedLimit, OneSidedLimit.check),
        Lint(.loosensParentTimePeriod, LoosensParentTimePeriod.check),
        Lint(.testAdminRefused, TestAdminRefused.check),
        // Firm rules (issue 13).
        Lint(.profitTargetBelowConsistencyReach, ProfitTargetBelowConsistencyReach.check),
        Lint(.scalingTierAboveCategoryLimit, ScalingTierAboveCategoryLimit.check),
        Lint(.emptyNewsWindow, EmptyNewsWindow.check),
    ]

    /// Every lint code and the suppression codes, for `rulec explain` and the README.
    public static let codes: [DiagnosticCode] = all.map(\.code) + [.unusedSuppression, .invalidSuppression]

    /// Runs every lint. A finding reached through several templates (an inherited setting)
    /// is reported once, for the template nearest the root.
    public static func run(_ rulebook: CheckedRulebook, _ context: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var seen = Set<FindingKey>()
        for lint in all {
            for d in lint.run(rulebook, context) {
                let key = FindingKey(code: d.code.number, primary: d.primary.span, secondary: d.secondary.map(\.span))
                if seen.insert(key).inserted { out.append(d) }
            }
        }
        return out
    }

    struct FindingKey: Hashable {
        var code: UInt16
        var primary: Span
        var secondary: [Span]
    }
}

extension CheckerState {
    /// Lints and suppressions, after the error checks. Lints run only when there are no
    /// errors; malformed suppressions are reported either way.
    mutating func runLints() {
        guard options.lints else { return }
        var suppressions = Suppressions.collect(model.trees)
        diagnostics += suppressions.problems
        guard !diagnostics.hasErrors else { return }
        let context = LintContext(now: options.now, zoneOffset: options.zoneOffset, entryFiles: model.entryFiles)
        let findings = Lints.run(model, context)
        let kept = suppressions.filter(findings)
        diagnostics += suppressions.level(kept + suppressions.unused(), commandLine: options.levels)
    }
}
