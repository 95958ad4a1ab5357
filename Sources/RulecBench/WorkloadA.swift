import Foundation
import RuleBase
import RuleGraph
import RuleEngine

/// Workload A: the post-trade rulebook over 1,000,000 generated states, every output checked.
func benchWorkloadA(_ o: Options) {
    print("\n== workload A: post-trade evaluation (library path) ==")
    let (_, graphs) = compile("examples/bench/workload-a.rules")
    guard let g = graphs.first(where: { $0.template == "workload_a" }) else { fail("no template workload_a") }
    let kernel = ThresholdKernel(graph: g)
    // Map each test to the workload's rule id by its broker field.
    let ids: [UInt8] = g.testFields.map { f in
        switch (f.tier, f.metric, f.percent) {
        case (.alert, .dailyLoss, false): return 1
        case (.alert, .dailyLoss, true): return 2
        case (.alert, .margin, _): return 3
        case (.liquidateOnly, .dailyLoss, false): return 4
        case (.liquidateOnly, .margin, _): return 5
        case (.autoLiquidate, .dailyLoss, false): return 6
        case (.autoLiquidate, .dailyLoss, true): return 7
        case (.autoLiquidate, .margin, _): return 8
        case (.autoLiquidate, .weeklyLoss, _): return 9
        case (.autoLiquidate, .dailyProfit, _): return 10
        case (.autoLiquidate, .weeklyProfit, _): return 11
        case (_, .trailing, _): return 12
        default: return 255
        }
    }
    let idTable: [UInt8] = [0] + ids
    let raw = readFile(o.data + "/a_inputs.bin")
    let expected = readFile(o.data + "/a_expected.bin")
    var n = raw.count / 40
    if let e = o.evals { n = min(n, e) }
    guard expected.count >= n else { fail("a_expected.bin is short") }
    // Set-up (untimed): decode cents into the engine's Money units.
    var states = [MetricInputs]()
    states.reserveCapacity(n)
    raw.withUnsafeBytes { b in
        for i in 0..<n {
            let off = i * 40
            states.append(MetricInputs(dayStart: le64(b, off) * 100, weekStart: le64(b, off + 8) * 100,
                                       netLiq: le64(b, off + 16) * 100, marginUsed: le64(b, off + 24) * 100,
                                       highWaterMark: le64(b, off + 32) * 100))
        }
    }
    var out = [UInt8](repeating: 0, count: n)
    func pass() -> Double {
        let t0 = now()
        states.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                idTable.withUnsafeBufferPointer { ids in
                    for i in 0..<s.count {
                        // ids[0] is "none"; test k maps to ids[k + 1].
                        o[i] = ids[kernel.decidingTest(s[i]) + 1]
                    }
                }
            }
        }
        return Double(now() - t0) / Double(n)
    }
    _ = pass()   // warm-up
    var times: [Double] = []
    for _ in 0..<o.runs { times.append(pass()) }
    var mismatches = 0
    for i in 0..<n where out[i] != expected[i] { mismatches += 1 }
    print("evaluations: \(n), runs: \(o.runs), mismatches: \(mismatches)\(mismatches == 0 ? " (all agree with a_expected.bin)" : " -- RESULT DOES NOT COUNT")")
    print("rulec A: median \(fmt(median(times), 2)) ns/eval (min \(fmt(times.min() ?? 0, 2)), max \(fmt(times.max() ?? 0, 2)))")
}
