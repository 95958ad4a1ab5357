#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import RuleBase

/// Everything a command may use from the outside world: standard streams, files, the
/// environment, the terminal, the clock and the working directory. Commands receive it
/// `inout` and never touch the process directly, so every command runs the same in tests.
public struct Context: Sendable {
    public var stdout: OutputChannel
    public var stderr: OutputChannel
    public var stdin: InputSource
    public var fileSystem: any FileSystem
    public var environment: [String: String]
    public var terminal: Terminal
    public var currentDirectory: String
    /// The current instant; fixed in tests.
    public var now: @Sendable () -> Instant
    /// The name the tool was invoked as, for usage lines.
    public var toolName: String

    public init(stdout: OutputChannel, stderr: OutputChannel, stdin: InputSource,
                fileSystem: any FileSystem, environment: [String: String], terminal: Terminal,
                currentDirectory: String, now: @escaping @Sendable () -> Instant, toolName: String = "rulec") {
        self.stdout = stdout
        self.stderr = stderr
        self.stdin = stdin
        self.fileSystem = fileSystem
        self.environment = environment
        self.terminal = terminal
        self.currentDirectory = currentDirectory
        self.now = now
        self.toolName = toolName
    }

    /// The real process: descriptors 0, 1 and 2, the disk, the process environment and clock.
    public static func live(toolName: String = "rulec") -> Context {
        let environment = ProcessInfo.processInfo.environment
        let terminal = Terminal.detect(environment: environment)
        return Context(
            stdout: OutputChannel(descriptor: 1, flushThreshold: terminal.stdoutIsTTY ? 0 : 64 * 1024),
            stderr: OutputChannel(descriptor: 2, flushThreshold: 0),
            stdin: .descriptor(0),
            fileSystem: LocalFileSystem(),
            environment: environment,
            terminal: terminal,
            currentDirectory: FileManager.default.currentDirectoryPath,
            now: {
                var ts = timespec()
                clock_gettime(CLOCK_REALTIME, &ts)
                return Instant(millis: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
            },
            toolName: toolName)
    }

    /// An in-memory world for tests: files, stdin text, environment and a fixed instant.
    /// Output is collected in `stdout.text` and `stderr.text`.
    public static func testing(files: [String: String] = [:], stdin: String = "",
                               environment: [String: String] = [:], isTTY: Bool = false,
                               now: Instant = Instant(epochSeconds: 1_767_225_600),
                               currentDirectory: String = "/work") -> Context {
        Context(
            stdout: .memory(), stderr: .memory(), stdin: .text(stdin),
            fileSystem: InMemoryFileSystem(files: files, currentDirectory: currentDirectory),
            environment: environment,
            terminal: Terminal(stdoutIsTTY: isTTY, stderrIsTTY: isTTY, environment: environment),
            currentDirectory: currentDirectory,
            now: { now })
    }

    /// The bytes of `path`, or of standard input when `path` is `-`.
    public mutating func readInput(_ path: String) throws(FileError) -> [UInt8] {
        path == "-" ? try stdin.readAll() : try fileSystem.readFile(path)
    }

    /// Writes `bytes` to `path` atomically, or to standard output when `path` is `-`.
    public mutating func writeOutput(_ path: String, bytes: [UInt8]) throws(FileError) {
        if path == "-" { stdout.write(bytes: bytes); return }
        try fileSystem.writeFileAtomically(path, bytes: bytes)
    }

    /// Prints `error: message` to stderr (red on a color terminal).
    public mutating func error(_ message: String) {
        stderr.line(Terminal.paint("error:", .red, enabled: terminal.colorsStderr) + " " + message)
    }

    /// Prints `warning: message` to stderr (yellow on a color terminal).
    public mutating func warning(_ message: String) {
        stderr.line(Terminal.paint("warning:", .yellow, enabled: terminal.colorsStderr) + " " + message)
    }

    /// Reports a command-line mistake with the command's usage line; returns `.usage`.
    @discardableResult
    public mutating func usageError(_ error: UsageError, command spec: CommandSpec) -> ExitStatus {
        self.error(error.message)
        stderr.line("usage: " + HelpFormatter.usage(spec, toolName: toolName))
        stderr.line("see `\(toolName) \(spec.name) --help`")
        return .usage
    }

    /// Reports an unreadable or unwritable file; returns the I/O exit status.
    @discardableResult
    public mutating func fileError(_ error: FileError) -> ExitStatus {
        self.error(error.message)
        return .ioError
    }

    /// Environment lookup, `nil` when unset.
    public func environment(_ name: String) -> String? { environment[name] }
}
