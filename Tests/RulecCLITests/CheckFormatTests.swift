import RuleBase
import Testing
@testable import RulecCLI

/// `rulec check` output formats, each held by a golden: text, json, github, sarif.
@Suite struct CheckFormatTests {
    /// An alert at the auto-liquidate level (R5001, a warning made an error with `--deny`)
    /// and a daily loss limit at the trailing drawdown (R5017, a warning).
    static let rulebook = #"""
        template eval_50k {
          starting_balance 50_000 USD
          alert {
            daily_loss 2_000 USD
          }
          auto_liquidate {
            daily_loss 2_000 USD
          }
          trailing_drawdown 2_000 USD {
            mode end_of_day
          }
        }

        """#

    static func run(_ args: [String], files: [String: String] = ["rules/eval.rules": rulebook],
                    environment: [String: String] = [:], isTTY: Bool = false,
                    now: Instant = Instant(epochSeconds: 1_795_456_800))
        -> (status: RulecCLI.ExitStatus, stdout: String, stderr: String) {
        var context = Context.testing(files: files, environment: environment, isTTY: isTTY, now: now)
        let status = Rulec.cli.run(args, context: &context)
        return (status, context.stdout.text, context.stderr.text)
    }

    @Test func textGolden() {
        let r = Self.run(["check", "--deny", "R5001", "rules"])
        #expect(r.status == .findings)
        #expect(r.stderr == "")
        #expect(r.stdout == #"""
        error[R5001]: `alert` `daily_loss` `2_000 USD` is at or above the `auto_liquidate` limit `2_000 USD`, so it never fires first
         --> rules/eval.rules:4:16
          |
        4 |     daily_loss 2_000 USD
          |                ^^^^^^^^^ reached no earlier than `auto_liquidate`
          ::: rules/eval.rules:7:16
          |
        7 |     daily_loss 2_000 USD
          |                --------- `auto_liquidate` limit
          = note: in template `eval_50k`
          = help: set the `alert` limit below `2_000 USD`: tiers go alert < liquidate_only < auto_liquidate

        warning[R5017]: `auto_liquidate` `daily_loss` `2_000 USD` is at or above the trailing drawdown `2_000 USD`
         --> rules/eval.rules:7:16
          |
        7 |     daily_loss 2_000 USD
          |                ^^^^^^^^^ the trailing drawdown acts first
          ::: rules/eval.rules:9:21
          |
        9 |   trailing_drawdown 2_000 USD {
          |                     --------- trailing drawdown
          = note: in template `eval_50k` the permanent trailing lock comes no later than the daily lock
          = help: set the daily loss limit below `2_000 USD`

        checked 1 file: 1 error, 1 warning

        """#)
    }

    @Test func jsonGolden() {
        let r = Self.run(["check", "--format", "json", "--deny", "R5001", "rules"])
        #expect(r.status == .findings)
        #expect(r.stdout == #"""
        {
          "version": 1,
          "files": 1,
          "diagnostics": [
            {
              "code": "R5001",
              "name": "tiers-out-of-order",
              "severity": "error",
              "message": "`alert` `daily_loss` `2_000 USD` is at or above the `auto_liquidate` limit `2_000 USD`, so it never fires first",
              "file": "rules/eval.rules",
              "line": 4,
              "column": 16,
              "endLine": 4,
              "endColumn": 25,
              "label": "reached no earlier than `auto_liquidate`",
              "related": [
                {
                  "file": "rules/eval.rules",
                  "line": 7,
                  "column": 16,
                  "endLine": 7,
                  "endColumn": 25,
                  "message": "`auto_liquidate` limit"
                }
              ],
              "notes": [
                "in template `eval_50k`"
              ],
              "help": "set the `alert` limit below `2_000 USD`: tiers go alert < liquidate_only < auto_liquidate"
            },
            {
              "code": "R5017",
              "name": "daily-loss-at-or-above-trailing",
              "severity": "warning",
              "message": "`auto_liquidate` `daily_loss` `2_000 USD` is at or above the trailing drawdown `2_000 USD`",
              "file": "rules/eval.rules",
              "line": 7,
              "column": 16,
              "endLine": 7,
              "endColumn": 25,
              "label": "the trailing drawdown acts first",
              "related": [
                {
                  "file": "rules/eval.rules",
                  "line": 9,
                  "column": 21,
                  "endLine": 9,
                  "endColumn": 30,
                  "message": "trailing drawdown"
                }
              ],
              "notes": [
                "in template `eval_50k` the permanent trailing lock comes no later than the daily lock"
              ],
              "help": "set the daily loss limit below `2_000 USD`"
            }
          ],
          "summary": {
            "errors": 1,
            "warnings": 1,
            "notes": 0
          }
        }

        """#)
    }

    @Test func githubGolden() {
        let r = Self.run(["check", "--format=github", "--deny", "R5001", "rules"])
        #expect(r.status == .findings)
        #expect(r.stdout == #"""
        ::error file=rules/eval.rules,line=4,col=16,endLine=4,endColumn=25,title=R5001 tiers-out-of-order::`alert` `daily_loss` `2_000 USD` is at or above the `auto_liquidate` limit `2_000 USD`, so it never fires first%0A%0Ahelp: set the `alert` limit below `2_000 USD`: tiers go alert < liquidate_only < auto_liquidate
        ::warning file=rules/eval.rules,line=7,col=16,endLine=7,endColumn=25,title=R5017 daily-loss-at-or-above-trailing::`auto_liquidate` `daily_loss` `2_000 USD` is at or above the trailing drawdown `2_000 USD`%0A%0Ahelp: set the daily loss limit below `2_000 USD`
        checked 1 file: 1 error, 1 warning

        """#)
    }

    @Test func sarifGolden() {
        let r = Self.run(["check", "--format", "sarif", "--deny", "R5001", "rules"])
        #expect(r.status == .findings)
        #expect(r.stdout == Self.sarifGolden)
    }

    static let sarifGolden = #"""
        {
          "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
          "version": "2.1.0",
          "runs": [
            {
              "tool": {
                "driver": {
                  "name": "rulec",
                  "version": "0.1.0",
                  "semanticVersion": "0.1.0",
                  "informationUri": "https://github.com/rulec/rulec",
                  "rules": [
                    {
                      "id": "R5001",
                      "name": "tiers-out-of-order",
                      "shortDescription": {
                        "text": "Tiers escalate: alert, then liquidate_only, then auto_liquidate."
                      },
                      "fullDescription": {
                        "text": "Tiers escalate: alert, then liquidate_only, then auto_liquidate. A limit at or above the limit of a stronger tier of the same metric and unit is reached no earlier than the stronger one, so it never acts first: an alert at or above the auto-liquidate level warns nobody in time."
                      },
                      "help": {
                        "text": "Tiers escalate: alert, then liquidate_only, then auto_liquidate. A limit at or above the limit of a stronger tier of the same metric and unit is reached no earlier than the stronger one, so it never acts first: an alert at or above the auto-liquidate level warns nobody in time. Run `rulec explain R5001` for details.",
                        "markdown": "**R5001 tiers-out-of-order**\n\nTiers escalate: alert, then liquidate_only, then auto_liquidate. A limit at or above the limit of a stronger tier of the same metric and unit is reached no earlier than the stronger one, so it never acts first: an alert at or above the auto-liquidate level warns nobody in time.\n\nRun `rulec explain R5001` for details."
                      },
                      "defaultConfiguration": {
                        "level": "warning"
                      }
                    },
                    {
                      "id": "R5017",
                      "name": "daily-loss-at-or-above-trailing",
                      "shortDescription": {
                        "text": "The trailing level is at most the high-water mark minus the drawdown, and the day's starting balance is at most the high-water mark, so a daily-loss auto-liquidation limit at or above the trailing drawdown is reached no earlier than the trailing level: the account is locked for good before the daily limit (released at the next open) can act."
                      },
                      "fullDescription": {
                        "text": "The trailing level is at most the high-water mark minus the drawdown, and the day's starting balance is at most the high-water mark, so a daily-loss auto-liquidation limit at or above the trailing drawdown is reached no earlier than the trailing level: the account is locked for good before the daily limit (released at the next open) can act. Percent limits are taken at the starting balance."
                      },
                      "help": {
                        "text": "The trailing level is at most the high-water mark minus the drawdown, and the day's starting balance is at most the high-water mark, so a daily-loss auto-liquidation limit at or above the trailing drawdown is reached no earlier than the trailing level: the account is locked for good before the daily limit (released at the next open) can act. Percent limits are taken at the starting balance. Run `rulec explain R5017` for details.",
                        "markdown": "**R5017 daily-loss-at-or-above-trailing**\n\nThe trailing level is at most the high-water mark minus the drawdown, and the day's starting balance is at most the high-water mark, so a daily-loss auto-liquidation limit at or above the trailing drawdown is reached no earlier than the trailing level: the account is locked for good before the daily limit (released at the next open) can act. Percent limits are taken at the starting balance.\n\nRun `rulec explain R5017` for details."
                      },
                      "defaultConfiguration": {
                        "level": "warning"
                      }
                    }
                  ]
                }
              },
              "columnKind": "unicodeCodePoints",
              "results": [
                {
                  "ruleId": "R5001",
                  "ruleIndex": 0,
                  "level": "error",
                  "message": {
                    "text": "`alert` `daily_loss` `2_000 USD` is at or above the `auto_liquidate` limit `2_000 USD`, so it never fires first\nhelp: set the `alert` limit below `2_000 USD`: tiers go alert < liquidate_only < auto_liquidate"
                  },
                  "locations": [
                    {
                      "physicalLocation": {
                        "artifactLocation": {
                          "uri": "rules/eval.rules",
                          "uriBaseId": "%SRCROOT%"
                        },
                        "region": {
                          "startLine": 4,
                          "startColumn": 16,
                          "endLine": 4,
                          "endColumn": 25
                        }
                      },
                      "message": {
                        "text": "reached no earlier than `auto_liquidate`"
                      }
                    }
                  ],
                  "relatedLocations": [
                    {
                      "id": 1,
                      "physicalLocation": {
                        "artifactLocation": {
                          "uri": "rules/eval.rules",
                          "uriBaseId": "%SRCROOT%"
                        },
                        "region": {
                          "startLine": 7,
                          "startColumn": 16,
                          "endLine": 7,
                          "endColumn": 25
                        }
                      },
                      "message": {
                        "text": "`auto_liquidate` limit"
                      }
                    }
                  ],
                  "partialFingerprints": {
                    "rulecFingerprint/v1": "013f9e3fc0f2945a:1"
                  }
                },
                {
                  "ruleId": "R5017",
                  "ruleIndex": 1,
                  "level": "warning",
                  "message": {
                    "text": "`auto_liquidate` `daily_loss` `2_000 USD` is at or above the trailing drawdown `2_000 USD`\nhelp: set the daily loss limit below `2_000 USD`"
                  },
                  "locations": [
                    {
                      "physicalLocation": {
                        "artifactLocation": {
                          "uri": "rules/eval.rules",
                          "uriBaseId": "%SRCROOT%"
                        },
                        "region": {
                          "startLine": 7,
                          "startColumn": 16,
                          "endLine": 7,
                          "endColumn": 25
                        }
                      },
                      "message": {
                        "text": "the trailing drawdown acts first"
                      }
                    }
                  ],
                  "relatedLocations": [
                    {
                      "id": 1,
                      "physicalLocation": {
                        "artifactLocation": {
                          "uri": "rules/eval.rules",
                          "uriBaseId": "%SRCROOT%"
                        },
                        "region": {
                          "startLine": 9,
                          "startColumn": 21,
                          "endLine": 9,
                          "endColumn": 30
                        }
                      },
                      "message": {
                        "text": "trailing drawdown"
                      }
                    }
                  ],
                  "partialFingerprints": {
                    "rulecFingerprint/v1": "a09496332fc6fce2:1"
                  }
                }
              ]
            }
          ]
        }

        """#
}
