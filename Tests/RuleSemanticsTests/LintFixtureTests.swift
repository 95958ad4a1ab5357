import Foundation
import RuleBase
import RuleSemantics
import Testing

/// One golden test per lint: the bad rulebook reports exactly its golden findings (and at
/// least one with the code), the good one checks clean.
@Suite struct LintFixtureTests {
    static let codes = LintFixtures.documented.map(\.id)

    @Test(arguments: codes)
    func badFixtureMatchesGolden(code: String) throws {
        let source = try LintFixtures.text("\(code).bad.rules")
        let (rb, diags) = LintFixtures.check(source, path: "\(code).bad.rules")
        #expect(diags.contains { $0.code.id == code }, "\(code).bad.rules does not trigger \(code)")
        let rendered = LintFixtures.render(diags, rb.sources)
        let golden = try LintFixtures.golden("\(code).bad.txt", rendered)
        #expect(golden == rendered)
    }

    @Test(arguments: codes)
    func goodFixtureIsClean(code: String) throws {
        let source = try LintFixtures.text("\(code).good.rules")
        let (rb, diags) = LintFixtures.check(source, path: "\(code).good.rules")
        #expect(diags.isEmpty, "\(LintFixtures.render(diags, rb.sources))")
    }

    @Test func everyLintHasAFixturePair() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: LintFixtures.directory.path)
        for code in Self.codes {
            #expect(files.contains("\(code).bad.rules") && files.contains("\(code).good.rules"), "missing fixtures for \(code)")
        }
        let stray = files.filter { f in !Self.codes.contains { f.hasPrefix($0 + ".") } }
        #expect(stray.isEmpty, "fixtures without a documented code: \(stray)")
    }

    @Test func lintCodesAreStableAndUnique() {
        let all = DiagnosticCode.semanticCodes + Lints.codes
        #expect(Set(all.map(\.number)).count == all.count)
        #expect(Set(all.map(\.name)).count == all.count)
        for c in Lints.codes {
            #expect((5000..<6000).contains(Int(c.number)))
            #expect(c.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" })
        }
        #expect(Lints.all.map(\.code.number) == Lints.all.map(\.code.number).sorted())
    }

    /// Messages are lowercase, end without a period and carry no line break; every lint
    /// finding has a help line.
    @Test(arguments: codes)
    func messageStyle(code: String) throws {
        let source = try LintFixtures.text("\(code).bad.rules")
        let (_, diags) = LintFixtures.check(source, path: "\(code).bad.rules")
        for d in diags {
            #expect(d.message.first.map { !$0.isUppercase } ?? false, "\(d.message)")
            #expect(!d.message.hasSuffix("."), "\(d.message)")
            #expect(!d.message.contains("\n"))
            #expect(d.help != nil, "\(d.code.id) has no help")
        }
    }
}
