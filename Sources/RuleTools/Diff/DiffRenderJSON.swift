/// Renders a `RulebookDiff` as JSON (two-space indent, keys in a fixed order), for tools.
///
///     {"old": "main", "new": "HEAD", "summary": {...}, "templates": [{"name": ..., "changes": [...]}]}
public enum DiffJSONRenderer {
    public static func render(_ diff: RulebookDiff) -> String {
        var o = "{\n"
        o += "  \"old\": \(quote(diff.oldLabel)),\n"
        o += "  \"new\": \(quote(diff.newLabel)),\n"
        o += "  \"summary\": {\"templates\": \(diff.templates.count), \"changes\": \(diff.changeCount), "
        o += "\"loosens\": \(diff.count(.loosens)), \"tightens\": \(diff.count(.tightens)), \"neutral\": \(diff.count(.neutral)), \"contextDependent\": \(diff.count(.contextDependent)), "
        o += "\"text\": \(quote(diff.summary))},\n"
        o += "  \"templates\": ["
        for (i, t) in diff.templates.enumerated() {
            o += i == 0 ? "\n" : ",\n"
            o += "    {\n"
            o += "      \"name\": \(quote(t.template)),\n"
            o += "      \"status\": \(quote(t.status.rawValue)),\n"
            o += "      \"oldSource\": \(source(t.oldSource)),\n"
            o += "      \"newSource\": \(source(t.newSource)),\n"
            o += "      \"changes\": ["
            for (j, c) in t.changes.enumerated() {
                o += j == 0 ? "\n" : ",\n"
                o += "        {\"setting\": \(quote(c.setting)), \"kind\": \(quote(c.kind.rawValue)), "
                o += "\"direction\": \(quote(c.direction.rawValue)), \"reason\": \(quote(c.reason)), "
                o += "\"old\": \(value(c.old)), \"new\": \(value(c.new)), "
                o += "\"oldSource\": \(source(c.oldSource)), \"newSource\": \(source(c.newSource))}"
            }
            o += t.changes.isEmpty ? "]\n" : "\n      ]\n"
            o += "    }"
        }
        o += diff.templates.isEmpty ? "]\n" : "\n  ]\n"
        o += "}\n"
        return o
    }

    static func value(_ v: SettingValue?) -> String {
        guard let v else { return "null" }
        var s = "{\"text\": \(quote(v.text)), \"unit\": \(quote(v.unit))"
        if let a = v.amount { s += ", \"amount\": \(quote(a))" }
        return s + "}"
    }

    static func source(_ s: SourceLine?) -> String {
        guard let s else { return "null" }
        return "{\"file\": \(quote(s.file)), \"line\": \(s.line)}"
    }

    /// A JSON string literal: quotes, backslashes and control characters escaped.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where u.value < 0x20:
                let hex = String(u.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}
