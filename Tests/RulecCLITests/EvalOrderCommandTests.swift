import RuleBase
import Testing
@testable import RulecCLI

/// `rulec eval --order` and order events in `simulate`: golden text and JSON, bad order files.
@Suite("eval --order and order verdicts")
struct EvalOrderCommandTests {
    static let rulebook = """
    calendar cme {
      timezone "America/Chicago"
      trading_day_starts 17:00
      week_starts sunday 17:00
      end_of_day 16:00
    }
    product ES { point_value 50 USD; tick 0.25; day_margin 500 USD; overnight_margin 13_200 USD }
    product CL { point_value 1_000 USD; tick 0.01; day_margin 1_000 USD; overnight_margin 6_000 USD }
    time_period close_out {
      start 15:55
      stop 17:00
    }
    risk_category small {
      max_position ES 2
      restrict CL
    }
    risk_category none_restricted {
      max_position ES 1
    }
    template t {
      calendar cme
      starting_balance 50_000 USD
      time_period close_out
      risk_category small
      auto_liquidate {
        daily_loss 1_000 USD
      }
    }
    """

    static let state = #"{"at":"2026-03-03T15:00:00Z","balance":50000,"positions":[{"product":"ES","qty":1,"avgPrice":5000}]}"#

    static func run(_ args: [String], order: String, stdin: String = "") -> (ExitStatus, String, String) {
        var context = Context.testing(files: ["/work/r.rules": rulebook, "/work/s.json": state, "/work/o.json": order], stdin: stdin)
        let status = Rulec.cli.run(args, context: &context)
        return (status, context.stdout.text, context.stderr.text)
    }

    static let eval = ["eval", "r.rules", "--state", "s.json", "--order", "o.json"]

    @Test("text: accepted at exactly the limit, rejected one over with the rulebook line")
    func text() {
        let (s1, out1, err1) = Self.run(Self.eval, order: #"{"product":"ES","side":"buy","qty":1,"price":5000.25}"#)
        #expect(s1 == .success, "\(err1)")
        #expect(out1 == """
            template t at 2026-03-03T09:00:00-06:00 (trade date 2026-03-03)
            account: net liq 50,000.00  balance 50,000.00  day start 50,000.00  week start 50,000.00  margin 500.00
            decision: none (no threshold reached)
            mode: normal
            order: buy 1 ES @ 5000.25 -> ACCEPTED (fills are separate events)

            """)
        let (s2, out2, _) = Self.run(Self.eval, order: #"{"product":"ES","qty":2}"#)
        #expect(s2 == .success)
        #expect(out2.hasSuffix("order: buy 2 ES -> REJECTED position_limit: position limit for `ES` would become long 3 > 2  [r.rules:14]\n"))
    }

    @Test("json: the verdict object with reason code, message and source")
    func json() {
        let (status, out, _) = Self.run(Self.eval + ["--format", "json"], order: #"{"product":"CL","side":"sell","qty":1}"#)
        #expect(status == .success)
        #expect(out.hasSuffix(#","order":{"type":"order","product":"CL","side":"sell","qty":1,"verdict":{"accepted":false,"reason":"restricted_product","message":"`CL` is restricted in risk category `small`","source":"r.rules:15"}}}"# + "\n"))
        let (_, ok, _) = Self.run(Self.eval + ["--format", "json"], order: #"{"product":"ES","side":"sell","qty":3}"#)
        #expect(ok.contains(#""order":{"type":"order","product":"ES","side":"sell","qty":3,"verdict":{"accepted":true}}"#))
    }

    @Test("an unknown product is a rejection, not an input error; no source line")
    func unknownProduct() {
        let (status, out, _) = Self.run(Self.eval + ["--format", "json"], order: #"{"product":"ZN","side":"buy","qty":1}"#)
        #expect(status == .success)
        #expect(out.contains(#""verdict":{"accepted":false,"reason":"unknown_product","message":"product `ZN` unknown to the rulebook"}"#))
    }

    @Test("the time period: rejected at its start to the second, accepted at its stop")
    func timePeriod() {
        let o = #"{"product":"ES","side":"sell","qty":1}"#
        let (_, a, _) = Self.run(Self.eval + ["--at", "2026-03-03T21:55:00Z"], order: o)
        #expect(a.contains("REJECTED risk_time_period: inside the risk time period `close_out`; orders are accepted again at 2026-03-03 17:00 America/Chicago (2026-03-03T23:00:00Z)  [r.rules:9]"))
        let (_, b, _) = Self.run(Self.eval + ["--at", "2026-03-03T23:00:00Z"], order: o)
        #expect(b.contains("-> ACCEPTED"))
    }

    @Test("bad order files: one line with file:line:column, exit 1; a missing file exits 2", arguments: [
        (#"{"product":"ES","side":"buy""#, "o.json:1:", ExitStatus.findings),
        (#"[1]"#, "an order is a JSON object", .findings),
        (#"{"product":"ES","side":"buy","qty":1,"limit":5}"#, "unknown field `limit` in the order", .findings),
        (#"{"side":"buy","qty":1}"#, "needs a `product`", .findings),
        (#"{"product":"ES","side":"buy","qty":0}"#, "`qty` must be a whole number", .findings),
        (#"{"product":"ES","side":"buy","qty":-1}"#, "`qty` must be positive when `side` is given", .findings),
        (#"{"product":"ES","side":"hold","qty":1}"#, "`side` must be", .findings),
        (#"{"product":"ES","qty":1,"price":1.1234567}"#, "`price`", .findings),
    ])
    func badOrder(order: String, message: String, exit: ExitStatus) {
        let (status, out, err) = Self.run(Self.eval, order: order)
        #expect(status == exit)
        #expect(out.isEmpty)
        #expect(err.hasPrefix("error: o.json:"), "\(err)")
        #expect(err.contains(message), "\(err)")
    }

    @Test("a missing order file is an I/O error (exit 2)")
    func missingFile() {
        let (status, _, err) = Self.run(["eval", "r.rules", "--state", "s.json", "--order", "nope.json"], order: "")
        #expect(status == .ioError)
        #expect(err.contains("nope.json"))
    }

    @Test("simulate: verdicts in order, an unknown product order, and a category switch with a suggestion")
    func simulate() {
        let events = """
        {"at":"2026-03-03T15:00:00Z","type":"fill","product":"ES","qty":2,"price":5000}
        {"at":"2026-03-03T15:01:00Z","type":"order","product":"ES","side":"buy","qty":1}
        {"at":"2026-03-03T15:01:00Z","type":"order","product":"GC","side":"buy","qty":1}
        {"at":"2026-03-03T15:02:00Z","type":"switch_category","category":"none_restrictd"}
        {"at":"2026-03-03T15:03:00Z","type":"switch_category","category":"none_restricted"}
        {"at":"2026-03-03T15:04:00Z","type":"order","product":"CL","side":"buy","qty":1}
        """
        let (status, out, err) = Self.run(["simulate", "r.rules", "--events", "-", "--format", "jsonl"], order: "", stdin: events)
        #expect(status == .success, "\(err)")
        let lines = out.split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        #expect(lines[1].hasSuffix(#""decisions":[{"type":"order","product":"ES","side":"buy","qty":1,"verdict":{"accepted":false,"reason":"position_limit","message":"position limit for `ES` would become long 3 > 2","source":"r.rules:14"}}]}"#))
        #expect(lines[2].contains(#""reason":"unknown_product","message":"product `GC` unknown to the rulebook"}"#))
        #expect(lines[3].contains(#"{"type":"category_switch_skipped","category":"none_restrictd","reason":"unknown_category","message":"unknown risk category `none_restrictd` (did you mean `none_restricted`?); nothing changed"}"#))
        #expect(lines[4].contains(#"{"type":"category_switch","category":"none_restricted","liquidations":[{"product":"ES","side":"sell","qty":1,"from":2,"to":1,"reason":"position_limit","message":"sell 1 `ES`: long 2 -> long 1 (position limit long 1)","source":"r.rules:18"}]},{"type":"liquidation","product":"ES","qty":-1,"price":5000.00"#))
        #expect(lines[5].contains(#""verdict":{"accepted":true}"#))
    }

    @Test("an unknown product is still an input error for fills and marks")
    func unknownProductFill() {
        let events = #"{"at":"2026-03-03T15:00:00Z","type":"fill","product":"EZ","qty":2,"price":5000}"#
        let (status, _, err) = Self.run(["simulate", "r.rules", "--events", "-"], order: "", stdin: events)
        #expect(status == .findings)
        #expect(err.contains("unknown product `EZ`; did you mean `ES`?"))
    }
}
