import Foundation
import RuleBase
@testable import RuleFormat
import RuleSyntax
import Testing

/// Small facts about fmt, as tables: literal spellings, refusals, the self-check.
@Suite struct FormatBehaviourTests {
    @Test(arguments: [
        ("13200 USD", "13_200 USD"), ("1_000.50 USD", "1_000.5 USD"), ("0.2500USD", "0.25 USD"),
        ("1000000 USD", "1_000_000 USD"), ("999 USD", "999 USD"), ("0.0001 USD", "0.0001 USD"),
        ("1.50%", "1.5%"), ("2.0%", "2%"), ("0.25", "0.25"), ("1000", "1_000"), ("1_0_0_0", "1_000"),
        ("1 contracts", "1 contract"), ("2 contract", "2 contracts"), ("10000contracts", "10_000 contracts"),
        ("9:30", "09:30"), ("16:00:00", "16:00"), ("16:00:30", "16:00:30"),
        ("2026-11-26", "2026-11-26"), ("2026-12-31T9:45-06:00", "2026-12-31T09:45-06:00"),
        ("2026-12-31T21:45+00:00", "2026-12-31T21:45Z"), ("2026-12-31T21:45", "2026-12-31T21:45"),
        ("\"a\\tb\"", "\"a\\tb\""), ("sunday", "sunday"),
    ])
    func printsLiteralsCanonically(written: String, canonical: String) {
        #expect(formatted("x \(written)\n") == "x \(canonical)\n")
    }

    @Test func restrictListsTakeCommas() {
        #expect(formatted("risk_category r {\n  restrict CL NG   GC\n}\n") == "risk_category r {\n  restrict CL, NG, GC\n}\n")
    }

    @Test func crlfLineEndingsBecomeLF() {
        #expect(formatted("template t {\r\n  do_not_unlock # why\r\n}\r\n") == "template t {\n  do_not_unlock # why\n}\n")
    }

    @Test func outputEndsWithOneNewlineAndHasNoTrailingSpaces() throws {
        let out = try #require(formatted("template t {   \n  do_not_unlock    \n}\n\n\n\n"))
        #expect(out == "template t {\n  do_not_unlock\n}\n")
    }

    @Test func reportsWhetherTheTextChanged() {
        #expect(Formatter.format("template t {\n  do_not_unlock\n}\n").changed == false)
        #expect(Formatter.format("template t { do_not_unlock }\n").changed == true)
    }

    @Test func formatsATreeWithoutItsDiagnostics() {
        let (tree, _) = Parser.parse("x   1\n")
        #expect(Formatter.format(tree).text == "x 1\n")
        #expect(Formatter.format(Parser.parse("x {\n").tree).status == .refused)
    }

    @Test func indentsTheDeepestNestingTheParserAllows() throws {
        let depth = SyntaxLimits.maxDepth - 1
        let input = (0..<depth).map { _ in "a {" }.joined(separator: " ") + " b 1 # deep " + String(repeating: "\n}", count: depth) + "\n"
        let out = try #require(formatted(input))
        let lines = out.split(separator: "\n")
        #expect(lines.count == 2 * depth + 1)
        #expect(lines[depth] == Substring(String(repeating: "  ", count: depth) + "b 1 # deep"))
        #expect(formatted(out) == out)
    }

    // MARK: Refusal

    @Test(arguments: [
        ("template t {\n  alert {\n", "R1011"),        // unclosed block
        ("template t\n{\n}\n", "R1013"),                // brace on its own line
        ("x 25:00\n", "R1004"),                         // invalid time
        ("x 2026-02-30\n", "R1005"),                    // invalid date
        ("x \"open\n", "R1006"),                        // unterminated string
        ("}\n", "R1012"),                               // stray closing brace
        ("x { y } z\n", "R1014"),                       // text after a block
        ("x 5ES\n", "R1009"),                           // malformed literal
        ("x $5\n", "R1002"),                            // unexpected character
    ])
    func refusesFilesWithSyntaxErrors(text: String, code: String) {
        let r = Formatter.format(text)
        #expect(r.status == .refused)
        #expect(r.text == nil)
        #expect(!r.changed)
        #expect(r.diagnostics.contains { $0.code.id == code }, "diagnostics: \(r.diagnostics.map(\.code.id))")
        #expect(r.diagnostics.allSatisfy { $0.severity == .error })
    }

    // MARK: Self-check

    @Test func selfCheckRejectsChangedMeaning() throws {
        let (tree, _) = Parser.parse("x 5, USD # c\n")
        let problem = try #require(Formatter.selfCheck(input: tree, output: "x 5 USD # c\n"))
        #expect(problem.code == .formatterChangedMeaning)
        #expect(problem.code.id == "R9101")
        #expect(problem.code.name == "formatter-changed-meaning")
    }

    @Test func selfCheckRejectsOutputThatDoesNotParse() throws {
        let (tree, _) = Parser.parse("x 1\n")
        let problem = try #require(Formatter.selfCheck(input: tree, output: "x {\n"))
        #expect(problem.code == .formatterChangedMeaning)
    }

    @Test func selfCheckRejectsLostOrDuplicatedComments() throws {
        let (tree, _) = Parser.parse("x 1 # a\n# b\ny 2\n")
        #expect(Formatter.selfCheck(input: tree, output: "x 1 # a\n# b\ny 2\n") == nil)
        #expect(Formatter.selfCheck(input: tree, output: "x 1 # a\ny 2\n")?.code == .formatterLostComment)
        #expect(Formatter.selfCheck(input: tree, output: "x 1 # a\n# b\n# b\ny 2\n")?.code == .formatterLostComment)
        // A comment fused into another is lost as well.
        #expect(Formatter.selfCheck(input: tree, output: "x 1 # a # b\ny 2\n")?.code == .formatterLostComment)
    }

    @Test func selfCheckAcceptsReorderingOnlyWhereOrderHasNoMeaning() {
        let (tree, _) = Parser.parse("template t {\n  do_not_unlock\n  starting_balance 1 USD\n}\nrisk_category r {\n  restrict A\n  max_long B 1\n}\n")
        #expect(Formatter.selfCheck(input: tree,
            output: "template t {\n  starting_balance 1 USD\n  do_not_unlock\n}\n\nrisk_category r {\n  restrict A\n  max_long B 1\n}\n") == nil)
        #expect(Formatter.selfCheck(input: tree,
            output: "template t {\n  starting_balance 1 USD\n  do_not_unlock\n}\n\nrisk_category r {\n  max_long B 1\n  restrict A\n}\n")?
            .code == .formatterChangedMeaning)
        // Declarations keep their order; only imports move up.
        let (decls, _) = Parser.parse("template a {\n}\nimport \"x\"\ntemplate b {\n}\n")
        #expect(Formatter.selfCheck(input: decls, output: "import \"x\"\n\ntemplate a {\n}\n\ntemplate b {\n}\n") == nil)
        #expect(Formatter.selfCheck(input: decls, output: "import \"x\"\n\ntemplate b {\n}\n\ntemplate a {\n}\n")?
            .code == .formatterChangedMeaning)
    }

    @Test(arguments: [
        ("x 1_000.50 USD", "x 1000.5USD", true), ("x 1 contract", "x 1 contracts", true), ("x 1.50%", "x 1.5%", true),
        ("x 1 USD", "x 1", false), ("x 1", "x 1%", false), ("x \"a\"", "x a", false), ("x 16:00", "x 16:00:01", false),
        ("x 2026-01-01T10:00", "x 2026-01-01T10:00Z", false), ("x 2026-01-01T10:00Z", "x 2026-01-01T10:00+00:00", true),
        ("x \"a\\tb\"", "x \"a\tb\"", true), ("x { y 1 }", "x {\n  y 1\n}", true), ("x { y 1 }", "x", false),
    ])
    func sameMeaningIgnoresSpellingOnly(a: String, b: String, same: Bool) {
        #expect(Parser.parse(a).tree.sameMeaning(as: Parser.parse(b).tree) == same)
    }

    @Test func formatCodesAreInTheInternalRange() {
        for code in DiagnosticCode.formatCodes {
            #expect((9100..<9200).contains(Int(code.number)))
            #expect(!DiagnosticCode.syntaxCodes.contains(code))
        }
    }
}
