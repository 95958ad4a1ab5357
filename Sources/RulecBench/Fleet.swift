import Foundation
import RuleBase
import RuleFleet
import RulecCLI

/// `fleet-gen`: the deterministic fleet written to a folder (the bundled example is
/// `--accounts 300 --per-account 40 --out examples/fleet`).
func generateFleet(_ o: Options) {
    let g = FleetGenerator(accounts: o.accounts, eventsPerAccount: o.perAccount)
    try? FileManager.default.createDirectory(atPath: o.out, withIntermediateDirectories: true)
    FileManager.default.createFile(atPath: o.out + "/accounts.jsonl", contents: Data(g.accountsFile()))
    FileManager.default.createFile(atPath: o.out + "/history.jsonl", contents: nil)
    guard let h = FileHandle(forWritingAtPath: o.out + "/history.jsonl") else { fail("cannot write \(o.out)/history.jsonl") }
    var bytes = 0
    g.history { chunk in
        bytes += chunk.count
        h.write(Data(chunk))
    }
    h.closeFile()
    print("wrote \(o.out)/accounts.jsonl (\(o.accounts) accounts) and \(o.out)/history.jsonl (\(o.accounts * o.perAccount) events, \(bytes / 1_000_000) MB)")
}

/// One replay in this process, for `fleet`: prints wall seconds, CPU seconds and peak RSS.
func fleetRunChild(_ o: Options) {
    let fd = open("/dev/null", O_WRONLY)
    var context = Context.live()
    context.stdout = OutputChannel(descriptor: fd, flushThreshold: 1 << 16)
    let jobs = o.jobs.first ?? 1
    var ru0 = rusage()
    getrusage(RUSAGE_SELF.rawValue, &ru0)
    let t0 = now()
    let args = o.phase == "diff"
        ? ["diff", o.data + "/rules-old", o.data + "/rules-new", "--replay", o.data + "/fleet/history.jsonl",
           "--accounts", o.data + "/fleet/accounts.jsonl", "--format", "json", "--jobs", String(jobs)]
        : ["replay", "rules", "--accounts", o.data + "/fleet/accounts.jsonl", "--events", o.data + "/fleet/history.jsonl",
           "--format", "jsonl", "--jobs", String(jobs)]
    let status = Rulec.cli.run(args, context: &context)
    let dt = Double(now() - t0) / 1e9
    var ru = rusage()
    getrusage(RUSAGE_SELF.rawValue, &ru)
    close(fd)
    if status != .success { fail("replay failed: \(context.stderr.text)") }
    let cpu = Double(ru.ru_utime.tv_sec - ru0.ru_utime.tv_sec + ru.ru_stime.tv_sec - ru0.ru_stime.tv_sec)
        + Double(ru.ru_utime.tv_usec - ru0.ru_utime.tv_usec + ru.ru_stime.tv_usec - ru0.ru_stime.tv_usec) / 1e6
    print("RESULT \(dt) \(cpu) \(ru.ru_maxrss)")
}

/// Fleet replay, JSON Lines in and out: the generated fleet (10,000 accounts x 100 events by
/// default) replayed with 1 and 2 jobs, each run in a fresh process for an honest peak memory;
/// then 5x the events with the same accounts for the memory check.
func benchFleet(_ o: Options) {
    print("\n== fleet replay: \(o.accounts) accounts x \(o.perAccount) events, JSON Lines -> rulec replay -> JSON Lines (rules/) ==")
    func prepare(_ per: Int) -> Int {
        var g = o
        g.out = o.data + "/fleet"
        g.perAccount = per
        generateFleet(g)
        return o.accounts * per
    }
    func child(_ jobs: Int, diff: Bool = false) -> (wall: Double, cpu: Double, rssMB: Double) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        p.arguments = ["fleet-run", "--data", o.data, "--jobs", String(jobs)] + (diff ? ["--phase", "diff"] : [])
        let pipe = Pipe()
        p.standardOutput = pipe
        do { try p.run() } catch { fail("cannot run the child: \(error)") }
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        guard let line = out.split(separator: "\n").first(where: { $0.hasPrefix("RESULT") }) else { fail("child: \(out)") }
        let f = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        return (f[0], f[1], f[2] / 1024)
    }
    let n = prepare(o.perAccount)
    var single = 0.0
    var replayCPU: [Int: Double] = [:], replayWall: [Int: Double] = [:]
    for jobs in o.jobs {
        var rates: [Double] = [], peak = 0.0, cpuRates: [Double] = []
        for run in 0...o.runs {
            let r = child(jobs)
            if run > 0 { rates.append(Double(n) / r.wall); cpuRates.append(Double(n) / r.cpu) }
            peak = max(peak, r.rssMB)
        }
        let m = median(rates)
        if jobs == 1 { single = m }
        replayWall[jobs] = Double(n) / m
        replayCPU[jobs] = Double(n) / median(cpuRates)
        print("--jobs \(jobs): median \(fmt(m / 1e6, 2)) M events/s (min \(fmt((rates.min() ?? 0) / 1e6, 2)), max \(fmt((rates.max() ?? 0) / 1e6, 2))), per CPU second \(fmt(median(cpuRates) / 1e6, 2)) M, peak RSS \(fmt(peak, 0)) MB" + (jobs > 1 && single > 0 ? ", speed-up \(fmt(m / single, 2))x over 1 job" : ""))
    }
    // Counterfactual review (issue 11): the same history under two rulebooks in one pass, the
    // bundled ones and a copy whose eval_50k daily loss limit is 1,250 instead of 1,000.
    writeChangedRulebooks(o.data)
    print("\n== counterfactual review: rulec diff rules-old rules-new --replay (the same fleet, JSON report) ==")
    for jobs in o.jobs {
        var walls: [Double] = [], cpus: [Double] = [], peak = 0.0
        for run in 0...o.runs {
            let r = child(jobs, diff: true)
            if run > 0 { walls.append(r.wall); cpus.append(r.cpu) }
            peak = max(peak, r.rssMB)
        }
        let w = median(walls), c = median(cpus)
        let ratio = replayWall[jobs].map { "\(fmt(w / $0, 2))x one replay's wall time" } ?? ""
        let cpuRatio = replayCPU[jobs].map { ", \(fmt(c / $0, 2))x its CPU time" } ?? ""
        print("--jobs \(jobs): median \(fmt(w, 2)) s wall, \(fmt(c, 2)) s CPU, \(fmt(Double(n) / w / 1e6, 2)) M events/s, peak RSS \(fmt(peak, 0)) MB; \(ratio)\(cpuRatio) (target <= 2.2x)")
    }
    let n5 = prepare(o.perAccount * 5)
    let r5 = child(o.jobs.last ?? 1)
    print("5x the events (\(n5)): \(fmt(Double(n5) / r5.wall / 1e6, 2)) M events/s, peak RSS \(fmt(r5.rssMB, 0)) MB (memory holds accounts and working orders, not events)")
}

/// `rules-old` (the bundled rulebooks without their tests) and `rules-new` (the same with the
/// eval_50k daily loss limit raised from 1,000 to 1,250 USD) under `data`.
func writeChangedRulebooks(_ data: String) {
    let fm = FileManager.default
    for side in ["rules-old", "rules-new"] {
        try? fm.removeItem(atPath: data + "/" + side)
        for p in (fm.enumerator(atPath: "rules")?.allObjects as? [String]) ?? [] where p.hasSuffix(".rules") && !p.hasSuffix(".test.rules") {
            guard var text = try? String(contentsOfFile: "rules/" + p, encoding: .utf8) else { fail("cannot read rules/\(p)") }
            if side == "rules-new" && p == "eval-50k.rules" {
                text = text.replacingOccurrences(of: "    daily_loss 1_000 USD", with: "    daily_loss 1_250 USD")
            }
            let path = data + "/" + side + "/" + p
            try? fm.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard fm.createFile(atPath: path, contents: Data(text.utf8)) else { fail("cannot write \(path)") }
        }
    }
}
