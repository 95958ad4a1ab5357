import RuleBase
import RuleEngine

// What a rulebook change would have done to each account of a fleet on its real history
// (`rulec diff OLD NEW --replay HISTORY --accounts ACCOUNTS`, issue 11): the model of the result.
// The replay that fills it is `CounterfactualReplay`; the reports are in Reports/.

/// How one account ended under one of the two rulebooks.
public struct SideOutcome: Sendable, Hashable {
    /// The replay summary of the account under this rulebook (mode, cause, liquidations, orders,
    /// realized P&L, fees, lowest net liquidation).
    public var summary: AccountSummary
    /// Times the account went into locked mode.
    public var lockings: Int
    /// Lines this rulebook could not apply although the other could (a fill for an order only
    /// the other rulebook left working, beyond the ended orders the engine remembers).
    public var inapplicable: Int

}

/// The first input line whose decisions differ between the two rulebooks.
public struct Divergence: Sendable, Hashable {
    public var line: Int
    /// The instant of the first step that differs (a clock boundary the line crossed, or the event).
    public var at: Instant
    /// `at` in the calendar's zone of the old template, as ISO-8601 with its offset.
    public var localTime: String
    /// What the line was (`fill ES buy 2 @ 5990.25`), in the old rulebook's words.
    public var event: String
    /// The decisions of the line that only one side made, one text each (empty: nothing).
    public var old: [String]
    public var new: [String]
    /// Decisions of the line that both sides made.
    public var same: Int
}

/// One account under both rulebooks.
public struct AccountComparison: Sendable, Hashable {
    public var account: String
    public var template: String
    public var old: SideOutcome
    public var new: SideOutcome
    /// The first line where the decisions differ; nil when they never do.
    public var divergence: Divergence?
    /// Lines whose decisions differ.
    public var changedLines: Int
    /// Orders the old rulebook accepted and the new one rejects, and the reverse.
    public var newlyRejected: Int
    public var newlyAccepted: Int

    public var diverged: Bool { divergence != nil }
    public var realizedDelta: Money { new.summary.realized - old.summary.realized }
    public var feesDelta: Money { new.summary.fees - old.summary.fees }
    public var lowestNetLiqDelta: Money { new.summary.lowestNetLiq - old.summary.lowestNetLiq }

    /// An evaluation account whose final status differs (`in_progress`, `passed`, `failed`).
    public var evaluationChanged: Bool { old.summary.evaluation != new.summary.evaluation }

    /// The new rulebook liquidates the account more often (+1), less often (−1), or as often.
    public var liquidationChange: Int { (new.summary.liquidations - old.summary.liquidations).signum() }
    /// The new rulebook locks the account more often (+1), less often (−1), or as often.
    public var lockChange: Int { (new.lockings - old.lockings).signum() }

    /// How much the change did to this account, for ordering a review: a liquidation or a lock
    /// gained or lost first, then the size of the P&L difference, then the changed lines.
    public var consequence: (Int, Int64, Int) {
        var rank = 0
        if evaluationChanged { rank += 4 }
        if liquidationChange != 0 { rank += 2 }
        if lockChange != 0 { rank += 1 }
        let d = realizedDelta.units
        return (rank, d == .min ? .max : abs(d), changedLines)
    }
}

/// The counts a reviewer reads first.
public struct CounterfactualTotals: Sendable, Hashable {
    public var accounts = 0
    public var diverged = 0
    /// Accounts the new rulebook liquidates more often than the old one (most: from never to
    /// once), and less often.
    public var newlyLiquidated = 0
    public var noLongerLiquidated = 0
    /// Accounts the new rulebook locks more often, and less often.
    public var newlyLocked = 0
    public var noLongerLocked = 0
    public var ordersNewlyRejected = 0
    public var ordersNewlyAccepted = 0
    /// Evaluation accounts whose final status differs (passed instead of in progress, failed
    /// instead of passed, ...).
    public var evaluationsChanged = 0
    /// Input lines whose decisions differ.
    public var changedLines = 0
    public var realizedDelta: Money = .zero
    public var feesDelta: Money = .zero

    public init(_ accounts: [AccountComparison]) {
        self.accounts = accounts.count
        for a in accounts {
            if a.diverged { diverged += 1 }
            let (lo, ln) = (a.old.summary.liquidations, a.new.summary.liquidations)
            if ln > lo { newlyLiquidated += 1 } else if ln < lo { noLongerLiquidated += 1 }
            let (ko, kn) = (a.old.lockings, a.new.lockings)
            if kn > ko { newlyLocked += 1 } else if kn < ko { noLongerLocked += 1 }
            if a.evaluationChanged { evaluationsChanged += 1 }
            ordersNewlyRejected += a.newlyRejected
            ordersNewlyAccepted += a.newlyAccepted
            changedLines += a.changedLines
            realizedDelta = realizedDelta + a.realizedDelta
            feesDelta = feesDelta + a.feesDelta
        }
    }
}

public struct CounterfactualResult: Sendable {
    /// Every account of the shard, sorted by id (byte order of the UTF-8 id).
    public var accounts: [AccountComparison]
    public var totals: CounterfactualTotals
    /// Lines bad under both rulebooks and skipped (with `skipBad`), in line order.
    public var skipped: [ReplayProblem]
    /// The bad line the run stopped at (without `skipBad`).
    public var stopped: ReplayProblem?
    public var lines: Int

    /// The diverged accounts, most consequential first, then by id.
    public var byConsequence: [AccountComparison] {
        accounts.filter(\.diverged).sorted { a, b in
            let x = a.consequence, y = b.consequence
            if x != y { return x > y }
            return a.account.utf8.lexicographicallyPrecedes(b.account.utf8)
        }
    }
}
