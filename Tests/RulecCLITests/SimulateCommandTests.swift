import RuleBase
import Testing
import RuleCodecs
@testable import RulecCLI

/// `rulec eval` / `rulec simulate` on in-memory files: bad input gives one clear line and a
/// non-zero exit, never a crash.
@Suite("eval and simulate: inputs and errors")
struct SimulateCommandTests {
    static let rulebook = """
    template t {
      starting_balance 50_000 USD
      auto_liquidate {
        daily_loss 1_000 USD
      }
    }
    product ES { point_value 50 USD; tick 0.25; day_margin 500 USD; overnight_margin 13_200 USD }
    """

    static func run(_ args: [String], files: [String: String] = [:], stdin: String = "") -> (ExitStatus, String, String) {
        var all = files
        all["/work/r.rules"] = rulebook
        var context = Context.testing(files: all, stdin: stdin)
        let status = Rulec.cli.run(args, context: &context)
        return (status, context.stdout.text, context.stderr.text)
    }

    @Test("specs are well formed")
    func specs() {
        #expect(SimulateCommand.spec.problems.isEmpty)
        #expect(EvalCommand.spec.problems.isEmpty)
    }

    @Test("events from stdin, JSON Lines out, a UTC calendar when the template names none")
    func stdinEvents() {
        let events = """
        {"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","qty":2,"price":5000}
        {"at":"2026-03-03T15:01:00Z","type":"mark","product":"ES","price":"4990.00"}
        """
        let (status, out, err) = Self.run(["simulate", "r.rules", "--events", "-", "--format", "jsonl"], stdin: events)
        #expect(status == .success, "\(err)")
        let lines = out.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[1].contains(#""netLiq":49000.00"#))
        #expect(lines[1].contains(#""mode":"locked""#))
        #expect(lines[1].contains(#""releaseAt":"2026-03-03T17:00:00Z""#))
    }

    @Test("bad input gives a one-line error and a non-zero exit", arguments: [
        (["simulate", "r.rules", "--events", "missing.jsonl"], "missing.jsonl"),
        (["simulate", "r.rules", "--template", "nope", "--events", "-"], "no template `nope`"),
        (["simulate", "r.rules", "--events", "-", "--frmat", "jsonl"], "--frmat"),
        (["simulate", "r.rules"], "missing --events"),
        (["simulate", "r.rules", "--events", "-", "--format", "xml"], "xml"),
        (["eval", "r.rules", "--state", "s.json"], "`balance`"),
        (["eval", "r.rules", "--state", "bad.json"], "bad.json:1:"),
        (["eval", "r.rules", "--state", "noat.json"], "no `at`"),
        (["eval", "r.rules", "--state", "noat.json", "--at", "yesterday"], "--at `yesterday`"),
        (["eval", "r.rules", "--state", "pos.json"], "unknown product `EZ`; did you mean `ES`?"),
    ])
    func badInput(args: [String], message: String) {
        let files = [
            "/work/s.json": #"{"at":"2026-03-03T15:00:00Z","blance":1}"#,
            "/work/bad.json": #"{"at": "#,
            "/work/noat.json": #"{"balance": 50000}"#,
            "/work/pos.json": #"{"at":"2026-03-03T15:00:00Z","balance":1,"positions":[{"product":"EZ","qty":1,"avgPrice":1}]}"#,
        ]
        let (status, _, err) = Self.run(args, files: files, stdin: "")
        #expect(status != .success)
        #expect(err.contains(message), "stderr: \(err)")
        #expect(err.hasPrefix("error:"))
    }

    @Test("malformed events: the line number, and nothing after it is dropped silently", arguments: [
        (#"{"at":"2026-03-03T15:00:00Z","type":"mark","product":"ES","price":1.1234567}"#, "at most 6 decimals"),
        (#"{"at":"2026-03-03 15:00","type":"clock"}"#, "`at` must be an ISO-8601 instant"),
        (#"{"at":"2026-03-03T15:00:00Z","type":"admin","action":"Lock","reasonCode":"Other","reason":"x"}"#, "unknown admin action `Lock`"),
        (#"{"at":"2026-03-03T15:00:00Z","type":"admin","action":"Normal","reasonCode":"Othr"}"#, "unknown reason code `Othr`; did you mean `Other`?"),
        (#"{"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","qty":1.5,"price":1}"#, "`qty`"),
        (#"{"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","price":1}"#, "needs `qty`"),
        (#"{"at":"2026-03-03T15:00:00Z","type":"clock","extra":1}"#, "unknown field `extra`"),
        (#"[1,2]"#, "expected `{`"),
    ])
    func malformed(line: String, message: String) {
        let events = #"{"at":"2026-03-03T14:00:00Z","type":"clock"}"# + "\n" + line + "\n" + #"{"at":"2026-03-03T16:00:00Z","type":"clock"}"#
        let (status, out, err) = Self.run(["simulate", "r.rules", "--events", "-", "--format", "jsonl"], stdin: events)
        #expect(status == .findings)
        #expect(err.contains("<stdin>") || err.contains("-:2:"), "stderr: \(err)")
        #expect(err.contains(message), "stderr: \(err)")
        #expect(out.split(separator: "\n").count == 1)
        let (s2, out2, err2) = Self.run(["simulate", "r.rules", "--events", "-", "--format", "jsonl", "--skip-bad"], stdin: events)
        #expect(s2 == .success)
        #expect(out2.split(separator: "\n").count >= 2)
        #expect(err2.contains("skipped 1 malformed event"))
    }

    /// Every call the broker would refuse is one `admin_rejected` decision with a stable code,
    /// never a bad line: the run goes on and the account is unchanged.
    @Test(arguments: [
        (#""action":"DisableAutoLiq","reasonCode":"Other","reason":"x""#, #"{"type":"admin_rejected","code":"internal_action","error":"admin action `DisableAutoLiq` is internal to the broker and cannot be set (R-25)"}"#),
        (#""action":"LockTradingImmediately","reasonCode":"Other","reason":"  ""#, #"{"type":"admin_rejected","code":"reason_required","error":"reason code `Other` requires a reason"}"#),
        (#""action":"lock","reasonCode":"CallIn","reason":""# + String(repeating: "x", count: 8193) + "\"", #"{"type":"admin_rejected","code":"reason_too_long","error":"reason is 8193 characters; at most 8192 are allowed"}"#),
    ])
    func refusedAdminActions(fields: String, decision: String) {
        let events = #"{"at":"2026-03-03T15:00:00Z","type":"admin","# + fields + "}\n" + #"{"at":"2026-03-03T16:00:00Z","type":"clock"}"#
        let (status, out, err) = Self.run(["simulate", "r.rules", "--events", "-", "--format", "jsonl"], stdin: events)
        #expect(status == .success, "stderr: \(err)")
        let lines = out.split(separator: "\n")
        #expect(lines.count >= 2)
        #expect(lines.first?.contains(#""mode":"normal","decisions":["# + decision + "]") == true, "\(lines.first ?? "")")
    }

    @Test("events out of time order are an error with the line number")
    func timeOrder() {
        let events = #"{"at":"2026-03-03T15:00:00Z","type":"clock"}"# + "\n" + #"{"at":"2026-03-03T14:00:00Z","type":"clock"}"#
        let (status, _, err) = Self.run(["simulate", "r.rules", "--events", "-"], stdin: events)
        #expect(status == .findings)
        #expect(err.contains(":2:1: event at 2026-03-03T14:00:00Z is earlier"))
    }

    @Test("instants: offsets, fractions and malformed text", arguments: [
        ("2026-03-03T15:00:00Z", Int64(1_772_550_000_000)),
        ("2026-03-03T09:00:00-06:00", 1_772_550_000_000),
        ("2026-03-03T15:00:00.250Z", 1_772_550_000_250),
        ("2026-03-03T15:00:00.5Z", 1_772_550_000_500),
    ])
    func instants(text: String, millis: Int64) {
        #expect(InstantText.parse(text)?.millis == millis)
    }

    @Test("malformed instants are refused", arguments: ["2026-03-03T15:00:00", "2026-02-30T15:00:00Z", "2026-03-03T25:00:00Z",
                                                      "2026-03-03T15:00:00+0600", "2026-03-03T15:00:00.Z", ""])
    func badInstants(text: String) {
        #expect(InstantText.parse(text) == nil)
    }
}
