import RuleBase
import RuleGraph

/// One reason the account is restricted (domain.md §2.2): who set it, what it restricts to,
/// and how it ends.
public struct Cause: Sendable, Hashable {
    public enum Origin: Sendable, Hashable {
        /// A threshold test of the rule graph, by index in `RuleGraph.tests`.
        case test(Int32)
        /// An admin action (`setAdminAutoLiqAction`).
        case admin(AdminAction.Kind)

        public var isAdmin: Bool { if case .admin = self { true } else { false } }
    }

    public var origin: Origin
    /// `.liquidateOnly` or `.locked`.
    public var mode: AccountModeKind
    public var release: UnlockRule
    /// For clock releases (next session open, next week start): the instant it ends.
    public var releaseAt: Instant?
    public var since: Instant

    public init(origin: Origin, mode: AccountModeKind, release: UnlockRule, releaseAt: Instant?, since: Instant) {
        self.origin = origin
        self.mode = mode
        self.release = release
        self.releaseAt = releaseAt
        self.since = since
    }

    /// How late this cause ends, for R-12's "latest release": state-based < a clock instant <
    /// manual < permanent.
    @usableFromInline var releaseRank: (Int, Int64) {
        switch release {
        case .none, .stateBased: return (0, 0)
        case .nextSessionOpen, .nextWeekStart: return (1, releaseAt?.millis ?? 0)
        case .manual: return (2, 0)
        case .permanent: return (3, 0)
        }
    }
}

/// The set of active causes and the mode they add up to: the strongest mode wins, and it lasts
/// until the latest release among the causes of that mode, manual and permanent dominating any
/// clock time. An admin `Normal` clears them all.
public struct Restrictions: Sendable, Hashable {
    public private(set) var causes: ContiguousArray<Cause>
    public private(set) var mode: AccountModeKind = .normal
    /// When the current mode began.
    public private(set) var since: Instant?
    /// Bits of the tests with an active state-based cause (margin liquidate-only, R-9).
    public private(set) var stateBasedMask: UInt64 = 0

    public init() {
        causes = []
        causes.reserveCapacity(72)
    }

    public var isEmpty: Bool { causes.isEmpty }

    /// The cause that holds the current mode longest (nil in normal mode).
    public var governing: Cause? {
        var best: Cause?
        for c in causes where c.mode == mode {
            if let b = best, !(c.releaseRank > b.releaseRank) { continue }
            best = c
        }
        return best
    }

    /// Adds a cause; an identical origin already active keeps its original (idempotent, R-23).
    /// Returns whether it was added.
    @discardableResult
    public mutating func add(_ cause: Cause) -> Bool {
        if causes.contains(where: { $0.mode == cause.mode && ($0.origin == cause.origin || ($0.origin.isAdmin && cause.origin.isAdmin)) }) {
            return false
        }
        causes.append(cause)
        if cause.release == .stateBased, case .test(let i) = cause.origin, i < 64 { stateBasedMask |= 1 << UInt64(i) }
        recompute(at: cause.since)
        return true
    }

    /// Removes the causes for which `predicate` holds, appending each to `released`.
    public mutating func remove(at instant: Instant, where predicate: (Cause) -> Bool, released: (Cause) -> Void) {
        var i = 0
        var changed = false
        while i < causes.count {
            if predicate(causes[i]) {
                let c = causes.remove(at: i)
                if c.release == .stateBased, case .test(let t) = c.origin, t < 64 { stateBasedMask &= ~(1 << UInt64(t)) }
                released(c)
                changed = true
            } else {
                i += 1
            }
        }
        if changed { recompute(at: instant) }
    }

    mutating func recompute(at instant: Instant) {
        var m = AccountModeKind.normal
        for c in causes where c.mode > m { m = c.mode }
        if m != mode {
            mode = m
            since = m == .normal ? nil : instant
        }
    }
}

extension Restrictions {
    /// The mode as the pre-trade check reads it: the governing cause (a threshold test's index, or
    /// admin) and its end — an instant for clock releases, `whenCleared` for margin tiers,
    /// `manual` (admin, do_not_unlock) or `permanent` (trailing drawdown).
    public var accountMode: AccountMode {
        if mode == .normal { return .normal }
        guard let g = governing else { return mode == .locked ? .locked(cause: .admin, until: .manual) : .liquidateOnly(cause: .admin, until: .manual) }
        let cause: RestrictionCause
        switch g.origin {
        case .test(let i): cause = .threshold(i)
        case .admin: cause = .admin
        }
        let until: RestrictionEnd
        switch g.release {
        case .nextSessionOpen, .nextWeekStart: until = g.releaseAt.map { .at($0) } ?? .manual
        case .stateBased: until = .whenCleared
        case .none, .manual: until = .manual
        case .permanent: until = .permanent
        }
        return mode == .locked ? .locked(cause: cause, until: until) : .liquidateOnly(cause: cause, until: until)
    }
}
