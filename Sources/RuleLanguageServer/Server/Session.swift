import RuleJSON

/// The server behind its framing: raw bytes from the client in, framed bytes to send out.
/// What `rulec lsp` runs over stdin and stdout, and what the tests' in-process client drives.
public struct LanguageServerSession: Sendable {
    public private(set) var server: Server
    private var decoder = MessageDecoder()

    public init(environment: ServerEnvironment) {
        server = Server(environment: environment)
    }

    /// Set once the client sent `exit`; bytes after it are ignored.
    public var exitCode: Int32? { server.exitCode }

    /// Feeds received bytes; returns what to write back (framed messages, possibly none).
    public mutating func receive(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        decoder.append(bytes)
        var out: [UInt8] = []
        while server.exitCode == nil, let next = decoder.next() {
            let messages: [JSONValue]
            switch next {
            case .message(let body): messages = server.receive(body)
            case .framingError(let why): messages = server.framingError(why)
            }
            for m in messages {
                var writer = JSONWriter()
                writer.value(m)
                out += MessageEncoder.frame(writer.bytes)
            }
        }
        return out
    }
}
