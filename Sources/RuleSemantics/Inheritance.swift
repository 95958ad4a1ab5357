import RuleBase
import RuleSyntax

extension CheckerState {
    /// Resolves `extends` chains, merges field by field, and checks every reference an
    /// effective template makes.
    mutating func resolveTemplates() {
        let names = model.templates.keys.sorted()
        // References written in each template (checked once, where written).
        for name in names {
            guard let t = model.templates[name] else { continue }
            for f in t.fields {
                guard case let .name(ref) = f.value else { continue }
                // Look up first; build the candidate list for "did you mean" only on a miss.
                switch f.key {
                case .calendar where model.calendars[ref] == nil:
                    checkReference(ref, f.valueSpan, "calendar", Array(model.calendars.keys))
                case .timePeriod where model.timePeriods[ref] == nil:
                    checkReference(ref, f.valueSpan, "time period", Array(model.timePeriods.keys))
                case .riskCategory where model.riskCategories[ref] == nil:
                    checkReference(ref, f.valueSpan, "risk category", Array(model.riskCategories.keys))
                default: break
                }
            }
            if let p = t.parent, model.templates[p.value] == nil {
                checkReference(p.value, p.span, "template", names)
            }
        }
        var reportedCycles = Set<String>()
        for name in names {
            guard let t = model.templates[name] else { continue }
            // Walk up the chain, nearest first.
            var chain: [TemplateDef] = [t]
            var cursor = t
            var cyclic = false
            while let p = cursor.parent, let parent = model.templates[p.value] {
                if chain.contains(where: { $0.name.value == parent.name.value }) {
                    cyclic = true
                    let members = chain.map(\.name.value).sorted()
                    if reportedCycles.insert(members.joined(separator: ",")).inserted {
                        let path = (chain.map(\.name.value) + [parent.name.value]).map { "`\($0)`" }.joined(separator: " extends ")
                        report(.extendsCycle, "templates extend each other in a cycle: \(path)", at: p.span,
                               label: "closes the cycle", help: "make one template the root of the chain")
                    }
                    break
                }
                chain.append(parent)
                cursor = parent
            }
            if cyclic { continue }
            // Field-by-field override, root first; a template has a few dozen fields, so a
            // linear search beats hashing.
            var fields: [Field] = []
            fields.reserveCapacity(chain.reduce(0) { $0 + $1.fields.count })
            for def in chain.reversed() {
                for f in def.fields {
                    if let k = fields.firstIndex(where: { $0.key == f.key }) { fields[k] = f } else { fields.append(f) }
                }
            }
            fields.sort { $0.key < $1.key }
            let eff = EffectiveTemplate(name: t.name, chain: chain.map(\.name.value), fields: fields)
            if let flat = eff.field(.flattenAt), case let .dateTime(dt) = flat.value, dt.offset == nil, eff.calendarName == nil {
                report(.dateTimeNeedsZone, "`flatten_at` has no UTC offset and template `\(name)` has no calendar to read it in",
                       at: flat.valueSpan, label: "no offset",
                       help: "write an offset, e.g. `\(dt)-06:00`, or set `calendar cme` in the template")
            }
            model.effectiveTemplates.append(eff)
        }
    }

    mutating func checkReference(_ ref: String, _ span: Span, _ kind: String, _ candidates: [String]) {
        guard !candidates.contains(ref) else { return }
        report(.unknownName, "unknown \(kind) `\(ref)`", at: span, label: "no \(kind) has this name",
               help: suggestion(ref, candidates).map { "did you mean `\($0)`?" }
                   ?? (candidates.isEmpty ? "define a \(kind) or import a rulebook that does" : "defined \(kind)s: " + candidates.sorted().prefix(8).map { "`\($0)`" }.joined(separator: ", ")))
    }
}
