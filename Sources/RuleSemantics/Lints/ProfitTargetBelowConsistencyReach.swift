import RuleBase

extension DiagnosticCode {
    public static let profitTargetBelowConsistencyReach = DiagnosticCode(5030, "profit-target-below-consistency-reach", .warning,
        "With `consistency X%` the best day may make at most X% of the total profit, and a winning day makes at least the `winning_days` amount, so an evaluation can pass only once its profit reaches that amount ÷ X%. A profit target below it is never what decides the pass: the account must make more than its stated target.")
}

/// A profit target below what consistency and the winning-day amount require anyway.
enum ProfitTargetBelowConsistencyReach {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let target = t.firm(.profitTarget), let cons = t.firm(.consistency), let win = t.firm(.winningDays),
                  case let .percent(c) = cons.value, case let .firm(.winningDays(_, amount)) = win.value else { continue }
            let targetMoney: Money
            switch target.value {
            case let .money(m): targetMoney = m
            case let .percent(r):
                guard let b = t.startingBalance else { continue }
                targetMoney = r.of(b)
            default: continue
            }
            // reach = amount ÷ c; target < reach ⟺ target × c < amount (exactly, cross-multiplied).
            guard LintSupport.compare(amount, c, of: targetMoney) > 0 else { continue }
            let (scaled, overflow) = amount.units.multipliedReportingOverflow(by: c.denominator)
            guard !overflow, c.numerator > 0 else { continue }
            let reach = Money(units: scaled / c.numerator)
            out.append(Diagnostic(.profitTargetBelowConsistencyReach,
                "the profit target `\(targetMoney.rulebookText)` is below the consistency rule's reach `\(reach.rulebookText)`",
                at: Label(target.valueSpan, "never decides the pass"),
                secondary: [Label(cons.valueSpan, "best day at most this share"), Label(win.valueSpan, "a winning day makes at least this")],
                notes: ["in template `\(t.name.value)` a best day of `\(amount.rulebookText)` at most `\(c)` of the profit needs `\(reach.rulebookText)` in total"],
                help: "raise `profit_target` to at least `\(reach.rulebookText)`, or lower the winning-day amount"))
        }
        return out
    }
}

