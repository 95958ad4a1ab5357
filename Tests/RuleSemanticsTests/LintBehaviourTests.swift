import Foundation
import RuleBase
import RuleSemantics
import Testing

/// Facts about individual lints beyond the fixture pairs: inheritance, library files, the
/// clock, and the bundled rulebooks.
@Suite struct LintBehaviourTests {
    static func codes(_ source: String, files: [String: String] = [:], options: CheckOptions = LintFixtures.options) -> [String] {
        Checker.check(source: source, path: "main.rules", files: files, options: options).1.map(\.code.id)
    }

    static let parentWithInvertedTiers = """
        template base {
          alert {
            daily_loss 3%
          }
          auto_liquidate {
            daily_loss 2%
          }
        }
        template a extends base {
          starting_balance 50_000 USD
        }
        template b extends base {
          starting_balance 100_000 USD
        }

        """

    @Test func inheritedFindingIsReportedOnceForTheParent() {
        let (_, diags) = Checker.check(source: Self.parentWithInvertedTiers, options: LintFixtures.options)
        #expect(diags.map(\.code.id) == ["R5001"])
        #expect(diags.first?.notes == ["in template `base`"])
    }

    @Test func libraryFilesMayDefineUnusedThings() {
        let library = """
            product ES {
              point_value 50 USD
            }
            risk_category spare {
              restrict ES
            }
            template shared {
              auto_liquidate {
                daily_loss 2%
              }
            }

            """
        // Checked alone: no account template, so nothing is "unused".
        #expect(Self.codes(library) == [])
        // Imported by an account rulebook: not an entry file, still nothing.
        let account = """
            import "lib.rules"
            template eval_50k extends shared {
              starting_balance 50_000 USD
            }

            """
        #expect(Self.codes(account, files: ["lib.rules": library]) == [])
    }

    @Test func pastDatesNeedAClock() {
        let source = """
            template eval_50k {
              starting_balance 50_000 USD
              auto_liquidate {
                daily_loss 1_000 USD
              }
              flatten_at 2020-01-01T08:00Z
            }

            """
        #expect(Self.codes(source) == ["R5010"])
        #expect(Self.codes(source, options: CheckOptions(lints: true)) == [])
    }

    @Test func flattenWithoutOffsetIsReadInTheCalendarZone() {
        // 16:00 Chicago is inside the 15:55-17:00 window; 16:00Z (10:00 Chicago) is not.
        func source(_ at: String) -> String {
            """
            calendar cme {
              timezone "America/Chicago"
            }
            time_period close_out {
              start 15:55
              stop 17:00
            }
            template eval_50k {
              calendar cme
              time_period close_out
              starting_balance 50_000 USD
              auto_liquidate {
                daily_loss 1_000 USD
              }
              flatten_at \(at)
            }

            """
        }
        // 16:00 in Chicago is also the daily break (R5022).
        #expect(Self.codes(source("2026-12-18T16:00")) == ["R5011", "R5022"])
        #expect(Self.codes(source("2026-12-18T16:00Z")) == [])
        #expect(Self.codes(source("2026-12-18T22:00Z")) == ["R5011", "R5022"])
    }

    @Test func crossingWindowCoversTheNextMorning() {
        let source = """
            calendar cme {
              timezone "America/Chicago"
            }
            time_period night {
              start 15:55
              stop 07:00
            }
            template funded {
              calendar cme
              time_period night
              starting_balance 100_000 USD
              auto_liquidate {
                daily_loss 2_000 USD
              }
              flatten_at 2026-12-18T06:30-06:00
            }

            """
        #expect(Self.codes(source) == ["R5021", "R5011"])
    }

    @Test func replacingTheCategoryWithALooserOneIsReported() {
        let source = """
            product ES {
              point_value 50 USD
            }
            product NG {
              point_value 10_000 USD
            }
            risk_category tight {
              max_position ES 5
              restrict NG
            }
            risk_category loose {
              max_position ES 10
              max_position NG 1
            }
            template base {
              risk_category tight
              auto_liquidate {
                daily_loss 2%
              }
            }
            template big extends base {
              starting_balance 150_000 USD
              risk_category loose
            }

            """
        let (_, diags) = Checker.check(source: source, options: LintFixtures.options)
        #expect(diags.map(\.code.id) == ["R5013"])
        #expect(diags.first?.message == "template `big` replaces risk category `tight` of `base` with `loose`, which allows more of `ES`, `NG`")
    }

    @Test func earlyClosesBeforeTodayAreIgnored() {
        let source = """
            calendar cme {
              timezone "America/Chicago"
              early_close 2026-07-03 12:00
              early_close 2026-11-27 12:15
            }
            time_period close_out {
              start 15:55
              stop 17:00
              on 2026-11-27 start 12:10
            }
            template eval_50k {
              calendar cme
              time_period close_out
              starting_balance 50_000 USD
              auto_liquidate {
                daily_loss 1_000 USD
              }
            }

            """
        #expect(Self.codes(source) == [])
        var july = LintFixtures.options
        july.now = Instant(epochSeconds: 1_782_864_000)   // 2026-07-01T00:00Z
        #expect(Self.codes(source, options: july) == ["R5016"])
    }

    @Test func lintsAreOptIn() {
        let (_, diags) = Checker.check(source: "template t {\n  starting_balance 1 USD\n}\n  # rulec-allow R5001\n")
        #expect(diags.isEmpty)
        #expect(Self.codes("template t {\n  starting_balance 1 USD\n}\n") == ["R5014"])
    }

    @Test func errorsStopTheLints() {
        let source = """
            template eval_50k {
              starting_balance 50_000 USD
              alert {
                daily_loss 1 contract
              }
            }

            """
        #expect(Self.codes(source) == ["R3001"])
    }

    /// The bundled rulebooks check clean, warnings included, at the fixtures' instant.
    @Test func bundledRulebooksAreClean() throws {
        let root = LintFixtures.readme.deletingLastPathComponent()
        var entries: [String] = []
        for dir in ["rules", "examples"] {
            let base = root.appendingPathComponent(dir)
            let found = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
            entries += found.filter { $0.hasSuffix(".rules") }.map { "\(dir)/\($0)" }
        }
        #expect(entries.count >= 7)
        // Each file is its own rulebook (with its imports), as `rulec check` reads them.
        for entry in entries.sorted() {
            let (rb, diags) = Checker.check(entries: [entry], options: LintFixtures.options) { path in
                guard let data = FileManager.default.contents(atPath: root.appendingPathComponent(path).path) else { return .notFound }
                return .loaded(Array(data))
            }
            #expect(diags.isEmpty, "\(entry): \(LintFixtures.render(diags, rb.sources))")
        }
    }

    // MARK: Review lints (R5018-R5025)

    static func account(_ body: String, _ defs: String = "") -> String {
        "calendar cme {\n  timezone \"America/Chicago\"\n  holiday 2026-12-25\n  early_close 2026-12-24 12:15\n}\n" + defs
            + "template eval_50k {\n  calendar cme\n  starting_balance 50_000 USD\n  auto_liquidate {\n    daily_loss 1_000 USD\n  }\n" + body + "\n}\n"
    }

    @Test(arguments: [
        ("  alert {\n    daily_loss 0.99%\n  }", ["R5018"]),
        ("  alert {\n    daily_loss 1%\n  }", []),
        ("  alert {\n    margin 0.8%\n  }", ["R5018"]),
    ])
    func fractionLookingPercent(body: String, expected: [String]) {
        #expect(Self.codes(Self.account(body)) == expected)
    }

    /// Closed: a weekend, a holiday's trade date (from the evening before), after an early
    /// close, the daily break; open: a Sunday evening session and a weekday morning.
    @Test(arguments: [
        ("2026-12-19T10:00", true),     // Saturday
        ("2026-12-20T12:00", true),     // Sunday before the open
        ("2026-12-20T18:00", false),    // Sunday evening: Monday's session
        ("2026-12-24T18:00", true),     // the evening before Christmas belongs to the holiday
        ("2026-12-25T09:00", true),     // Christmas
        ("2026-12-24T12:15", true),     // the early close itself
        ("2026-12-24T12:14", false),
        ("2026-12-21T16:30", true),     // the daily break
        ("2026-12-18T16:00", true),     // Friday's close
        ("2026-12-21T08:00", false),
        ("2026-12-21T08:00-06:00", false),
        ("2026-12-21T22:30Z", true),    // 16:30 in Chicago
    ])
    func flattenAtMarketClosed(at: String, closed: Bool) {
        #expect(Self.codes(Self.account("  flatten_at \(at)")).contains("R5022") == closed)
    }

    @Test(arguments: [
        ("max_long MES 60\n  max_short MES 40", ["R5023"]),      // only the long side passes 50
        ("max_position MES 50", []),
        ("max_long NG 2", []),                                    // the group caps both sides of NG
    ])
    func productLimitsUnderAGroup(limits: String, expected: [String]) {
        let defs = "product MES {\n  point_value 5 USD\n}\nproduct NG {\n  point_value 10_000 USD\n}\n"
            + "risk_category c {\n  \(limits)\n  max_position NG 1\n  max_group g 5 {\n    MES 0.1\n    NG 2\n  }\n}\n"
        let source = Self.account("  risk_category c", defs).replacingOccurrences(of: "  max_long NG 2\n  max_position NG 1", with: "  max_long NG 2")
        #expect(Self.codes(source).filter { $0.hasPrefix("R502") } == expected)
    }

    /// `max_short X 0` is long-only: accepted, and it caps the short side; `max_position X 0`
    /// is still an error (that is `restrict`).
    @Test func zeroCapsOneSide() {
        let defs = "product NG {\n  point_value 10_000 USD\n}\nrisk_category c {\n  max_long NG 2\n  max_short NG 0\n}\n"
        #expect(Self.codes(Self.account("  risk_category c", defs)) == [])
        let (rb, _) = Checker.check(source: Self.account("  risk_category c", defs), options: LintFixtures.options)
        #expect(rb.riskCategories["c"]?.limits.first?.short == 0)
        let both = defs.replacingOccurrences(of: "  max_long NG 2\n  max_short NG 0", with: "  max_position NG 0")
        #expect(Self.codes(Self.account("  risk_category c", both)) == ["R3005"])
    }

    @Test(arguments: [
        ("15:50", "17:00", []),           // contains the parent's window
        ("15:55", "16:59", ["R5025"]),    // trades from 16:59
        ("15:00", "07:00", []),           // overnight, contains it (a note for crossing midnight)
        ("18:00", "07:00", ["R5025"]),
    ])
    func childTimePeriod(start: String, stop: String, expected: [String]) {
        let defs = "time_period p {\n  start 15:55\n  stop 17:00\n}\ntime_period c {\n  start \(start)\n  stop \(stop)\n}\n"
            + "template base {\n  calendar cme\n  time_period p\n  auto_liquidate {\n    daily_loss 2%\n  }\n}\n"
        let source = "calendar cme {\n  timezone \"America/Chicago\"\n}\n" + defs
            + "template eval_50k extends base {\n  starting_balance 50_000 USD\n  time_period c\n}\n"
        #expect(Self.codes(source).filter { $0 == "R5025" } == expected)
    }
}
