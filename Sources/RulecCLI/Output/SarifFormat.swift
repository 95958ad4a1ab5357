import RuleBase
import RuleJSON

/// SARIF 2.1.0 for code-scanning uploads (GitHub `upload-sarif` and others): one run, the
/// rules that have results, and one result per diagnostic with a region in a file relative
/// to `%SRCROOT%`. Schema and field choices are in the README's "rulec check output".
enum SarifFormat {
    static let schema = "https://json.schemastore.org/sarif-2.1.0.json"
    /// FIXME(no public home yet): replace with the project's page once it has one.
    static let informationURI = "https://github.com/rulec/rulec"

    static func sarif(_ diags: [Diagnostic], sources: SourceMap, version: String = Rulec.version) -> String {
        var rules: [DiagnosticCode] = []
        for d in diags where !rules.contains(d.code) { rules.append(d.code) }
        rules.sort()
        var w = JSONWriter(style: .pretty)
        w.beginObject()
        w.field("$schema", schema)
        w.field("version", "2.1.0")
        w.key("runs")
        w.beginArray()
        w.beginObject()
        w.key("tool")
        w.beginObject()
        w.key("driver")
        w.beginObject()
        w.field("name", "rulec")
        w.field("version", version)
        w.field("semanticVersion", version)
        w.field("informationUri", informationURI)
        w.key("rules")
        w.beginArray()
        for code in rules { writeRule(&w, code) }
        w.endArray()
        w.endObject()
        w.endObject()
        w.field("columnKind", "unicodeCodePoints")
        w.key("results")
        w.beginArray()
        var occurrences: [String: Int] = [:]
        for d in diags {
            w.beginObject()
            w.field("ruleId", d.code.id)
            w.field("ruleIndex", Int64(rules.firstIndex(of: d.code) ?? 0))
            w.field("level", level(d.severity))
            w.key("message")
            w.beginObject()
            w.field("text", d.help.map { "\(d.message)\nhelp: \($0)" } ?? d.message)
            w.endObject()
            w.key("locations")
            w.beginArray()
            writeLocation(&w, d.primary, sources, id: nil)
            w.endArray()
            if !d.secondary.isEmpty {
                w.key("relatedLocations")
                w.beginArray()
                for (k, l) in d.secondary.enumerated() { writeLocation(&w, l, sources, id: k + 1) }
                w.endArray()
            }
            let hash = fingerprint(d, sources)
            let n = (occurrences[hash] ?? 0) + 1
            occurrences[hash] = n
            w.key("partialFingerprints")
            w.beginObject()
            w.field("rulecFingerprint/v1", "\(hash):\(n)")
            w.endObject()
            w.endObject()
        }
        w.endArray()
        w.endObject()
        w.endArray()
        w.endObject()
        w.newline()
        return w.text
    }

    static func level(_ s: Severity) -> String {
        switch s {
        case .error: return "error"
        case .warning: return "warning"
        case .note: return "note"
        }
    }

    static func writeRule(_ w: inout JSONWriter, _ code: DiagnosticCode) {
        w.beginObject()
        w.field("id", code.id)
        w.field("name", code.name)
        w.key("shortDescription")
        w.beginObject()
        w.field("text", firstSentence(code.explanation))
        w.endObject()
        w.key("fullDescription")
        w.beginObject()
        w.field("text", code.explanation)
        w.endObject()
        w.key("help")
        w.beginObject()
        w.field("text", "\(code.explanation) Run `rulec explain \(code.id)` for details.")
        w.field("markdown", "**\(code.id) \(code.name)**\n\n\(code.explanation)\n\nRun `rulec explain \(code.id)` for details.")
        w.endObject()
        w.key("defaultConfiguration")
        w.beginObject()
        w.field("level", level(code.severity))
        w.endObject()
        w.endObject()
    }

    static func writeLocation(_ w: inout JSONWriter, _ label: Label, _ sources: SourceMap, id: Int?) {
        let f = sources[label.span.file]
        let (l, c) = f.location(of: label.span.start)
        let (el, ec) = f.location(of: label.span.end)
        w.beginObject()
        if let id { w.field("id", Int64(id)) }
        w.key("physicalLocation")
        w.beginObject()
        w.key("artifactLocation")
        w.beginObject()
        w.field("uri", encodeURI(f.path))
        w.field("uriBaseId", "%SRCROOT%")
        w.endObject()
        w.key("region")
        w.beginObject()
        w.field("startLine", Int64(l))
        w.field("startColumn", Int64(c))
        w.field("endLine", Int64(el))
        w.field("endColumn", Int64(max(ec, el == l ? c + 1 : ec)))
        w.endObject()
        w.endObject()
        if !label.message.isEmpty {
            w.key("message")
            w.beginObject()
            w.field("text", label.message)
            w.endObject()
        }
        w.endObject()
    }

    /// The explanation's first sentence (up to the first `. `).
    static func firstSentence(_ s: String) -> String {
        guard let r = s.range(of: ". ") else { return s }
        return String(s[..<r.lowerBound]) + "."
    }

    /// A relative URI reference: unreserved characters and `/` kept, the rest percent-encoded.
    static func encodeURI(_ path: String) -> String {
        var out = ""
        for b in path.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(Character(Unicode.Scalar(b)))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(b >> 4)]) + String(hex[Int(b & 15)])
            }
        }
        return out
    }

    /// A line-number-free identity of a finding, stable when lines move: FNV-1a 64 of the
    /// code, file, the trimmed source line and the message.
    static func fingerprint(_ d: Diagnostic, _ sources: SourceMap) -> String {
        let f = sources[d.primary.span.file]
        let line = f.lineText(f.location(of: d.primary.span.start).line).trimmingCharacters(in: " \t")
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in "\(d.code.id)\u{0}\(f.path)\u{0}\(line)\u{0}\(d.message)".utf8 {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: String) -> String {
        var s = Substring(self)
        while let c = s.first, set.contains(c) { s = s.dropFirst() }
        while let c = s.last, set.contains(c) { s = s.dropLast() }
        return String(s)
    }
}
