import RuleBase
import RuleSemantics
import RuleTools
import Testing

/// Whole outputs of `rulec diff` on the fixture rulebooks, pinned as golden files.
@Suite struct DiffGoldenTests {
    @Test(arguments: ["directions", "inheritance", "rename", "reformat"])
    func textGolden(name: String) {
        DiffFixtures.expectGolden(DiffTextRenderer.render(DiffFixtures.diff(name)), "\(name).txt")
    }

    @Test func directionsBackwardGolden() {
        DiffFixtures.expectGolden(DiffTextRenderer.render(DiffFixtures.diff("directions", backward: true)),
                                  "directions.backward.txt")
    }

    @Test func markdownGolden() {
        DiffFixtures.expectGolden(DiffMarkdownRenderer.render(DiffFixtures.diff("directions")), "directions.md")
        DiffFixtures.expectGolden(DiffMarkdownRenderer.render(DiffFixtures.diff("inheritance")), "inheritance.md")
    }

    @Test func jsonGolden() {
        DiffFixtures.expectGolden(DiffJSONRenderer.render(DiffFixtures.diff("inheritance")), "inheritance.json")
    }

    /// Every change of `directions` tightens; read backwards, every directional one loosens.
    @Test func directionsTightenForwardAndLoosenBackward() {
        let forward = DiffFixtures.diff("directions"), backward = DiffFixtures.diff("directions", backward: true)
        let f = forward.templates.flatMap(\.changes), b = backward.templates.flatMap(\.changes)
        #expect(!f.isEmpty)
        #expect(f.filter { $0.direction == .loosens }.map(\.setting) == [])
        #expect(b.filter { $0.direction == .tightens }.map(\.setting) == [])
        #expect(f.filter { $0.direction == .tightens }.count == b.filter { $0.direction == .loosens }.count)
    }

    /// Reformatting, reordering, comments, digit groups, trailing zeros, written-out defaults,
    /// another offset for the same instant, a definition moved to another file: nothing.
    @Test func reformatOnlyIsEmpty() {
        let d = DiffFixtures.diff("reformat")
        #expect(d.isEmpty, "unexpected changes: \(d.templates.flatMap(\.changes).map(\.setting))")
        #expect(DiffTextRenderer.render(d) == "no semantic changes\n")
    }

    /// A parent's change reaches every descendant, except where a child overrides the setting.
    @Test func parentChangeReachesChildren() {
        let d = DiffFixtures.diff("inheritance")
        func settings(_ t: String) -> [String] {
            d.templates.first { $0.template == t }?.changes.map { "\($0.setting) \($0.direction.rawValue)" } ?? []
        }
        let shared = ["time_period.start tightens", "risk_category.ES loosens"]
        let margin = ["product ES.day_margin loosens"]
        #expect(settings("parent") == shared + ["auto_liquidate.daily_loss (%) loosens"] + margin)
        #expect(settings("child_a") == shared + ["auto_liquidate.daily_loss (%) loosens"] + margin)
        #expect(settings("grandchild") == shared + ["auto_liquidate.daily_loss (%) loosens"] + margin)
        #expect(settings("child_b") == shared + margin, "child_b overrides daily_loss %")
    }

    /// A renamed definition with the same content is one neutral entry per reference.
    @Test func renamesAreNeutral() {
        let changes = DiffFixtures.diff("rename").templates.flatMap(\.changes)
        #expect(changes.map(\.setting) == ["calendar", "time_period", "risk_category"])
        #expect(changes.allSatisfy { $0.direction == .neutral && $0.reason == "renamed; same content" })
    }
}
