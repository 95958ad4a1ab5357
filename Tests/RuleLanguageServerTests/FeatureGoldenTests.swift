import Foundation
import RuleJSON
import Testing

/// Golden responses for every feature, at the cursor markers of the fixture rulebooks. The
/// catalog `std/catalog.rules` is on "disk" (not open); the fixture under test is open.
@Suite("Feature goldens")
struct FeatureGoldenTests {
    static let catalog = Fixtures.read("basic/std/catalog.rules")

    /// A client with the catalog on disk and the fixture `name` opened at `path`.
    static func opened(_ name: String, as path: String, encodings: [String]? = nil) -> (TestClient, Marked) {
        var client = TestClient(disk: ["std/catalog.rules": catalog])
        client.initialize(encodings: encodings)
        let marked = Marked(Fixtures.read(name))
        client.open(path, marked.text)
        return (client, marked)
    }

    /// `## marker k (line:character)` and the pretty result, for each marker.
    static func atMarkers(_ marked: Marked, _ body: (Int) -> JSONValue) -> String {
        marked.positions.indices.map { k in
            "## marker \(k) (\(marked.positions[k].line):\(marked.positions[k].character))\n" + body(k).pretty
        }.joined(separator: "\n")
    }

    static func params(_ path: String, _ marked: Marked, _ k: Int, _ extra: String = "") -> String {
        #"{"textDocument":{"uri":"\#(TestClient.uri(path))"},"position":\#(marked.position(k))\#(extra)}"#
    }

    static func doc(_ path: String, _ extra: String = "") -> String {
        #"{"textDocument":{"uri":"\#(TestClient.uri(path))"}\#(extra)}"#
    }

    @Test func diagnosticsOnOpen() {
        var client = TestClient(disk: ["std/catalog.rules": Self.catalog])
        client.initialize()
        let published = client.open("eval.rules", Marked(Fixtures.read("basic/eval.rules")).text)
        Fixtures.expectGolden(JSONValue.array(published).pretty, "goldens/basic-diagnostics.json")
        let broken = client.open("broken.rules", Marked(Fixtures.read("broken.rules")).text)
        Fixtures.expectGolden(JSONValue.array(broken).pretty, "goldens/broken-diagnostics.json")
    }

    @Test func hover() {
        var (client, marked) = Self.opened("basic/eval.rules", as: "eval.rules")
        var text = Self.atMarkers(marked) { client.result("textDocument/hover", Self.params("eval.rules", marked, $0)) }
        // The derived template's name: every setting in effect, with where each came from.
        text += "\n## template eval_50k (31:12)\n"
        text += client.result("textDocument/hover", #"{"textDocument":{"uri":"\#(TestClient.uri("eval.rules"))"},"position":{"line":31,"character":12}}"#).pretty
        Fixtures.expectGolden(text, "goldens/basic-hover.txt")
    }

    @Test func hoverOnBrokenText() {
        var (client, marked) = Self.opened("broken.rules", as: "broken.rules")
        let text = Self.atMarkers(marked) { client.result("textDocument/hover", Self.params("broken.rules", marked, $0)) }
        Fixtures.expectGolden(text, "goldens/broken-hover.txt")
    }

    @Test func definition() {
        var (client, marked) = Self.opened("basic/eval.rules", as: "eval.rules")
        let text = Self.atMarkers(marked) { client.result("textDocument/definition", Self.params("eval.rules", marked, $0)) }
        Fixtures.expectGolden(text, "goldens/basic-definition.txt")
    }

    @Test func references() {
        var (client, marked) = Self.opened("basic/eval.rules", as: "eval.rules")
        let text = Self.atMarkers(marked) {
            client.result("textDocument/references", Self.params("eval.rules", marked, $0, #","context":{"includeDeclaration":true}"#))
        }
        Fixtures.expectGolden(text, "goldens/basic-references.txt")
    }

    @Test func rename() {
        var (client, marked) = Self.opened("basic/eval.rules", as: "eval.rules")
        var text = Self.atMarkers(marked) { client.result("textDocument/prepareRename", Self.params("eval.rules", marked, $0)) }
        text += "\n## rename marker 1 (product ES) to ESX\n"
        text += client.result("textDocument/rename", Self.params("eval.rules", marked, 1, #","newName":"ESX""#)).pretty
        text += "\n## rename marker 5 (template base_eval) to base_account\n"
        text += client.result("textDocument/rename", Self.params("eval.rules", marked, 5, #","newName":"base_account""#)).pretty
        text += "\n## rename marker 5 to a keyword\n"
        text += client.request("textDocument/rename", Self.params("eval.rules", marked, 5, #","newName":"margin""#))["error"].map(\.pretty) ?? "no error\n"
        text += "\n## rename marker 5 to an existing template\n"
        text += client.request("textDocument/rename", Self.params("eval.rules", marked, 5, #","newName":"eval_50k""#))["error"].map(\.pretty) ?? "no error\n"
        Fixtures.expectGolden(text, "goldens/basic-rename.txt")
    }

    @Test func completion() {
        var (client, marked) = Self.opened("complete.rules", as: "complete.rules")
        let text = Self.atMarkers(marked) { client.result("textDocument/completion", Self.params("complete.rules", marked, $0)) }
        Fixtures.expectGolden(text, "goldens/complete-completion.txt")
    }

    @Test func suppressionComments() {
        var (client, marked) = Self.opened("suppress.rules", as: "suppress.rules")
        var text = ""
        for (k, method) in ["textDocument/hover", "textDocument/completion", "textDocument/hover", "textDocument/completion"].enumerated() {
            text += "## marker \(k) \(method)\n" + client.result(method, Self.params("suppress.rules", marked, k)).pretty
        }
        Fixtures.expectGolden(text, "goldens/suppress-comments.txt")
    }

    @Test func completionOnBrokenText() {
        var (client, marked) = Self.opened("broken.rules", as: "broken.rules")
        let text = Self.atMarkers(marked) { client.result("textDocument/completion", Self.params("broken.rules", marked, $0)) }
        Fixtures.expectGolden(text, "goldens/broken-completion.txt")
    }

    @Test func documentSymbolsFoldingAndSemanticTokens() {
        var (client, _) = Self.opened("basic/eval.rules", as: "eval.rules")
        Fixtures.expectGolden(client.result("textDocument/documentSymbol", Self.doc("eval.rules")).pretty, "goldens/basic-symbols.json")
        Fixtures.expectGolden(client.result("textDocument/foldingRange", Self.doc("eval.rules")).pretty, "goldens/basic-folding.json")
        let tokens = client.result("textDocument/semanticTokens/full", Self.doc("eval.rules"))
        Fixtures.expectGolden(SemanticTokenListing.listing(tokens, Marked(Fixtures.read("basic/eval.rules")).text), "goldens/basic-semantic-tokens.txt")
    }

    @Test func formatting() {
        var client = TestClient(disk: ["std/catalog.rules": Self.catalog])
        client.initialize()
        client.open("messy.rules", "import   \"std/catalog.rules\"\ntemplate t {\n      starting_balance   50_000 USD   # the start\n  alert { daily_loss 800 USD }\n}\n")
        var text = "## messy.rules\n" + client.result("textDocument/formatting", Self.doc("messy.rules", #","options":{"tabSize":2,"insertSpaces":true}"#)).pretty
        client.open("broken.rules", Marked(Fixtures.read("broken.rules")).text)
        let before = client.notifications.count
        text += "\n## broken.rules (refused)\n" + client.result("textDocument/formatting", Self.doc("broken.rules", #","options":{"tabSize":2,"insertSpaces":true}"#)).pretty
        text += JSONValue.array(Array(client.notifications[before...])).pretty
        Fixtures.expectGolden(text, "goldens/formatting.txt")
    }

    @Test func codeActions() {
        var client = TestClient(disk: ["std/catalog.rules": Self.catalog])
        client.initialize()
        let lints = Fixtures.read("lints.rules")
        client.open("lints.rules", lints)
        let lines = lints.split(separator: "\n", omittingEmptySubsequences: false).count
        let whole = #"{"start":{"line":0,"character":0},"end":{"line":\#(lines),"character":0}}"#
        var text = "## lints.rules, whole document\n"
        text += client.result("textDocument/codeAction", Self.doc("lints.rules", #","range":\#(whole),"context":{"diagnostics":[]}"#)).pretty
        client.open("eval.rules", Marked(Fixtures.read("basic/eval.rules")).text)
        let line20 = #"{"start":{"line":19,"character":0},"end":{"line":19,"character":20}}"#
        text += "\n## eval.rules, line 20\n"
        text += client.result("textDocument/codeAction", Self.doc("eval.rules", #","range":\#(line20),"context":{"diagnostics":[]}"#)).pretty
        Fixtures.expectGolden(text, "goldens/code-actions.txt")
    }
}

/// Semantic tokens decoded into one readable line per token: `line:col text type [modifiers]`.
enum SemanticTokenListing {
    static let types = ["keyword", "property", "type", "namespace", "struct", "event", "variable", "enumMember", "number", "string", "comment"]
    static let modifiers = ["declaration", "readonly"]

    static func listing(_ result: JSONValue, _ text: String) -> String {
        let data = (result["data"]?.arrayValue ?? []).compactMap { $0.int64Value.map(Int.init) }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf16) }
        var out = ""
        var line = 0, start = 0
        var k = 0
        while k + 4 < data.count {
            line += data[k]
            start = data[k] == 0 ? start + data[k + 1] : data[k + 1]
            let length = data[k + 2]
            let units = line < lines.count ? lines[line] : []
            let slice = start + length <= units.count ? String(decoding: units[start..<start + length], as: UTF16.self) : "?"
            let type = data[k + 3] < types.count ? types[data[k + 3]] : "?"
            let mods = modifiers.indices.filter { data[k + 4] & (1 << $0) != 0 }.map { modifiers[$0] }
            out += "\(line + 1):\(start + 1) \(slice) \(type)\(mods.isEmpty ? "" : " [" + mods.joined(separator: ",") + "]")\n"
            k += 5
        }
        return out
    }
}
