import RuleTestSupport
import Foundation
import Testing
import RuleBase
import RuleSyntax
import RuleSemantics

/// Mutants of realistic rulebooks must never crash the front end, must get diagnostics that
/// point inside a loaded file, and must get the same output every time.
@Suite("Property: mutated rulebooks")
struct MutationPropertyTests {
    static let rulebooks = Fixtures.files(under: "rulebooks")
    static let entries = rulebooks.keys.filter { !$0.hasPrefix("std/") }.sorted()

    static let tokens: [[UInt8]] = (["{", "}", "\"", "#", "0", "7", "42", ":", "-", ";", ",", "\n", " ", "\t", "\r\n",
                                     "%", ".", "_", "T", "Z", "USD", "16:00", "2026-02-30", "\\", "é", "€", "注",
                                     "import \"std/cme.rules\"", "import \"full.rules\"", "import \"../x.rules\""]
                                    + Keyword.all.map(\.text)).map { Array($0.utf8) } + [[0x00], [0xFF], [0xC3]]

    /// One random edit of `bytes`.
    static func mutate(_ bytes: inout [UInt8], _ rng: inout SplitMix64) {
        let n = bytes.count
        func range() -> Range<Int> {
            let a = rng.below(n + 1)
            return a..<min(n, a + 1 + rng.below(40))
        }
        switch rng.below(6) {
        case 0: bytes.removeSubrange(range())                                    // delete
        case 1: let r = range(); bytes.insert(contentsOf: bytes[r], at: rng.below(n + 1))   // duplicate
        case 2:                                                                  // swap two ranges
            let r1 = range(), r2 = range()
            guard r1.upperBound <= r2.lowerBound else { return }
            let a = Array(bytes[r1]), b = Array(bytes[r2])
            bytes.replaceSubrange(r2, with: a)
            bytes.replaceSubrange(r1, with: b)
        case 3, 4: bytes.insert(contentsOf: tokens[rng.below(tokens.count)], at: rng.below(n + 1))  // insert a token
        default: bytes.removeSubrange(rng.below(n + 1)..<n)                      // truncate
        }
    }

    /// Every label of every diagnostic lies inside a loaded file.
    static func spansAreValid(_ diagnostics: [Diagnostic], _ model: CheckedRulebook) -> Bool {
        diagnostics.allSatisfy { d in
            ([d.primary] + d.secondary).allSatisfy { label in
                let s = label.span
                guard Int(s.file.raw) < model.sources.files.count else { return false }
                return s.start <= s.end && Int(s.end) <= model.sources[s.file].bytes.count
            }
        }
    }

    @Test("1,000 mutants per seed, 3,000 in all: no crash, spans inside the file, sorted and deterministic output", arguments: [
        UInt64(0x0001), 0x0002, 0x0003,
    ])
    func mutants(seed: UInt64) throws {
        try #require(Self.entries.count >= 4)
        var rng = SplitMix64(seed: seed)
        let perSeed = 1_000
        var failures = 0
        for k in 0..<perSeed {
            let entry = Self.entries[k % Self.entries.count]
            var files = Self.rulebooks
            // Mutate the entry, and now and then the imported catalog too.
            let target = rng.below(5) == 0 ? "std/cme.rules" : entry
            var bytes = files[target] ?? []
            for _ in 0..<(1 + rng.below(4)) { Self.mutate(&bytes, &rng) }
            files[target] = bytes

            let file = SourceFile(id: FileID(0), path: target, bytes: bytes)
            let (tree, parseDiagnostics) = Parser.parse(file)
            let tokenEnd = tree.tokens.last.map { Int($0.end) }
            let (model, diagnostics) = check(entry, files: files)
            let (_, again) = check(entry, files: files)

            let ok = tokenEnd == bytes.count
                && parseDiagnostics.allSatisfy { Int($0.primary.span.end) <= bytes.count && $0.primary.span.start <= $0.primary.span.end }
                && Self.spansAreValid(diagnostics, model)
                && diagnostics == again
                && Self.isSorted(diagnostics, model)
            if !ok {
                failures += 1
                if failures <= 3 {
                    Issue.record("seed \(seed) mutant \(k) of \(target): \(String(decoding: bytes, as: UTF8.self).debugDescription)")
                }
            }
            // Rendering must not trap either (line tables, clipping, carets).
            if k % 10 == 0 { _ = render(diagnostics, model) }
        }
        #expect(failures == 0)
    }

    /// Output order is file path, then position, then code: never a dictionary's order.
    static func isSorted(_ diagnostics: [Diagnostic], _ model: CheckedRulebook) -> Bool {
        zip(diagnostics, diagnostics.dropFirst()).allSatisfy { a, b in
            let pa = model.sources[a.primary.span.file].path, pb = model.sources[b.primary.span.file].path
            return pa != pb ? pa < pb : !Diagnostic.sortKey(b, a)
        }
    }

    @Test("the unmutated rulebooks check cleanly")
    func originalsAreClean() {
        for entry in Self.entries {
            let (_, diagnostics) = check(entry, files: Self.rulebooks)
            #expect(diagnostics.isEmpty, "\(entry)")
        }
    }
}
