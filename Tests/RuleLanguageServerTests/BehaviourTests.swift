import Foundation
import RuleBase
import RuleJSON
import RuleSemantics
import Testing

/// What the features promise beyond their goldens: diagnostics are `rulec check`'s, edits
/// are incremental, open buffers win over the disk, fixes and suppressions do what they say.
@Suite("Behaviour")
struct BehaviourTests {
    static let catalog = Fixtures.read("basic/std/catalog.rules")
    static let now = Instant(epochSeconds: 1_795_456_800)

    /// The codes and primary ranges (1-based line:column in scalars) of `rulec check` on a
    /// rulebook, the way its JSON output reports them.
    static func checkFindings(_ text: String, path: String) -> [String] {
        let (model, diags) = Checker.check(source: text, path: path, files: ["std/catalog.rules": catalog],
                                           options: CheckOptions(now: now, lints: true))
        return diags.filter { $0.primary.span.file == model.sources.files.first { $0.path == path }?.id }.map { d in
            let f = model.sources[d.primary.span.file]
            let a = f.location(of: d.primary.span.start), b = f.location(of: d.primary.span.end)
            return "\(d.code.id) \(a.line):\(a.column)-\(b.line):\(b.column)"
        }
    }

    /// The same from the server's published diagnostics (ASCII fixtures: UTF-16 columns are scalars).
    static func published(_ diagnostics: [JSONValue]?) -> [String] {
        (diagnostics ?? []).map { d in
            let s = d["range"]?["start"], e = d["range"]?["end"]
            func n(_ v: JSONValue?, _ k: String) -> Int { Int(v?[k]?.int64Value ?? -1) + 1 }
            return "\(d["code"]?.stringValue ?? "?") \(n(s, "line")):\(n(s, "character"))-\(n(e, "line")):\(n(e, "character"))"
        }
    }

    @Test(arguments: ["basic/eval.rules", "broken.rules", "lints.rules", "complete.rules"])
    func diagnosticsAreThoseOfRulecCheck(fixture: String) {
        var client = TestClient(disk: ["std/catalog.rules": Self.catalog])
        client.initialize()
        let text = Marked(Fixtures.read(fixture)).text
        client.open("doc.rules", text)
        let expected = Self.checkFindings(text, path: "doc.rules")
        #expect(!expected.isEmpty)
        #expect(Self.published(client.diagnostics("doc.rules")) == expected)
    }

    @Test func incrementalChangesMatchTheWholeText() {
        var client = TestClient(disk: ["std/catalog.rules": Self.catalog])
        client.initialize()
        client.open("a.rules", "import \"std/catalog.rules\"\n\ntemplate t {\n  calendar cmx\n}\n")
        #expect(Self.published(client.diagnostics("a.rules")) == ["R2007 4:12-4:15"])
        // Replace `cmx` by `cme` (one range), then insert a line with an emoji and a bad setting.
        client.notify("textDocument/didChange", #"{"textDocument":{"uri":"\#(TestClient.uri("a.rules"))","version":2},"contentChanges":[{"range":{"start":{"line":3,"character":11},"end":{"line":3,"character":14}},"text":"cme"}]}"#)
        let middle = "import \"std/catalog.rules\"\n\ntemplate t {\n  calendar cme\n}\n"
        #expect(Self.published(client.diagnostics("a.rules")) == Self.checkFindings(middle, path: "a.rules"))
        #expect(!Self.published(client.diagnostics("a.rules")).contains { $0.hasPrefix("R2007") })
        client.notify("textDocument/didChange", #"{"textDocument":{"uri":"\#(TestClient.uri("a.rules"))","version":3},"contentChanges":[{"range":{"start":{"line":3,"character":14},"end":{"line":3,"character":14}},"text":" # 😀 é\n  margn 5%"}]}"#)
        let published = client.notifications.last?["params"]
        #expect(published?["version"] == .number("3"))
        let diagnostics = published?["diagnostics"]?.arrayValue ?? []
        #expect(diagnostics.first?["code"] == .string("R2001"))
        // `margn` is on line 5 (0-based 4), columns 2..<7.
        #expect(diagnostics.first?["range"] == (try? JSONParser.parse(#"{"start":{"line":4,"character":2},"end":{"line":4,"character":7}}"#)))
        let expected = "import \"std/catalog.rules\"\n\ntemplate t {\n  calendar cme # 😀 é\n  margn 5%\n}\n"
        #expect(Self.published(diagnostics) == Self.checkFindings(expected, path: "a.rules"))
    }

    @Test func openBuffersWinOverTheDisk() {
        var client = TestClient(disk: ["std/catalog.rules": Self.catalog])
        client.initialize()
        client.open("a.rules", "import \"std/catalog.rules\"\n\nrisk_category c {\n  max_position ZB 1\n}\n")
        #expect(client.diagnostics("a.rules")?.first?["code"] == .string("R2008"))
        // Opening the catalog with a `ZB` product re-checks the document that imports it.
        client.open("std/catalog.rules", Self.catalog + "\nproduct ZB {\n  point_value 1_000 USD\n}\n")
        #expect(client.diagnostics("a.rules")?.contains { $0["code"] == .string("R2008") } == false)
        // Closing it goes back to the disk.
        client.notify("textDocument/didClose", #"{"textDocument":{"uri":"\#(TestClient.uri("std/catalog.rules"))"}}"#)
        #expect(client.diagnostics("a.rules")?.first?["code"] == .string("R2008"))
        #expect(client.diagnostics("std/catalog.rules") == [])
    }

    @Test func importedFilesGetTheirOwnDiagnosticsUntilFixed() {
        var client = TestClient(disk: ["lib.rules": "product ES { point_value 50 USD tick 0.25 }\n"])
        client.initialize()
        client.open("a.rules", "import \"lib.rules\"\n")
        #expect(client.diagnostics("lib.rules")?.first?["code"] == .string("R3003"))
        client.notify("textDocument/didChange", #"{"textDocument":{"uri":"\#(TestClient.uri("a.rules"))","version":2},"contentChanges":[{"text":""}]}"#)
        #expect(client.diagnostics("lib.rules") == [])
    }

    /// Applies LSP text edits (UTF-16 positions) to a text.
    static func apply(_ edits: [JSONValue], to text: String) -> String {
        var units = Array(text.utf16)
        func offset(_ p: JSONValue?) -> Int {
            let line = Int(p?["line"]?.int64Value ?? 0), character = Int(p?["character"]?.int64Value ?? 0)
            var l = 0, i = 0
            while l < line, i < units.count { if units[i] == 10 { l += 1 }; i += 1 }
            return min(i + character, units.count)
        }
        let sorted = edits.sorted { offset($0["range"]?["start"]) > offset($1["range"]?["start"]) }
        for e in sorted {
            let a = offset(e["range"]?["start"]), b = offset(e["range"]?["end"])
            units.replaceSubrange(a..<b, with: Array((e["newText"]?.stringValue ?? "").utf16))
        }
        return String(decoding: units, as: UTF16.self)
    }

    @Test func everyCodeActionRemovesItsFinding() {
        let lints = Fixtures.read("lints.rules")
        var client = TestClient(disk: ["std/catalog.rules": Self.catalog])
        client.initialize()
        client.open("lints.rules", lints)
        let before = Self.checkFindings(lints, path: "lints.rules")
        let range = #"{"start":{"line":0,"character":0},"end":{"line":99,"character":0}}"#
        let actions = client.result("textDocument/codeAction", #"{"textDocument":{"uri":"\#(TestClient.uri("lints.rules"))"},"range":\#(range),"context":{"diagnostics":[]}}"#).arrayValue ?? []
        #expect(actions.count == 8)
        for action in actions {
            let title = action["title"]?.stringValue ?? ""
            let code = action["diagnostics"]?[0]?["code"]?.stringValue ?? ""
            let edits = action["edit"]?["changes"]?[TestClient.uri("lints.rules")]?.arrayValue ?? []
            let fixed = Self.apply(edits, to: lints)
            let after = Self.checkFindings(fixed, path: "lints.rules")
            let count = { (list: [String]) in list.filter { $0.hasPrefix(code + " ") }.count }
            #expect(count(after) == count(before) - 1, "\(title): \(after)")
            // A suppression never leaves an unused or invalid one behind.
            if title.hasPrefix("Suppress") {
                #expect(!after.contains { $0.hasPrefix("R5100") || $0.hasPrefix("R5101") } || before.contains { $0.hasPrefix("R5100") }, "\(title): \(after)")
            }
        }
    }

    @Test func utf8PositionsWhenNegotiated() {
        let text = "product \"É😀\" {\n  description \"é😀\"; point_value 5 USD\n}\n"
        // `point_value` starts after `  description "é😀"; `: 21 UTF-16 units, 24 UTF-8 bytes.
        for (encoding, character) in [("utf-16", 21), ("utf-8", 24)] {
            var client = TestClient()
            client.initialize(encodings: encoding == "utf-8" ? ["utf-8"] : nil)
            client.open("p.rules", text)
            let marked = Marked("product \"É😀\" {\n  description \"é😀\"; ‸point_value 5 USD\n}\n", encoding: encoding)
            #expect(marked.positions[0].character == character)
            let symbols = client.result("textDocument/documentSymbol", #"{"textDocument":{"uri":"\#(TestClient.uri("p.rules"))"}}"#)
            let point = symbols[0]?["children"]?[1]
            #expect(point?["name"] == .string("point_value"))
            #expect(point?["selectionRange"]?["start"]?["character"]?.int64Value == Int64(character))
            // And a hover at that position (in the same units) lands on the setting's line.
            let hover = client.request("textDocument/hover", #"{"textDocument":{"uri":"\#(TestClient.uri("p.rules"))"},"position":\#(marked.position(0))}"#)
            #expect(hover["error"] == nil)
        }
    }

    @Test func percentEncodedURIsReachFilesOnDisk() {
        var client = TestClient(disk: ["my rules/lib.rules": "product ES {\n  point_value 50 USD\n}\n"])
        client.initialize()
        let uri = "file:///ws/my%20rules/a%2Brisk.rules"
        client.send(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"\#(uri)","languageId":"rulec","version":1,"text":"import \"lib.rules\"\nrisk_category c {\n  max_position ES 1\n}\n"}}}"#)
        let published = client.notifications.last?["params"]
        #expect(published?["uri"] == .string(uri))
        #expect(published?["diagnostics"]?.arrayValue?.contains { $0["code"] == .string("R2006") } == false)
        // Go to definition reaches the file with a space in its folder, as a percent-encoded URI.
        let def = client.result("textDocument/definition", #"{"textDocument":{"uri":"\#(uri)"},"position":{"line":2,"character":16}}"#)
        #expect(def["uri"] == .string("file:///ws/my%20rules/lib.rules"))
    }

    @Test func renameRejectsNonNames() {
        var client = TestClient(disk: ["std/catalog.rules": Self.catalog])
        client.initialize()
        client.open("a.rules", "import \"std/catalog.rules\"\ntemplate t {\n  calendar cme\n}\n")
        let at = #"{"textDocument":{"uri":"\#(TestClient.uri("a.rules"))"},"position":{"line":2,"character":12},"newName":"1x"}"#
        #expect(client.request("textDocument/rename", at)["error"]?["code"] == .number("-32803"))
    }
}
