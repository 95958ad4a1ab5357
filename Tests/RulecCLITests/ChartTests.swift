import Foundation
import RuleBase
import RuleEngine
import RuleCodecs
import RuleTestSupport
import Testing
@testable import RulecCLI

/// The `simulate --html` chart: the whole page pinned by a golden, memory bounded per chart
/// with every decision kept, ids unique when a report puts several charts on one page, and the
/// time axis in the calendar's zone.
@Suite("simulate: the HTML chart")
struct ChartTests {
    static func context() -> Context {
        Context(stdout: .memory(), stderr: .memory(), stdin: .text(""), fileSystem: LocalFileSystem(),
                environment: [:], terminal: Terminal(stdoutIsTTY: false, stderrIsTTY: false, environment: [:]),
                currentDirectory: repositoryRoot, now: { Instant(epochSeconds: 1_767_225_600) })
    }

    /// The engine setup of a bundled rulebook, as `simulate` loads it.
    static func setup(_ args: [String]) throws -> EngineSetup {
        var context = context()
        guard case .run(let parsed) = try ArgumentParser.parse(args + ["--events", "-"], spec: SimulateCommand.spec),
              case .success(let s) = EngineSetup.load(parsed, &context) else {
            throw ChartTestError.setup(context.stderr.text)
        }
        return s
    }

    enum ChartTestError: Error { case setup(String), noChart }

    /// Replays `events` through the simulate loop with a chart of `capacity` points.
    static func chart(_ setup: EngineSetup, events: [UInt8], state: StateFile? = nil) throws -> ChartData {
        var context = context()
        let result = Simulation(setup: setup, eventsPath: "-", jsonl: true, skipBad: false, chart: true).run(events, state: state, &context)
        guard let c = result.chart else { throw ChartTestError.noChart }
        return c
    }

    static let eval50k = ["rules/eval-50k.rules", "--template", "eval_50k"]

    // MARK: Golden

    @Test("the whole page for examples/daily-loss-liquidation matches its golden byte for byte")
    func golden() throws {
        let dir = repositoryRoot + "/examples/daily-loss-liquidation"
        let scratch = NSTemporaryDirectory() + "rulec-chart-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var context = Self.context()
        let status = Rulec.cli.run(["simulate"] + Self.eval50k + ["--events", dir + "/events.jsonl", "--state", dir + "/state.json",
                                                                 "--html", scratch + "/chart.html"], context: &context)
        #expect(status == .success, "\(context.stderr.text)")
        let page = try #require(FileManager.default.contents(atPath: scratch + "/chart.html"))
        let golden = repositoryRoot + "/Tests/RulecCLITests/Fixtures/chart/daily-loss-liquidation.html"
        if ProcessInfo.processInfo.environment["RULEC_UPDATE_GOLDENS"] == "1" {
            try FileManager.default.createDirectory(atPath: (golden as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try page.write(to: URL(fileURLWithPath: golden))
            return
        }
        let want = try #require(FileManager.default.contents(atPath: golden), "missing \(golden); run with RULEC_UPDATE_GOLDENS=1")
        #expect(page == want, "the chart differs from \(golden); RULEC_UPDATE_GOLDENS=1 rewrites it (review the diff)")
        let text = String(decoding: page, as: UTF8.self)
        #expect(!text.contains("http://") || !text.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http"),
                "the page is self-contained: no links")
        #expect(!text.contains("<script"))
    }

    @Test("the page names what a desk looks for", arguments: [
        "auto_liquidate.daily_loss 49,000",            // a threshold labelled at its right end… (before the new session)
        "locked from Tue 03-03 09:40",                  // …a locked band
        "trade date Tue 03-03",                         // the trade date on the time axis
        "rules/eval-50k.rules:29",                      // the rulebook line in the legend
        "AUTO-LIQUIDATE auto_liquidate.daily_loss (USD)",   // hover and table text
        "mode locked",
    ])
    func pageContents(needle: String) throws {
        let dir = repositoryRoot + "/examples/daily-loss-liquidation"
        let setup = try Self.setup(Self.eval50k)
        let events = try #require(FileManager.default.contents(atPath: dir + "/events.jsonl"))
        // Without the state file's evening session, the last point is still in the day of the bust.
        let upToBust = [UInt8](events).split(separator: UInt8(ascii: "\n")).prefix(5).map { Array($0) + [10] }.joined()
        let page = HTMLChart.page(try Self.chart(setup, events: Array(upToBust)))
        #expect(page.contains(needle))
    }

    // MARK: Memory

    /// A point of a synthetic history: net liq on a deterministic walk.
    static func point(_ k: Int, _ netLiq: Int64, note: ChartNote? = nil) -> ChartPoint {
        ChartPoint(at: 1_772_460_000_000 + Int64(k) * 2_000, netLiq: netLiq, balance: 50_000 * Money.scale,
                   dayStart: 50_000 * Money.scale, weekStart: 50_000 * Money.scale, level: .min,
                   mode: .normal, working: 0, note: note)
    }

    @Test("200,000 steps stay under the cap, keep every decision, the extremes and the last step")
    func capKeepsDecisions() throws {
        let setup = try Self.setup(Self.eval50k)
        var d = ChartData(setup: setup, capacity: 2_000)
        var rng = SplitMix64(seed: 42)
        var nl: Int64 = 50_000 * Money.scale
        var decisions: [Int64] = []
        var lo = Int64.max, hi = Int64.min
        var maxKept = 0
        for k in 0..<200_000 {
            nl += Int64(rng.next() % 2_001) - 1_000
            lo = min(lo, nl); hi = max(hi, nl)
            var note: ChartNote?
            if k % 4_001 == 17 {
                var n = ChartNote()
                n.breaches = [0]
                n.severity = 3
                n.lines = ["decision \(k)"]
                note = n
                decisions.append(Self.point(k, nl).at)
            }
            d.record(Self.point(k, nl, note: note))
            maxKept = max(maxKept, d.points.count)
        }
        #expect(d.steps == 200_000)
        #expect(maxKept <= 2_000, "never more than the cap in memory")
        let kept = d.points.filter { $0.note?.lines.first?.hasPrefix("decision") == true }.map(\.at)
        #expect(kept == decisions, "every decision point is kept, in order")
        #expect(d.thinnedNotes == 0)
        #expect(d.points.contains { $0.netLiq == lo } && d.points.contains { $0.netLiq == hi }, "the extremes survive")
        #expect(d.points.last?.at == Self.point(199_999, 0).at, "the chart ends on the last step")
        #expect(zip(d.points, d.points.dropFirst()).allSatisfy { $0.at <= $1.at }, "in time order")
    }

    @Test("when decisions alone would pass the cap, the least important are thinned evenly")
    func capThinsNotes() throws {
        let setup = try Self.setup(Self.eval50k)
        var d = ChartData(setup: setup, capacity: 400)
        var breaches: [Int64] = []
        for k in 0..<20_000 {
            var n = ChartNote()
            if k % 500 == 250 {
                n.breaches = [0]
                n.severity = 3
                breaches.append(Self.point(k, 0).at)
            } else {
                n.fill = k % 2 == 0 ? 1 : -1
                n.severity = 1
            }
            d.record(Self.point(k, 50_000 * Money.scale + Int64(k % 97) * Money.scale, note: n))
            #expect(d.points.count <= 400)
        }
        #expect(d.thinnedNotes > 0)
        let keptBreaches = d.points.filter { $0.note?.severity == 3 && $0.note?.breaches.isEmpty == false }.map(\.at)
        #expect(keptBreaches == breaches, "breaches outrank fills")
        let fills = d.points.filter { $0.note?.fill != 0 && $0.note != nil }
        #expect(fills.count > 20, "fills are thinned, not dropped wholesale")
        #expect((fills.first?.at ?? .max) < Self.point(5_000, 0).at && (fills.last?.at ?? 0) > Self.point(15_000, 0).at,
                "thinning keeps fills across the whole history")
    }

    @Test("a simulated month of marks and fills keeps the chart bounded and the page small")
    func simulatedHistory() throws {
        let setup = try Self.setup(Self.eval50k)
        var out = ""
        var price = 20_000   // quarter points
        var rng = SplitMix64(seed: 7)
        var position = 0
        for i in 0..<30_000 {
            let t = Instant(epochSeconds: 1_772_460_000 + Int64(i) * 60)
            price += Int(rng.next() % 5) - 2
            let p = "\(price / 4).\(["00", "25", "50", "75"][price % 4])"
            if i % 50 == 0 {
                let buy = position <= 0
                position += buy ? 1 : -1
                out += "{\"at\":\"\(t)\",\"type\":\"fill\",\"product\":\"ES\",\"side\":\"\(buy ? "buy" : "sell")\",\"qty\":1,\"price\":\(p),\"commission\":2.50}\n"
            } else {
                out += "{\"at\":\"\(t)\",\"type\":\"mark\",\"product\":\"ES\",\"price\":\(p)}\n"
            }
        }
        let d = try Self.chart(setup, events: Array(out.utf8))
        #expect(d.steps > 30_000)
        #expect(d.points.count <= d.capacity)
        let page = HTMLChart.page(d)
        #expect(page.utf8.count < 3_000_000, "the page stays a few MB at most")
        #expect(page.contains("points drawn"))
    }

    // MARK: Reuse

    @Test("two charts on one page have disjoint ids, and each refers only to its own")
    func uniqueIDs() throws {
        let setup = try Self.setup(Self.eval50k)
        let events = try #require(FileManager.default.contents(atPath: repositoryRoot + "/examples/working-orders/events.jsonl"))
        let d = try Self.chart(setup, events: [UInt8](events))
        let a = ChartSVG.svg(d, width: 900, height: 400, idPrefix: "acct-1")
        let b = ChartSVG.svg(d, width: 600, height: 300, idPrefix: "acct 2")   // sanitized to acct_2
        #expect(a.hasPrefix("<svg") && a.hasSuffix("</svg>"))
        func matches(_ s: String, _ pattern: String) -> [String] {
            let re = try? NSRegularExpression(pattern: pattern)
            let ns = s as NSString
            return (re?.matches(in: s, range: NSRange(location: 0, length: ns.length)) ?? []).map { ns.substring(with: $0.range(at: 1)) }
        }
        let idsA = matches(a, #"\bid="([^"]+)""#), idsB = matches(b, #"\bid="([^"]+)""#)
        let all = idsA + idsB
        #expect(!idsA.isEmpty)
        #expect(Set(all).count == all.count, "ids are unique across the page: \(all)")
        #expect(idsA.allSatisfy { $0.hasPrefix("acct-1") } && idsB.allSatisfy { $0.hasPrefix("acct_2") })
        for (svg, ids) in [(a, idsA), (b, idsB)] {
            let refs = matches(svg, #"url\(#([^)]+)\)"#) + matches(svg, ##"href="#([^"]+)""##) + matches(svg, #"(?:^|[}>])#([A-Za-z][\w-]*) "#)
            #expect(!refs.isEmpty)
            #expect(refs.allSatisfy { ids.contains($0) }, "references stay inside their chart: \(refs)")
        }
        // Both fragments in one page still render byte-identically each time.
        #expect(ChartSVG.svg(d, width: 900, height: 400, idPrefix: "acct-1") == a)
    }

    // MARK: Time axis and labels

    @Test("ticks, session opens and closed stretches come from the calendar, in its zone")
    func timeAxis() throws {
        let setup = try Self.setup(Self.eval50k)
        let time = ChartTime(setup: setup)
        let t0 = Instant(epochSeconds: 1_772_548_200).millis   // 2026-03-03T14:30:00Z, 08:30 in Chicago
        let t1 = Instant(epochSeconds: 1_772_719_200).millis   // 2026-03-05T14:00:00Z
        let sessions = time.sessions(from: t0, to: t1)
        #expect(sessions.map { time.full($0.open) } == ["Tue 2026-03-03 17:00:00 -06:00", "Wed 2026-03-04 17:00:00 -06:00"])
        #expect(sessions.map(\.tradeDate.description) == ["2026-03-04", "2026-03-05"])
        let closed = time.closed(from: t0, to: t1)
        #expect(closed.map { "\(time.short($0.from))–\(time.short($0.to))" } == ["Tue 03-03 16:00–Tue 03-03 17:00", "Wed 03-04 16:00–Wed 03-04 17:00"])
        let ticks = time.ticks(from: t0, to: t1, maxTicks: 12)
        #expect(ticks.first?.label == "12:00")
        #expect(ticks.contains(ChartTime.Tick(at: Instant(epochSeconds: 1_772_604_000).millis, label: "Wed 03-04", midnight: true)))
        #expect(ticks.count <= 12)
    }

    @Test("labels round money to cents; ids are made safe", arguments: [
        (Int64(490_000_000), "49,000"), (490_001_200, "49,000.12"), (489_323_520, "48,932.35"),
        (489_323_550, "48,932.36"), (-5_000, "-0.50"), (-4_999, "-0.50"), (-4_950, "-0.50"), (-4_949, "-0.49"),
    ])
    func labelMoney(units: Int64, text: String) {
        #expect(ChartSVG.moneyText(units) == text)
    }

    @Test("id prefixes", arguments: [("chart", "chart"), ("acct 7", "acct_7"), ("7", "c7"), ("", "c"), ("a\"b", "a_b")])
    func prefixes(given: String, safe: String) {
        #expect(ChartSVG.sanitized(given) == safe)
    }
}
