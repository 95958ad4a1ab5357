import RuleBase
import RuleSyntax

/// An expectation about the evaluation (README "Rulebook tests", issue 13): its status, an
/// objective met so far (or not), or the trading / winning days counted so far.
public enum TestEvaluationAssertion: Sendable, Hashable {
    case status(TestEvaluationStatus)
    case met(TestObjective, Bool)
    case tradingDays(Int64)
    case winningDays(Int64)
    /// `payout accepted` / `payout rejected` after a payout event.
    case payout(accepted: Bool)
}

public enum TestEvaluationStatus: String, Sendable, Hashable, CaseIterable {
    case inProgress = "in_progress", passed, failed
}

public enum TestObjective: String, Sendable, Hashable, CaseIterable {
    case profitTarget = "profit_target", minTradingDays = "min_trading_days", winningDays = "winning_days", consistency

    var key: FirmKey {
        switch self {
        case .profitTarget: return .profitTarget
        case .minTradingDays: return .minTradingDays
        case .winningDays: return .winningDays
        case .consistency: return .consistency
        }
    }
}

extension CheckerState {
    /// `status passed`, `met consistency`, `no met profit_target` (`negated`), `trading_days 3`,
    /// `winning_days 2`; nil (reported) when it does not check.
    mutating func evaluationAssertion(_ tree: SyntaxTree, _ s: Item, negated: Bool, _ template: EffectiveTemplate?) -> TestAssertion? {
        let kw = tree[s.name].keyword
        let setting = tree.settingName(s)
        if kw == .payout {
            guard let v = values(tree, s, [.oneOf(.accepted, .rejected)], setting: setting,
                                 help: "write `payout accepted` or `payout rejected`") else { return nil }
            return .evaluation(.payout(accepted: tree[v[0]].keyword == .accepted))
        }
        if let t = template, !t.isEvaluation {
            report(.testUnknownRule, "template `\(t.name.value)` has no objectives, so it is not an evaluation",
                   at: tree.span(s.name), label: "no evaluation status", help: "add an `objectives { ... }` block to the template, or remove this expectation")
            return nil
        }
        switch kw {
        case .status:
            guard let v = values(tree, s, [.anyOf([.inProgress, .passed, .failed])], setting: setting,
                                 help: "write `status in_progress`, `status passed` or `status failed`") else { return nil }
            let st: TestEvaluationStatus = tree[v[0]].keyword == .passed ? .passed : tree[v[0]].keyword == .failed ? .failed : .inProgress
            return .evaluation(.status(st))
        case .met:
            guard let v = values(tree, s, [.anyOf([.profitTarget, .minTradingDays, .winningDays, .consistency])], setting: setting,
                                 help: "write `met profit_target` or `no met consistency`"),
                  let o = TestObjective(rawValue: tree[v[0]].keyword.text) else { return nil }
            if let t = template, t.firm(o.key) == nil {
                report(.testUnknownRule, "template `\(t.name.value)` has no `\(o.rawValue)` objective", at: tree.span(v[0]),
                       label: "not an objective of this template", help: "remove this expectation")
                return nil
            }
            return .evaluation(.met(o, !negated))
        case .tradingDays, .winningDays:
            guard let v = values(tree, s, [.number], setting: setting, help: "write `\(setting) 3`") else { return nil }
            let t = tree[v[0]]
            guard t.scale == 0 else {
                report(.wrongType, "`\(setting)` is a whole number of days, found `\(tree.text(v[0]))`", at: tree.span(v[0]))
                return nil
            }
            return .evaluation(kw == .tradingDays ? .tradingDays(t.payload) : .winningDays(t.payload))
        default:
            return nil
        }
    }
}
