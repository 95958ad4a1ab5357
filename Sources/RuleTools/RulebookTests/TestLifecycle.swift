import RuleBase
import RuleSemantics
import RuleEngine

// The order lifecycle in rulebook tests: working orders, cancels and the engine's refusals, read
// from the engine's book and items and written the way a test says them (`working o1 remaining 1`,
// `cancelled o1 auto_liquidate`, `refused unknown_order`).

extension TestOrderType {
    /// The engine's order type.
    var engine: OrderType {
        switch self {
        case .market: return .market
        case .limit: return .limit
        case .stop: return .stop
        }
    }
}

extension TestExpectation {
    /// Whether the block expects the event to be refused (whatever the reason).
    var expectsRefusal: Bool {
        assertions.contains { if case .refused = $0.value { return true } else { return false } }
    }
}

extension LifecycleError {
    /// The stable code a test writes after `refused`.
    public var testRefusal: TestRefusal {
        switch self {
        case .duplicateOrder: return .duplicateOrder
        case .missingID: return .missingID
        case .missingPrice: return .missingPrice
        case .unknownOrder: return .unknownOrder
        case .alreadyFilled: return .alreadyFilled
        case .alreadyCancelled: return .alreadyCancelled
        case .overfill: return .overfill
        case .fillMismatch: return .fillMismatch
        }
    }
}

extension CancelCause {
    /// The cause as `cancelled o1 CAUSE` names it.
    var testCause: TestCancelCause {
        switch self {
        case .request: return .request
        case .autoLiquidate: return .autoLiquidate
        case .admin: return .admin
        case .flattenAt: return .flattenAt
        case .timePeriod: return .timePeriod
        case .categorySwitch: return .categorySwitch
        case .firm(.newsWindow): return .newsWindow
        case .firm(.flatBy): return .flatBy
        case .firm(.positionLoss): return .positionLoss
        }
    }
}

extension ExpectationChecker {
    /// What did not hold of a lifecycle expectation, in the test's words; nil when it held.
    func lifecycleMismatch(_ a: TestAssertion, engine: PostTradeEngine, items: [DecisionItem], refusal: LifecycleError?) -> String? {
        let book = engine.book
        let cancels = items.compactMap { if case let .cancelled(c) = $0 { return c } else { return nil } }
        switch a {
        case let .working(id, remaining):
            guard let w = book.working(id) else { return notWorkingText(id, book) }
            return remaining == nil || remaining == w.remaining ? nil : workingText(w)
        case let .notWorking(id):
            return book.working(id).map(workingText)
        case let .workingCount(n):
            return Int64(book.count) == n ? nil : bookText(book)
        case let .cancelled(id, cause):
            let hit = cancels.contains { c in c.order.id == id && (cause == nil || cause == c.cause.testCause) }
            return hit ? nil : cancelsText(cancels)
        case let .notCancelled(id):
            let hit = cancels.contains { c in id == nil || id == c.order.id }
            return hit ? cancelsText(cancels) : nil
        case let .refused(wanted):
            guard let r = refusal else { return "not refused: the event applied" }
            return wanted == nil || wanted == r.testRefusal ? nil : refusalText(r)
        default:
            return nil
        }
    }

    /// `working o1 remaining 2`.
    func workingText(_ w: WorkingOrder) -> String { "working \(w.id) remaining \(w.remaining)" }

    /// `working 2 (o1, o2)`, or `no working`.
    func bookText(_ book: OrderBook) -> String {
        book.isEmpty ? "no working" : "working \(book.count) (\(book.orders.map(\.id).joined(separator: ", ")))"
    }

    /// `no working o1 (filled)`: how the order ended, when the book still remembers it.
    func notWorkingText(_ id: String, _ book: OrderBook) -> String {
        guard let e = book.ending(of: id) else { return "no working \(id)" }
        let how: String = switch e.ending {
        case .filled: "filled"
        case let .cancelled(c): "cancelled \(c.testCause.rawValue)"
        case let .rejected(k): "rejected \(k.code)"
        }
        return "no working \(id) (\(how))"
    }

    /// `cancelled o1 auto_liquidate, cancelled o2 auto_liquidate`, or `no cancelled`.
    func cancelsText(_ cs: [Cancellation]) -> String {
        cs.isEmpty ? "no cancelled" : cs.map { "cancelled \($0.order.id) \($0.cause.testCause.rawValue)" }.joined(separator: ", ")
    }

    /// `refused unknown_order: no order `o9` on this account`.
    func refusalText(_ e: LifecycleError) -> String {
        let why: String
        switch e {
        case let .duplicateOrder(id, at): why = "order `\(id)` is already working (placed \(TestRun.format(at, zone)))"
        case let .unknownOrder(id): why = "no order `\(id)` on this account"
        case let .alreadyFilled(id, at): why = "order `\(id)` was filled completely at \(TestRun.format(at, zone))"
        case let .alreadyCancelled(id, at): why = "order `\(id)` was already cancelled at \(TestRun.format(at, zone))"
        case let .overfill(id, remaining, quantity): why = "a fill of \(quantity) for order `\(id)`, which has \(remaining) open"
        case let .fillMismatch(id, o): why = "order `\(id)` is \(o.side) \(o.remaining) \(symbol(o.product))"
        case .missingID, .missingPrice: why = e.description
        }
        return "refused \(e.testRefusal.rawValue): \(why)"
    }
}
