import Foundation
import RuleJSON
import Testing

/// Every rulebook of `rules/` and `examples/`, opened in the server: every request at every
/// word answers without an error (every other line of the rulebooks, every sixth of the test
/// files), and formatting has nothing to change (they are in the canonical layout).
@Suite("Bundled rulebooks in the server")
struct BundledRulebookSweepTests {
    static let repository: URL = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" && !FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
            url.deleteLastPathComponent()
        }
        return url
    }()

    /// Paths relative to the repository of every `*.rules` file under `rules/` and `examples/`.
    static let files: [String] = {
        var out: [String] = []
        for top in ["rules", "examples"] {
            let base = repository.appendingPathComponent(top)
            let walker = FileManager.default.enumerator(atPath: base.path)
            while let p = walker?.nextObject() as? String {
                if p.hasSuffix(".rules") { out.append(top + "/" + p) }
            }
        }
        return out.sorted()
    }()

    @Test func everyRequestAtEveryWordAnswers() throws {
        #expect(Self.files.count >= 10)
        var disk: [String: String] = [:]
        for f in Self.files { disk[f] = try String(contentsOf: Self.repository.appendingPathComponent(f), encoding: .utf8) }
        var client = TestClient(disk: disk)
        client.initialize()
        for f in Self.files {
            let text = disk[f] ?? ""
            client.open(f, text)
            let doc = #"{"textDocument":{"uri":"\#(TestClient.uri(f))"}"#
            for method in ["textDocument/documentSymbol", "textDocument/foldingRange", "textDocument/semanticTokens/full"] {
                #expect(client.request(method, doc + "}")["error"] == nil, "\(method) \(f)")
            }
            let formatted = client.result("textDocument/formatting", doc + #","options":{"tabSize":2,"insertSpaces":true}}"#)
            #expect(formatted == .array([]), "\(f) is not in the canonical layout")
            let all = #","range":{"start":{"line":0,"character":0},"end":{"line":99999,"character":0}},"context":{"diagnostics":[]}}"#
            #expect(client.request("textDocument/codeAction", doc + all)["error"] == nil)
            // Each word's start, and each line's end (ASCII files: UTF-16 columns are byte columns).
            // Every other line of the rulebooks; every sixth line of the long, repetitive test files.
            let stride = f.hasSuffix(".test.rules") ? 6 : 2
            for (line, content) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where line % stride == 0 {
                var columns: [Int] = []
                var inWord = false
                for (k, ch) in content.enumerated() {
                    let word = ch.isLetter || ch.isNumber || ch == "_"
                    if word && !inWord { columns.append(k) }
                    inWord = word
                }
                columns.append(content.count)
                for c in columns {
                    let at = doc + #","position":{"line":\#(line),"character":\#(c)}}"#
                    for method in ["textDocument/hover", "textDocument/completion", "textDocument/definition", "textDocument/prepareRename"] {
                        let r = client.request(method, at)
                        #expect(r["error"] == nil, "\(method) \(f):\(line + 1):\(c + 1): \(r["error"].map(\.description) ?? "")")
                    }
                }
            }
        }
    }
}
