import RuleBase
import RuleJSON
import RuleEngine

extension StateFile {
    public static let evaluationKeys = ["status", "statusAt", "tradingDays", "tradedToday", "winningDays", "bestDay"]

    /// The `evaluation` object of a state: the counts of the closed trade dates, whether the
    /// date in progress has a fill, the best closed day, and the status (`passed` and `failed`
    /// need `statusAt`). Profit is counted from the template's starting balance.
    static func evaluation(_ v: JSONValue, at: Instant?, setup: EngineSetup) -> Result<EvaluationState, EventError> {
        func fail(_ m: String) -> Result<EvaluationState, EventError> { .failure(EventError(line: 1, column: 1, message: m)) }
        guard setup.graph.firm.objectives != nil else {
            return fail("`evaluation` is for a template with objectives; template `\(setup.graph.template)` has none")
        }
        guard let members = v.objectMembers else { return fail("`evaluation` must be an object") }
        for m in members where !evaluationKeys.contains(m.key) {
            let near = Suggestion.closest(to: m.key, among: evaluationKeys).map { "; did you mean `\($0)`?" } ?? ""
            return fail("unknown field `\(m.key)` in `evaluation`\(near)")
        }
        func count(_ k: String) -> Result<Int64, EventError> {
            guard let x = v[k] else { return .success(0) }
            guard let n = x.int64Value, n >= 0, n <= 100_000 else { return .failure(EventError(line: 1, column: 1, message: "`evaluation.\(k)` must be a whole number of days")) }
            return .success(n)
        }
        var e = EvaluationState(baseline: setup.graph.startingBalance ?? .zero)
        switch count("tradingDays") { case .success(let n): e.tradingDays = n; case .failure(let f): return .failure(f) }
        switch count("winningDays") { case .success(let n): e.winningDays = n; case .failure(let f): return .failure(f) }
        if let t = v["tradedToday"] {
            guard case let .bool(b) = t else { return fail("`evaluation.tradedToday` must be true or false") }
            e.tradedToday = b
        }
        if let b = v["bestDay"] {
            guard let m = b.moneyValue else { return fail("`evaluation.bestDay` must be money with at most 4 decimals") }
            e.bestDay = m
        }
        var statusAt: Instant?
        if let s = v["statusAt"] {
            guard let text = s.stringValue, let t = InstantText.parse(text) else { return fail("`evaluation.statusAt` must be an ISO-8601 instant with an offset") }
            statusAt = t
        }
        switch v["status"]?.stringValue ?? "in_progress" {
        case "in_progress": e.status = .inProgress
        case "passed":
            guard let t = statusAt ?? at else { return fail("`evaluation.status` passed needs `statusAt`") }
            e.status = .passed(at: t)
        case "failed":
            guard let t = statusAt ?? at else { return fail("`evaluation.status` failed needs `statusAt`") }
            guard let i = setup.graph.tests.firstIndex(where: { $0.op == .trailing }) else {
                return fail("`evaluation.status` failed: template `\(setup.graph.template)` has no trailing drawdown to have failed by")
            }
            e.status = .failed(test: Int32(i), at: t)
        default:
            return fail("`evaluation.status` must be \"in_progress\", \"passed\" or \"failed\"")
        }
        return .success(e)
    }
}

extension StepWriter {
    /// `evaluation: in_progress ...` and `scaling: tier ...` lines for `rulec eval`, or nothing.
    public func firmLines(_ n: Snapshot) -> String {
        var out = ""
        if let e = n.evaluation {
            let o = e.objectives
            var met: [String] = []
            for (name, v) in [("profit_target", o.profitTarget), ("min_trading_days", o.minTradingDays),
                              ("winning_days", o.winningDaysMet), ("consistency", o.consistency)] {
                if let v { met.append("\(name) \(v ? "met" : "not met")") }
            }
            var status = e.status.name
            switch e.status {
            case .inProgress: break
            case .passed(let at): status += " at \(local(at))"
            case .failed(let i, let at): status += " by \(setup.graph.testFields[Int(i)]) at \(local(at))"
            }
            out += "evaluation: \(status); profit \(o.totalProfit.formatted()), \(o.tradingDays) trading days, \(o.winningDays) winning days, best day \(o.bestDay.formatted()); "
                + met.joined(separator: ", ") + "\n"
        }
        if let k = n.scalingTier { out += "scaling: \(tierText(k)) in force\n" }
        return out
    }
}
