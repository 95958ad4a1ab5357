import RuleBase

extension DiagnosticCode {
    public static let productLimitUnreachable = DiagnosticCode(5023, "product-limit-unreachable", .warning,
        "A weighted group limit caps the sum of weight × contracts of its members, so a product alone can hold at most the group limit divided by its weight. A per-product limit above that can never be reached (`max_position MES 60` under a 5-mini group with weight 0.1 stops at 50): it is dead text, and a reviewer reading it overestimates what the trader may hold.")
}

/// A per-product limit that a group of the same category makes unreachable.
enum ProductLimitUnreachable {
    static func check(_ rb: CheckedRulebook, _ ctx: LintContext) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for rc in rb.riskCategories.values.sorted(by: { $0.name.value < $1.name.value }) {
            for l in rc.limits {
                let sym = l.product.value
                // The tightest group cap on the product: contracts = floor(limit / weight).
                var best: (cap: Int64, group: GroupLimit, weight: DecimalNumber)?
                for g in rc.groups {
                    guard let m = g.members.first(where: { $0.product.value == sym }), m.weight.mantissa > 0 else { continue }
                    let scaled = g.limit.value.multipliedReportingOverflow(by: pow10(m.weight.scale))
                    guard !scaled.overflow else { continue }
                    let cap = scaled.partialValue / m.weight.mantissa
                    if best.map({ cap < $0.cap }) ?? true { best = (cap, g, m.weight) }
                }
                guard let (cap, g, w) = best else { continue }
                var sides: [(String, Int64, Span)] = []
                if let long = l.long, let short = l.short, long == short, long > cap, l.longSpan == l.shortSpan {
                    sides.append(("max_position", long, l.longSpan ?? l.span))
                } else {
                    if let long = l.long, long > cap { sides.append(("max_long", long, l.longSpan ?? l.span)) }
                    if let short = l.short, short > cap { sides.append(("max_short", short, l.shortSpan ?? l.span)) }
                }
                for (setting, n, span) in sides {
                    out.append(Diagnostic(.productLimitUnreachable,
                        "`\(setting) \(sym) \(n)` can never be reached: group `\(g.name.value)` (limit \(g.limit.value), weight \(w)) allows at most \(cap) `\(sym)`",
                        at: Label(span, "at most \(cap) under the group"),
                        secondary: [Label(g.limit.span, "group limit")],
                        notes: ["in risk category `\(rc.name.value)`"],
                        help: "write `\(setting) \(sym) \(cap)` so the text says what the group allows, or raise the group limit"))
                }
            }
        }
        return out
    }

    static func pow10(_ n: UInt8) -> Int64 {
        var p: Int64 = 1
        for _ in 0..<n { p = p.multipliedReportingOverflow(by: 10).partialValue }
        return p
    }
}
