import RuleBase
import RuleJSON

/// The language server as a state machine over JSON-RPC messages: a message body in, the
/// messages to send out. No I/O; `rulec lsp` runs it over stdio, the tests in memory.
///
/// Lifecycle: before `initialize`, requests get `ServerNotInitialized` and notifications are
/// dropped (except `exit`); after `shutdown`, requests get `InvalidRequest`; `exit` sets
/// `exitCode` (0 after `shutdown`, 1 without).
public struct Server: Sendable {
    enum Phase: Sendable { case waiting, running, shutDown }

    var phase = Phase.waiting
    /// Set by the `exit` notification: the process should end with this status.
    public private(set) var exitCode: Int32?
    var encoding = PositionEncoding.utf16
    /// Whether the client lets the server register file watchers (for imports changed on disk).
    var canWatchFiles = false
    let environment: ServerEnvironment
    var workspace = Workspace()

    public init(environment: ServerEnvironment) {
        self.environment = environment
    }

    /// Handles one message body; returns the responses and notifications to send, in order.
    public mutating func receive(_ body: [UInt8]) -> [JSONValue] {
        let value: JSONValue
        do { value = try JSONParser.parse(body) } catch {
            return [Outgoing.error(nil, RPCError(.parseError, "parse error: \(error.description)"))]
        }
        switch IncomingMessage.read(value) {
        case .failure(let problem):
            return [Outgoing.error(problem.id, problem.error)]
        case .success(.response):
            return []
        case .success(.notification(let method, let params)):
            return notify(method, params)
        case .success(.request(let id, let method, let params)):
            var out: [JSONValue] = []
            let result = request(method, params, &out)
            switch result {
            case .success(let v): out.insert(Outgoing.result(id, v), at: 0)
            case .failure(let e): out.insert(Outgoing.error(id, e), at: 0)
            }
            return out
        }
    }

    /// The answer to a header the framing decoder could not read.
    public func framingError(_ message: String) -> [JSONValue] {
        [Outgoing.error(nil, RPCError(.parseError, "bad message framing: \(message)"))]
    }

    // MARK: Requests

    /// Runs a request; notifications it causes (diagnostics) go to `out` after the response.
    mutating func request(_ method: String, _ params: JSONValue, _ out: inout [JSONValue]) -> Result<JSONValue, RPCError> {
        switch phase {
        case .waiting where method != "initialize":
            return .failure(RPCError(.serverNotInitialized, "the server is not initialized: send `initialize` first"))
        case .shutDown:
            return .failure(RPCError(.invalidRequest, "the server is shut down: only `exit` is accepted"))
        default: break
        }
        do throws(RPCError) {
            switch method {
            case "initialize": return .success(try initialize(params))
            case "shutdown":
                phase = .shutDown
                return .success(.null)
            case "textDocument/hover": return .success(try hover(params))
            case "textDocument/definition": return .success(try definition(params))
            case "textDocument/references": return .success(try references(params))
            case "textDocument/prepareRename": return .success(try prepareRename(params))
            case "textDocument/rename": return .success(try rename(params))
            case "textDocument/completion": return .success(try completion(params))
            case "textDocument/formatting": return .success(try formatting(params, &out))
            case "textDocument/documentSymbol": return .success(try documentSymbols(params))
            case "textDocument/semanticTokens/full": return .success(try semanticTokens(params))
            case "textDocument/foldingRange": return .success(try foldingRanges(params))
            case "textDocument/codeAction": return .success(try codeActions(params))
            default:
                return .failure(RPCError(.methodNotFound, "unknown method `\(method)`"))
            }
        } catch {
            return .failure(error)
        }
    }

    mutating func initialize(_ params: JSONValue) throws(RPCError) -> JSONValue {
        guard phase == .waiting else { throw RPCError(.invalidRequest, "`initialize` may be sent only once") }
        let offered = params["capabilities"]?["general"]?["positionEncodings"]?.arrayValue?.compactMap(\.stringValue)
        encoding = PositionEncoding.negotiate(offered)
        canWatchFiles = params["capabilities"]?["workspace"]?["didChangeWatchedFiles"]?["dynamicRegistration"]?.boolValue ?? false
        var folders: [String] = []
        for f in params["workspaceFolders"]?.arrayValue ?? [] {
            if let uri = f["uri"]?.stringValue, let p = FileURI.path(uri) { folders.append(p) }
        }
        if folders.isEmpty, let uri = params["rootUri"]?.stringValue, let p = FileURI.path(uri) { folders.append(p) }
        if folders.isEmpty, let p = params["rootPath"]?.stringValue, p.hasPrefix("/") { folders.append(p) }
        workspace.folders = folders
        phase = .running
        return Capabilities.initializeResult(encoding: encoding, version: environment.version)
    }

    // MARK: Notifications

    mutating func notify(_ method: String, _ params: JSONValue) -> [JSONValue] {
        if method == "exit" {
            exitCode = phase == .shutDown ? 0 : 1
            return []
        }
        guard phase == .running else { return [] }
        switch method {
        case "textDocument/didOpen": return didOpen(params)
        case "textDocument/didChange": return didChange(params)
        case "textDocument/didClose": return didClose(params)
        case "workspace/didChangeWorkspaceFolders": return didChangeFolders(params)
        case "workspace/didChangeWatchedFiles", "textDocument/didSave": return recheck(workspace.documents.keys.sorted())
        case "initialized" where canWatchFiles:
            // Watch rulebooks on disk, so that an import changed outside the editor re-checks.
            let watch = JSONValue.obj(["registrations": .arr([.obj([
                "id": .str("rulec-rules-files"), "method": .str("workspace/didChangeWatchedFiles"),
                "registerOptions": .obj(["watchers": .arr([.obj(["globPattern": .str("**/*.rules")])])]),
            ])])])
            return [.obj(["jsonrpc": .str("2.0"), "id": .str("rulec-watch"), "method": .str("client/registerCapability"), "params": watch])]
        default: return [] // `initialized`, `$/cancelRequest`, `$/setTrace` and unknown notifications
        }
    }

    // MARK: Parameters

    /// The open document a request is about.
    func document(_ params: JSONValue) throws(RPCError) -> (Document, Analysis) {
        guard let uri = params["textDocument"]?["uri"]?.stringValue else { throw .params("`textDocument.uri` is required") }
        guard let doc = workspace.documents[uri], let analysis = workspace.analyses[uri] else {
            throw RPCError(.requestFailed, "`\(uri)` is not open")
        }
        return (doc, analysis)
    }

    /// The document and byte offset of a `TextDocumentPositionParams`.
    func position(_ params: JSONValue) throws(RPCError) -> (Analysis, UInt32) {
        let (_, analysis) = try document(params)
        guard let p = Position.read(params["position"]) else { throw .params("`position` is required") }
        let map = lineMap(analysis)
        return (analysis, map.offset(p))
    }

    func lineMap(_ analysis: Analysis) -> LineMap {
        LineMap(analysis.model.sources[analysis.entryFile], encoding)
    }

    func lineMap(_ analysis: Analysis, _ file: FileID) -> LineMap {
        LineMap(analysis.model.sources[file], encoding)
    }
}
