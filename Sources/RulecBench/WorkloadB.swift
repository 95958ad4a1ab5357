import Foundation
import RuleBase
import RuleGraph
import RuleEngine

/// Workload B: the pre-trade order check over 1,000,000 generated orders, every decision checked
/// against b_expected.bin. Library path: `PreTradeCheck.check(order:account:at:)` returning the full
/// `OrderDecision`; the workload's reason code is read off the decision.
func benchWorkloadB(_ o: Options) {
    print("\n== workload B: pre-trade order check (library path) ==")
    let (_, graphs) = compile("examples/bench/workload-b.rules")
    guard let g = graphs.first(where: { $0.template == "workload_b" }) else { fail("no template workload_b") }
    guard let zone = ZoneRules.load(identifier: "America/Chicago") else { fail("no America/Chicago in the tz database") }
    // The reference ranks a restricted product above the halt and reads flips by |position|.
    let check = PreTradeCheck(graph: g, zone: zone, policy: .workloadB)

    // Set-up (untimed): the generator's product ids to the graph's product indices.
    let symbols = ["ES", "MES", "NQ", "MNQ", "CL", "NG", "YM"]
    let productOf: [Int32] = symbols.map { check.productIndex($0) ?? Order.unknownProduct }
    if productOf.contains(Order.unknownProduct) { fail("workload-b.rules lacks a product of \(symbols)") }
    // RejectionKind -> the workload's code (0 accept, 1 locked, 2 restricted, 3 halt, 4 liqOnly, 5 limit).
    var codeOf = [UInt8](repeating: 255, count: RejectionKind.allCases.count)
    codeOf[Int(RejectionKind.accountLocked.rawValue)] = 1
    codeOf[Int(RejectionKind.restrictedProduct.rawValue)] = 2
    codeOf[Int(RejectionKind.riskTimePeriod.rawValue)] = 3
    codeOf[Int(RejectionKind.liquidateOnly.rawValue)] = 4
    codeOf[Int(RejectionKind.positionLimit.rawValue)] = 5

    struct Input {
        var order: Order
        var at: Instant
        /// The account as the input states it: its mode and its position in the order's product.
        var account: SingleProductState
    }
    let raw = readFile(o.data + "/b_inputs.bin")
    let expected = readFile(o.data + "/b_expected.bin")
    var n = raw.count / 24
    if let e = o.evals { n = min(n, e) }
    guard expected.count >= n else { fail("b_expected.bin is short") }
    let modes: [AccountMode] = [.normal, .liquidateOnly(cause: .admin, until: .manual), .locked(cause: .admin, until: .manual)]
    var inputs = [Input]()
    inputs.reserveCapacity(n)
    raw.withUnsafeBytes { b in
        for i in 0..<n {
            let off = i * 24
            let ts = le64(b, off)
            let pos = b.loadUnaligned(fromByteOffset: off + 8, as: Int32.self)
            let qty = b.loadUnaligned(fromByteOffset: off + 12, as: Int32.self)
            let mode = Int(b[off + 16]), product = Int(b[off + 17]), side = b[off + 18]
            guard mode < 3, product < productOf.count,
                  let order = Order(product: productOf[product], side: side == 0 ? .buy : .sell, quantity: Int64(qty)) else {
                fail("b_inputs.bin record \(i) is malformed")
            }
            inputs.append(Input(order: order, at: Instant(epochSeconds: ts),
                                account: SingleProductState(mode: modes[mode], product: order.product, position: Int64(pos))))
        }
    }
    var out = [UInt8](repeating: 0, count: n)
    let productCount = g.products.count
    // Path 1, the headline: each input's account as `SingleProductState` (generic, specialized).
    func pass() -> Double {
        let check = check
        let t0 = now()
        inputs.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { res in
                codeOf.withUnsafeBufferPointer { codes in
                    for i in 0..<s.count {
                        switch check.check(order: s[i].order, account: s[i].account, at: s[i].at) {
                        case .accepted: res[i] = 0
                        case let .rejected(r): res[i] = codes[Int(r.kind.rawValue)]
                        }
                    }
                }
            }
        }
        return Double(now() - t0) / Double(n)
    }
    // Path 2: one `PreTradeAccount` (arrays by product index) updated before each order as a fill
    // would update it: its mode and the order's position.
    func passArrays() -> Double {
        let check = check
        let t0 = now()
        inputs.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { res in
                codeOf.withUnsafeBufferPointer { codes in
                    var account = PreTradeAccount(mode: .normal, positions: [Int64](repeating: 0, count: productCount))
                    for i in 0..<s.count {
                        account.mode = s[i].account.mode
                        account.positions[Int(s[i].order.product)] = s[i].account.netPosition
                        switch check.check(order: s[i].order, account: account, at: s[i].at) {
                        case .accepted: res[i] = 0
                        case let .rejected(r): res[i] = codes[Int(r.kind.rawValue)]
                        }
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
    var counts = [Int](repeating: 0, count: 6)
    for i in 0..<n where out[i] < 6 { counts[Int(out[i])] += 1 }
    print("evaluations: \(n), runs: \(o.runs), mismatches: \(mismatches)\(mismatches == 0 ? " (all agree with b_expected.bin)" : " -- RESULT DOES NOT COUNT")")
    print("decisions: accept \(counts[0]), accountLocked \(counts[1]), restrictedProduct \(counts[2]), tradingHalt \(counts[3]), "
          + "liquidateOnlyIncrease \(counts[4]), positionLimit \(counts[5])")
    let ours = median(times)
    print("rulec B: median \(fmt(ours, 2)) ns/check (min \(fmt(times.min() ?? 0, 2)), max \(fmt(times.max() ?? 0, 2))) "
          + "[check(order:account: SingleProductState, at:)]")
    // The array-account path, checked against the expected file as well.
    out = [UInt8](repeating: 0, count: n)
    _ = passArrays()
    var arrayTimes: [Double] = []
    for _ in 0..<o.runs { arrayTimes.append(passArrays()) }
    var arrayMismatches = 0
    for i in 0..<n where out[i] != expected[i] { arrayMismatches += 1 }
    print("rulec B, PreTradeAccount updated per order: median \(fmt(median(arrayTimes), 2)) ns/check "
          + "(min \(fmt(arrayTimes.min() ?? 0, 2)), max \(fmt(arrayTimes.max() ?? 0, 2))), mismatches: \(arrayMismatches)")
    // The C baseline's B figure again, right after ours: only ratios taken close in time mean anything.
    if let c = cBaselineB(o) {
        print("C baseline B (rerun now): median \(fmt(c, 2)) ns/check; ratio rulec/C = \(fmt(ours / c, 2))x")
    }
}

/// Runs the C baseline's workload B alone (built by baseline.sh) and returns its median ns.
func cBaselineB(_ o: Options) -> Double? {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: o.data + "/cbench")
    p.arguments = [o.data, String(max(o.runs, 1)), "0", "B"]
    let pipe = Pipe()
    p.standardOutput = pipe
    do { try p.run() } catch { return nil }
    let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    p.waitUntilExit()
    guard let r = text.range(of: "\"median_ns\": ") else { return nil }
    return Double(text[r.upperBound...].prefix { "0123456789.".contains($0) })
}
