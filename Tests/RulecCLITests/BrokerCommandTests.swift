import Testing
@testable import RulecCLI

/// `rulec compile --target broker-json` and `rulec import` through the real command table.
@Suite struct BrokerCommandTests {
    static let rulebook = """
        calendar cme {
          timezone "America/Chicago"
        }
        product ES {
          point_value 50 USD
        }
        risk_category c {
          max_position ES 2
        }
        template ok {
          calendar cme
          risk_category c
          starting_balance 25_000 USD
          auto_liquidate {
            daily_loss 500.5 USD
          }
          flatten_at 2026-12-18T08:00
        }
        template lossy {
          alert {
            weekly_loss 100 USD
          }
        }
        """

    func run(_ args: [String], files: [String: String] = ["/work/r.rules": rulebook], stdin: String = "")
        -> (status: RulecCLI.ExitStatus, stdout: String, stderr: String, context: Context) {
        var context = Context.testing(files: files, stdin: stdin)
        let status = Rulec.cli.run(args, context: &context)
        return (status, context.stdout.text, context.stderr.text, context)
    }

    @Test func compilesOneTemplate() {
        let r = run(["compile", "r.rules", "--target", "broker-json", "--template", "ok"])
        #expect(r.status == .success, "\(r.stderr)")
        // flatten_at without offset: resolved in America/Chicago by the host tz database (CST).
        #expect(r.stdout == """
            {
              "name": "ok",
              "initialBalance": 25000,
              "postTradeRisk": {
                "dailyLossAutoLiq": 500.5,
                "flattenTimestamp": "2026-12-18T08:00:00-06:00"
              },
              "riskCategory": {
                "name": "c",
                "positionLimits": [
                  {"productSymbol": "ES", "longLimit": 2, "shortLimit": 2, "totalBy": "Product"}
                ],
                "restrictedProducts": []
              }
            }

            """)
    }

    @Test func lossyConstructIsAnErrorUnlessLossy() {
        let strict = run(["compile", "r.rules", "--target", "broker-json"])
        #expect(strict.status == .findings)
        #expect(strict.stdout.isEmpty)
        #expect(strict.stderr.contains("r.rules:21: template `lossy`: `alert { weekly_loss 100 USD }` has no broker field"))
        #expect(strict.stderr.contains("1 construct has no broker field; pass --lossy"))

        let lossy = run(["compile", "r.rules", "--target", "broker-json", "--lossy"])
        #expect(lossy.status == .success)
        #expect(lossy.stderr.hasPrefix("warning: r.rules:21: template `lossy`"))
        #expect(lossy.stdout.hasPrefix("[\n  {\n    \"name\": \"lossy\",\n    \"postTradeRisk\": {}\n  },"))
    }

    @Test func lossyNeedsTheBrokerTarget() {
        #expect(run(["compile", "r.rules", "--lossy"]).status == .usage)
        #expect(run(["compile", "r.rules", "--target", "nope"]).status == .usage)
    }

    @Test func importsToStdoutAndFile() throws {
        let json = #"{"dailyLossAutoLiq": 1000, "doNotUnlock": true}"#
        let r = run(["import", "-", "--name", "acct", "--calendar", "cme", "--import", "std/cme.rules"], stdin: json)
        #expect(r.status == .success, "\(r.stderr)")
        #expect(r.stdout == """
            import "std/cme.rules"

            template acct {
              calendar cme
              auto_liquidate {
                daily_loss 1_000 USD
              }
              do_not_unlock
            }

            """)
        let w = run(["import", "b.json", "-o", "out.rules"], files: ["/work/b.json": json])
        #expect(w.status == .success)
        #expect(w.stdout.isEmpty)
        let written = try w.context.fileSystem.readFile("/work/out.rules")
        #expect(String(decoding: written, as: UTF8.self).hasPrefix("template imported {\n"))
    }

    @Test func importErrorsNameTheirPath() {
        let r = run(["import", "b.json"], files: ["/work/b.json": #"{"postTradeRisk": {"dailyLossAutoLiqq": 1}, "extra": 2}"#])
        #expect(r.status == .findings)
        #expect(r.stderr == """
            error: b.json: $.postTradeRisk.dailyLossAutoLiqq: unknown field `dailyLossAutoLiqq` in the post-trade settings; did you mean `dailyLossAutoLiq`?
            error: b.json: $.extra: unknown field `extra` in the template document

            """)
    }
}
