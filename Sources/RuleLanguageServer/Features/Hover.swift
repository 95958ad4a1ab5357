import RuleBase
import RuleJSON
import RuleSyntax
import RuleSemantics

/// Hover: on a template setting, its effective value after `extends` and where it came from
/// (money and percent shown in the other form at the starting balance); on a product, its
/// economics; on any other name, the first lines of its definition.
extension Server {
    func hover(_ params: JSONValue) throws(RPCError) -> JSONValue {
        let (analysis, offset) = try position(params)
        guard let tree = analysis.entryTree else { return .null }
        if let (text, span) = SuppressionComments.hover(tree.file, lineMap(analysis), offset) {
            return .obj(["contents": .obj(["kind": .str("markdown"), "value": .str(text)]), "range": lineMap(analysis).range(span)])
        }
        guard let token = tree.wordToken(at: offset) else { return .null }
        let text: String?
        if let target = importTarget(analysis, offset) {
            text = HoverText.importedFile(target, analysis)
        } else if let occ = analysis.index.occurrence(at: offset, in: analysis.entryFile) {
            text = HoverText.symbol(occ.key, analysis)
        } else {
            text = HoverText.setting(tree, at: offset, analysis)
        }
        guard let text else { return .null }
        return .obj(["contents": .obj(["kind": .str("markdown"), "value": .str(text)]),
                     "range": lineMap(analysis).range(tree.span(token))])
    }
}

enum HoverText {
    static let definitionLines = 8

    // MARK: Names

    /// What an imported file defines.
    static func importedFile(_ uri: String, _ analysis: Analysis) -> String {
        guard let file = analysis.uris.first(where: { $0.value == uri })?.key else { return "" }
        let defined = analysis.index.definitions.filter { $0.value.span.file == file }.keys.sorted()
        var parts = ["**import** `\(analysis.model.sources[file].path)`"]
        if defined.isEmpty {
            parts.append("defines nothing")
        } else {
            var lines: [String] = []
            for kind in SymbolKind.allCases {
                let names = defined.filter { $0.kind == kind }.map { "`\($0.name)`" }
                if !names.isEmpty { lines.append("- \(names.count == 1 ? kind.title : kind.plural): " + names.joined(separator: ", ")) }
            }
            parts.append("defines:\n" + lines.joined(separator: "\n"))
        }
        return parts.joined(separator: "\n\n")
    }

    static func symbol(_ key: SymbolKey, _ analysis: Analysis) -> String? {
        var parts: [String] = []
        switch key.kind {
        case .product:
            parts.append("**product `\(key.name)`**")
            if let p = analysis.model.products[key.name] { parts.append(productFacts(p)) }
        case .template:
            if let def = analysis.model.templates[key.name] {
                parts.append("**template `\(key.name)`**" + (def.parent.map { " extends `\($0.value)`" } ?? ""))
            } else {
                parts.append("**template `\(key.name)`**")
            }
            if let eff = analysis.model.effective(key.name), eff.chain.count > 1 {
                parts.append("chain: " + eff.chain.map { "`\($0)`" }.joined(separator: " → "))
            }
            if let eff = analysis.model.effective(key.name), !eff.fields.isEmpty {
                // Every setting in effect after `extends`, with the template that wrote it.
                let rows = eff.fields.map { f -> String in
                    let from = f.origin == eff.name.value ? "" : " (from `\(f.origin)`)"
                    let other = conversion(f, eff, analysis.model).map { " \($0)" } ?? ""
                    return "- `\(f.key)`: `\(f.value)`\(other)\(from)"
                }
                parts.append("effective settings:\n" + rows.joined(separator: "\n"))
                return parts.joined(separator: "\n\n") + "\n\n" + definedIn(key, analysis)
            }
        default:
            parts.append("**\(key.kind.title) `\(key.name)`**")
        }
        if let (file, item) = analysis.index.definitionItems[key], let tree = analysis.tree(file) {
            parts.append("```rulec\n\(tree.firstLines(of: item, limit: definitionLines))\n```")
        }
        parts.append(definedIn(key, analysis))
        return parts.joined(separator: "\n\n")
    }

    static func definedIn(_ key: SymbolKey, _ analysis: Analysis) -> String {
        guard let (file, item) = analysis.index.definitionItems[key], let tree = analysis.tree(file) else {
            return "not defined in this rulebook or its imports"
        }
        return "defined in `\(tree.file.path):\(tree.file.location(of: tree[item.name].start).line)`"
    }

    static func productFacts(_ p: ProductDef) -> String {
        var rows: [String] = []
        if let d = p.description { rows.append("| description | \(d) |") }
        if let v = p.pointValue?.value { rows.append("| point value | \(v) per 1.00 |") }
        if let t = p.tick?.value {
            var row = "| tick | \(t)"
            if let v = p.pointValue?.value {
                let (u, o) = t.mantissa.multipliedReportingOverflow(by: v.units)
                if !o { row += " = \(Money(units: u / Int64.pow10(Int(t.scale)))) per contract" }
            }
            rows.append(row + " |")
        }
        if let m = p.dayMargin?.value { rows.append("| day margin | \(m) |") }
        if let m = p.overnightMargin?.value { rows.append("| overnight margin | \(m) |") }
        guard !rows.isEmpty else { return "no contract economics written" }
        return (["| | |", "|---|---|"] + rows).joined(separator: "\n")
    }

    // MARK: Template settings

    /// The template setting at `offset`: its key(s) and the template it is written in.
    static func settingKeys(_ tree: SyntaxTree, at offset: UInt32) -> (template: String, keys: [FieldKey], title: String)? {
        let path = tree.path(at: offset)
        guard let top = path.first, tree.keyword(top) == .template, let nameToken = top.values.first,
              tree[nameToken].kind == .identifier, path.count >= 2 else { return nil }
        let template = tree.word(nameToken)
        let s = path[1]
        let kw = tree.keyword(s)
        switch kw {
        case .calendar: return (template, [.calendar], "calendar")
        case .timePeriod: return (template, [.timePeriod], "time_period")
        case .riskCategory: return (template, [.riskCategory], "risk_category")
        case .startingBalance: return (template, [.startingBalance], "starting_balance")
        case .flattenAt: return (template, [.flattenAt], "flatten_at")
        case .doNotUnlock: return (template, [.doNotUnlock], "do_not_unlock")
        case .trailingDrawdown:
            if path.count >= 3 {
                switch tree.keyword(path[2]) {
                case .mode: return (template, [.trailingMode], "trailing_drawdown.mode")
                case .stopTrailingAt: return (template, [.trailingCap], "trailing_drawdown.stop_trailing_at")
                default: return nil
                }
            }
            return (template, [.trailingAmount, .trailingMode, .trailingCap], "trailing_drawdown")
        case .alert, .liquidateOnly, .autoLiquidate:
            let tier: Tier = kw == .alert ? .alert : kw == .liquidateOnly ? .liquidateOnly : .autoLiquidate
            if path.count >= 3 {
                let t = path[2]
                guard let metric = metric(tree.keyword(t)) else { return nil }
                let kind = t.values.first.map { tree[$0].kind }
                let units: [Bool] = kind == .percent ? [true] : kind == .money ? [false] : [false, true]
                return (template, units.map { .threshold(tier, metric, percent: $0) }, "\(tier).\(metric)")
            }
            return (template, Metric.allCases.flatMap { m in [false, true].map { .threshold(tier, m, percent: $0) } }, "\(tier)")
        default:
            return nil
        }
    }

    static func metric(_ kw: Keyword) -> Metric? {
        switch kw {
        case .dailyLoss: .dailyLoss
        case .weeklyLoss: .weeklyLoss
        case .dailyProfit: .dailyProfit
        case .weeklyProfit: .weeklyProfit
        case .margin: .margin
        default: nil
        }
    }

    static func setting(_ tree: SyntaxTree, at offset: UInt32, _ analysis: Analysis) -> String? {
        guard let (template, keys, title) = settingKeys(tree, at: offset) else { return nil }
        let model = analysis.model
        var parts = ["**`\(title)`** in template `\(template)`"]
        guard let eff = model.effective(template) else {
            parts.append("template `\(template)` has errors; no effective value")
            return parts.joined(separator: "\n\n")
        }
        var lines: [String] = []
        for key in keys {
            guard let f = eff.field(key) else { continue }
            lines.append("- " + describe(f, in: eff, model, showKey: keys.count > 1, analysis: analysis))
        }
        if lines.isEmpty {
            parts.append("not in effect: no valid value is set here or in a parent")
        } else {
            parts.append("effective value" + (lines.count > 1 ? "s" : "") + ":\n" + lines.joined(separator: "\n"))
        }
        if eff.chain.count > 1 { parts.append("chain: " + eff.chain.map { "`\($0)`" }.joined(separator: " → ")) }
        // Templates built on this one, and what they make of the setting.
        var below: [String] = []
        for other in model.effectiveTemplates where other.name.value != template && other.chain.contains(template) {
            for key in keys {
                guard let f = other.field(key) else { continue }
                let mine = eff.field(key)
                let inherits = mine.map { $0.origin == f.origin && $0.value == f.value } ?? false
                var line = "- `\(other.name.value)` \(inherits ? "inherits" : "overrides with") `\(f.value)`"
                if keys.count > 1 { line += " (`\(key)`)" }
                if let c = conversion(f, other, model) { line += " \(c)" }
                below.append(line)
            }
        }
        if !below.isEmpty { parts.append("extended by:\n" + below.prefix(8).joined(separator: "\n")) }
        return parts.joined(separator: "\n\n")
    }

    static func describe(_ f: Field, in eff: EffectiveTemplate, _ model: CheckedRulebook, showKey: Bool,
                         analysis: Analysis) -> String {
        var s = showKey ? "`\(f.key)`: `\(f.value)`" : "`\(f.value)`"
        if let c = conversion(f, eff, model) { s += " \(c)" }
        let file = model.sources[f.span.file]
        let line = file.location(of: f.span.start).line
        s += f.origin == eff.name.value ? " (set here, `\(file.path):\(line)`)" : " (from `\(f.origin)`, `\(file.path):\(line)`)"
        return s
    }

    /// The other form of a money or percent threshold at the template's starting balance.
    static func conversion(_ f: Field, _ eff: EffectiveTemplate, _ model: CheckedRulebook) -> String? {
        guard case let .threshold(_, metric, _) = f.key else { return nil }
        if metric == .margin { return "(of net liquidation value)" }
        guard let base = eff.startingBalance, base.units > 0 else { return nil }
        switch f.value {
        case .percent(let r): return "= \(r.of(base)) at \(amount(base))"
        case .money(let m): return "= \(percent(m, of: base)) of \(amount(base))"
        default: return nil
        }
    }

    /// `50,000` (whole dollars without cents) or `50,000.50`.
    static func amount(_ m: Money) -> String {
        let t = m.formatted()
        return t.hasSuffix(".00") ? String(t.dropLast(3)) : t
    }

    /// `m` as a percent of `base`, to two decimals (`≈` when rounded).
    static func percent(_ m: Money, of base: Money) -> String {
        // hundredths of a percent = m × 10,000 / base, rounded half up
        let (p, overflow) = m.units.multipliedReportingOverflow(by: 10_000)
        guard base.units > 0, !overflow, p >= 0 else { return "?" }
        let (q, r) = p.quotientAndRemainder(dividingBy: base.units)
        let rounded = r >= base.units - r ? q + 1 : q
        var digits = DecimalNumber.format(rounded, scale: 2, group: false)
        while digits.hasSuffix("0") { digits.removeLast() }
        if digits.hasSuffix(".") { digits.removeLast() }
        let text = digits + "%"
        return r == 0 ? text : "≈ " + text
    }
}
