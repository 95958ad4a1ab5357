import Foundation
import Testing
import RuleBase
import RuleSyntax
import RuleSemantics

/// One golden case: `diagnostics/NAME.rules` (or the folder `diagnostics/NAME/` with
/// `main.rules` as its entry) and the expected text in `diagnostics/NAME.expected`. The name
/// starts with the code the case is about: `R2007-unknown-calendar`.
struct GoldenCase: Sendable, CustomTestStringConvertible {
    let name: String
    let isFolder: Bool
    var testDescription: String { name }
    var intendedCode: String { String(name.prefix(while: { $0 != "-" })) }

    static func all() -> [GoldenCase] {
        guard let dir = Fixtures.bundled?.appendingPathComponent("diagnostics"),
              let entries = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else { return [] }
        var cases: [GoldenCase] = []
        for entry in entries where !entry.hasSuffix(".expected") {
            var isDir: ObjCBool = false
            FileManager.default.fileExists(atPath: dir.appendingPathComponent(entry).path, isDirectory: &isDir)
            if isDir.boolValue {
                cases.append(GoldenCase(name: entry, isFolder: true))
            } else if entry.hasSuffix(".rules") {
                cases.append(GoldenCase(name: String(entry.dropLast(".rules".count)), isFolder: false))
            }
        }
        return cases.sorted { $0.name < $1.name }
    }

    /// Runs the check and renders every diagnostic.
    func run() -> (codes: [String], text: String) {
        let (model, diagnostics): (CheckedRulebook, [Diagnostic])
        if isFolder {
            (model, diagnostics) = check("main.rules", files: Fixtures.files(under: "diagnostics/\(name)"))
        } else {
            let files = Fixtures.files(under: "diagnostics").filter { $0.key == name + ".rules" }
            (model, diagnostics) = check(name + ".rules", files: files)
        }
        return (diagnostics.map(\.code.id), render(diagnostics, model))
    }
}

@Suite("Golden diagnostics")
struct GoldenDiagnosticTests {
    static let updating = ProcessInfo.processInfo.environment["RULEC_UPDATE_GOLDENS"] == "1"

    @Test("the rendered diagnostics match the .expected file", arguments: GoldenCase.all())
    func golden(_ c: GoldenCase) throws {
        let (_, text) = c.run()
        let expectedURL = Fixtures.source.appendingPathComponent("diagnostics/\(c.name).expected")
        if Self.updating {
            try text.write(to: expectedURL, atomically: true, encoding: .utf8)
            return
        }
        let bundledURL = try #require(Fixtures.bundled?.appendingPathComponent("diagnostics/\(c.name).expected"))
        let expected = try #require(try? String(contentsOf: bundledURL, encoding: .utf8),
                                    "missing \(c.name).expected; run with RULEC_UPDATE_GOLDENS=1 and review the diff")
        #expect(text == expected)
    }

    @Test("each case produces the code in its name", arguments: GoldenCase.all())
    func intendedCode(_ c: GoldenCase) {
        #expect(c.run().codes.contains(c.intendedCode))
    }

    @Test("the golden cases cover at least 35 distinct codes, every one a known code")
    func coverage() {
        let known = Set((DiagnosticCode.syntaxCodes + DiagnosticCode.semanticCodes).map(\.id))
        let covered = Set(GoldenCase.all().map(\.intendedCode))
        #expect(covered.count >= 35)
        #expect(covered.subtracting(known).sorted() == [])
        // Every code has a golden case except the ones listed here, each tested elsewhere.
        let elsewhere: Set<String> = [
            "R9001",   // a 16 MiB file: LexerTests.fileSizeLimit
            "R9004",   // a 65-file import chain: CheckerTests.importChainTooDeep
        ]
        #expect(known.subtracting(covered).subtracting(elsewhere).sorted() == [])
    }
}

@Suite("Diagnostic code catalog")
struct CatalogTests {
    static let all = DiagnosticCode.syntaxCodes + DiagnosticCode.semanticCodes

    @Test("numbers and names are unique")
    func unique() {
        #expect(Set(Self.all.map(\.number)).count == Self.all.count)
        #expect(Set(Self.all.map(\.name)).count == Self.all.count)
    }

    @Test("every code is well formed", arguments: all)
    func wellFormed(_ code: DiagnosticCode) {
        #expect(code.id.wholeMatch(of: #/R\d{4}/#) != nil)
        #expect(code.name.wholeMatch(of: #/[a-z0-9]+(-[a-z0-9]+)*/#) != nil)
        #expect(!code.explanation.isEmpty)
        #expect(code.explanation.hasSuffix("."))
        // The phase digit matches the list the code is in.
        let phase = code.number / 1000
        #expect(DiagnosticCode.syntaxCodes.contains(code) ? [1, 9].contains(phase) : [2, 3, 4, 5, 9].contains(phase))
    }
}
