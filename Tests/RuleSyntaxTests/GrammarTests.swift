import Foundation
import Testing
import RuleSyntax

/// Keeps grammar.ebnf and `Keyword` in step: the grammar is the reference a rulebook author
/// reads, and the lexer must reserve exactly the words it lists.
@Suite("grammar.ebnf")
struct GrammarTests {
    static func grammar() throws -> String {
        let root = try #require(repoRoot(), "no Package.swift above \(#filePath)")
        return try String(contentsOf: root.appendingPathComponent("grammar.ebnf"), encoding: .utf8)
    }

    /// The grammar without `(* ... *)` comments.
    static func withoutComments(_ text: String) -> String {
        text.replacing(#/\(\*(.|\n)*?\*\)/#, with: " ")
    }

    static func terminals(_ text: String) -> Set<String> {
        Set(text.matches(of: #/"([^"\n]*)"/#).map { String($0.output.1) })
    }

    static func keywordProduction() throws -> String {
        let clean = withoutComments(try grammar())
        let match = try #require(clean.firstMatch(of: #/(?m)^keyword\s*=([^;]*);/#), "no `keyword = ...;` production")
        return String(match.output.1)
    }

    static func settingsSection() throws -> String {
        let text = try grammar()
        let start = try #require(text.range(of: "3. Settings layer"), "no section 3 heading")
        return withoutComments(String(text[start.upperBound...]))
    }

    @Test("the `keyword` production lists exactly the lexer's keywords")
    func keywordSetMatches() throws {
        let grammarKeywords = Self.terminals(try Self.keywordProduction())
        let lexerKeywords = Set(Keyword.all.map(\.text))
        #expect(grammarKeywords.subtracting(lexerKeywords).sorted() == [], "in grammar.ebnf, not in Keyword")
        #expect(lexerKeywords.subtracting(grammarKeywords).sorted() == [], "in Keyword, not in grammar.ebnf")
        #expect(grammarKeywords.count == Keyword.all.count)
    }

    @Test("every keyword is used by a setting in section 3; units are part of the literals of section 1")
    func everyKeywordIsUsed() throws {
        let settings = Self.terminals(try Self.settingsSection())
        let units: Set<String> = ["USD", "contracts", "contract"]
        let unused = Keyword.all.map(\.text).filter { !settings.contains($0) && !units.contains($0) }
        #expect(unused == [])
        // Units appear in the lexical productions instead.
        let lexical = Self.terminals(Self.withoutComments(try Self.grammar()).components(separatedBy: "keyword        =")[0])
        #expect(units.subtracting(lexical).isEmpty)
    }

    @Test("section 3 uses no quoted word that is not a keyword or punctuation")
    func noStrayTerminals() throws {
        let settings = Self.terminals(try Self.settingsSection())
        let allowed = Set(Keyword.all.map(\.text)).union(["{", "}", ","])
        #expect(settings.subtracting(allowed).sorted() == [])
    }

    @Test("keyword spellings are unique and round-trip through lookup")
    func spellingsRoundTrip() {
        #expect(Set(Keyword.all.map(\.text)).count == Keyword.all.count)
        for k in Keyword.all {
            #expect(Keyword.lookup(k.text) == k)
            #expect(!k.text.isEmpty)
        }
        #expect(Keyword.lookup("") == Keyword.none)
    }
}
