import RuleBase
import RuleJSON
import RuleSyntax
import RuleSemantics

/// Code actions for the diagnostics in the requested range: a quick fix for the lints whose fix
/// is obvious, and for every lint "suppress this finding here", which writes the
/// `# rulec-allow CODE: reason` comment `rulec check` honours on the line above the setting.
extension Server {
    func codeActions(_ params: JSONValue) throws(RPCError) -> JSONValue {
        let (_, analysis) = try document(params)
        guard let tree = analysis.entryTree else { return .arr([]) }
        let map = lineMap(analysis)
        guard let a = Position.read(params["range"]?["start"]), let b = Position.read(params["range"]?["end"]) else {
            throw .params("`range` is required")
        }
        let (from, to) = (map.offset(min(a, b)), map.offset(max(a, b)))
        if let only = params["context"]?["only"]?.arrayValue?.compactMap(\.stringValue),
           !only.contains(where: { $0 == "quickfix" || $0.hasPrefix("quickfix.") || $0 == "" }) {
            return .arr([])
        }
        var out: [JSONValue] = []
        for d in analysis.diagnostics where d.primary.span.file == analysis.entryFile {
            let s = d.primary.span
            guard s.start <= to && from <= s.end else { continue }
            let lsp = DiagnosticsFeature.json(d, analysis, encoding, base: environment.explanationBase)
            let fixer = QuickFixes(tree: tree, map: map, model: analysis.model)
            for fix in fixer.fixes(for: d) {
                out.append(action(fix.title, lsp, analysis.uri, fix.edits, map, preferred: true))
            }
            if let edit = fixer.suppression(for: d) {
                out.append(action("Suppress \(d.code.id) (\(d.code.name)) here", lsp, analysis.uri, [edit], map, preferred: false))
            }
        }
        return .arr(out)
    }

    private func action(_ title: String, _ diagnostic: JSONValue, _ uri: String, _ edits: [TextEdit], _ map: LineMap,
                        preferred: Bool) -> JSONValue {
        let json = edits.sorted { $0.span.start < $1.span.start }.map { e in
            JSONValue.obj(["range": map.range(e.span), "newText": .str(e.text)])
        }
        return .obj(["title": .str(title), "kind": .str("quickfix"), "diagnostics": .arr([diagnostic]),
                     "isPreferred": preferred ? .bool(true) : nil,
                     "edit": .obj(["changes": .obj([uri: .arr(json)])])])
    }
}

/// A replacement of a byte range of the document.
struct TextEdit: Sendable, Hashable {
    var span: Span
    var text: String
}

/// The fixes of the lints that have an obvious one, computed from the finding and the syntax.
struct QuickFixes {
    let tree: SyntaxTree
    let map: LineMap
    let model: CheckedRulebook

    var bytes: [UInt8] { tree.file.bytes }

    func fixes(for d: Diagnostic) -> [(title: String, edits: [TextEdit])] {
        switch d.code {
        case .tiersOutOfOrder:
            // Swap the two limits: the weaker tier gets the lower value.
            guard let other = d.secondary.first, other.span.file == d.primary.span.file else { return [] }
            return [("Swap the two limits so that the tiers escalate",
                     [TextEdit(span: d.primary.span, text: text(other.span)), TextEdit(span: other.span, text: text(d.primary.span))])]
        case .percentDollarMismatch:
            return percentDollarFix(d)
        case .restrictedProductWithLimit:
            guard let item = innermostItem(d.primary.span.start) else { return [] }
            return [("Remove this line (the product is restricted)", [TextEdit(span: lineSpan(of: item), text: "")])]
        case .flattenAtInPast:
            guard let item = innermostItem(d.primary.span.start) else { return [] }
            return [("Remove the past `flatten_at`", [TextEdit(span: lineSpan(of: item), text: "")])]
        case .uncappedProduct:
            return uncappedFix(d)
        case .earlyCloseNotCovered:
            return earlyCloseFix(d)
        case .unusedSuppression:
            return unusedSuppressionFix(d)
        default:
            return []
        }
    }

    /// `# rulec-allow CODE: reason` above the item the finding is in (lints only).
    func suppression(for d: Diagnostic) -> TextEdit? {
        guard Lints.all.contains(where: { $0.code == d.code }), let item = innermostItem(d.primary.span.start) else { return nil }
        let start = lineStart(tree[item.name].start)
        let indent = String(decoding: bytes[Int(start)..<Int(tree[item.name].start)], as: UTF8.self)
        let pad = indent.allSatisfy { $0 == " " || $0 == "\t" } ? indent : ""
        return TextEdit(span: Span(file: tree.file.id, start: start, end: start),
                        text: "\(pad)# rulec-allow \(d.code.id): explain why this finding is accepted\n")
    }

    // MARK: The fixes

    private func percentDollarFix(_ d: Diagnostic) -> [(title: String, edits: [TextEdit])] {
        // The same-tier form: primary and first secondary are the two limits, the second the balance.
        guard d.secondary.count == 2, d.secondary[0].message.isEmpty else { return [] }
        let spans = [d.primary.span, d.secondary[0].span]
        guard let percentSpan = spans.first(where: { token(at: $0)?.kind == .percent }),
              let moneySpan = spans.first(where: { token(at: $0)?.kind == .money }),
              moneySpan.file == tree.file.id,
              let pct = token(at: percentSpan, anyFile: true), let r = Ratio(percent: pct.decimal),
              let balance = token(at: d.secondary[1].span, anyFile: true), balance.kind == .money else { return [] }
        let value = r.of(balance.money).rulebookText
        return [("Set the dollar limit to `\(value)` (\(r) of \(balance.money.rulebookText))", [TextEdit(span: moneySpan, text: value)])]
    }

    private func uncappedFix(_ d: Diagnostic) -> [(title: String, edits: [TextEdit])] {
        guard let item = tree.items.first(where: { tree.keyword($0) == .riskCategory && $0.values.first.map { tree.span($0) } == d.primary.span }),
              let block = item.block, let close = block.close,
              let name = item.values.first.map({ tree.word($0) }), let rc = model.riskCategories[name] else { return [] }
        var named = Set(rc.limits.map(\.product.value) + rc.restricted.map(\.value))
        for g in rc.groups { named.formUnion(g.members.map(\.product.value)) }
        let missing = model.products.keys.sorted().filter { !named.contains($0) }
        guard !missing.isEmpty else { return [] }
        let list = missing.joined(separator: ", ")
        return [("Restrict \(missing.map { "`\($0)`" }.joined(separator: ", ")) in `\(name)`",
                 [insertBefore(close, in: block, line: "restrict \(list)")])]
    }

    private func earlyCloseFix(_ d: Diagnostic) -> [(title: String, edits: [TextEdit])] {
        // help: add `on DATE start TIME` to time period `NAME`
        guard let help = d.help else { return [] }
        let quoted = help.split(separator: "`", omittingEmptySubsequences: false)
        guard quoted.count >= 5 else { return [] }
        let line = String(quoted[1]), period = String(quoted[3])
        guard let item = tree.items.first(where: { tree.keyword($0) == .timePeriod && $0.values.first.map { tree.word($0) } == period }),
              let block = item.block, let close = block.close else { return [] }
        return [("Add `\(line)` to time period `\(period)`", [insertBefore(close, in: block, line: line)])]
    }

    private func unusedSuppressionFix(_ d: Diagnostic) -> [(title: String, edits: [TextEdit])] {
        // The primary label is the code inside the comment; find the comment around it.
        let at = Int(d.primary.span.start)
        var start = at
        while start > 0, bytes[start - 1] != UInt8(ascii: "#"), bytes[start - 1] != 0x0A { start -= 1 }
        guard start > 0, bytes[start - 1] == UInt8(ascii: "#") else { return [] }
        let hash = start - 1
        var end = at
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        let comment = String(decoding: bytes[hash..<end], as: UTF8.self)
        let codes = comment.split(separator: ":", maxSplits: 1).first.map { $0.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }) } ?? []
        // `#`, `rulec-allow`, then the codes.
        let written = codes.dropFirst().filter { $0 != "rulec-allow" }
        let lineBegin = Int(lineStart(UInt32(hash)))
        let onlyComment = bytes[lineBegin..<hash].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        if written.count <= 1 {
            if onlyComment {
                let next = end < bytes.count ? end + 1 : end
                return [("Remove the unused suppression", [TextEdit(span: Span(file: tree.file.id, start: UInt32(lineBegin), end: UInt32(next)), text: "")])]
            }
            var s = hash
            while s > lineBegin, bytes[s - 1] == 0x20 || bytes[s - 1] == 0x09 { s -= 1 }
            return [("Remove the unused suppression", [TextEdit(span: Span(file: tree.file.id, start: UInt32(s), end: UInt32(end)), text: "")])]
        }
        // Several codes: drop this one and its separator.
        var s = Int(d.primary.span.start), e = Int(d.primary.span.end)
        while e < end, bytes[e] == UInt8(ascii: ",") || bytes[e] == 0x20 { e += 1 }
        if e < end, bytes[e] == UInt8(ascii: ":") {
            // The last code: remove the separator before it instead.
            e = Int(d.primary.span.end)
            while s > hash + 1, bytes[s - 1] == UInt8(ascii: ",") || bytes[s - 1] == 0x20 { s -= 1 }
        }
        return [("Remove `\(text(d.primary.span))` from the suppression", [TextEdit(span: Span(file: tree.file.id, start: UInt32(s), end: UInt32(e)), text: "")])]
    }

    // MARK: Syntax helpers

    func text(_ span: Span) -> String { String(decoding: bytes[Int(span.start)..<Int(span.end)], as: UTF8.self) }

    /// The token spanning exactly `span` in this file (or, with `anyFile`, in any loaded file).
    func token(at span: Span, anyFile: Bool = false) -> Token? {
        let t: SyntaxTree?
        if span.file == tree.file.id { t = tree } else if anyFile { t = model.trees.first { $0.file.id == span.file } } else { t = nil }
        guard let t, let i = t.wordToken(at: span.start), t[i].start == span.start else { return nil }
        return t[i]
    }

    func innermostItem(_ offset: UInt32) -> Item? { tree.path(at: offset).last }

    func lineStart(_ offset: UInt32) -> UInt32 { tree.file.lineStarts[map.line(of: offset)] }

    /// The whole lines an item occupies, line break included.
    func lineSpan(of item: Item) -> Span {
        let start = lineStart(tree[item.name].start)
        var end = Int(tree[item.last].end)
        while end < bytes.count, bytes[end] != 0x0A { end += 1 }
        if end < bytes.count { end += 1 }
        return Span(file: tree.file.id, start: start, end: UInt32(end))
    }

    /// A new line at the end of a block, indented like the block's items.
    func insertBefore(_ close: TokenIndex, in block: Block, line: String) -> TextEdit {
        let closeStart = tree[close].start
        let closeLineStart = lineStart(closeStart)
        let indent: String
        if let first = block.items.first {
            let s = lineStart(tree[first.name].start)
            indent = String(decoding: bytes[Int(s)..<Int(tree[first.name].start)], as: UTF8.self)
        } else {
            indent = String(decoding: bytes[Int(closeLineStart)..<Int(closeStart)], as: UTF8.self) + "  "
        }
        let braceAlone = bytes[Int(closeLineStart)..<Int(closeStart)].allSatisfy { $0 == 0x20 || $0 == 0x09 }
        if braceAlone {
            return TextEdit(span: Span(file: tree.file.id, start: closeLineStart, end: closeLineStart), text: indent + line + "\n")
        }
        return TextEdit(span: Span(file: tree.file.id, start: closeStart, end: closeStart), text: "; " + line + " ")
    }
}
