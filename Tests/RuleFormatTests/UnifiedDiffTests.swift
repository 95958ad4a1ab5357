import Foundation
import RuleFormat
import Testing

/// `unifiedDiff` as `fmt --check --diff` prints it: `diff -u` hunks with three context lines.
@Suite struct UnifiedDiffTests {
    /// The diff between a fixture and its formatted form, pinned as a golden file.
    @Test(arguments: ["comments-one-line-block", "template", "blank-lines"])
    func diffOfFormattingIsGolden(name: String) throws {
        let old = try #require(Fixtures.read(name + ".rules"))
        let new = try #require(formatted(old))
        Fixtures.expectGolden(unifiedDiff(old: old, new: new, path: "rules/\(name).rules"), name + ".diff")
    }

    @Test func equalTextsGiveNoDiff() {
        #expect(unifiedDiff(old: "a\nb\n", new: "a\nb\n", path: "f") == "")
        #expect(unifiedDiff(old: "", new: "", path: "f") == "")
    }

    @Test func oneChangedLine() {
        #expect(unifiedDiff(old: "a\nb\nc\n", new: "a\nB\nc\n", path: "f") == """
            --- a/f
            +++ b/f
            @@ -1,3 +1,3 @@
             a
            -b
            +B
             c

            """)
    }

    @Test func distantChangesMakeTwoHunksAndNearOnesOne() {
        let old = (1...20).map { "l\($0)\n" }.joined()
        let far = old.replacingOccurrences(of: "l2\n", with: "x2\n").replacingOccurrences(of: "l18\n", with: "x18\n")
        #expect(unifiedDiff(old: old, new: far, path: "f") == """
            --- a/f
            +++ b/f
            @@ -1,5 +1,5 @@
             l1
            -l2
            +x2
             l3
             l4
             l5
            @@ -15,6 +15,6 @@
             l15
             l16
             l17
            -l18
            +x18
             l19
             l20

            """)
        // Six equal lines between changes still make one hunk.
        let near = old.replacingOccurrences(of: "l2\n", with: "x2\n").replacingOccurrences(of: "l9\n", with: "x9\n")
        #expect(unifiedDiff(old: old, new: near, path: "f").components(separatedBy: "@@ ").count == 2)
    }

    @Test func insertionsAndDeletionsAtTheEdges() {
        #expect(unifiedDiff(old: "", new: "a\n", path: "f") == "--- a/f\n+++ b/f\n@@ -0,0 +1 @@\n+a\n")
        #expect(unifiedDiff(old: "a\n", new: "", path: "f") == "--- a/f\n+++ b/f\n@@ -1 +0,0 @@\n-a\n")
        #expect(unifiedDiff(old: "a\nb\n", new: "a\nb\nc\n", path: "f") == "--- a/f\n+++ b/f\n@@ -1,2 +1,3 @@\n a\n b\n+c\n")
    }

    @Test func missingFinalNewlineIsMarked() {
        #expect(unifiedDiff(old: "a\nb", new: "a\nb\n", path: "f") == """
            --- a/f
            +++ b/f
            @@ -1,2 +1,2 @@
             a
            -b
            \\ No newline at end of file
            +b

            """)
    }

    @Test func applyingTheDiffGivesTheNewText() {
        // Replaying the hunks over the old lines must rebuild the new text exactly.
        var generator = RulebookGenerator(seed: 99)
        for _ in 0..<200 {
            let old = generator.file()
            guard let new = Formatter.format(old).text else { continue }
            #expect(apply(unifiedDiff(old: old, new: new, path: "f"), to: old) == new)
        }
    }

    @Test func filesThatShareNothingGiveOneReplacementHunk() {
        // Past 2,000 edits the middle is one replacement, so memory stays bounded.
        let old = (0..<3_000).map { "a\($0)\n" }.joined()
        let new = "same\n" + (0..<3_000).map { "b\($0)\n" }.joined() + "end\n"
        let diff = unifiedDiff(old: old, new: new, path: "f")
        #expect(diff.components(separatedBy: "\n@@ ").count == 2)
        #expect(diff.contains("@@ -1,3000 +1,3002 @@\n"))
        #expect(apply(diff, to: old) == new)
    }

    /// A minimal patch tool for the test: trusts the hunk headers' old starts.
    private func apply(_ diff: String, to old: String) -> String {
        if diff.isEmpty { return old }
        var oldLines = old.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let oldHasNewline = old.hasSuffix("\n") || old.isEmpty
        if oldHasNewline { oldLines.removeLast() }
        var out: [String] = []
        var cursor = 0
        var newHasNewline = true
        var lastWasAdd = false
        for line in diff.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2) {
            if line.hasPrefix("@@") {
                let oldPart = line.split(separator: " ")[1].dropFirst()
                var start = Int(oldPart.split(separator: ",")[0]) ?? 0
                let count = oldPart.contains(",") ? Int(oldPart.split(separator: ",")[1]) ?? 0 : 1
                if count > 0 { start -= 1 }
                while cursor < start { out.append(oldLines[cursor]); cursor += 1 }
            } else if line.hasPrefix(" ") { out.append(String(line.dropFirst())); cursor += 1; lastWasAdd = false }
            else if line.hasPrefix("-") { cursor += 1; lastWasAdd = false }
            else if line.hasPrefix("+") { out.append(String(line.dropFirst())); lastWasAdd = true }
            else if line.hasPrefix("\\") { if lastWasAdd { newHasNewline = false } }
        }
        while cursor < oldLines.count { out.append(oldLines[cursor]); cursor += 1 }
        if out.isEmpty { return "" }
        return out.joined(separator: "\n") + (newHasNewline ? "\n" : "")
    }
}
