import Foundation
import RuleBase
import RuleJSON
import RuleSemantics
import RuleGraph
import RuleEngine
import RuleCodecs
import Testing
@testable import RuleFleet

/// The bundled rulebooks' templates, as `rulec replay rules` sees them.
let bundledSetups: [EngineSetup] = {
    var url = URL(fileURLWithPath: #filePath)
    for _ in 0..<3 { url.deleteLastPathComponent() }
    let root = url.path
    let fm = FileManager.default
    let files = ((try? fm.contentsOfDirectory(atPath: root + "/rules")) ?? [])
        .filter { $0.hasSuffix(".rules") && !$0.hasSuffix(".test.rules") }.sorted().map { "rules/" + $0 }
    let (model, diags) = Checker.check(entries: files, options: CheckOptions(isKnownTimeZone: { _ in true })) { p in
        fm.contents(atPath: root + "/" + p).map { .loaded([UInt8]($0)) } ?? .notFound
    }
    precondition(!diags.hasErrors, "bundled rules do not check")
    return Lowering.lower(model).map { g in
        let zone = ZoneRules.load(identifier: g.calendar?.timezone ?? "UTC") ?? ZoneRules.utc
        return EngineSetup(graph: g, calendar: TradingCalendar(CalendarRules(g.calendar, zone: zone)), locate: { _ in "rules" })
    }
}()

/// Runs a replay over in-memory input cut into `chunk`-byte reads; returns the whole JSON Lines
/// output (decisions and summary tail) and the result.
func replay(accounts: [UInt8], history: [UInt8], _ options: ReplayOptions, chunk: Int = 1 << 16) throws -> (bytes: [UInt8], result: ReplayResult) {
    let parsed = try AccountsFile.parse(accounts, templates: bundledSetups).get()
    let r = FleetReplay(templates: bundledSetups, accounts: parsed, options: options)
    var offset = 0
    var out: [UInt8] = []
    let result = r.run(read: {
        guard offset < history.count else { return nil }
        let end = min(history.count, offset + chunk)
        defer { offset = end }
        return Array(history[offset..<end])
    }, write: { out += $0 })
    let tail = ByteSink()
    SummaryCodec.tail(result.summaries, into: tail)
    return (out + tail.bytes, result)
}

@Suite("Fleet replay")
struct FleetReplayTests {
    static let fleet = FleetGenerator(accounts: 120, eventsPerAccount: 30)
    static let accounts = fleet.accountsFile()
    static let history = fleet.historyFile()

    @Test("the generated fleet replays without a single bad line, and the generator is deterministic")
    func generated() throws {
        #expect(Self.fleet.historyFile() == Self.history)
        #expect(Self.fleet.accountsFile() == Self.accounts)
        let (_, r) = try replay(accounts: Self.accounts, history: Self.history, ReplayOptions(jobs: 1))
        #expect(r.stopped == nil)
        #expect(r.skipped.isEmpty)
        #expect(r.summaries.count == 120)
        let t = FleetTotals(r.summaries)
        #expect(t.events == Self.history.filter { $0 == 0x0A }.count)
        // The fleet exercises what it is for: rests, fills by id, cancels by the rules, breaches.
        #expect(t.cancels > 0 && t.liquidations > 0 && t.breaches > 0 && t.ordersRejected > 0)
    }

    @Test("output is byte-identical for 1, 2 and 4 jobs and for any block size")
    func jobsAndBlocks() throws {
        let one = try replay(accounts: Self.accounts, history: Self.history, ReplayOptions(jobs: 1)).bytes
        for jobs in [2, 4] {
            #expect(try replay(accounts: Self.accounts, history: Self.history, ReplayOptions(jobs: jobs)).bytes == one, "jobs \(jobs)")
        }
        let small = try replay(accounts: Self.accounts, history: Self.history, ReplayOptions(jobs: 2, blockBytes: 4096), chunk: 777).bytes
        #expect(small == one)
    }

    @Test("the merge of the shards equals the unsharded run, byte for byte")
    func shardsMerge() throws {
        let whole = try replay(accounts: Self.accounts, history: Self.history, ReplayOptions(jobs: 2)).bytes
        for n in [1, 3, 5] {
            var parts: [[UInt8]] = []
            var seen = 0
            for k in 0..<n {
                let (bytes, r) = try replay(accounts: Self.accounts, history: Self.history, ReplayOptions(jobs: 2, shard: (k, n)))
                seen += r.summaries.count
                #expect(r.summaries.allSatisfy { AccountTable.shard(of: $0.account, count: n) == k })
                parts.append(bytes)
            }
            #expect(seen == 120)
            var offsets = [Int](repeating: 0, count: n)
            var merged: [UInt8] = []
            let inputs: [() -> [UInt8]?] = (0..<n).map { k in
                { [parts] in
                    guard offsets[k] < parts[k].count else { return nil }
                    let end = min(parts[k].count, offsets[k] + 1000)
                    defer { offsets[k] = end }
                    return Array(parts[k][offsets[k]..<end])
                }
            }
            let summaries = try ShardMerge.merge(inputs, write: { merged += $0 }).get()
            let tail = ByteSink()
            SummaryCodec.tail(summaries, into: tail)
            #expect(merged + tail.bytes == whole, "\(n) shards")
        }
    }

    @Test("the shard hash is FNV-1a 64 of the id's UTF-8 bytes")
    func shardHash() {
        #expect(AccountTable.fnv1a("") == 0xcbf2_9ce4_8422_2325)
        #expect(AccountTable.fnv1a("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(AccountTable.fnv1a("foobar") == 0x8594_4171_f739_67e8)
        #expect(AccountTable.shard(of: "foobar", count: 7) == Int(UInt64(0x8594_4171_f739_67e8) % 7))
    }

    @Test("the account table finds every id and nothing else")
    func table() {
        var t = AccountTable(capacity: 4)
        for i in 0..<5_000 { #expect(t.insert("acct-\(i)").index == i) }
        #expect(t.insert("acct-17").inserted == false)
        for i in stride(from: 0, to: 5_000, by: 37) { #expect(t.index(of: "acct-\(i)") == i) }
        #expect(t.index(of: "acct-5000") == nil)
        #expect(t.id(4_999) == "acct-4999")
    }

    static let twoAccounts = Array("""
    {"account":"A1","template":"eval_50k"}
    {"account":"A2","template":"eval_50k"}

    """.utf8)

    /// Bad lines: the run stops at the first with its line and column; with skip-bad every one
    /// is reported in line order and the rest is replayed.
    @Test("bad lines stop the run with their position, or are skipped and counted")
    func badLines() throws {
        let history = Array("""
        {"account":"A1","at":"2026-12-14T15:00:00Z","type":"order","id":"o1","orderType":"limit","product":"ES","side":"buy","qty":2,"price":5990}
        {"account":"A9","at":"2026-12-14T15:01:00Z","type":"clock"}
        {"at":"2026-12-14T15:01:00Z","type":"clock"}
        {"account":"A2","at":"2026-12-14T15:02:00Z","type":"fill","orderId":"o1","product":"ES","side":"buy","qty":1,"price":5990}
        {"account":"A1","at":"2026-12-14T15:03:00Z","type":"fill","orderId":"o1","product":"ES","side":"buy","qty":3,"price":5990}
        {"account":"A1","at":"2026-12-14T14:00:00Z","type":"clock"}
        {"account":"A2","at":"2026-12-14T15:04:00Z","type":"mark","product":"ES","price":}
        {"account":"A1","at":"2026-12-14T15:05:00Z","type":"fill","orderId":"o1","product":"ES","side":"buy","qty":2,"price":5990}

        """.utf8)
        let (_, stop) = try replay(accounts: Self.twoAccounts, history: history, ReplayOptions(jobs: 2))
        #expect(stop.stopped?.description == "2:1: unknown account `A9`; it is not in the accounts file")
        let (bytes, r) = try replay(accounts: Self.twoAccounts, history: history, ReplayOptions(jobs: 2, skipBad: true))
        #expect(r.skipped.map(\.description) == [
            "2:1: unknown account `A9`; it is not in the accounts file",
            "3:1: missing `account`: each line of a fleet history names its account",
            "4:1: no order `o1` on this account",
            "5:1: fill of 3 for order `o1`, which has 2 open",
            "6:1: event at 2026-12-14T14:00:00Z is earlier than account `A1`'s previous event or state (2026-12-14T15:03:00Z); each account's events must be in time order",
            "7:82: expected a value, found `}`",
        ])
        let a1 = try #require(r.summaries.first { $0.account == "A1" })
        #expect(a1.events == 2 && a1.working == 0 && a1.ordersAccepted == 1)
        let text = String(decoding: bytes, as: UTF8.self)
        #expect(text.hasPrefix("{\"account\":\"A1\",\"line\":1,\"at\":\"2026-12-14T15:00:00Z\",\"event\":\"order\""))
    }

    @Test("an accounts file with a bad line is refused with its position")
    func badAccounts() {
        func error(_ text: String) -> String? {
            if case .failure(let e) = AccountsFile.parse(Array(text.utf8), templates: bundledSetups) { return e.description }
            return nil
        }
        #expect(error("{\"account\":\"A1\",\"template\":\"eval_5k\"}\n")?.hasPrefix("1:1: unknown template `eval_5k`; did you mean `eval_50k`?") == true)
        #expect(error("{\"account\":\"A1\",\"template\":\"eval_50k\"}\n{\"account\":\"A1\",\"template\":\"eval_50k\"}\n") == "2:1: account `A1` appears twice")
        #expect(error("{\"acount\":\"A1\"}\n") == "1:1: unknown field `acount`; did you mean `account`?")
        #expect(error("{\"account\":\"A1\",\"template\":\"eval_50k\",\"state\":{\"balance\":\"x\"}}\n") == "1:1: state of account `A1`: `balance` must be money with at most 4 decimals")
        #expect(error("[1,\n") != nil)
    }

    @Test("a starting state with working orders counts them from the first event")
    func startingState() throws {
        let accounts = Array("""
        {"account":"S1","template":"eval_50k","state":{"at":"2026-12-14T14:00:00Z","balance":49500,"workingOrders":[{"id":"w1","product":"ES","side":"buy","qty":5,"price":5990}]}}

        """.utf8)
        let history = Array("""
        {"account":"S1","at":"2026-12-14T15:00:00Z","type":"order","product":"ES","side":"buy","qty":1}
        {"account":"S1","at":"2026-12-14T15:01:00Z","type":"cancel","id":"w1"}
        {"account":"S1","at":"2026-12-14T15:02:00Z","type":"order","product":"ES","side":"buy","qty":1}

        """.utf8)
        let (bytes, r) = try replay(accounts: accounts, history: history, ReplayOptions(jobs: 1))
        let s = try #require(r.summaries.first)
        #expect(s.ordersRejected == 1 && s.ordersAccepted == 1 && s.startBalance == Money(units: 495_000_000))
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        #expect(lines[0].contains("\"reason\":\"position_limit\""))
        #expect(lines[1].contains("{\"type\":\"cancel\",\"id\":\"w1\",\"product\":\"ES\",\"side\":\"buy\",\"qty\":5,\"orderType\":\"limit\",\"price\":5990.00,\"cause\":\"request\"}"))
    }
}
