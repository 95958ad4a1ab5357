import RuleBase

extension DiagnosticCode {
    public static let testAdminRefused = DiagnosticCode(5026, "test-admin-refused", .warning,
        "A rulebook test sends an admin action the broker refuses, as the engine does: `Other` without a non-blank reason (`reason_required`), a reason over 8,192 characters (`reason_too_long`), or one of the broker's internal values such as `DisableAutoLiq` (`internal_action`). The account is left unchanged, so the scenario after it is not the one written. State the refusal with `expect { admin refused CODE }`, or fix the step; an `expect { admin applied }` on such a step can never hold.")
}

/// An admin step of a rulebook test that the broker would refuse, without an expectation
/// that says so.
enum TestAdminRefused {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for test in rb.tests {
            for step in test.steps {
                guard let refusal = TestAdminRefusal.of(step.event) else { continue }
                let expected = step.expectation?.assertions.first { if case .admin = $0.value { return true }; return false }
                if case let .admin(applied, code)? = expected?.value, !applied, code == nil || code == refusal { continue }
                let why: String
                switch refusal {
                case .reasonRequired: why = "reason code `Other` needs a non-blank reason"
                case .reasonTooLong: why = "the reason is longer than \(TestAdminRefusal.maxReasonLength) characters"
                case .internalAction: why = "the action is internal to the broker (R-25)"
                }
                var secondary: [Label] = []
                if let e = expected { secondary.append(Label(e.span, "expects otherwise")) }
                out.append(Diagnostic(.testAdminRefused,
                    "the broker refuses this admin step (`\(refusal.rawValue)`): \(why)",
                    at: Label(step.span, "refused, the account is unchanged"),
                    secondary: secondary,
                    notes: ["in test `\(test.name.value)`"],
                    help: refusal == .reasonRequired ? "add a reason in quotes, e.g. `admin lock Other \"chargeback under review\"`, or expect `admin refused reason_required`"
                        : "expect the refusal: `expect { admin refused \(refusal.rawValue) }`, or send an action the broker takes"))
            }
        }
        return out
    }
}
