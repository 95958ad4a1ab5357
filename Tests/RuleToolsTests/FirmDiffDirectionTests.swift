import RuleBase
import RuleSemantics
import RuleTools
import Testing

/// Directions of the firm rules (issue 13), as `DiffDirectionTests` does for the broker's: an
/// edit of a small rulebook, the changes `rulec diff` reports for `acct`, and the reverse edit
/// with tightens and loosens swapped.
@Suite struct FirmDiffDirectionTests {
    static let base = """
        calendar cme {
          timezone "America/Chicago"
        }
        product ES {
          point_value 50 USD
        }
        product MES {
          point_value 5 USD
        }
        template acct {
          calendar cme
          starting_balance 50_000 USD
          trailing_drawdown 2_000 USD
          objectives {
            profit_target 3_000 USD
            min_trading_days 5
            winning_days 5 at_least 50 USD
            consistency 40%
          }
          scaling_plan {
            max_contracts 2
            max_contracts 3 above 1_500 USD
            ES 1
            MES 0.1
          }
          news_windows {
            before 2 minutes
            after 2 minutes
            news 2026-12-09T13:00-06:00 ES MES
          }
          flat_by {
            ES 15:55
          }
          max_position_loss 500 USD
          payout {
            consistency 45%
          }
        }

        """

    static let rows: [(String, String, [String])] = [
        ("profit_target 3_000 USD", "profit_target 3_500 USD", ["objectives.profit_target tightens"]),
        ("    profit_target 3_000 USD\n", "", ["objectives.profit_target loosens"]),
        ("min_trading_days 5", "min_trading_days 7", ["objectives.min_trading_days tightens"]),
        ("winning_days 5 at_least 50 USD", "winning_days 5 at_least 100 USD", ["objectives.winning_days tightens"]),
        ("winning_days 5 at_least 50 USD", "winning_days 6 at_least 40 USD", ["objectives.winning_days neutral"]),
        ("consistency 40%", "consistency 30%", ["objectives.consistency tightens"]),
        ("max_contracts 3 above 1_500 USD", "max_contracts 3 above 2_000 USD", ["scaling_plan tightens"]),
        ("max_contracts 2\n", "max_contracts 1\n", ["scaling_plan tightens"]),
        ("    MES 0.1\n", "    MES 0.2\n", ["scaling_plan tightens"]),
        ("max_contracts 2\n", "max_contracts 4\n", ["scaling_plan loosens"]),
        ("before 2 minutes", "before 5 minutes", ["news_windows tightens"]),
        ("    after 2 minutes\n", "    after 2 minutes\n    flatten_positions\n", ["news_windows tightens"]),
        ("news 2026-12-09T13:00-06:00 ES MES", "news 2026-12-09T13:00-06:00 ES", ["news_windows loosens"]),
        ("before 2 minutes\n    after 2 minutes", "before 1 minute\n    after 5 minutes", ["news_windows neutral"]),
        ("ES 15:55", "ES 15:30", ["flat_by tightens"]),
        ("max_position_loss 500 USD", "max_position_loss 400 USD", ["max_position_loss tightens"]),
        ("  max_position_loss 500 USD\n", "", ["max_position_loss loosens"]),
        ("consistency 45%", "consistency 35%", ["payout.consistency tightens"]),
    ]

    static func changes(_ old: String, _ new: String) -> [String] {
        let (a, da) = Checker.check(source: old), (b, db) = Checker.check(source: new)
        #expect(!da.contains { $0.severity == .error }, "old has errors: \(da.map(\.message))")
        #expect(!db.contains { $0.severity == .error }, "new has errors: \(db.map(\.message))")
        return SemanticDiff.compare(old: a, new: b).templates.first { $0.template == "acct" }?.changes
            .map { "\($0.setting) \($0.direction.rawValue)" } ?? []
    }

    @Test("each firm rule has a direction, and the reverse edit the opposite one", arguments: rows.indices)
    func direction(_ k: Int) {
        let (from, to, expected) = Self.rows[k]
        #expect(Self.base.contains(from), "edit `\(from)` does not apply")
        let edited = Self.base.replacingAll(from, with: to)
        #expect(Self.changes(Self.base, edited) == expected)
        let swapped = expected.map { line -> String in
            if line.hasSuffix(" tightens") { return String(line.dropLast(8)) + "loosens" }
            if line.hasSuffix(" loosens") { return String(line.dropLast(7)) + "tightens" }
            return line
        }
        #expect(Self.changes(edited, Self.base) == swapped, "backwards")
    }
}
