import RuleBase
import RuleGraph

/// The numbers every post-trade test reads, in `Money` units. Filled by the account model
/// (or directly by a benchmark) before each evaluation.
public struct MetricInputs: Sendable, Hashable {
    /// Day's starting balance (SOD).
    public var dayStart: Int64
    /// Week's starting balance (SOW).
    public var weekStart: Int64
    /// Net liquidation value (NL).
    public var netLiq: Int64
    /// Margin requirement of open positions.
    public var marginUsed: Int64
    /// High-water mark the trailing level is measured from.
    public var highWaterMark: Int64

    public init(dayStart: Int64, weekStart: Int64, netLiq: Int64, marginUsed: Int64, highWaterMark: Int64) {
        self.dayStart = dayStart
        self.weekStart = weekStart
        self.netLiq = netLiq
        self.marginUsed = marginUsed
        self.highWaterMark = highWaterMark
    }
}

/// A dollar-style test compiled to `reg[x] ≥ q`; the trailing test becomes
/// `level − NL ≥ 0`. `bit` is the test's position in decision order.
public struct SimpleTest: Sendable, Hashable {
    public var x: Int
    public var q: Int64
    /// `1 << position in decision order`.
    public var bit: UInt64
}

/// A percent test compiled to `reg[x] × p ≥ q × reg[y]` with `reg[x] > 0` (exact; 128-bit
/// on the rare overflow).
public struct RatioTest: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var p: Int64
    public var q: Int64
    /// `1 << position in decision order`.
    public var bit: UInt64
}

/// The post-trade tests of one rule graph, laid out for evaluation: two homogeneous arrays
/// of plain tests over a register file filled once per state; no per-test dispatch, no
/// data-dependent branches, no allocation, no closures.
public struct ThresholdKernel: Sendable {
    @usableFromInline let simple: ContiguousArray<SimpleTest>
    @usableFromInline let ratio: ContiguousArray<RatioTest>
    /// Trailing amount and cap in units (cap `Int64.max` when none).
    @usableFromInline let trailingAmount: Int64
    @usableFromInline let trailingCap: Int64
    public let count: Int

    // Register numbers.
    static let rDailyLoss = 0, rWeeklyLoss = 1, rDailyProfit = 2, rWeeklyProfit = 3
    static let rDayStart = 4, rWeekStart = 5, rNetLiq = 6, rMargin = 7, rLevelGap = 8

    public init(graph: RuleGraph) {
        // INVARIANT: a template has at most 28 tests (3 tiers × 9 metric/unit pairs + trailing),
        // so a 64-bit breach mask always suffices.
        var simple: [SimpleTest] = [], ratio: [RatioTest] = []
        for (i, t) in graph.tests.prefix(64).enumerated() {
            let bit: UInt64 = 1 << UInt64(i)
            let metric = t.weekly ? (t.profit ? Self.rWeeklyProfit : Self.rWeeklyLoss)
                : (t.profit ? Self.rDailyProfit : Self.rDailyLoss)
            switch t.op {
            case .money: simple.append(SimpleTest(x: metric, q: t.limit, bit: bit))
            case .trailing: simple.append(SimpleTest(x: Self.rLevelGap, q: 0, bit: bit))
            case .percentOfStart:
                ratio.append(RatioTest(x: metric, y: t.weekly ? Self.rWeekStart : Self.rDayStart,
                                       p: t.denominator, q: t.limit, bit: bit))
            case .marginPercent:
                // NL ≤ 0 with margin in use: the right side is ≤ 0, so it always breaches.
                ratio.append(RatioTest(x: Self.rMargin, y: Self.rNetLiq, p: t.denominator, q: t.limit, bit: bit))
            }
        }
        self.simple = ContiguousArray(simple)
        self.ratio = ContiguousArray(ratio)
        self.count = simple.count + ratio.count
        self.trailingAmount = graph.trailing?.amount.units ?? 0
        self.trailingCap = graph.trailing?.cap?.units ?? .max
    }

    /// The trailing level for a high-water mark: `min(hwm − amount, cap)`.
    @inlinable @inline(__always)
    public func trailingLevel(_ hwm: Int64) -> Int64 {
        let raw = hwm &- trailingAmount
        return raw < trailingCap ? raw : trailingCap
    }

    /// Bit i set when test i (decision order) is breached: every breached rule.
    @inlinable @inline(__always)
    public func breachMask(_ s: MetricInputs) -> UInt64 {
        let dl = s.dayStart &- s.netLiq
        let wl = s.weekStart &- s.netLiq
        // A non-positive period start disables percent tests (a percent of nothing).
        var regs: (Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64, Int64) =
            (dl, wl, 0 &- dl, 0 &- wl, s.dayStart > 0 ? s.dayStart : .max, s.weekStart > 0 ? s.weekStart : .max,
             s.netLiq, s.marginUsed, trailingLevel(s.highWaterMark) &- s.netLiq)
        return withUnsafePointer(to: &regs) { rp in
            rp.withMemoryRebound(to: Int64.self, capacity: 9) { r in
                var mask: UInt64 = 0
                simple.withUnsafeBufferPointer { p in
                    for t in p {
                        mask |= r[t.x] >= t.q ? t.bit : 0
                    }
                }
                ratio.withUnsafeBufferPointer { p in
                    var overflow: UInt8 = 0
                    var m: UInt64 = 0
                    for t in p {
                        let x = r[t.x]
                        let (a, o1) = x.multipliedReportingOverflow(by: t.p)
                        let (b, o2) = t.q.multipliedReportingOverflow(by: r[t.y])
                        overflow |= (o1 ? 1 : 0) | (o2 ? 1 : 0)
                        m |= (a >= b) && (x > 0) ? t.bit : 0
                    }
                    if overflow != 0 { m = ThresholdKernel.exactRatioMask(p, r) }
                    mask |= m
                }
                return mask
            }
        }
    }

    /// The ratio tests in exact 128-bit arithmetic, for the pass whose 64-bit products overflowed.
    @usableFromInline
    static func exactRatioMask(_ p: UnsafeBufferPointer<RatioTest>, _ r: UnsafePointer<Int64>) -> UInt64 {
        var m: UInt64 = 0
        for t in p {
            let x = r[t.x]
            let l = x.multipliedFullWidth(by: t.p)
            let rr = t.q.multipliedFullWidth(by: r[t.y])
            let ge = l.high > rr.high || (l.high == rr.high && l.low >= rr.low)
            if ge && x > 0 { m |= t.bit }
        }
        return m
    }

    /// Index of the test that decides the outcome: the first breached one in decision order
    /// (strongest tier, then declaration order), or -1 when nothing is breached.
    @inlinable @inline(__always)
    public func decidingTest(_ s: MetricInputs) -> Int {
        let m = breachMask(s)
        return m == 0 ? -1 : m.trailingZeroBitCount
    }
}
