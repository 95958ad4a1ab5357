import RuleBase
import RuleSemantics
import RuleGraph
import RuleEngine

/// What the engine decided about an event's order.
enum OrderVerdict: Sendable, Hashable {
    /// The event was not an order.
    case none
    /// The order's quantity was out of range: not checked.
    case invalid
    case decided(OrderDecision)

    /// The pre-trade verdict among a step's items (`DecisionItem.order`).
    static func of(_ items: [DecisionItem]) -> OrderVerdict {
        for item in items {
            switch item {
            case let .order(_, decision): return .decided(decision)
            case .orderInvalid: return .invalid
            default: continue
            }
        }
        return .none
    }
}

extension GraphField {
    /// The template setting a graph test came from.
    var fieldKey: FieldKey {
        guard metric != .trailing,
              let tier = Tier(rawValue: Int(tier.rawValue)), let m = Metric(rawValue: Int(metric.rawValue)) else {
            return .trailingAmount
        }
        return .threshold(tier, m, percent: percent)
    }
}

/// Marks the coverage items an event exercised, step by step (clock boundaries included).
struct CoverageTracker {
    let graph: RuleGraph
    let zone: ZoneRules
    /// Which ends of the window each `on DATE` override moves.
    let overrides: [CivilDate: (start: Bool, stop: Bool)]
    var previous: Snapshot
    /// The local date the current time-period window started on.
    var windowDate: CivilDate?

    init(graph: RuleGraph, template: EffectiveTemplate, rulebook: RuleSemantics.CheckedRulebook, zone: ZoneRules, start: Snapshot) {
        self.graph = graph
        self.zone = zone
        var o: [CivilDate: (start: Bool, stop: Bool)] = [:]
        if let name = template.timePeriodName, let tp = rulebook.timePeriods[name] {
            for x in tp.overrides { o[x.date] = (x.start != nil, x.stop != nil) }
        }
        self.overrides = o
        self.previous = start
    }

    mutating func record(_ out: Outcome, engine: PostTradeEngine, categorySwitched: Bool, into table: inout CoverageTable) {
        func mark(_ key: String) { table.exercised.insert(key) }
        for step in out.steps {
            switch step.origin {
            case .timePeriodStart:
                let d = zone.localDate(at: step.at)
                windowDate = d
                mark(overrides[d]?.start == true ? CoverageKey.override(d) : CoverageKey.field(.timePeriod))
            case .timePeriodStop:
                if let d = windowDate, overrides[d]?.stop == true { mark(CoverageKey.override(d)) } else { mark(CoverageKey.field(.timePeriod)) }
                windowDate = nil
            case .flattenAt:
                mark(CoverageKey.field(.flattenAt))
            case .endOfDay, .sessionOpen, .weekStart:
                mark(CoverageKey.field(.calendar))
            case .event:
                break
            case .firm(.newsWindow):
                mark(CoverageKey.field(.firm(.newsWindows)))
            case .firm(.flatBy):
                mark(CoverageKey.field(.firm(.flatBy)))
            case .firm(.positionLoss):
                mark(CoverageKey.field(.firm(.maxPositionLoss)))
            }
            let s = step.snapshot
            if let trailing = graph.trailing {
                if s.highWaterMark > previous.highWaterMark {
                    let isEOD: Bool
                    if case .endOfDay = step.origin { isEOD = true } else { isEOD = false }
                    if isEOD == (trailing.mode == .endOfDay) { mark(CoverageKey.field(.trailingMode)) }
                }
                if let cap = trailing.cap, s.highWaterMark - trailing.amount > cap { mark(CoverageKey.field(.trailingCap)) }
            }
            if !graph.firm.isEmpty { markFirm(out.items(of: step), s, previous, &table) }
            previous = s
            let items = Array(out.items(of: step))
            for item in items {
                guard case let .breach(b) = item, Int(b.test) < graph.testFields.count else { continue }
                mark(CoverageKey.field(graph.testFields[Int(b.test)].fieldKey))
                if b.release == .manual { mark(CoverageKey.field(.doNotUnlock)) }
            }
            // Pre-trade rules count while the template's own category is in force.
            guard case let .decided(decision) = OrderVerdict.of(items), !categorySwitched else { continue }
            mark(CoverageKey.field(.riskCategory))
            guard case let .rejected(r) = decision else { continue }
            switch r.reason {
            case let .positionLimit(product, side, _, _):
                mark(CoverageKey.limit(symbol(product)))
                mark(CoverageKey.limit(symbol(product), side: side.description))
            case let .restrictedProduct(product):
                mark(CoverageKey.restrict(symbol(product)))
            case let .groupLimit(group, _, _, _):
                if let c = graph.riskCategory, Int(group) < c.groups.count { mark(CoverageKey.group(c.groups[Int(group)].name)) }
            case .riskTimePeriod:
                mark(CoverageKey.field(.timePeriod))
            default:
                break
            }
        }
    }

    func symbol(_ i: Int32) -> String { i >= 0 && Int(i) < graph.products.count ? graph.products[Int(i)].symbol : "?" }
}
