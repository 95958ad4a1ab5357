import Foundation
import RuleJSON
import RuleLanguageServer
import Testing

/// The base protocol: framing, JSON-RPC errors and the lifecycle. The server answers every
/// malformed message with the protocol's error and keeps going.
@Suite("Protocol and lifecycle")
struct ProtocolTests {
    static func errorCode(_ message: JSONValue?) -> Int? { message?["error"]?["code"]?.int64Value.map(Int.init) }

    @Test func requestBeforeInitializeIsServerNotInitialized() {
        var client = TestClient()
        let r = client.request("textDocument/hover", #"{"textDocument":{"uri":"file:///ws/a.rules"},"position":{"line":0,"character":0}}"#)
        #expect(Self.errorCode(r) == -32002)
        // Notifications before initialize are dropped: nothing is published.
        #expect(client.open("a.rules", "template t {").isEmpty)
        // `initialize` still works afterwards.
        #expect(client.initialize()["capabilities"] != nil)
    }

    @Test func unknownMethodIsMethodNotFound() {
        var client = TestClient()
        client.initialize()
        let r = client.request("textDocument/colorPresentation", "{}")
        #expect(Self.errorCode(r) == -32601)
        #expect(r["error"]?["message"] == .string("unknown method `textDocument/colorPresentation`"))
        // An unknown notification gets no answer.
        #expect(client.notify("$/somethingNew", "{}").isEmpty)
    }

    @Test(arguments: [
        (#"{"jsonrpc":"2.0","id":1,"method":"#, -32700),               // truncated
        (#"{"jsonrpc":"2.0","id":1,"method":"x",}"#, -32700),         // trailing comma
        ("\u{FF}\u{FE}", -32700),                                      // not UTF-8 JSON
        (#"[1,2]"#, -32600),                                           // a batch: not supported
        (#"{"id":1,"method":"shutdown"}"#, -32600),                    // no "jsonrpc"
        (#"{"jsonrpc":"2.0","id":{"a":1},"method":"shutdown"}"#, -32600), // id of the wrong type
        (#"{"jsonrpc":"2.0","id":1,"method":7}"#, -32600),             // method not a string
        (#"{"jsonrpc":"2.0","id":1}"#, -32600),                        // no method
        (#"{"jsonrpc":"2.0","id":1,"method":"shutdown","params":3}"#, -32600), // params a number
    ])
    func malformedBodiesGetErrorResponses(body: String, code: Int) {
        var client = TestClient()
        client.initialize()
        let out = client.send(body)
        #expect(out.count == 1)
        #expect(Self.errorCode(out.first) == code)
        // The server keeps serving.
        #expect(client.request("shutdown", "null")["result"] == .null)
    }

    @Test func parseErrorHasNullID() {
        var client = TestClient()
        let out = client.send("{not json")
        #expect(out.first?["id"] == .null)
        #expect(out.first?["jsonrpc"] == .string("2.0"))
    }

    @Test(arguments: [
        "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n",    // no Content-Length
        "Content-Length: twelve\r\n\r\n",                                     // not a number
        "this is not a header\r\n\r\n",                                       // no colon
    ])
    func badFramingIsReportedAndSkipped(header: String) {
        var client = TestClient()
        client.initialize()
        let out = client.sendRaw(Array(header.utf8))
        #expect(out.count == 1)
        #expect(Self.errorCode(out.first) == -32700)
        #expect(out.first?["error"]?["message"]?.stringValue?.hasPrefix("bad message framing: ") == true)
        #expect(client.request("shutdown", "null")["result"] == .null)
    }

    @Test func aBodyWithoutItsHeaderCostsOnlyItself() {
        var client = TestClient()
        client.initialize()
        let lost = #"{"jsonrpc":"2.0","id":7,"method":"shutdown"}"#
        let next = #"{"jsonrpc":"2.0","id":8,"method":"shutdown"}"#
        let out = client.sendRaw(Array("Content-Type: x\r\n\r\n\(lost)Content-Length: \(next.utf8.count)\r\n\r\n\(next)".utf8))
        #expect(out.count == 2)
        #expect(Self.errorCode(out.first) == -32700)
        #expect(out.last?["id"] == .number("8"))
    }

    @Test func oversizedHeaderWithoutEndIsAFramingError() {
        var client = TestClient()
        let out = client.sendRaw(Array(repeating: UInt8(ascii: "x"), count: MessageDecoder.maxHeaderLength + 10))
        #expect(Self.errorCode(out.first) == -32700)
    }

    @Test func messagesSplitAtEveryByteAndJoinedInOneChunk() {
        let body = Array(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#.utf8)
        let framed = Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        var oneByOne = TestClient()
        var replies: [JSONValue] = []
        for b in framed { replies += oneByOne.sendRaw([b]) }
        #expect(replies.count == 1)
        #expect(replies.first?["result"]?["serverInfo"]?["name"] == .string("rulec"))
        // Two messages in one chunk, with a bare-LF header on the second.
        var together = TestClient()
        let second = Array(#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#.utf8)
        let out = together.sendRaw(framed + Array("Content-Length: \(second.count)\n\n".utf8) + second)
        #expect(out.map { $0["id"] } == [.number("1"), .number("2")])
    }

    @Test func shutdownThenExit() {
        var client = TestClient()
        client.initialize()
        #expect(client.request("shutdown", "null")["result"] == .null)
        #expect(Self.errorCode(client.request("textDocument/hover", "{}")) == -32600)
        #expect(client.session.exitCode == nil)
        client.notify("exit")
        #expect(client.session.exitCode == 0)
        // Nothing is read after `exit`.
        #expect(client.send(#"{"jsonrpc":"2.0","id":9,"method":"shutdown"}"#).isEmpty)
    }

    @Test func exitWithoutShutdownIsStatusOne() {
        var client = TestClient()
        client.initialize()
        client.notify("exit")
        #expect(client.session.exitCode == 1)
    }

    @Test func rulebookWatchersAreRegisteredWhenTheClientAllowsIt() {
        var client = TestClient()
        _ = client.result("initialize", #"{"capabilities":{"workspace":{"didChangeWatchedFiles":{"dynamicRegistration":true}}}}"#)
        let out = client.notify("initialized")
        #expect(out.count == 1)
        #expect(out.first?["method"] == .string("client/registerCapability"))
        #expect(out.first?["params"]?["registrations"]?[0]?["registerOptions"]?["watchers"]?[0]?["globPattern"] == .string("**/*.rules"))
        // The client's answer is a response, which needs none.
        #expect(client.send(#"{"jsonrpc":"2.0","id":"rulec-watch","result":null}"#).isEmpty)
    }

    @Test func initializeTwiceIsInvalid() {
        var client = TestClient()
        client.initialize()
        #expect(Self.errorCode(client.request("initialize", #"{"capabilities":{}}"#)) == -32600)
    }

    @Test func requestsAboutDocumentsThatAreNotOpenFail() {
        var client = TestClient()
        client.initialize()
        let r = client.request("textDocument/hover", #"{"textDocument":{"uri":"file:///ws/none.rules"},"position":{"line":0,"character":0}}"#)
        #expect(Self.errorCode(r) == -32803)
        #expect(Self.errorCode(client.request("textDocument/hover", "{}")) == -32602)
    }

    @Test(arguments: [(nil, "utf-16"), (["utf-8", "utf-16"], "utf-8"), (["utf-16"], "utf-16"), (["utf-32"], "utf-32")] as [([String]?, String)])
    func positionEncodingIsNegotiated(offered: [String]?, chosen: String) {
        var client = TestClient()
        let r = client.initialize(encodings: offered)
        #expect(r["capabilities"]?["positionEncoding"] == .string(chosen))
    }

    /// Random bytes, framed and unframed, in random chunks: the server never traps and every
    /// reply is a JSON-RPC message. Fixed seed.
    @Test func randomInputNeverBreaksTheServer() {
        var rng = SplitMix(seed: 0x5EED)
        var client = TestClient()
        client.initialize()
        client.open("a.rules", "template t {\n  alert {\n")
        let pieces = [#"{"jsonrpc":"2.0","id":5,"method":"textDocument/hover","params":{"textDocument":{"uri":"file:///ws/a.rules"},"position":{"line":1,"character":3}}}"#,
                      #"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///ws/a.rules","version":2},"contentChanges":[{"range":{"start":{"line":9,"character":99},"end":{"line":0,"character":1}},"text":"é😀\n"}]}}"#,
                      #"{"jsonrpc":"2.0","id":6,"method":"textDocument/completion","params":{"textDocument":{"uri":"file:///ws/a.rules"},"position":{"line":99,"character":0}}}"#,
                      "garbage", "{}", "null"]
        for _ in 0..<300 {
            var bytes: [UInt8]
            switch rng.next() % 3 {
            case 0:
                let body = Array(pieces[Int(rng.next() % UInt64(pieces.count))].utf8)
                bytes = Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
            case 1:
                bytes = (0..<Int(rng.next() % 40)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            default:
                bytes = Array("Content-Length: \(rng.next() % 50)\r\n\r\n{".utf8)
            }
            for m in client.sendRaw(bytes) { #expect(m["jsonrpc"] == .string("2.0")) }
        }
    }
}

/// A small deterministic generator for the fuzz test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
