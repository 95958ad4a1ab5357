import RuleBase
import RuleJSON
import RuleSyntax
import RuleSemantics
import RuleFormat

/// `# rulec-allow CODE: reason` comments: hover on a code explains it (as `rulec explain`
/// does), and completion after `rulec-allow` offers the lint codes.
enum SuppressionComments {
    static let marker = "rulec-allow"

    /// Every code of every phase, for explanations.
    static let allCodes: [DiagnosticCode] = (DiagnosticCode.syntaxCodes + DiagnosticCode.semanticCodes + DiagnosticCode.testCodes
        + Lints.codes + DiagnosticCode.formatCodes).sorted()

    /// The comment text of the cursor's line up to the cursor, when the cursor is in a comment.
    static func commentBefore(_ file: SourceFile, _ map: LineMap, _ offset: UInt32) -> (start: Int, text: [UInt8])? {
        let bytes = file.bytes
        let lineStart = Int(file.lineStarts[map.line(of: offset)])
        var quotes = 0
        for k in lineStart..<Int(offset) {
            if bytes[k] == UInt8(ascii: "\"") { quotes += 1 }
            if bytes[k] == UInt8(ascii: "#") && quotes % 2 == 0 { return (k, Array(bytes[k..<Int(offset)])) }
        }
        return nil
    }

    static func isCodeByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "-")
    }

    /// The explanation of the code under the cursor in a comment.
    static func hover(_ file: SourceFile, _ map: LineMap, _ offset: UInt32) -> (text: String, span: Span)? {
        guard commentBefore(file, map, offset) != nil else { return nil }
        let bytes = file.bytes
        var a = Int(offset), b = Int(offset)
        while a > 0, isCodeByte(bytes[a - 1]) { a -= 1 }
        while b < bytes.count, isCodeByte(bytes[b]) { b += 1 }
        guard a < b else { return nil }
        let word = String(decoding: bytes[a..<b], as: UTF8.self)
        guard let code = allCodes.first(where: { $0.id == word || $0.name == word }) else { return nil }
        let text = "**\(code.id) \(code.name)** (\(code.severity.rawValue))\n\n\(code.explanation)"
        return (text, Span(file: file.id, start: UInt32(a), end: UInt32(b)))
    }

    /// Lint codes to complete after `# rulec-allow` and before the colon.
    static func completion(_ file: SourceFile, _ map: LineMap, _ offset: UInt32) -> [JSONValue]? {
        guard let (start, text) = commentBefore(file, map, offset) else { return nil }
        let needle = Array(marker.utf8)
        guard let at = (0...max(0, text.count - needle.count)).first(where: { text.count >= needle.count && Array(text[$0..<$0 + needle.count]) == needle }),
              !text[(at + needle.count)...].contains(UInt8(ascii: ":")) else { return [] }
        let bytes = file.bytes
        var a = Int(offset)
        while a > start, isCodeByte(bytes[a - 1]) { a -= 1 }
        let replace = map.range(Span(file: file.id, start: UInt32(a), end: offset))
        return Lints.all.map(\.code).enumerated().map { k, code in
            .obj(["label": .str(code.id), "kind": .int(CompletionFeature.enumMemberKind), "detail": .str(code.name),
                  "documentation": .str(code.explanation), "filterText": .str("\(code.id) \(code.name)"),
                  "sortText": .str(CompletionFeature.format4(k)),
                  "textEdit": .obj(["range": replace, "newText": .str(code.id)])])
        }
    }
}
