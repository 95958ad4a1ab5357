import Foundation
import RuleBase
import RuleJSON
import RuleSemantics
import RuleLanguageServer
import Testing

/// An in-process LSP client: frames JSON text into a `LanguageServerSession`, reads back what
/// it writes, and keeps the notifications apart from the responses. Files "on disk" are a
/// dictionary under the workspace root `/ws`.
struct TestClient {
    static let root = "/ws"
    var session: LanguageServerSession
    var nextID = 1
    /// Every notification received, in order.
    var notifications: [JSONValue] = []
    private var decoder = MessageDecoder()

    init(disk: [String: String] = [:], now: Instant? = Instant(epochSeconds: 1_795_456_800)) {
        let files = disk.reduce(into: [String: [UInt8]]()) { $0[$1.key.hasPrefix("/") ? $1.key : "\(Self.root)/\($1.key)"] = Array($1.value.utf8) }
        let environment = ServerEnvironment(
            readFile: { path in files[path].map { .loaded($0) } ?? .notFound },
            listRulebooks: { folder in files.keys.filter { $0.hasPrefix(folder + "/") && $0.hasSuffix(".rules") }.sorted() },
            now: { now },
            version: "test")
        session = LanguageServerSession(environment: environment)
    }

    static func uri(_ path: String) -> String { "file://\(root)/\(path)" }

    /// Sends raw bytes; returns every message the server wrote back.
    mutating func sendRaw(_ bytes: [UInt8]) -> [JSONValue] {
        decoder.append(session.receive(bytes))
        var out: [JSONValue] = []
        while let next = decoder.next() {
            guard case .message(let body) = next, let v = try? JSONParser.parse(body) else {
                Issue.record("the server wrote a message that is not framed JSON")
                continue
            }
            out.append(v)
        }
        notifications += out.filter { $0["method"] != nil && $0["id"] == nil }
        return out
    }

    /// Sends one message given as JSON text.
    mutating func send(_ json: String) -> [JSONValue] {
        let body = Array(json.utf8)
        return sendRaw(Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body)
    }

    /// A request; returns the whole response message (with `result` or `error`).
    mutating func request(_ method: String, _ params: String = "{}", sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let id = nextID
        nextID += 1
        let out = send(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":\#(params)}"#)
        guard let response = out.first(where: { $0["id"] == .number(String(id)) }) else {
            Issue.record("no response to \(method)", sourceLocation: sourceLocation)
            return .null
        }
        return response
    }

    mutating func result(_ method: String, _ params: String, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let r = request(method, params, sourceLocation: sourceLocation)
        if let e = r["error"] { Issue.record("\(method) failed: \(e)", sourceLocation: sourceLocation) }
        return r["result"] ?? .null
    }

    @discardableResult
    mutating func notify(_ method: String, _ params: String = "{}") -> [JSONValue] {
        send(#"{"jsonrpc":"2.0","method":"\#(method)","params":\#(params)}"#)
    }

    @discardableResult
    mutating func initialize(encodings: [String]? = nil) -> JSONValue {
        let general = encodings.map { #","general":{"positionEncodings":[\#($0.map { "\"\($0)\"" }.joined(separator: ","))]}"# } ?? ""
        let r = result("initialize", #"{"processId":null,"rootUri":null,"workspaceFolders":[{"uri":"file://\#(Self.root)","name":"ws"}],"capabilities":{"textDocument":{}\#(general)}}"#)
        notify("initialized")
        return r
    }

    /// Opens a document; returns the diagnostics notifications it caused.
    @discardableResult
    mutating func open(_ path: String, _ text: String) -> [JSONValue] {
        send(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"\#(Self.uri(path))","languageId":"rulec","version":1,"text":\#(JSONValue.quoted(text))}}}"#)
    }

    /// The diagnostics last published for a file.
    func diagnostics(_ path: String) -> [JSONValue]? {
        notifications.last { $0["method"] == .string("textDocument/publishDiagnostics") && $0["params"]?["uri"] == .string(Self.uri(path)) }?["params"]?["diagnostics"]?.arrayValue
    }

    mutating func shutdown() {
        _ = result("shutdown", "null")
        notify("exit")
    }
}

/// Rulebook text with cursor markers `‸`: the text without them and each marker's position.
struct Marked {
    static let marker: Character = "‸"
    var text: String
    var positions: [(line: Int, character: Int)] = []

    init(_ marked: String, encoding: String = "utf-16") {
        var clean = ""
        var line = 0, character = 0
        for ch in marked {
            if ch == Self.marker { positions.append((line, character)); continue }
            clean.append(ch)
            if ch == "\n" { line += 1; character = 0; continue }
            switch encoding {
            case "utf-8": character += ch.utf8.count
            case "utf-32": character += ch.unicodeScalars.count
            default: character += ch.utf16.count
            }
        }
        text = clean
    }

    func position(_ k: Int) -> String {
        #"{"line":\#(positions[k].line),"character":\#(positions[k].character)}"#
    }
}

/// Golden files under `Tests/RuleLanguageServerTests/Fixtures/`, rewritten in the source
/// tree with `RULEC_UPDATE_GOLDENS=1`.
enum Fixtures {
    static var directory: URL {
        Bundle.module.resourceURL?.appendingPathComponent("Fixtures") ?? URL(fileURLWithPath: ".")
    }
    static var sourceDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
    }
    static var updating: Bool { ProcessInfo.processInfo.environment["RULEC_UPDATE_GOLDENS"] == "1" }

    static func read(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> String {
        guard let s = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else {
            Issue.record("missing fixture \(name)", sourceLocation: sourceLocation)
            return ""
        }
        return s
    }

    static func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        if updating {
            let url = sourceDirectory.appendingPathComponent(name)
            try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? actual.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        guard let expected = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8) else {
            Issue.record("missing golden file \(name); run with RULEC_UPDATE_GOLDENS=1", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "golden \(name) differs", sourceLocation: sourceLocation)
        if actual != expected {
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            if let k = zip(a, e).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
                Issue.record("first difference at line \(k + 1):\n  expected: \(e[k])\n  actual:   \(a[k])", sourceLocation: sourceLocation)
            }
        }
    }
}

extension JSONValue {
    /// Pretty JSON with a final line break, as golden files hold it.
    var pretty: String { JSONWriter.string(self, style: .pretty) + "\n" }
}
