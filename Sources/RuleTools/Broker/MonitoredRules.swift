import RuleBase
import RuleJSON
import RuleSemantics

/// A firm rule the broker does not enforce (issue 13): the firm's backend, or rulec, must
/// monitor it. `rulec compile --target broker-json` warns about each and lists them in the
/// template document's `monitored` array, so nobody believes the broker holds them.
public struct MonitoredRule: Sendable, Hashable {
    /// The setting path: `objectives.profit_target`, `scaling_plan`, `news_windows`.
    public var setting: String
    /// The value as written (`3_000 USD`, `40%`), or a summary of a block.
    public var value: String
    public var span: Span

    /// The warning line: "`objectives.profit_target 3_000 USD` is a firm rule with no broker
    /// field: the firm monitors it".
    public var message: String {
        "`\(setting) \(value)` is a firm rule with no broker field; the broker does not enforce it, the firm's backend must monitor it"
    }
}

extension BrokerExport {
    /// The firm rules of `t`, in key order.
    public static func monitored(_ t: EffectiveTemplate) -> [MonitoredRule] {
        t.firmFields.map { f in
            let value: String
            switch f.value {
            case let .money(m): value = m.rulebookText
            case let .percent(r): value = r.description
            case let .firm(v): value = v.description
            default: value = f.value.description
            }
            return MonitoredRule(setting: f.key.description, value: value, span: f.span)
        }
    }

    /// The template document with its `monitored` array after the broker's members (the
    /// document is unchanged for a template without firm rules). `rulec import` skips it.
    public static func document(_ r: BrokerExportResult, monitored: [MonitoredRule]) -> JSONValue {
        guard !monitored.isEmpty, case var .object(m) = r.template.json else { return r.template.json }
        m.append(.init("monitored", .array(monitored.map { .object([.init("setting", .string($0.setting)), .init("value", .string($0.value))]) })))
        return .object(m)
    }
}
