import Testing
@testable import RulecCLI

/// `rulec replay` as a user meets it: usage errors, files written only on success, the merge
/// through the command line, the partition bundle, and the HTML report's structure.
@Suite("rulec replay")
struct ReplayCommandTests {
    static let rulebook = """
        calendar c {
          timezone "UTC"
          trading_day_starts 00:00
          week_starts monday 00:00
          end_of_day 23:00
        }
        product ES { point_value 50 USD; tick 0.25; day_margin 500 USD; overnight_margin 1_000 USD }
        risk_category small {
          max_position ES 2
        }
        template t {
          calendar c
          starting_balance 50_000 USD
          risk_category small
          auto_liquidate {
            daily_loss 1_000 USD
          }
        }

        """
    static let accounts = """
        {"account":"B","template":"t"}
        {"account":"A","template":"t"}

        """
    static let history = """
        {"account":"A","at":"2026-03-03T10:00:00Z","type":"order","id":"a1","orderType":"limit","product":"ES","side":"buy","qty":2,"price":5000}
        {"account":"B","at":"2026-03-03T10:00:01Z","type":"fill","product":"ES","side":"buy","qty":2,"price":5000}
        {"account":"A","at":"2026-03-03T10:00:02Z","type":"order","product":"ES","side":"buy","qty":1}
        {"account":"B","at":"2026-03-03T10:01:00Z","type":"mark","product":"ES","price":4990}

        """

    static func run(_ args: [String], files extra: [String: String] = [:]) -> (status: ExitStatus, stdout: String, stderr: String, context: Context) {
        var files = ["/work/r.rules": rulebook, "/work/a.jsonl": accounts, "/work/h.jsonl": history]
        for (k, v) in extra { files[k] = v }
        var context = Context.testing(files: files)
        let status = Rulec.cli.run(args, context: &context)
        return (status, context.stdout.text, context.stderr.text, context)
    }

    static let base = ["replay", "r.rules", "--accounts", "a.jsonl", "--events", "h.jsonl"]

    @Test("a small fleet: decision lines in input order, then summaries sorted by id, then the fleet")
    func smallFleet() {
        let r = Self.run(Self.base)
        #expect(r.status == .success, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n")
        #expect(lines.count == 6)
        #expect(lines[0].hasPrefix("{\"account\":\"A\",\"line\":1,"))
        #expect(lines[1].hasPrefix("{\"account\":\"A\",\"line\":3,") && lines[1].contains("\"reason\":\"position_limit\""))
        #expect(lines[2].hasPrefix("{\"account\":\"B\",\"line\":4,") && lines[2].contains("\"type\":\"liquidation\""))
        #expect(lines[3].hasPrefix("{\"summary\":{\"account\":\"A\""))
        #expect(lines[4].hasPrefix("{\"summary\":{\"account\":\"B\""))
        #expect(lines[5].hasPrefix("{\"fleet\":{\"accounts\":2,"))
    }

    @Test("usage errors are one line and exit 2", arguments: [
        (["--jobs", "0"], "error: --jobs must be a whole number from 1 to 256"),
        (["--shard", "3/2"], "error: --shard must be K/N with 1 <= K <= N, like 2/8"),
        (["--shard", "x"], "error: --shard must be K/N with 1 <= K <= N, like 2/8"),
        (["--format", "yaml"], "error: "),
        (["--decisions", "d.jsonl"], "error: --decisions is for the summary formats"),
        (["--pipe"], "error: with --pipe the accounts come in the bundle"),
    ])
    func usage(_ extra: [String], _ message: String) {
        let r = Self.run(Self.base + extra)
        #expect(r.status == .usage)
        #expect(r.stderr.hasPrefix(message), "\(r.stderr)")
    }

    @Test("a missing history or accounts file is an I/O error")
    func missingFiles() {
        #expect(Self.run(["replay", "r.rules", "--accounts", "nope.jsonl", "--events", "h.jsonl"]).status == .usage)
        #expect(Self.run(["replay", "r.rules", "--accounts", "a.jsonl", "--events", "nope.jsonl"]).status == .usage)
        #expect(Self.run(["replay", "r.rules", "--events", "h.jsonl"]).stderr.hasPrefix("error: missing --accounts"))
    }

    @Test("-o is written only when the run succeeds")
    func atomicOutput() {
        let ok = Self.run(Self.base + ["-o", "out.jsonl"])
        #expect(ok.status == .success && ok.stdout.isEmpty)
        #expect((ok.context.fileSystem as? InMemoryFileSystem)?.text("/work/out.jsonl")?.contains("{\"fleet\":") == true)
        let bad = Self.run(["replay", "r.rules", "--accounts", "a.jsonl", "--events", "bad.jsonl", "-o", "out.jsonl"],
                           files: ["/work/bad.jsonl": "{\"account\":\"A\",\"at\":\"2026-03-03T10:00:00Z\",\"type\":\"nope\"}\n"])
        #expect(bad.status == .findings)
        #expect(bad.stderr.hasPrefix("error: bad.jsonl:1:"))
        #expect((bad.context.fileSystem as? InMemoryFileSystem)?.text("/work/out.jsonl") == nil)
    }

    @Test("shards merged through the command line equal the unsharded run, in every format")
    func mergeCommand() {
        for format in ["jsonl", "text", "json", "markdown"] {
            let whole = Self.run(Self.base + ["--format", format]).stdout
            var files: [String: String] = [:]
            for k in 1...2 { files["/work/s\(k).jsonl"] = Self.run(Self.base + ["--shard", "\(k)/2"]).stdout }
            let merged = Self.run(["replay", "--merge", "s1.jsonl", "s2.jsonl", "--format", format], files: files)
            #expect(merged.status == .success, "\(merged.stderr)")
            #expect(merged.stdout == whole, "\(format)")
        }
        let junk = Self.run(["replay", "--merge", "h.jsonl"])
        #expect(junk.status == .findings && junk.stderr.contains("not a line of `rulec replay --format jsonl` output"))
        #expect(Self.run(["replay", "--merge", "h.jsonl", "--format", "html"]).status == .usage)
    }

    @Test("a partition bundle on stdin gives the plain run's output")
    func pipe() {
        let whole = Self.run(Self.base).stdout
        var bundle = ""
        for l in Self.accounts.split(separator: "\n") { bundle += "A\t\(l)\n" }
        for (i, l) in Self.history.split(separator: "\n").enumerated() { bundle += "E\t\(i + 1)\t\(l)\n" }
        var context = Context.testing(files: ["/work/r.rules": Self.rulebook], stdin: bundle)
        let status = Rulec.cli.run(["replay", "r.rules", "--pipe", "--events", "-"], context: &context)
        #expect(status == .success, "\(context.stderr.text)")
        #expect(context.stdout.text == whole)
    }

    @Test("the HTML report has the totals, the sortable table and one chart per account")
    func html() {
        let r = Self.run(Self.base + ["--format", "html"])
        #expect(r.status == .success)
        let page = r.stdout
        #expect(page.hasPrefix("<!DOCTYPE html>"))
        #expect(page.contains("<table id=\"accounts\">"))
        #expect(page.contains("onclick=\"sortBy(0,false)\""))
        #expect(page.components(separatedBy: "<svg").count - 1 == 2)
        #expect(page.contains("id=\"a-A\"") && page.contains("id=\"a-B\""))
        #expect(!page.contains("src=\"http") && !page.contains("href=\"http"))
    }
}
