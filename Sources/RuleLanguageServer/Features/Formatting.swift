import RuleBase
import RuleJSON
import RuleSyntax
import RuleFormat

/// Formatting: `rulec fmt`'s canonical layout as one edit of the whole document; none when the
/// document is formatted already, or when it has syntax errors (said in a log message, since
/// `rulec fmt` refuses such a file too).
extension Server {
    func formatting(_ params: JSONValue, _ out: inout [JSONValue]) throws(RPCError) -> JSONValue {
        let (doc, analysis) = try document(params)
        let file = SourceFile(id: FileID(0), path: analysis.entry, bytes: doc.bytes)
        let result = Formatter.format(file)
        switch result.status {
        case .formatted:
            guard result.changed, let text = result.text else { return .arr([]) }
            let map = LineMap(file, encoding)
            return .arr([.obj(["range": LineMap.range(Position(line: 0, character: 0), map.endPosition), "newText": .str(text)])])
        case .refused, .internalError:
            let first = result.diagnostics.first
            let at = first.map { d -> String in
                let (l, c) = file.location(of: d.primary.span.start)
                return " (\(d.code.id) at \(l):\(c): \(d.message))"
            } ?? ""
            let why = result.status == .refused ? "the document has syntax errors" : "the formatter failed its own check"
            out.append(Outgoing.notification("window/logMessage",
                .obj(["type": .int(3), "message": .str("rulec: not formatted: \(why)\(at)")])))
            return .arr([])
        }
    }
}
