import Foundation
import RuleBase
import RuleSemantics
import RuleLanguageServer

/// `rulec lsp`: the language server over standard input and output. The server itself
/// (`RuleLanguageServer`) does no I/O; this loop reads stdin a chunk at a time, feeds it to
/// the session, writes the framed replies and flushes after each chunk.
enum LspCommand: CLICommand {
    static let spec = CommandSpec(
        name: "lsp",
        abstract: "Run the language server (LSP 3.17 over stdin and stdout).",
        discussion: "Editors start this command and talk JSON-RPC with Content-Length framing on stdin and stdout; nothing else is written to stdout. Diagnostics are those of `rulec check`; see the README's \"Editor support\" for set-up. Exit status: 0 after `shutdown` and `exit`, 1 when the client exits without `shutdown` or closes stdin.",
        options: [.flag("stdio", help: "use stdin and stdout (the default and only transport; accepted for editor clients that pass it)")])

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        var session = LanguageServerSession(environment: environment(context))
        let input: ChunkedInput
        do { input = try context.openInput("-") } catch { return context.fileError(error) }
        while let chunk = input.next() {
            let reply = session.receive(chunk)
            if !reply.isEmpty {
                context.stdout.write(bytes: reply)
                context.stdout.flush()
            }
            if let code = session.exitCode { return code == 0 ? .success : .findings }
        }
        context.stdout.flush()
        // End of input without `exit`: the client is gone.
        return .findings
    }

    /// The outside world as the server may see it: files through the context's file system,
    /// the clock, and the host's tz database.
    static func environment(_ context: Context) -> ServerEnvironment {
        let fs = context.fileSystem
        let now = context.now
        return ServerEnvironment(
            readFile: { path in
                switch fs.kind(of: path) {
                case nil: return .notFound
                case .directory?: return .failed("it is a folder")
                default: break
                }
                do throws(FileError) { return .loaded(try fs.readFile(path)) } catch { return .failed(error.reason) }
            },
            listRulebooks: { folder in
                (try? RuleFileDiscovery.discover([folder], in: fs)) ?? []
            },
            now: { now() },
            isKnownTimeZone: { TimeZone(identifier: $0) != nil },
            zoneOffset: RulebookLoader.foundationOffset,
            version: Rulec.version)
    }
}
