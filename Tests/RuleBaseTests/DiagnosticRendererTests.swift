import Testing
import RuleBase

@Suite("DiagnosticRenderer")
struct DiagnosticRendererTests {
    static let code = DiagnosticCode(2003, "duplicate-setting", .error, "A setting may appear once per block.")

    static func sample() -> (Diagnostic, SourceMap) {
        var sources = SourceMap()
        let text = """
        template eval_50k {
          alert {
            daily_loss 800 USD
        \tdaily_loss 900 USD
          }
        }

        """
        let file = sources.add(path: "rules/eval-50k.rules", text: text)
        let bytes = Array(text.utf8)
        func span(of needle: String, occurrence: Int) -> Span {
            let n = Array(needle.utf8)
            var found = 0
            for i in 0...(bytes.count - n.count) where Array(bytes[i..<i + n.count]) == n {
                if found == occurrence { return Span(file: file, start: UInt32(i), end: UInt32(i + n.count)) }
                found += 1
            }
            return Span(file: file, start: 0, end: 0)
        }
        let d = Diagnostic(code, "`alert.daily_loss` in USD is set twice",
                           at: Label(span(of: "daily_loss 900 USD", occurrence: 0), "second setting"),
                           secondary: [Label(span(of: "daily_loss 800 USD", occurrence: 0), "first set here")],
                           notes: ["a second setting would silently win"],
                           help: "remove one of them")
        return (d, sources)
    }

    @Test("plain text: header, location, source line, caret, secondary label, note and help")
    func goldenWithSecondaryLabel() {
        let (d, sources) = Self.sample()
        let expected = """
        error[R2003]: `alert.daily_loss` in USD is set twice
         --> rules/eval-50k.rules:4:2
          |
        4 |     daily_loss 900 USD
          |     ^^^^^^^^^^^^^^^^^^ second setting
          ::: rules/eval-50k.rules:3:5
          |
        3 |     daily_loss 800 USD
          |     ------------------ first set here
          = note: a second setting would silently win
          = help: remove one of them

        """
        #expect(DiagnosticRenderer(color: false).render(d, sources: sources) == expected)
    }

    @Test("the one-line form names file, line, column, severity and code")
    func oneLine() {
        let (d, sources) = Self.sample()
        #expect(DiagnosticRenderer.oneLine(d, sources: sources)
                == "rules/eval-50k.rules:4:2: error[R2003]: `alert.daily_loss` in USD is set twice")
    }

    @Test("color output wraps the same text in ANSI escapes and nothing else")
    func colorIsOnlyDecoration() {
        let (d, sources) = Self.sample()
        let colored = DiagnosticRenderer(color: true).render(d, sources: sources)
        #expect(colored.contains("\u{1B}["))
        let stripped = colored.replacing(#/\x1B\[[0-9;]*m/#, with: "")
        #expect(stripped == DiagnosticRenderer(color: false).render(d, sources: sources))
    }

    @Test("columns count Unicode scalars, not bytes; a span across lines is clipped to its first line")
    func unicodeColumns() {
        var sources = SourceMap()
        let file = sources.add(path: "u.rules", text: "product \"€uro\" {\n  tick x\n}\n")
        // The euro sign is three bytes but one column: `u` is byte 12, column 11.
        let d = Diagnostic(Self.code, "m", at: Span(file: file, start: 8, end: 26), label: "here")
        let out = DiagnosticRenderer().render(d, sources: sources)
        #expect(out.contains(" --> u.rules:1:9\n"))
        #expect(out.contains("1 | product \"€uro\" {\n  |         ^^^^^^^^ here\n"))
        #expect(sources[file].location(of: 12) == (line: 1, column: 11))
        #expect(sources[file].location(of: 26) == (line: 2, column: 8))
    }

    @Test("output is sorted by file, position and code, and exact duplicates are dropped")
    func sortedForOutput() {
        var sources = SourceMap()
        let b = sources.add(path: "b.rules", text: "x\ny\n")
        let a = sources.add(path: "a.rules", text: "x\ny\n")
        let other = DiagnosticCode(1002, "unexpected-character", .error, "x")
        let ds = [
            Diagnostic(Self.code, "b2", at: Span(file: b, start: 2, end: 3)),
            Diagnostic(Self.code, "a2", at: Span(file: a, start: 2, end: 3)),
            Diagnostic(Self.code, "a0", at: Span(file: a, start: 0, end: 1)),
            Diagnostic(other, "a0 earlier code", at: Span(file: a, start: 0, end: 1)),
            Diagnostic(Self.code, "a2", at: Span(file: a, start: 2, end: 3)),
        ]
        #expect(ds.sortedForOutput(sources).map(\.message) == ["a0 earlier code", "a0", "a2", "b2"])
    }
}

@Suite("Renderer safety")
struct RendererSafetyTests {
    @Test("control characters in an echoed line become U+FFFD, one column each")
    func controlCharacters() {
        var sources = SourceMap()
        let id = sources.add(path: "x.rules", text: "a\u{1B}[31m b\n")
        let d = Diagnostic(DiagnosticCode(1002, "unexpected-character", .error, "x"), "bad", at: Span(file: id, start: 7, end: 8))
        let text = DiagnosticRenderer().render(d, sources: sources)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("1 | a\u{FFFD}[31m b\n  |        ^\n"))
    }

    @Test("a very long line is echoed as a window around the caret")
    func longLine() {
        var sources = SourceMap()
        let line = String(repeating: "a", count: 5_000) + " B " + String(repeating: "c", count: 5_000)
        let id = sources.add(path: "x.rules", text: line + "\n")
        let d = Diagnostic(DiagnosticCode(1002, "unexpected-character", .error, "x"), "bad", at: Span(file: id, start: 5_001, end: 5_002))
        let text = DiagnosticRenderer().render(d, sources: sources)
        let echoed = text.split(separator: "\n")[3]
        #expect(echoed.count < 200)
        #expect(echoed.hasPrefix("1 | …") && echoed.hasSuffix("…"))
        let caretLine = String(text.split(separator: "\n")[4])
        // The caret still sits under the `B`.
        let caretColumn = caretLine.firstIndex(of: "^").map { caretLine.distance(from: caretLine.startIndex, to: $0) }
        let bColumn = echoed.firstIndex(of: "B").map { echoed.distance(from: echoed.startIndex, to: $0) }
        #expect(caretColumn == bColumn)
    }
}
