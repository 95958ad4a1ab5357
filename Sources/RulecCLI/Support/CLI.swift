import RuleBase

/// A subcommand written as a type: one file holding a `spec` and a `run`.
public protocol CLICommand: SendableMetatype {
    static var spec: CommandSpec { get }
    static func run(_ arguments: ParsedArguments, _ context: inout Context) -> ExitStatus
}

/// A subcommand as a value: its spec and what it does with parsed arguments.
public struct Command: Sendable {
    public let spec: CommandSpec
    public let run: @Sendable (ParsedArguments, inout Context) -> ExitStatus

    public init(spec: CommandSpec, run: @escaping @Sendable (ParsedArguments, inout Context) -> ExitStatus) {
        self.spec = spec
        self.run = run
    }

    public init<C: CLICommand>(_ type: C.Type) {
        self.spec = C.spec
        self.run = { arguments, context in C.run(arguments, &context) }
    }
}

/// The top-level dispatcher: picks the subcommand, parses its arguments, handles `--help`,
/// `help <subcommand>` and `--version`, and turns usage mistakes into exit status 2.
public struct CLI: Sendable {
    public var name: String
    public var version: String
    public var abstract: String
    public var commands: [Command]

    public init(name: String, version: String, abstract: String, commands: [Command]) {
        self.name = name
        self.version = version
        self.abstract = abstract
        self.commands = commands
    }

    public var helpText: String {
        HelpFormatter.toolHelp(name: name, abstract: abstract, commands: commands.map(\.spec))
    }

    /// Runs one command line (without the program name) and flushes the output channels.
    public func run(_ arguments: [String], context: inout Context) -> ExitStatus {
        let status = dispatch(arguments, &context)
        context.stdout.flush()
        context.stderr.flush()
        return status
    }

    /// The real process: live context, `CommandLine.arguments`; returns the exit code.
    public func main() -> Int32 {
        var context = Context.live(toolName: name)
        return run(Array(CommandLine.arguments.dropFirst()), context: &context).rawValue
    }

    private func dispatch(_ arguments: [String], _ context: inout Context) -> ExitStatus {
        guard let first = arguments.first else {
            context.stderr.write(helpText)
            return .usage
        }
        switch first {
        case "--help", "-h":
            context.stdout.write(helpText)
            return .success
        case "--version":
            context.stdout.line("\(name) \(version)")
            return .success
        case "help":
            guard arguments.count > 1 else {
                context.stdout.write(helpText)
                return .success
            }
            guard let command = lookup(arguments[1], &context) else { return .usage }
            context.stdout.write(HelpFormatter.help(command.spec, toolName: name))
            return .success
        default:
            break
        }
        guard let command = lookup(first, &context) else { return .usage }
        do {
            switch try ArgumentParser.parse(Array(arguments.dropFirst()), spec: command.spec) {
            case .help:
                context.stdout.write(HelpFormatter.help(command.spec, toolName: name))
                return .success
            case .run(let parsed):
                return command.run(parsed, &context)
            }
        } catch {
            return context.usageError(error, command: command.spec)
        }
    }

    /// The command named `word`, or nil after reporting an unknown subcommand (with a
    /// suggestion when one is close).
    private func lookup(_ word: String, _ context: inout Context) -> Command? {
        if let c = commands.first(where: { $0.spec.name == word }) { return c }
        let names = commands.map(\.spec.name)
        if word.hasPrefix("-") {
            context.error("unknown option `\(word)`; expected a subcommand first")
        } else if let s = Suggestion.closest(to: word, among: names) {
            context.error("unknown subcommand `\(word)`; did you mean `\(s)`?")
        } else {
            context.error("unknown subcommand `\(word)`")
        }
        context.stderr.line("see `\(name) --help`")
        return nil
    }
}
