import Foundation
import RuleJSON
import RulecCLI
import Testing

/// The built `rulec` binary as an editor runs it: `rulec lsp` over stdin and stdout.
@Suite("rulec lsp over stdio")
struct LspStdioTests {
    /// The `rulec` executable next to the test bundle (or in the package's debug build folder).
    static func binary() -> URL? {
        var candidates: [URL] = []
        let argument0 = URL(fileURLWithPath: CommandLine.arguments.first ?? "")
        candidates.append(argument0.deletingLastPathComponent().appendingPathComponent("rulec"))
        var bundle = Bundle.main.bundleURL
        for _ in 0..<4 {
            candidates.append(bundle.appendingPathComponent("rulec"))
            bundle = bundle.deletingLastPathComponent()
        }
        var dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while dir.path != "/" && !FileManager.default.fileExists(atPath: dir.appendingPathComponent("Package.swift").path) {
            dir = dir.deletingLastPathComponent()
        }
        candidates.append(dir.appendingPathComponent(".build/debug/rulec"))
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    static func frame(_ json: String) -> Data {
        let body = Data(json.utf8)
        return Data("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }

    /// Bytes read from the server's stdout on a background thread, split into messages.
    final class Reader: @unchecked Sendable {
        private let lock = NSLock()
        private var buffer = Data()
        private var closed = false
        private let ready = DispatchSemaphore(value: 0)

        init(_ handle: FileHandle) {
            Thread.detachNewThread { [self] in
                while true {
                    let chunk = handle.availableData
                    lock.lock()
                    if chunk.isEmpty { closed = true } else { buffer.append(chunk) }
                    lock.unlock()
                    ready.signal()
                    if chunk.isEmpty { return }
                }
            }
        }

        /// The next message, waiting at most `timeout` seconds for it.
        func next(timeout: Double = 30) -> JSONValue? {
            let deadline = Date().addingTimeInterval(timeout)
            while true {
                lock.lock()
                if let range = buffer.range(of: Data("\r\n\r\n".utf8)),
                   let header = String(data: buffer[buffer.startIndex..<range.lowerBound], encoding: .utf8),
                   let length = Int(header.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? ""),
                   buffer.distance(from: range.upperBound, to: buffer.endIndex) >= length {
                    let body = buffer[range.upperBound..<buffer.index(range.upperBound, offsetBy: length)]
                    buffer = Data(buffer[buffer.index(range.upperBound, offsetBy: length)...])
                    lock.unlock()
                    return try? JSONParser.parse([UInt8](body))
                }
                let isClosed = closed
                lock.unlock()
                if isClosed || Date() > deadline { return nil }
                _ = ready.wait(timeout: .now() + 0.5)
            }
        }
    }

    @Test func initializeOpenReceiveDiagnosticsAndShutDown() throws {
        guard let rulec = Self.binary() else {
            Issue.record("the `rulec` binary was not found next to the test bundle; build it with `swift build` first")
            return
        }
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rulec-lsp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("eval.rules")
        let text = "template eval {\n  starting_balance 50_000 USD\n  calendar nowhere\n}\n"
        try text.write(to: file, atomically: true, encoding: .utf8)

        let process = Process()
        process.executableURL = rulec
        process.arguments = ["lsp", "--stdio"]
        process.currentDirectoryURL = dir
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = Reader(output.fileHandleForReading)
        defer { if process.isRunning { process.terminate() } }
        let uri = "file://" + file.path
        let root = "file://" + dir.path
        func send(_ json: String) { input.fileHandleForWriting.write(Self.frame(json)) }

        send(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"processId":null,"rootUri":"\#(root)","capabilities":{}}}"#)
        let initialized = try #require(reader.next())
        #expect(initialized["id"] == .number("1"))
        #expect(initialized["result"]?["capabilities"]?["textDocumentSync"]?["change"] == .number("2"))
        #expect(initialized["result"]?["serverInfo"]?["name"] == .string("rulec"))
        send(#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#)
        send(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"\#(uri)","languageId":"rulec","version":1,"text":\#(JSONValue.quoted(text))}}}"#)
        let published = try #require(reader.next())
        #expect(published["method"] == .string("textDocument/publishDiagnostics"))
        #expect(published["params"]?["uri"] == .string(uri))
        let diagnostic = published["params"]?["diagnostics"]?[0]
        #expect(diagnostic?["code"] == .string("R2007"))
        #expect(diagnostic?["message"]?.stringValue?.hasPrefix("unknown calendar `nowhere`") == true)
        #expect(diagnostic?["range"]?["start"]?["line"] == .number("2"))

        send(#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#)
        let shutdown = try #require(reader.next())
        #expect(shutdown["id"] == .number("2"))
        #expect(shutdown["result"] == .null)
        send(#"{"jsonrpc":"2.0","method":"exit"}"#)
        // The server ends by itself; never wait forever.
        let deadline = Date().addingTimeInterval(30)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(!process.isRunning, "rulec lsp did not exit after `exit`")
        if !process.isRunning { #expect(process.terminationStatus == 0) }
    }
}

/// `rulec lsp` in process, through the same `Context` every command gets: stdin bytes in,
/// framed replies on stdout, files from the context's file system.
@Suite("rulec lsp command")
struct LspCommandTests {
    static func frame(_ json: String) -> String { "Content-Length: \(json.utf8.count)\r\n\r\n" + json }

    /// The JSON bodies of a stdout transcript of framed messages.
    static func messages(_ out: String) -> [JSONValue] {
        var bytes = Array(out.utf8)[...]
        var result: [JSONValue] = []
        while let end = bytes.indices.first(where: { bytes[$0...].starts(with: Array("\r\n\r\n".utf8)) }) {
            let header = String(decoding: bytes[bytes.startIndex..<end], as: UTF8.self)
            guard let n = Int(header.split(separator: " ").last ?? "") else { break }
            let body = bytes[(end + 4)..<(end + 4 + n)]
            if let v = try? JSONParser.parse(Array(body)) { result.append(v) }
            bytes = bytes[(end + 4 + n)...]
        }
        return result
    }

    @Test func importsAreReadThroughTheContextsFileSystem() {
        let stdin = [
            #"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"file:///work","capabilities":{}}}"#,
            #"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"file:///work/a.rules","languageId":"rulec","version":1,"text":"import \"lib.rules\"\nrisk_category c {\n  max_position EZ 1\n}\n"}}}"#,
            #"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#,
            #"{"jsonrpc":"2.0","method":"exit"}"#,
        ].map(Self.frame).joined()
        var context = Context.testing(files: ["/work/lib.rules": "product ES {\n  point_value 50 USD\n}\n"], stdin: stdin)
        let status = Rulec.cli.run(["lsp"], context: &context)
        #expect(status == .success)
        let out = Self.messages(context.stdout.text)
        #expect(out.map { $0["id"] ?? $0["method"] ?? .null } == [.number("1"), .string("textDocument/publishDiagnostics"), .number("2")])
        let diagnostic = out[1]["params"]?["diagnostics"]?[0]
        #expect(diagnostic?["code"] == .string("R2008"))
        #expect(diagnostic?["message"]?.stringValue?.contains("did you mean `ES`?") == true)
        #expect(context.stderr.text.isEmpty)
    }

    @Test func endOfInputWithoutExitIsStatusOne() {
        var context = Context.testing(stdin: Self.frame(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#))
        #expect(Rulec.cli.run(["lsp"], context: &context) == .findings)
        #expect(Self.messages(context.stdout.text).count == 1)
    }
}
