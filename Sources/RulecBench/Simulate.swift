import Foundation
import RuleBase
import RuleGraph
import RuleEngine
import RulecCLI

/// CPU time of this thread in nanoseconds: robust against other processes on a shared machine.
func cpuNow() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// A deterministic event stream for `rulec simulate`: ES marks on a mean-reverting random walk
/// with a fill every tenth event, one event every two seconds from Monday 2 March 2026.
func generateStream(_ n: Int) -> [UInt8] {
    var rng: UInt64 = 0x5EED2026C0000003
    func next() -> UInt64 {
        rng &+= 0x9E3779B97F4A7C15
        var z = rng
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
    var out: [UInt8] = []
    out.reserveCapacity(n * 96)
    var ticks: Int64 = 20_000          // price in quarter points: 5000.00
    var position = 0
    let start: Int64 = 1_772_460_000   // 2026-03-02T14:00:00Z
    for i in 0..<n {
        let t = Instant(epochSeconds: start + Int64(i) * 2)
        let drift: Int64 = ticks > 20_000 ? -1 : 1
        ticks += Int64(next() % 5) - 2 + (next() % 4 == 0 ? drift : 0)
        let price = "\(ticks / 4).\(["00", "25", "50", "75"][Int(ticks % 4)])"
        if i % 10 == 0 {
            let buy = position <= 0 ? (position < 0 || next() % 2 == 0) : false
            position += buy ? 1 : -1
            out += Array("{\"at\":\"\(t)\",\"type\":\"fill\",\"product\":\"ES\",\"side\":\"\(buy ? "buy" : "sell")\",\"qty\":1,\"price\":\(price),\"commission\":2.50}\n".utf8)
        } else {
            out += Array("{\"at\":\"\(t)\",\"type\":\"mark\",\"product\":\"ES\",\"price\":\(price)}\n".utf8)
        }
    }
    return out
}

/// `rulec simulate` throughput, JSON Lines in and out, and the engine path alone (events
/// decoded in advance) with its allocation count.
func benchSimulate(_ o: Options) {
    print("\n== simulate: JSON Lines -> engine -> JSON Lines (rules/eval-50k.rules, eval_50k) ==")
    let n = o.evals ?? 1_000_000
    let skipCLI = ProcessInfo.processInfo.environment["RULEC_BENCH_ENGINE_ONLY"] == "1"
    let stream = skipCLI ? [] : generateStream(n)
    print("generated \(n) events, \(stream.count / 1_000_000) MB")
    var rates: [Double] = []
    var cpuRates: [Double] = []
    for run in 0..<(skipCLI ? 0 : o.runs + 1) {
        let fd = open("/dev/null", O_WRONLY)
        var context = Context(stdout: OutputChannel(descriptor: fd, flushThreshold: 1 << 16), stderr: .memory(),
                              stdin: .bytes(stream), fileSystem: LocalFileSystem(), environment: [:],
                              terminal: Terminal(stdoutIsTTY: false, stderrIsTTY: false, environment: [:]),
                              currentDirectory: FileManager.default.currentDirectoryPath, now: { Instant(millis: 0) })
        let t0 = now(), c0 = cpuNow()
        let status = Rulec.cli.run(["simulate", "rules/eval-50k.rules", "--template", "eval_50k", "--events", "-", "--format", "jsonl"],
                                   context: &context)
        let dt = Double(now() - t0) / 1e9
        let ct = Double(cpuNow() - c0) / 1e9
        close(fd)
        if status != .success { fail("simulate failed: \(context.stderr.text)") }
        if run > 0 { rates.append(Double(n) / dt); cpuRates.append(Double(n) / ct) }   // run 0 is the warm-up
    }
    print("rulec simulate --format jsonl: median \(fmt(median(rates) / 1e6, 2)) M events/s (min \(fmt((rates.min() ?? 0) / 1e6, 2)), max \(fmt((rates.max() ?? 0) / 1e6, 2))), including rulebook load")
    if !cpuRates.isEmpty {
        print("  per CPU second (thread CPU time, unaffected by other load): median \(fmt(median(cpuRates) / 1e6, 2)) M events/s (min \(fmt((cpuRates.min() ?? 0) / 1e6, 2)), max \(fmt((cpuRates.max() ?? 0) / 1e6, 2)))")
    }

    // The engine alone: the same stream as typed events.
    let (_, graphs) = compile("rules/eval-50k.rules")
    guard let g = graphs.first(where: { $0.template == "eval_50k" }), let zone = ZoneRules.load(identifier: "America/Chicago"),
          let es = g.productIndex("ES") else { fail("no eval_50k") }
    let calendar = TradingCalendar(CalendarRules(g.calendar, zone: zone))
    var events: [Event] = []
    events.reserveCapacity(n)
    var ticks: Int64 = 20_000
    for i in 0..<n {
        ticks += Int64(i % 7) - 3
        let p = Price(micros: ticks * 250_000)
        let t = Instant(epochSeconds: 1_772_460_000 + Int64(i) * 2)
        events.append(i % 10 == 0 ? Event(at: t, .fill(Fill(product: es, quantity: i % 20 == 0 ? 1 : -1, price: p)))
                                  : Event(at: t, .mark(Mark(product: es, price: p))))
    }
    var times: [Double] = []
    for run in 0..<(o.runs + 1) {
        var engine = PostTradeEngine(graph: g, calendar: calendar, account: AccountState(productCount: g.products.count, balance: Money(dollars: 50_000)),
                                     at: events[0].at)
        var out = Outcome(capacity: 64)
        // Warm the outcome buffer and the boundary queue.
        for e in events.prefix(1000) { out.removeAll(); engine.apply(e, into: &out) }
        let t0 = cpuNow()
        var steps = 0
        for e in events.dropFirst(1000) {
            out.removeAll()
            engine.apply(e, into: &out)
            steps &+= out.steps.count
        }
        let dt = Double(cpuNow() - t0) / Double(n - 1000)
        if run > 0 { times.append(dt) }
        if steps == 0 { print("(no steps)") }
    }
    print("engine.apply (typed events, boundaries included), thread CPU time: median \(fmt(median(times), 1)) ns/event (min \(fmt(times.min() ?? 0, 1)), max \(fmt(times.max() ?? 0, 1)))")
    // Allocations: run under `valgrind --tool=callgrind` with RULEC_BENCH_ENGINE_ONLY=1 and read the
    // call count of swift_allocObject / malloc; the evaluation path makes none (README figures).
}
