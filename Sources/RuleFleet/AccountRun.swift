import RuleBase
import RuleGraph
import RuleEngine
import RuleCodecs

/// Sees every step of one account as it is made (the HTML report's charts). Called on the
/// worker thread that owns the account, one step at a time, in order.
public protocol StepObserver: AnyObject {
    func observe(_ step: Step, _ items: ArraySlice<DecisionItem>, event: Event?)
}

/// One account's replay: its engine (made at its first event, or from its state), the instant of
/// its last event, and the counters its summary is made of.
struct AccountRun {
    let account: Int
    let template: Int
    var engine: PostTradeEngine?
    /// `engine` is set (tested without copying the engine).
    var started = false
    /// The starting state until the engine is made, boxed: a replay touches an account's run on
    /// every event, so the run keeps its hot fields together and small.
    var state: Box<StateFile>?
    var last: Instant?
    var summary: AccountSummary
    /// Breaches by test index of the template's graph.
    var breachesByTest: [Int]
    /// The account left its template's risk category (messages must name the new one).
    var switched = false
    /// Times the account went into locked mode (counterfactual review counts them).
    var lockings = 0
    var observer: (any StepObserver)?

    init(account: Int, template: Int, setup: EngineSetup, id: String, state: StateFile?, observer: (any StepObserver)?) {
        self.account = account
        self.template = template
        self.state = state.map(Box.init)
        self.last = state?.at
        self.observer = observer
        let start = state?.account.balance ?? setup.graph.startingBalance ?? .zero
        var s = AccountSummary(account: id, template: setup.graph.template)
        s.startBalance = start
        s.finalBalance = start
        s.finalNetLiq = state?.account.netLiq ?? start
        s.lowestNetLiq = s.finalNetLiq
        s.working = state?.workingOrders.count ?? 0
        self.summary = s
        self.breachesByTest = Array(repeating: 0, count: setup.graph.tests.count)
    }

    /// The engine for an account's first event at `at` (it starts at the state's instant, if any).
    mutating func makeEngine(at: Instant, program: EngineProgram) -> PostTradeEngine {
        let state = self.state?.value
        let start = state?.at ?? at
        let account = state?.account ?? AccountState(productCount: program.graph.products.count,
                                                      balance: program.graph.startingBalance ?? .zero)
        let e = PostTradeEngine(program: program, account: account, at: start, workingOrders: state?.workingOrders ?? [],
                                evaluation: state?.evaluation)
        self.state = nil
        return e
    }

    /// A bad line when an event at `at` comes before the account's previous one.
    func outOfOrder(_ at: Instant, line: Int) -> ReplayProblem? {
        guard let last, at < last else { return nil }
        return ReplayProblem(line: line, column: 1, message:
            "event at \(at) is earlier than account `\(summary.account)`'s previous event or state (\(last)); each account's events must be in time order")
    }

    /// Applies `event` (the engine made at the account's first event, then mutated in place:
    /// copying it out would retain every array it holds); `out` holds the steps.
    mutating func apply(_ event: Event, program: EngineProgram, into out: inout Outcome) -> LifecycleError? {
        if !started {
            engine = makeEngine(at: event.at, program: program)
            started = true
        }
        last = event.at
        out.removeAll()
        return engine!.apply(event, into: &out)
    }

    /// Counts what a step decided.
    @inline(__always)
    mutating func count(_ step: Step, _ items: ArraySlice<DecisionItem>) {
        if step.snapshot.netLiq < summary.lowestNetLiq { summary.lowestNetLiq = step.snapshot.netLiq }
        for item in items {
            switch item {
            case .breach(let b): breachesByTest[Int(b.test)] += 1
            case .flatten(let c):
                switch c {
                case .autoLiquidate, .admin: summary.liquidations += 1
                case .flattenAt, .timePeriod, .firm(.newsWindow), .firm(.flatBy): summary.scheduledFlattens += 1
                case .firm(.positionLoss): summary.liquidations += 1
                }
            case .cancelled(let c): if c.cause != .request { summary.cancels += 1 }
            case .order(_, let d): if d.isAccepted { summary.ordersAccepted += 1 } else { summary.ordersRejected += 1 }
            case .categorySwitched: switched = true
            case .modeChanged(_, let to): if to == .locked { lockings += 1 }
            default: break
            }
        }
    }

    /// The summary as the account stands at the end of the history.
    func finished(_ setup: EngineSetup) -> AccountSummary {
        var s = summary
        for (i, n) in breachesByTest.enumerated() where n > 0 {
            s.breaches.append(RuleCount(rule: setup.graph.testFields[i].description, count: n))
        }
        guard let e = engine else { return s }
        let snap = e.snapshot
        s.finalMode = snap.mode
        if let g = snap.governing {
            switch g.origin {
            case .test(let i): s.cause = setup.graph.testFields[Int(i)].description
            case .admin(let k): s.cause = "admin \(k)"
            }
            s.releaseAt = g.releaseAt
        }
        s.finalBalance = snap.balance
        s.finalNetLiq = snap.netLiq
        s.realized = e.account.realizedTotal
        s.fees = e.account.commissionTotal
        s.cash = e.account.cashTotal
        s.trailingLevel = snap.trailingLevel
        s.working = e.book.count
        if let ev = snap.evaluation {
            s.evaluation = ev.status.name
            switch ev.status {
            case .inProgress: break
            case .passed(let at), .failed(_, let at): s.evaluationAt = at
            }
        }
        return s
    }
}

/// A value behind a reference.
final class Box<Value> {
    let value: Value
    init(_ value: Value) { self.value = value }
}
