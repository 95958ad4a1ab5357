import Foundation
import Testing
import RuleBase
import RuleJSON
import RuleSemantics
import RuleTools

/// Golden broker JSON for every bundled template, and golden imports.
@Suite struct BrokerGoldenTests {
    static let templateNames: [String] = BrokerFixtures.bundled?.effectiveTemplates.map(\.name.value) ?? []

    @Test func bundledRulebooksLoad() throws {
        let rb = try #require(BrokerFixtures.bundled, "rules/ did not check cleanly")
        #expect(rb.effectiveTemplates.count >= 7)
    }

    /// `rulec compile --target broker-json --lossy --template NAME` and the warnings it prints.
    @Test(arguments: templateNames)
    func exportGolden(_ name: String) throws {
        let rb = try #require(BrokerFixtures.bundled)
        let t = try #require(rb.effective(name))
        let r = BrokerExport.export(t, in: rb)
        BrokerFixtures.expectGolden(r.template.json.readableText(), "export/\(name).json")
        let issues = r.issues.map { "\(BrokerFixtures.locate($0.span, rb)): [\($0.construct)] \($0.message)\n" }.joined()
        BrokerFixtures.expectGolden(issues, "export/\(name).lossy.txt")
    }

    /// The golden JSON reads back to the same typed objects (decode ∘ encode = id).
    @Test(arguments: templateNames)
    func exportGoldenDecodes(_ name: String) throws {
        let rb = try #require(BrokerFixtures.bundled)
        let t = try #require(rb.effective(name))
        let doc = BrokerExport.export(t, in: rb).template
        let decoded = try BrokerImport.decode(JSONParser.parse(doc.json.readableText())).get()
        #expect(decoded == doc)
    }

    /// Every `import/*.json` fixture: its rulebook text (`*.rules`) or its errors (`*.errors.txt`).
    @Test(arguments: BrokerFixtures.names(in: "import", suffix: ".json"))
    func importGolden(_ file: String) throws {
        let json = try #require(BrokerFixtures.read("import/" + file))
        let base = String(file.dropLast(5))
        let options = BrokerImportOptions(calendar: "cme", imports: ["std/cme.rules"])
        switch BrokerImport.rulebook(json: Array(json.utf8), options: options) {
        case let .success(text):
            BrokerFixtures.expectGolden(text, "import/\(base).rules")
            #expect(!base.hasPrefix("error-"), "\(file) should not import")
            // The result checks against the bundled catalog.
            let cme = try #require(BrokerFixtures.bundledFile("std/cme.rules"))
            let (_, diags) = Checker.check(source: text, path: "imported.rules", files: ["std/cme.rules": cme])
            #expect(diags.filter { $0.severity == .error }.isEmpty, "\(diags)")
        case let .failure(f):
            BrokerFixtures.expectGolden(f.description + "\n", "import/\(base).errors.txt")
            #expect(base.hasPrefix("error-"), "\(file) should import: \(f)")
        }
    }

    /// A strict export of a template with a construct the broker lacks fails naming it.
    @Test func strictExportNamesEveryLossyConstruct() throws {
        let source = """
            calendar late {
              timezone "America/New_York"
              end_of_day 15:00
            }
            product ES {
              point_value 50 USD
            }
            product MES {
              point_value 5 USD
            }
            time_period p {
              start 15:55:30
              stop 17:00
              on 2026-11-26 start 11:55:10
            }
            risk_category c {
              max_position ES 5
              max_group minis 5 {
                ES 1
                MES 0.1
              }
            }
            template t {
              calendar late
              time_period p
              risk_category c
              alert {
                weekly_loss 100 USD
                daily_profit 2%
              }
              liquidate_only {
                weekly_profit 500 USD
              }
              auto_liquidate {
                weekly_loss 3%
                weekly_profit 4%
                daily_profit 5%
              }
              flatten_at 2026-12-18T08:00
            }
            """
        let (rb, diags) = Checker.check(source: source)
        #expect(diags.filter { $0.severity == .error }.isEmpty, "\(diags)")
        let t = try #require(rb.effective("t"))
        let r = BrokerExport.export(t, in: rb)  // no offset provider: flatten_at cannot be resolved
        let constructs = r.issues.map(\.construct)
        #expect(constructs == [
            "alert.weekly_loss (USD)", "alert.daily_profit (%)", "liquidate_only.weekly_profit (USD)",
            "auto_liquidate.weekly_loss (%)", "auto_liquidate.daily_profit (%)", "auto_liquidate.weekly_profit (%)",
            "flatten_at",
            "calendar late: timezone", "calendar late: end_of_day",
            "max_group minis",
            "time_period p: seconds", "time_period p: seconds",
        ])
        #expect(r.issues.allSatisfy { $0.span != nil })
        BrokerFixtures.expectGolden(r.issues.map { "\(BrokerFixtures.locate($0.span, rb)): \($0.message)\n" }.joined(),
                                    "export/strict-errors.txt")
        // Lossy export keeps everything else: the position limit, the period (seconds dropped).
        #expect(r.template.riskCategory?.positionLimits == [BrokerPositionLimit(productSymbol: "ES", longLimit: 5, shortLimit: 5)])
        #expect(r.template.riskTimePeriod?.startTime == TimeOfDay(hour: 15, minute: 55))
        #expect(r.template.riskTimePeriod?.scheduledEdits.first?.startTime == TimeOfDay(hour: 11, minute: 55))
        #expect(r.template.postTradeRisk.isEmpty)
    }

    /// A `flatten_at` without offset is resolved in the calendar's zone by the caller's provider.
    @Test func flattenWithoutOffsetUsesTheProvider() throws {
        let source = """
            calendar cme {
              timezone "America/Chicago"
            }
            template t {
              calendar cme
              flatten_at 2026-12-18T08:00
            }
            """
        let (rb, _) = Checker.check(source: source)
        let t = try #require(rb.effective("t"))
        let r = BrokerExport.export(t, in: rb) { wall, zone in
            zone == "America/Chicago" && wall.date.month == 12 ? UTCOffset(seconds: -6 * 3600) : nil
        }
        #expect(r.issues.isEmpty)
        #expect(r.template.json.spacedText == #"{"name": "t", "postTradeRisk": {"flattenTimestamp": "2026-12-18T08:00:00-06:00"}}"#)
    }
}
