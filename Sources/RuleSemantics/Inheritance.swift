import RuleBase
import RuleSyntax

extension CheckerState {
    /// Resolves `extends` chains, merges field by field, and checks every reference an
    /// effective template makes.
    mutating func resolveTemplates() {
        // Every template once, sorted by name: no lookup per name in the loops below.
        let defs = model.templates.sorted { $0.key < $1.key }
        let names = defs.map(\.key)
        // References written in each template (checked once, where written).
        for (_, t) in defs {
            for f in t.fields {
                guard case let .name(ref) = f.value else { continue }
                // Look up first; build the candidate list for "did you mean" only on a miss.
                switch f.key {
                case .calendar where model.calendars.index(forKey: ref) == nil:
                    checkReference(ref, f.valueSpan, "calendar", Array(model.calendars.keys))
                case .timePeriod where model.timePeriods.index(forKey: ref) == nil:
                    checkReference(ref, f.valueSpan, "time period", Array(model.timePeriods.keys))
                case .riskCategory where model.riskCategories.index(forKey: ref) == nil:
                    checkReference(ref, f.valueSpan, "risk category", Array(model.riskCategories.keys))
                default: break
                }
            }
            if let p = t.parent, model.templates.index(forKey: p.value) == nil {
                checkReference(p.value, p.span, "template", names)
            }
        }
        var reportedCycles = Set<String>()
        model.effectiveTemplates.reserveCapacity(model.effectiveTemplates.count + names.count)
        for (name, t) in defs {
            var fields: [Field]
            var chainNames: [String]
            if t.parent == nil || model.templates.index(forKey: t.parent!.value) == nil {
                // No parent in effect: the template's own settings (each key is written once).
                fields = t.fields
                chainNames = [t.name.value]
            } else {
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
                // Field-by-field override, root first: one slot per key, in key order.
                var slots = [Field?](repeating: nil, count: FieldKey.slotCount)
                for def in chain.reversed() {
                    for f in def.fields { slots[f.key.slot] = f }
                }
                fields = []
                fields.reserveCapacity(slots.count)
                for case let f? in slots { fields.append(f) }
                chainNames = chain.map(\.name.value)
            }
            // Often written in key order already: then the array is shared, not copied.
            var sorted = true
            for k in fields.indices.dropFirst() where fields[k - 1].key.slot > fields[k].key.slot { sorted = false; break }
            if !sorted { fields.sort { $0.key.slot < $1.key.slot } }
            let eff = EffectiveTemplate(name: t.name, chain: chainNames, fields: fields)
            if let flat = eff.field(.flattenAt), case let .dateTime(dt) = flat.value, dt.offset == nil, eff.calendarName == nil {
                report(.dateTimeNeedsZone, "`flatten_at` has no UTC offset and template `\(name)` has no calendar to read it in",
                       at: flat.valueSpan, label: "no offset",
                       help: zoneHelp(dt))
            }
            model.effectiveTemplates.append(eff)
        }
    }

    /// R3009's help: the offset a calendar of this rulebook has on the date written (not
    /// today's), and that calendar's name; a plain UTC example when the rulebook has none.
    func zoneHelp(_ dt: LocalDateTime) -> String {
        let zoned = model.calendars.values.filter { $0.timezone != nil }.sorted { $0.name.value < $1.name.value }
        guard let cal = zoned.first, let zone = cal.timezone?.value else {
            return "write a UTC offset, e.g. `\(dt)Z`, or define a calendar with a `timezone` and set it in the template"
        }
        let written = LocalDateTime(date: dt.date, time: dt.time, offset: nil)
        let example: String
        if let provider = options.zoneOffset, let o1 = provider(zone, Instant(epochSeconds: written.wallSeconds)),
           let o2 = provider(zone, Instant(epochSeconds: written.wallSeconds - Int64(o1))) {
            example = "`\(LocalDateTime(date: dt.date, time: dt.time, offset: UTCOffset(seconds: o2)))` (\(zone) on \(dt.date))"
        } else {
            example = "the offset \(zone) has on \(dt.date)"
        }
        return "write \(example), or set `calendar \(cal.name.value)` in the template"
    }

    mutating func checkReference(_ ref: String, _ span: Span, _ kind: String, _ candidates: [String]) {
        guard !candidates.contains(ref) else { return }
        report(.unknownName, "unknown \(kind) `\(ref)`", at: span, label: "no \(kind) has this name",
               help: suggestion(ref, candidates).map { "did you mean `\($0)`?" }
                   ?? (candidates.isEmpty ? "define a \(kind) or import a rulebook that does" : "defined \(kind)s: " + candidates.sorted().prefix(8).map { "`\($0)`" }.joined(separator: ", ")))
    }
}
