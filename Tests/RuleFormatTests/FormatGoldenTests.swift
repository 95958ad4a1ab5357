import Foundation
import RuleBase
import RuleFormat
import RuleSyntax
import Testing

/// Every `Fixtures/<name>.rules` formats to `Fixtures/<name>.formatted`, and formatting the
/// expected text again changes nothing.
@Suite struct FormatGoldenTests {
    static let cases = Fixtures.names(withExtension: "rules")

    @Test func fixturesArePresent() {
        #expect(Self.cases.count >= 20, "expected the golden fixtures in the test bundle")
    }

    @Test(arguments: cases)
    func formatsToGolden(name: String) throws {
        let input = try #require(Fixtures.read(name + ".rules"))
        guard let output = formatted(input, path: name + ".rules") else { return }
        Fixtures.expectGolden(output, name + ".formatted")
        // Idempotence: the canonical layout is a fixed point.
        #expect(formatted(output, path: name + ".formatted") == output)
    }
}
