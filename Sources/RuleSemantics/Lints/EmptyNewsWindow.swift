import RuleBase

extension DiagnosticCode {
    public static let emptyNewsWindow = DiagnosticCode(5032, "empty-news-window", .warning,
        "A news window runs from `before` minutes before each news to `after` minutes after it. With both at 0 (or omitted) it ends the instant it starts: no order is ever rejected and `flatten_positions` closes positions for nothing.")
}

/// `news_windows` whose window has no length.
enum EmptyNewsWindow {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for t in LintSupport.rootFirst(rb) {
            guard let f = t.firm(.newsWindows), case let .firm(.newsWindows(w)) = f.value,
                  w.beforeMinutes == 0, w.afterMinutes == 0 else { continue }
            out.append(Diagnostic(.emptyNewsWindow, "the news window ends when it starts: `before` and `after` are both 0 minutes",
                at: Label(w.span, "an empty window"),
                secondary: [w.beforeSpan, w.afterSpan].compactMap { $0 }.map { Label($0, "0 minutes") },
                notes: ["in template `\(t.name.value)` no order is rejected around the \(w.events.count) news listed"],
                help: "set the window, e.g. `before 2 minutes` and `after 2 minutes`"))
        }
        return out
    }
}
