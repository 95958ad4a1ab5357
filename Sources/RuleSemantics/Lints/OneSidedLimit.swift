import RuleBase

extension DiagnosticCode {
    public static let oneSidedLimit = DiagnosticCode(5024, "one-sided-limit", .warning,
        "`max_long` without `max_short` (or the reverse) caps one side of a product and leaves the other without any limit (R-27), unless a group limit of the category counts the product. Cap the other side too; to allow no position at all on one side, write `max_short NG 0` (long-only) or `max_long NG 0` (short-only).")
}

/// A product capped on one side only, with no group limit counting it.
enum OneSidedLimit {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for rc in rb.riskCategories.values.sorted(by: { $0.name.value < $1.name.value }) {
            for l in rc.limits {
                let sym = l.product.value
                if rc.restricted.contains(where: { $0.value == sym }) { continue }
                if rc.groups.contains(where: { g in g.members.contains { $0.product.value == sym } }) { continue }
                let (written, missing, n): (String, String, Int64)
                if let long = l.long, l.short == nil { (written, missing, n) = ("max_long", "max_short", long) }
                else if let short = l.short, l.long == nil { (written, missing, n) = ("max_short", "max_long", short) }
                else { continue }
                let side = missing == "max_short" ? "short" : "long"
                out.append(Diagnostic(.oneSidedLimit,
                    "`\(written) \(sym) \(n)` leaves the \(side) side of `\(sym)` without a limit",
                    at: Label(l.span, "only one side capped"),
                    notes: ["in risk category `\(rc.name.value)`; a side without a limit is not limited at all (R-27)"],
                    help: "add `\(missing) \(sym) \(n)`, or `\(missing) \(sym) 0` to allow no \(side) position at all"))
            }
        }
        return out
    }
}
