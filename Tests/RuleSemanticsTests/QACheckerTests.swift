import RuleBase
import RuleSemantics
import Testing

/// QA regressions for the checker's handling of files it cannot read.
@Suite struct QACheckerTests {
    /// An entry file whose read failed used to vanish without a diagnostic, so the rulebook
    /// checked clean.
    @Test func unreadableEntryFileIsAnError() {
        let (model, diags) = Checker.check(entries: ["eval.rules"]) { _ in .failed("permission denied") }
        #expect(diags.map(\.code.id) == ["R2006"])
        #expect(render(diags, model) == """
            error[R2006]: cannot read `eval.rules`: permission denied
             --> eval.rules:1:1
              |
            1 | 
              | ^

            """)
    }
}
