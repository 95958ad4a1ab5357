import RuleBase

extension DiagnosticCode {
    public static let unusedDefinition = DiagnosticCode(5012, "unused-definition", .warning,
        "A calendar, time period, risk category or template defined in an account rulebook (a file given to `rulec check` that declares an account template, one with a `starting_balance`) is used by no template. The usual cause is a forgotten reference: a new risk category that no template selects leaves the accounts on the old limits. Catalogs and shared libraries (files that declare no account template, or are only imported) may define what not every rulebook uses.")
}

/// A definition in an account rulebook that nothing refers to.
enum UnusedDefinition {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        // Account rulebooks: entry files that declare a template with a starting balance.
        var accountFiles = Set<FileID>()
        for t in rb.effectiveTemplates where t.startingBalance != nil && ctx.isEntryFile(t.name.span.file) {
            accountFiles.insert(t.name.span.file)
        }
        guard !accountFiles.isEmpty else { return [] }
        var used = Set<String>()   // "kind name"
        for t in rb.effectiveTemplates {
            if let c = t.calendarName { used.insert("calendar \(c)") }
            if let p = t.timePeriodName { used.insert("time_period \(p)") }
            if let r = t.riskCategoryName { used.insert("risk_category \(r)") }
        }
        let extended = LintSupport.extendedNames(rb)
        var out: [Diagnostic] = []
        func report(_ kind: String, _ name: Located<String>, _ help: String) {
            guard accountFiles.contains(name.span.file), !used.contains("\(kind) \(name.value)") else { return }
            out.append(Diagnostic(.unusedDefinition,
                "\(kind.replacingUnderscores) `\(name.value)` is not used by any template",
                at: Label(name.span, "unused"),
                help: help))
        }
        for c in rb.calendars.values { report("calendar", c.name, "select it with `calendar \(c.name.value)` in a template, or remove it") }
        for p in rb.timePeriods.values { report("time_period", p.name, "select it with `time_period \(p.name.value)` in a template, or remove it") }
        for r in rb.riskCategories.values { report("risk_category", r.name, "select it with `risk_category \(r.name.value)` in a template, or remove it") }
        for t in rb.effectiveTemplates where accountFiles.contains(t.name.span.file)
            && t.startingBalance == nil && !extended.contains(t.name.value) {
            out.append(Diagnostic(.unusedDefinition,
                "template `\(t.name.value)` has no `starting_balance` and no template extends it",
                at: Label(t.name.span, "neither an account template nor a parent"),
                help: "add `starting_balance` to make it an account template, extend it, or remove it"))
        }
        return out
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}
