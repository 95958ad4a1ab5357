import RuleBase
import RuleSemantics
import RuleGraph

/// The coverage items of one effective template, in the template's order, each with a key the
/// runner marks when a test exercises it.
struct CoverageTable: Sendable {
    var template: String
    var keys: [String] = []
    var settings: [String] = []
    var sources: [TestSourceLine?] = []
    var exercised: Set<String> = []
    var tested = false

    init(template: String) { self.template = template }

    mutating func add(_ key: String, _ setting: String, _ source: TestSourceLine?) {
        guard !keys.contains(key) else { return }
        keys.append(key)
        settings.append(setting)
        sources.append(source)
    }

    /// The settings of `t` that tests can reach (README "Rulebook tests", coverage).
    init(_ t: EffectiveTemplate, in rb: CheckedRulebook) {
        self.init(template: t.name.value)
        for f in t.fields {
            add(CoverageKey.field(f.key), Self.settingText(f), TestSourceLine(rb.sources, f.span))
        }
        if let name = t.timePeriodName, let tp = rb.timePeriods[name] {
            for o in tp.overrides.sorted(by: { $0.date < $1.date }) {
                add(CoverageKey.override(o.date), "time_period \(name) on \(o.date)", TestSourceLine(rb.sources, o.span))
            }
        }
        if let name = t.riskCategoryName, let rc = rb.riskCategories[name] {
            for l in rc.limits {
                let p = l.product.value
                if let a = l.long, let b = l.short, let sa = l.longSpan, let sb = l.shortSpan, sa != sb {
                    // `max_long` and `max_short` on their own lines: each side is a setting.
                    add(CoverageKey.limit(p, side: "long"), "max_long \(p) \(a)", TestSourceLine(rb.sources, sa))
                    add(CoverageKey.limit(p, side: "short"), "max_short \(p) \(b)", TestSourceLine(rb.sources, sb))
                } else {
                    add(CoverageKey.limit(p), Self.limitText(l), TestSourceLine(rb.sources, l.span))
                }
            }
            for r in rc.restricted {
                add(CoverageKey.restrict(r.value), "restrict \(r.value)", TestSourceLine(rb.sources, r.span))
            }
            for g in rc.groups {
                add(CoverageKey.group(g.name.value), "max_group \(g.name.value) \(g.limit.value)", TestSourceLine(rb.sources, g.name.span))
            }
        }
    }

    var coverage: TemplateCoverage {
        TemplateCoverage(template: template, tested: tested, items: keys.indices.map {
            CoverageItem(template: template, setting: settings[$0], source: sources[$0], exercised: exercised.contains(keys[$0]))
        })
    }

    static func settingText(_ f: Field) -> String {
        switch f.key {
        case let .threshold(tier, metric, _): return "\(tier) \(metric) \(f.value)"
        case .trailingAmount: return "trailing_drawdown \(f.value)"
        case .trailingMode: return "trailing_drawdown mode \(f.value)"
        case .trailingCap: return "trailing_drawdown stop_trailing_at \(f.value)"
        case .doNotUnlock: return "do_not_unlock"
        default: return "\(f.key) \(f.value)"
        }
    }

    static func limitText(_ l: PositionLimit) -> String {
        if let a = l.long, let b = l.short, a == b { return "max_position \(l.product.value) \(a)" }
        return [l.long.map { "max_long \(l.product.value) \($0)" }, l.short.map { "max_short \(l.product.value) \($0)" }]
            .compactMap { $0 }.joined(separator: ", ")
    }
}

/// Keys of coverage items, shared by the table and the runner.
enum CoverageKey {
    static func field(_ k: FieldKey) -> String { "field:\(k)" }
    static func override(_ d: CivilDate) -> String { "override:\(d)" }
    static func limit(_ product: String) -> String { "limit:\(product)" }
    static func limit(_ product: String, side: String) -> String { "limit:\(product):\(side)" }
    static func restrict(_ product: String) -> String { "restrict:\(product)" }
    static func group(_ name: String) -> String { "group:\(name)" }
}

extension TestSourceLine {
    /// The line a span starts on, with its text trimmed of indentation and end-of-line comment.
    init(_ sources: SourceMap, _ span: Span) {
        let f = sources[span.file]
        let line = f.location(of: span.start).line
        var text = Substring(f.lineText(line))
        if let hash = Self.commentStart(text) { text = text[..<hash] }
        self.init(file: f.path, line: line, text: text.trimmingSpaces)
    }

    /// The `#` that starts a comment, outside a string.
    static func commentStart(_ s: Substring) -> Substring.Index? {
        var inString = false
        var escaped = false
        for i in s.indices {
            let c = s[i]
            if inString {
                if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == "\"" { inString = false }
            } else if c == "\"" {
                inString = true
            } else if c == "#" {
                return i
            }
        }
        return nil
    }
}

extension Substring {
    var trimmingSpaces: String {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\r" { s = s.dropLast() }
        return String(s)
    }
}
