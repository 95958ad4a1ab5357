import RuleBase
import RuleSemantics

/// `rulec diff`'s comparison: the effective templates of two checked rulebooks, setting by
/// setting, each change marked tightens, loosens or neutral. Pure: two models in, a value
/// out. Meaning is compared, never spans, so reformatting, comments, reordering and moving a
/// setting between a parent and its child produce no entries.
public enum SemanticDiff {
    /// Which templates are compared.
    public enum Scope: Sendable, Hashable {
        /// Templates declared in the files given (a folder gives all of its files); templates
        /// only imported are left out, though their settings reach the given ones.
        case entryFiles
        /// Every template of the rulebook and its imports.
        case all
    }

    public static func compare(old: CheckedRulebook, new: CheckedRulebook,
                               oldLabel: String = "old", newLabel: String = "new",
                               scope: Scope = .entryFiles) -> RulebookDiff {
        let a = views(old, scope), b = views(new, scope)
        let names = Set(a.keys).union(b.keys).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var templates: [TemplateChange] = []
        for name in names {
            switch (a[name], b[name]) {
            case let (o?, n?):
                let changes = compare(o, n, oldSources: old.sources, newSources: new.sources)
                if !changes.isEmpty {
                    templates.append(TemplateChange(template: name, status: .changed, changes: changes,
                                                    oldSource: line(o.span, old.sources), newSource: line(n.span, new.sources)))
                }
            case let (nil, n?):
                templates.append(TemplateChange(template: name, status: .added,
                                                changes: wholeTemplate(n, new.sources, added: true),
                                                oldSource: nil, newSource: line(n.span, new.sources)))
            case let (o?, nil):
                templates.append(TemplateChange(template: name, status: .removed,
                                                changes: wholeTemplate(o, old.sources, added: false),
                                                oldSource: line(o.span, old.sources), newSource: nil))
            case (nil, nil):
                continue
            }
        }
        return RulebookDiff(oldLabel: oldLabel, newLabel: newLabel, templates: templates)
    }

    /// The changes between two views of one template, in setting order.
    public static func compare(_ o: TemplateView, _ n: TemplateView,
                               oldSources: SourceMap, newSources: SourceMap) -> [SettingChange] {
        let keys = Set(o.entries.keys).union(n.entries.keys).sorted()
        var changes: [SettingChange] = []
        var paired = Set<SettingKey>()
        for key in keys where !paired.contains(key) {
            let before = o.entries[key], after = n.entries[key]
            // A money threshold replaced by a percent one of the same tier and metric (or back).
            if case let .field(.threshold(tier, metric, percent)) = key {
                let twin = SettingKey.field(.threshold(tier, metric, percent: !percent))
                let (tb, ta) = (o.entries[twin], n.entries[twin])
                // Either this form was removed and the twin added, or this one added and the twin removed.
                var pair: (old: SettingEntry, new: SettingEntry)?
                if let b = before, after == nil, tb == nil, let a = ta ?? nil { pair = (b, a) }
                if before == nil, let a = after, let b = tb, ta == nil { pair = (b, a) }
                if let (b, a) = pair,
                   let v = DirectionRules.replacement(tier: tier, metric: metric, old: b.value, new: a.value,
                                                      startingBalance: startingBalance(n)) {
                    paired.insert(twin)
                    changes.append(SettingChange(setting: "\(tier).\(metric)", kind: .changed, old: v.old, new: v.new,
                                                 direction: v.direction, reason: v.reason,
                                                 oldSource: b.span.flatMap { line($0, oldSources) },
                                                 newSource: a.span.flatMap { line($0, newSources) }))
                    continue
                }
            }
            if let x = before?.value, let y = after?.value, x.sameMeaning(as: y) { continue }
            let kind: ChangeKind = before == nil ? .added : after == nil ? .removed : .changed
            for v in DirectionRules.judge(key, old: before?.value, new: after?.value, oldView: o, newView: n) {
                changes.append(SettingChange(setting: key.description, kind: kind, old: v.old, new: v.new,
                                             direction: v.direction, reason: v.reason,
                                             oldSource: before?.span.flatMap { line($0, oldSources) },
                                             newSource: after?.span.flatMap { line($0, newSources) }))
            }
        }
        return changes
    }

    /// A template that exists on one side only: its own settings (after `extends`), neutral,
    /// since no existing account changes. Referenced definitions are not expanded.
    static func wholeTemplate(_ v: TemplateView, _ sources: SourceMap, added: Bool) -> [SettingChange] {
        v.keys.compactMap { key -> SettingChange? in
            guard case .field = key, let e = v.entries[key] else { return nil }
            let at = e.span.flatMap { line($0, sources) }
            return SettingChange(setting: key.description, kind: added ? .added : .removed,
                                 old: added ? nil : e.value, new: added ? e.value : nil, direction: .neutral,
                                 reason: added ? "new template" : "template removed",
                                 oldSource: added ? nil : at, newSource: added ? at : nil)
        }
    }

    static func startingBalance(_ v: TemplateView) -> Money? {
        if case let .money(m)? = v[.field(.startingBalance)] { return m }
        return nil
    }

    static func views(_ rulebook: CheckedRulebook, _ scope: Scope) -> [String: TemplateView] {
        let all = TemplateView.all(rulebook)
        guard scope == .entryFiles else { return all }
        return all.filter { _, v in
            guard let file = rulebook.templates[v.name]?.span.file else { return true }
            return rulebook.entryFiles.contains(file)
        }
    }

    static func line(_ span: Span?, _ sources: SourceMap) -> SourceLine? {
        guard let span, Int(span.file.raw) < sources.files.count else { return nil }
        let f = sources[span.file]
        return SourceLine(file: f.path, line: f.location(of: span.start).line)
    }
}
