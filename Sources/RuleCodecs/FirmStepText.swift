import RuleBase
import RuleJSON
import RuleGraph
import RuleEngine

// How steps show the firm's rules (README "Firm rules"): the evaluation and the scaling tier in
// each snapshot, the evaluation's pass or failure, a scaling tier change, the closing of some
// products by a news window, a flat-by time or the open-loss limit. Written only for templates
// that have those rules, so every other template's output keeps its bytes.

extension StepWriter {
    /// The rulebook line behind a firm flatten.
    func firmSpan(_ f: FirmFlatten) -> Span? {
        let firm = setup.graph.firm
        switch f {
        case .newsWindow(let k): return firm.newsWindows.flatMap { Int(k) < $0.events.count ? $0.events[Int(k)].span : nil }
        case .flatBy(let k): return Int(k) < firm.flatBy.count ? firm.flatBy[Int(k)].span : nil
        case .positionLoss: return firm.maxPositionLoss?.span
        }
    }

    /// `news window of 2026-12-09T13:00-06:00`, `flat_by CL 13:25`, `max_position_loss ES`.
    func firmText(_ f: FirmFlatten) -> String {
        let firm = setup.graph.firm
        switch f {
        case .newsWindow(let k):
            return "news window of " + (firm.newsWindows.flatMap { Int(k) < $0.events.count ? $0.events[Int(k)].at.description : nil } ?? "?")
        case .flatBy(let k):
            guard Int(k) < firm.flatBy.count else { return "flat_by" }
            return "flat_by \(setup.symbol(firm.flatBy[Int(k)].product)) \(firm.flatBy[Int(k)].time)"
        case .positionLoss(let p):
            return "max_position_loss \(setup.symbol(p))"
        }
    }

    /// The tier as a trader reads it: `tier 2 (above 1,500.00 USD: 3 contracts)`.
    func tierText(_ k: Int32) -> String {
        guard let p = setup.graph.firm.scalingPlan, Int(k) < p.tiers.count else { return "tier \(k + 1)" }
        let t = p.tiers[Int(k)]
        return "tier \(k + 1) (" + (t.above.map { "above \($0.formatted()) USD: " } ?? "") + "\(t.contracts) contract\(t.contracts == 1 ? "" : "s"))"
    }

    /// `,"evaluation":{...}` and `,"scaling":{...}` after the snapshot's members.
    func firmSnapshot(_ n: Snapshot, _ s: ByteSink) {
        if let e = n.evaluation {
            s.raw(",\"evaluation\":{\"status\":\"")
            s.text(e.status.name)
            s.byte(0x22)
            switch e.status {
            case .inProgress: break
            case .passed(let at):
                s.raw(",\"at\":\"")
                s.instant(at)
                s.byte(0x22)
            case .failed(let i, let at):
                s.raw(",\"rule\":")
                s.append(quotedTestNames[Int(i)])
                s.raw(",\"at\":\"")
                s.instant(at)
                s.byte(0x22)
            }
            let o = e.objectives
            s.raw(",\"tradingDays\":")
            s.int(o.tradingDays)
            s.raw(",\"winningDays\":")
            s.int(o.winningDays)
            s.raw(",\"bestDay\":")
            s.money(o.bestDay)
            s.raw(",\"totalProfit\":")
            s.money(o.totalProfit)
            s.raw(",\"met\":{")
            var first = true
            for (name, v) in [("profit_target", o.profitTarget), ("min_trading_days", o.minTradingDays),
                              ("winning_days", o.winningDaysMet), ("consistency", o.consistency)] {
                guard let v else { continue }
                if !first { s.byte(UInt8(ascii: ",")) }
                first = false
                s.quoted(name)
                s.raw(v ? ":true" : ":false")
            }
            s.raw("}}")
        }
        if let k = n.scalingTier, let p = setup.graph.firm.scalingPlan, Int(k) < p.tiers.count {
            s.raw(",\"scaling\":{\"tier\":")
            s.int(Int64(k) + 1)
            s.raw(",\"contracts\":")
            s.int(p.tiers[Int(k)].contracts)
            s.byte(UInt8(ascii: "}"))
        }
    }

    /// The firm's part of the text snapshot line: `  evaluation in_progress (2 trading days)  scaling tier 1 (2 contracts)`.
    func firmSnapshotText(_ n: Snapshot) -> String {
        var t = ""
        if let e = n.evaluation {
            t += "  evaluation \(e.status.name)  trading days \(e.objectives.tradingDays)"
            if setup.graph.firm.objectives?.winningDays != nil { t += "  winning days \(e.objectives.winningDays)" }
            t += "  profit \(e.objectives.totalProfit.formatted())"
        }
        if let k = n.scalingTier { t += "  scaling " + tierText(k) }
        return t
    }

    /// JSON of the firm's decision items; false when `item` is not one.
    func firmDecision(_ item: DecisionItem, _ s: ByteSink) {
        switch item {
        case .evaluation(let st):
            s.raw("{\"type\":\"evaluation\",\"status\":\"")
            s.text(st.name)
            s.byte(0x22)
            if case .failed(let i, _) = st {
                s.raw(",\"rule\":")
                s.append(quotedTestNames[Int(i)])
                if locations {
                    s.raw(",\"source\":")
                    s.quoted(setup.source(ofTest: i))
                }
            }
            s.byte(UInt8(ascii: "}"))
        case .scalingTier(let from, let to):
            s.raw("{\"type\":\"scaling_tier\",\"from\":")
            s.int(Int64(from) + 1)
            s.raw(",\"to\":")
            s.int(Int64(to) + 1)
            if let p = setup.graph.firm.scalingPlan, Int(to) < p.tiers.count {
                s.raw(",\"contracts\":")
                s.int(p.tiers[Int(to)].contracts)
                if locations {
                    s.raw(",\"source\":")
                    s.quoted(setup.locate(p.tiers[Int(to)].span))
                }
            }
            s.byte(UInt8(ascii: "}"))
        case .payout(let d):
            s.raw("{\"type\":\"payout\",\"amount\":")
            s.money(d.amount)
            s.raw(d.paid ? ",\"paid\":true" : ",\"paid\":false")
            if let b = d.bestDay, let p = d.profit {
                s.raw(",\"bestDay\":")
                s.money(b)
                s.raw(",\"profit\":")
                s.money(p)
                if locations, let span = setup.graph.firm.payoutConsistencySpan {
                    s.raw(",\"source\":")
                    s.quoted(setup.locate(span))
                }
            }
            s.byte(UInt8(ascii: "}"))
        default:
            break
        }
    }

    func firmItemText(_ item: DecisionItem) -> String {
        switch item {
        case .evaluation(let st):
            switch st {
            case .inProgress: return "EVALUATION in progress"
            case .passed(let at): return "EVALUATION PASSED at \(local(at)): every objective holds"
            case .failed(let i, _): return "EVALUATION FAILED by \(setup.graph.testFields[Int(i)])  [\(setup.source(ofTest: i))]"
            }
        case .scalingTier(let from, let to):
            let line = setup.graph.firm.scalingPlan.flatMap { Int(to) < $0.tiers.count ? $0.tiers[Int(to)].span : nil }
            return "SCALING \(tierText(from)) -> \(tierText(to)) in force from this session" + (line.map { "  [\(setup.locate($0))]" } ?? "")
        case .payout(let d):
            let line = setup.graph.firm.payoutConsistencySpan.map { "  [\(setup.locate($0))]" } ?? ""
            let why = d.bestDay.map { b in ": best day \(b.formatted()) of \((d.profit ?? .zero).formatted()) profit since the last payout" } ?? ""
            return (d.paid ? "PAYOUT \(d.amount.formatted()) paid" : "PAYOUT \(d.amount.formatted()) REFUSED") + why + (d.bestDay == nil ? "" : line)
        default:
            return ""
        }
    }
}
