import RuleBase
import RuleSemantics
import RuleTools
import Testing

/// One row per direction rule: an edit of a small rulebook and the changes `rulec diff`
/// must report for the template `acct` (which inherits everything from `base`), as
/// `setting direction`. Every row is also checked backwards: the reverse edit must report
/// the same settings with tightens and loosens swapped.
@Suite struct DiffDirectionTests {
    static let base = """
        calendar cme {
          timezone "America/Chicago"
          trading_day_starts 17:00
          end_of_day 16:00
          holiday 2026-12-25
          early_close 2026-11-26 12:00
        }
        product ES {
          point_value 50 USD
          tick 0.25
          day_margin 500 USD
          overnight_margin 22_000 USD
        }
        product MES {
          point_value 5 USD
          day_margin 50 USD
        }
        product NG {
          point_value 10_000 USD
          day_margin 1_500 USD
        }
        time_period close_out {
          start 15:55
          stop 17:00
          on 2026-11-26 start 11:55
        }
        time_period night {
          start 15:55
          stop 07:00
        }
        risk_category cat {
          max_position ES 5
          max_long MES 50
          max_short MES 40
          restrict NG
          max_group minis 5 {
            ES 1
            MES 0.1
          }
        }
        template base {
          calendar cme
          time_period close_out
          risk_category cat
          starting_balance 50_000 USD
          alert {
            daily_loss 600 USD
            margin 30%
          }
          liquidate_only {
            daily_loss 800 USD
          }
          auto_liquidate {
            daily_loss 1_000 USD
            daily_loss 2%
            weekly_loss 2_000 USD
            daily_profit 1_500 USD
            margin 50%
          }
          trailing_drawdown 2_000 USD {
            mode end_of_day
            stop_trailing_at 50_100 USD
          }
          flatten_at 2026-12-18T08:00-06:00
        }
        template acct extends base {
          starting_balance 50_000 USD
        }

        """

    struct Row: CustomTestStringConvertible, Sendable {
        var edits: [(String, String)]
        var expected: [String]
        var testDescription: String { edits.map { "\($0.0.trimmed) => \($0.1.trimmed)" }.joined(separator: "; ") }
        init(_ from: String, _ to: String, _ expected: String...) {
            edits = [(from, to)]
            self.expected = expected
        }
        init(edits: [(String, String)], _ expected: String...) {
            self.edits = edits
            self.expected = expected
        }
    }

    static let rows: [Row] = [
        // Thresholds: lower tightens, added tightens, removed loosens; profit caps alike.
        Row("daily_loss 1_000 USD", "daily_loss 900 USD", "auto_liquidate.daily_loss (USD) tightens"),
        Row("daily_loss 2%", "daily_loss 2.5%", "auto_liquidate.daily_loss (%) loosens"),
        Row("daily_loss 600 USD", "daily_loss 700 USD", "alert.daily_loss (USD) loosens"),
        Row("daily_loss 800 USD", "daily_loss 750 USD", "liquidate_only.daily_loss (USD) tightens"),
        Row("    weekly_loss 2_000 USD\n", "", "auto_liquidate.weekly_loss (USD) loosens"),
        Row("daily_profit 1_500 USD", "daily_profit 1_200 USD", "auto_liquidate.daily_profit (USD) tightens"),
        Row("    daily_profit 1_500 USD\n", "    daily_profit 1_500 USD\n    weekly_profit 3_000 USD\n",
            "auto_liquidate.weekly_profit (USD) tightens"),
        Row("margin 50%", "margin 40%", "auto_liquidate.margin (%) tightens"),
        // Trailing drawdown.
        Row("trailing_drawdown 2_000 USD", "trailing_drawdown 2_500 USD", "trailing_drawdown loosens"),
        Row("mode end_of_day", "mode real_time", "trailing_drawdown.mode tightens"),
        Row("stop_trailing_at 50_100 USD", "stop_trailing_at 50_000 USD", "trailing_drawdown.stop_trailing_at loosens"),
        Row("    stop_trailing_at 50_100 USD\n", "", "trailing_drawdown.stop_trailing_at tightens"),
        Row("  trailing_drawdown 2_000 USD {\n    mode end_of_day\n    stop_trailing_at 50_100 USD\n  }\n", "",
            "trailing_drawdown loosens", "trailing_drawdown.stop_trailing_at neutral"),
        // One-time flatten, manual unlock, starting balance.
        Row("flatten_at 2026-12-18T08:00-06:00", "flatten_at 2026-12-18T09:00-06:00", "flatten_at loosens"),
        Row("flatten_at 2026-12-18T08:00-06:00", "flatten_at 2026-12-18T13:00Z", "flatten_at tightens"),
        // A dollar threshold replaced by a percent one: one context-dependent change.
        Row("daily_loss 800 USD", "daily_loss 1.6%", "liquidate_only.daily_loss context-dependent"),
        Row("weekly_loss 2_000 USD", "weekly_loss 4%", "auto_liquidate.weekly_loss context-dependent"),
        Row("  flatten_at 2026-12-18T08:00-06:00\n", "", "flatten_at loosens"),
        Row("  starting_balance 50_000 USD\n}\n", "  starting_balance 50_000 USD\n  do_not_unlock\n}\n", "do_not_unlock tightens"),
        Row("  starting_balance 50_000 USD\n}\n", "  starting_balance 100_000 USD\n}\n", "starting_balance neutral"),
        // Risk category as the template sees it.
        Row("max_position ES 5", "max_position ES 4", "risk_category.ES tightens"),
        Row("max_short MES 40", "max_short MES 45", "risk_category.MES loosens"),
        // The group (5 minis, MES 0.1) caps MES at 50 either way: the change is ineffective.
        Row("max_long MES 50", "max_long MES 60", "risk_category.MES neutral"),
        // The long side's rise is capped by the group at 50: only the short side's cut counts.
        Row(edits: [("max_long MES 50", "max_long MES 60"), ("max_short MES 40", "max_short MES 30")],
            "risk_category.MES tightens"),
        Row(edits: [("max_long MES 50", "max_long MES 45"), ("max_short MES 40", "max_short MES 45")],
            "risk_category.MES tightens", "risk_category.MES loosens"),
        Row("  restrict NG\n", "", "risk_category.NG loosens"),
        Row("  max_long MES 50\n  max_short MES 40\n", "  restrict MES\n", "risk_category.MES tightens"),
        Row("  max_position ES 5\n", "", "risk_category.ES loosens"),
        Row("max_group minis 5", "max_group minis 4", "risk_category.max_group minis tightens"),
        Row("    MES 0.1\n", "    MES 0.2\n", "risk_category.max_group minis.MES tightens"),
        Row("    MES 0.1\n", "", "risk_category.max_group minis.MES loosens"),
        Row("  risk_category cat\n", "", "risk_category loosens", "risk_category.ES loosens", "risk_category.MES loosens",
            "risk_category.NG loosens", "risk_category.max_group minis loosens"),
        // Time period window: more flat time tightens.
        Row("  start 15:55\n  stop 17:00\n", "  start 15:30\n  stop 17:00\n", "time_period.start tightens"),
        Row("  start 15:55\n  stop 17:00\n", "  start 16:00\n  stop 17:00\n", "time_period.start loosens"),
        Row("  start 15:55\n  stop 17:00\n", "  start 15:55\n  stop 18:00\n", "time_period.stop tightens"),
        Row("on 2026-11-26 start 11:55", "on 2026-11-26 start 12:30", "time_period.on 2026-11-26 loosens"),
        Row("  on 2026-11-26 start 11:55\n", "", "time_period.on 2026-11-26 loosens"),
        Row("  on 2026-11-26 start 11:55\n", "  on 2026-11-26 start 11:55\n  on 2026-12-24 start 12:10\n",
            "time_period.on 2026-12-24 tightens"),
        Row("  time_period close_out\n", "", "time_period loosens", "time_period.start loosens", "time_period.stop loosens"),
        Row("  time_period close_out\n", "  time_period night\n",
            "time_period neutral", "time_period.stop tightens",
            "time_period.on 2026-11-26 loosens", "time_period.on 2026-11-26 tightens"),
        // Calendar: neutral.
        Row("timezone \"America/Chicago\"", "timezone \"America/New_York\"", "calendar.timezone neutral"),
        Row("end_of_day 16:00", "end_of_day 15:00", "calendar.end_of_day neutral"),
        Row("  holiday 2026-12-25\n", "  holiday 2026-12-25\n  holiday 2027-01-01\n", "calendar.holiday 2027-01-01 neutral"),
        Row("early_close 2026-11-26 12:00", "early_close 2026-11-26 12:15", "calendar.early_close 2026-11-26 neutral"),
        // Products: point value neutral for every template that trades it; margins directional
        // with margin tiers; a new uncapped product loosens; a restricted product is not traded.
        Row("point_value 50 USD", "point_value 20 USD", "product ES.point_value neutral"),
        Row("day_margin 500 USD", "day_margin 600 USD", "product ES.day_margin tightens"),
        Row("overnight_margin 22_000 USD", "overnight_margin 20_000 USD", "product ES.overnight_margin loosens"),
        Row("point_value 10_000 USD", "point_value 20_000 USD"),
        Row("product NG {", "product CL {\n  point_value 1_000 USD\n}\nproduct NG {", "product CL loosens"),
    ]

    static func acctChanges(_ old: String, _ new: String) -> [String] {
        let (a, da) = Checker.check(source: old), (b, db) = Checker.check(source: new)
        #expect(!da.contains { $0.severity == .error }, "old has errors: \(da.map(\.message))")
        #expect(!db.contains { $0.severity == .error }, "new has errors: \(db.map(\.message))")
        let diff = SemanticDiff.compare(old: a, new: b)
        return diff.templates.first { $0.template == "acct" }?.changes.map { "\($0.setting) \($0.direction.rawValue)" } ?? []
    }

    @Test(arguments: rows)
    func direction(_ row: Row) {
        var edited = Self.base
        for (from, to) in row.edits {
            #expect(edited.contains(from), "edit `\(from)` does not apply")
            edited = edited.replacingAll(from, with: to)
        }
        #expect(Self.acctChanges(Self.base, edited) == row.expected)
        let swapped = row.expected.map { line -> String in
            if line.hasSuffix(" tightens") { return String(line.dropLast(8)) + "loosens" }
            if line.hasSuffix(" loosens") { return String(line.dropLast(7)) + "tightens" }
            return line
        }
        #expect(Self.acctChanges(edited, Self.base).sorted() == swapped.sorted(), "backwards")
    }

    /// The break-even balance and the side of it each limit is tighter on, and the verdict at
    /// the template's starting balance.
    @Test func replacementNamesTheBreakEvenBalance() throws {
        let edited = Self.base.replacingAll("daily_loss 800 USD", with: "daily_loss 1.5%")
        let (a, _) = Checker.check(source: Self.base), (b, _) = Checker.check(source: edited)
        let change = try #require(SemanticDiff.compare(old: a, new: b).templates.first { $0.template == "acct" }?.changes.first)
        #expect(change.setting == "liquidate_only.daily_loss")
        #expect(change.reason == "800 USD replaced by 1.5% (of the day's starting balance): equal at about 53_333.3333 USD; the new limit is tighter below that balance and looser above it; at the starting balance 50_000 USD it is tighter")
        #expect(change.old == .money(Money(dollars: 800)))
        // And back: one change again, the percent on the old side.
        let back = SemanticDiff.compare(old: b, new: a).templates.first { $0.template == "acct" }?.changes ?? []
        #expect(back.count == 1)
        #expect(back.first?.kind == .changed && back.first?.setting == "liquidate_only.daily_loss")
        #expect(back.first?.reason.hasPrefix("1.5% (of the day's starting balance) replaced by 800 USD") == true, "\(back.first?.reason ?? "")")
    }

    /// `--fail-on loosen` counts context-dependent changes; `loosen-only` does not.
    @Test func failOnGates() {
        let (a, _) = Checker.check(source: Self.base)
        let (b, _) = Checker.check(source: Self.base.replacingAll("daily_loss 800 USD", with: "daily_loss 1.6%"))
        let diff = SemanticDiff.compare(old: a, new: b)
        #expect(diff.fails(on: "loosen") && diff.fails(on: "context-dependent") && diff.fails(on: "any"))
        #expect(!diff.fails(on: "loosen-only") && !diff.fails(on: "tighten"))
        #expect(diff.summary == "2 templates changed: 2 context-dependent")
    }

    @Test func noChangeIsEmpty() {
        let (rb, _) = Checker.check(source: Self.base)
        #expect(SemanticDiff.compare(old: rb, new: rb).isEmpty)
    }
}

extension String {
    var trimmed: String { split(separator: "\n").map { $0.trimmingPrefixSpaces }.joined(separator: " / ") }
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

extension Substring {
    var trimmingPrefixSpaces: Substring { drop { $0 == " " } }
}
