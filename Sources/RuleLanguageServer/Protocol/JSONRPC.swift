import RuleJSON

/// JSON-RPC 2.0 error codes, and the ones LSP adds.
public enum RPCErrorCode: Int, Sendable, Hashable {
    case parseError = -32700
    case invalidRequest = -32600
    case methodNotFound = -32601
    case invalidParams = -32602
    case internalError = -32603
    case serverNotInitialized = -32002
    case requestFailed = -32803
}

/// A request's id: a number (kept as written) or a string.
public enum RequestID: Sendable, Hashable {
    case number(String)
    case string(String)

    public var json: JSONValue {
        switch self {
        case .number(let n): .number(n)
        case .string(let s): .string(s)
        }
    }
}

/// A failed request, answered with `error`.
public struct RPCError: Error, Sendable, Hashable {
    public var code: RPCErrorCode
    public var message: String
    public init(_ code: RPCErrorCode, _ message: String) {
        self.code = code
        self.message = message
    }
    static func params(_ message: String) -> RPCError { RPCError(.invalidParams, message) }
}

/// A message that is not a valid request or notification, with its id when it could be read.
public struct MessageError: Error, Sendable, Hashable {
    public var id: RequestID?
    public var error: RPCError
    init(_ id: RequestID?, _ error: RPCError) {
        self.id = id
        self.error = error
    }
}

/// One received message, as JSON-RPC defines them.
public enum IncomingMessage: Sendable, Hashable {
    case request(id: RequestID, method: String, params: JSONValue)
    case notification(method: String, params: JSONValue)
    /// A response to a request the server sent; the server sends none that need an answer.
    case response(id: RequestID?)

    /// Reads a parsed body; a malformed one is an error with the id when it could be read.
    public static func read(_ value: JSONValue) -> Result<IncomingMessage, MessageError> {
        guard case .object = value else {
            let what = value.kindName
            return .failure(MessageError(nil, RPCError(.invalidRequest, "a message must be a JSON object, found \(what)")))
        }
        var id: RequestID?
        switch value["id"] {
        case nil, .null?: break
        case .number(let n)?: id = .number(n)
        case .string(let s)?: id = .string(s)
        case let other?:
            return .failure(MessageError(nil, RPCError(.invalidRequest, "`id` must be a number or a string, found \(other.kindName)")))
        }
        guard value["jsonrpc"] == .string("2.0") else {
            return .failure(MessageError(id, RPCError(.invalidRequest, "`jsonrpc` must be \"2.0\"")))
        }
        guard let methodValue = value["method"] else {
            if value["result"] != nil || value["error"] != nil { return .success(.response(id: id)) }
            return .failure(MessageError(id, RPCError(.invalidRequest, "a request needs a `method`")))
        }
        guard case .string(let method) = methodValue else {
            return .failure(MessageError(id, RPCError(.invalidRequest, "`method` must be a string, found \(methodValue.kindName)")))
        }
        let params = value["params"] ?? .null
        switch params {
        case .object, .array, .null: break
        default:
            return .failure(MessageError(id, RPCError(.invalidRequest, "`params` must be an object or an array, found \(params.kindName)")))
        }
        if let id { return .success(.request(id: id, method: method, params: params)) }
        if value["id"] == .null {
            return .failure(MessageError(nil, RPCError(.invalidRequest, "a request's `id` must not be null")))
        }
        return .success(.notification(method: method, params: params))
    }
}

/// Outgoing messages as JSON values.
enum Outgoing {
    static func result(_ id: RequestID, _ result: JSONValue) -> JSONValue {
        .obj(["jsonrpc": .string("2.0"), "id": id.json, "result": result])
    }

    static func error(_ id: RequestID?, _ error: RPCError) -> JSONValue {
        .obj(["jsonrpc": .string("2.0"), "id": id?.json ?? .null,
              "error": .obj(["code": .int(error.code.rawValue), "message": .string(error.message)])])
    }

    static func notification(_ method: String, _ params: JSONValue) -> JSONValue {
        .obj(["jsonrpc": .string("2.0"), "method": .string(method), "params": params])
    }
}

extension JSONValue {
    /// An object from members in order; nil values are left out.
    static func obj(_ members: KeyValuePairs<String, JSONValue?>) -> JSONValue {
        .object(members.compactMap { k, v in v.map { JSONValue.Member(k, $0) } })
    }

    static func int(_ n: Int) -> JSONValue { .number(String(n)) }
    static func str(_ s: String) -> JSONValue { .string(s) }
    static func arr(_ items: [JSONValue]) -> JSONValue { .array(items) }

    /// An integer member, when present and whole.
    var intValue: Int? { int64Value.map { Int($0) } }
}
