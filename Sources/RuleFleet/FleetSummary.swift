import RuleBase
import RuleEngine

/// What one account's replay came to: the numbers a risk desk scans in a table.
public struct AccountSummary: Sendable, Hashable {
    public var account: String
    public var template: String
    /// Events applied (malformed or refused lines not counted).
    public var events: Int = 0
    public var finalMode: AccountModeKind = .normal
    /// The cause holding the final mode (`auto_liquidate.daily_loss (USD)`, `admin …`); nil in normal mode.
    public var cause: String?
    /// When the final restriction ends, as ISO-8601 UTC; nil when manual, permanent or normal.
    public var releaseAt: Instant?
    /// Breaches by rule name, in the graph's decision order of first appearance.
    public var breaches: [RuleCount] = []
    /// Auto-liquidations and admin liquidations (flattens by the post-trade rules or the desk).
    public var liquidations: Int = 0
    /// Scheduled flattens (`flatten_at`, the time period's start) that closed a position or cancelled an order.
    public var scheduledFlattens: Int = 0
    /// Working orders cancelled, by the rules and on request.
    public var cancels: Int = 0
    public var ordersAccepted: Int = 0
    public var ordersRejected: Int = 0
    public var startBalance: Money = .zero
    public var finalBalance: Money = .zero
    public var finalNetLiq: Money = .zero
    public var realized: Money = .zero
    public var fees: Money = .zero
    public var cash: Money = .zero
    public var lowestNetLiq: Money = .zero
    /// The trailing drawdown level at the end; nil when the template has none.
    public var trailingLevel: Money?
    /// Working orders at the end.
    public var working: Int = 0
    /// The evaluation status at the end (`in_progress`, `passed`, `failed`); nil without objectives.
    public var evaluation: String?
    /// When it passed or failed.
    public var evaluationAt: Instant?

    public init(account: String, template: String) {
        self.account = account
        self.template = template
    }

    public var breachCount: Int { breaches.reduce(0) { $0 + $1.count } }

    /// How much happened, for ordering accounts in reports: locked, then liquidate-only, then by
    /// liquidations, breaches and the lowest net liquidation against the start.
    public var severity: (Int, Int, Int, Int64) {
        (Int(finalMode.rawValue), liquidations, breachCount, startBalance.units - lowestNetLiq.units)
    }
}

public struct RuleCount: Sendable, Hashable {
    public var rule: String
    public var count: Int
    public init(rule: String, count: Int) {
        self.rule = rule
        self.count = count
    }
}

/// Totals over the fleet, recomputed from the account summaries (so a merge of shards computes
/// the same totals as the unsharded run).
public struct FleetTotals: Sendable, Hashable {
    public struct TemplateCount: Sendable, Hashable {
        public var template: String
        public var accounts: Int
        public var normal: Int
        public var liquidateOnly: Int
        public var locked: Int
        public var liquidated: Int
    }

    public var accounts = 0
    public var events = 0
    public var normal = 0, liquidateOnly = 0, locked = 0
    public var accountsLiquidated = 0
    public var liquidations = 0
    public var scheduledFlattens = 0
    public var cancels = 0
    public var breaches = 0
    public var ordersAccepted = 0, ordersRejected = 0
    public var realized = Money.zero, fees = Money.zero, cash = Money.zero
    /// Breaches by rule over the fleet, sorted by rule name.
    public var breachesByRule: [RuleCount] = []
    /// Accounts by template, sorted by template name.
    public var templates: [TemplateCount] = []
    /// Evaluation statuses at the end (EvaluationCounts.swift).
    public var evaluations: EvaluationCounts

    public init(_ summaries: [AccountSummary]) {
        evaluations = EvaluationCounts(summaries)
        var byRule: [String: Int] = [:]
        var byTemplate: [String: TemplateCount] = [:]
        for s in summaries {
            accounts += 1
            events += s.events
            switch s.finalMode {
            case .normal: normal += 1
            case .liquidateOnly: liquidateOnly += 1
            case .locked: locked += 1
            }
            if s.liquidations > 0 { accountsLiquidated += 1 }
            liquidations += s.liquidations
            scheduledFlattens += s.scheduledFlattens
            cancels += s.cancels
            breaches += s.breachCount
            ordersAccepted += s.ordersAccepted
            ordersRejected += s.ordersRejected
            realized = realized + s.realized
            fees = fees + s.fees
            cash = cash + s.cash
            for b in s.breaches { byRule[b.rule, default: 0] += b.count }
            var t = byTemplate[s.template] ?? TemplateCount(template: s.template, accounts: 0, normal: 0, liquidateOnly: 0, locked: 0, liquidated: 0)
            t.accounts += 1
            switch s.finalMode {
            case .normal: t.normal += 1
            case .liquidateOnly: t.liquidateOnly += 1
            case .locked: t.locked += 1
            }
            if s.liquidations > 0 { t.liquidated += 1 }
            byTemplate[s.template] = t
        }
        breachesByRule = byRule.map { RuleCount(rule: $0.key, count: $0.value) }.sorted { $0.rule < $1.rule }
        templates = byTemplate.values.sorted { $0.template < $1.template }
    }
}
