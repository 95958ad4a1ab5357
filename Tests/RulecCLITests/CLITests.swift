import RuleBase
import Testing
@testable import RulecCLI

/// Swift Testing has its own `ExitStatus` (for exit tests); in this module the name means ours.
typealias ExitStatus = RulecCLI.ExitStatus

/// A command that echoes what it parsed and reads its inputs through the context.
struct EchoCommand: CLICommand {
    static let spec = CommandSpec(
        name: "echo", abstract: "Print the inputs back.",
        options: [.flag("fail", help: "Exit with findings."), .value("suffix", placeholder: "text")],
        positionals: [.repeated("path", help: "Files; '-' reads stdin.")])

    static func run(_ arguments: ParsedArguments, _ context: inout Context) -> ExitStatus {
        for path in arguments.positional("path") {
            do {
                let bytes = try context.readInput(path)
                context.stdout.write(bytes: bytes)
                if let s = arguments.value("suffix") { context.stdout.line(s) }
            } catch {
                return context.fileError(error)
            }
        }
        return arguments.flag("fail") ? .findings : .success
    }
}

let testCLI = CLI(
    name: "rulec", version: "0.1.0",
    abstract: "A compiler and interpreter for prop-firm trading risk rulebooks.",
    commands: [
        Command(EchoCommand.self),
        Command(spec: sampleSpec) { _, context in
            context.stdout.line("at \(context.now())")
            return .success
        },
        Command(spec: pathsSpec) { _, _ in .success },
    ])

/// Runs `testCLI` on `args` in a fresh test context.
func runCLI(_ args: [String], files: [String: String] = [:], stdin: String = "",
            environment: [String: String] = [:], isTTY: Bool = false)
    -> (status: ExitStatus, stdout: String, stderr: String) {
    var context = Context.testing(files: files, stdin: stdin, environment: environment, isTTY: isTTY)
    let status = testCLI.run(args, context: &context)
    return (status, context.stdout.text, context.stderr.text)
}

@Suite struct HelpTests {
    @Test func commandHelpGolden() {
        let expected = """
            OVERVIEW: Replay events against a rulebook and print every decision.

            Events are read as JSON Lines, one event per line, each with an ISO-8601
            instant. The clock itself is an event source: end-of-day and week-start effects
            fire even when no other event arrives.

            Pass '-' as the events file to read standard input.

            USAGE: rulec simulate [<options>] <rulebook> [<output>]

            ARGUMENTS:
              <rulebook>              The rulebook file.
              <output>                Where to write the timeline; standard output when
                                      absent.

            OPTIONS:
              -t, --template <name>   The template to apply.
              --events <file.jsonl>   The events to replay.
              --format <text|jsonl|html>
                                      Output format. (default: text)
              --account <id>          Only replay events of this account. (can be repeated)
              --explain               Show which rule, value and limit led to each decision,
                                      with the line of the rulebook that states it.
              -q, --quiet
              -h, --help              Show help information.

            """
        let actual = HelpFormatter.help(sampleSpec, toolName: "rulec")
        #expect(actual == expected)
        #expect(actual.split(separator: "\n").allSatisfy { $0.count <= HelpFormatter.width })
    }

    @Test func toolHelpGolden() {
        let expected = """
            OVERVIEW: A compiler and interpreter for prop-firm trading risk rulebooks.

            USAGE: rulec <subcommand> [<options>]

            SUBCOMMANDS:
              echo                    Print the inputs back.
              simulate                Replay events against a rulebook and print every
                                      decision.
              check                   Parse, type-check and lint rulebooks.

            OPTIONS:
              --version               Show the version.
              -h, --help              Show help information.

              See 'rulec help <subcommand>' for detailed help.

            """
        #expect(testCLI.helpText == expected)
    }

    @Test func usageLines() {
        #expect(HelpFormatter.usage(pathsSpec, toolName: "rulec") == "rulec check [<options>] <path>...")
        #expect(HelpFormatter.usage(CommandSpec(name: "x", abstract: "",
                                                positionals: [.repeated("p")]), toolName: "t") == "t x [<p>...]")
    }

    @Test func wrapKeepsLongWordsWhole() {
        let long = String(repeating: "w", count: 100)
        #expect(HelpFormatter.wrap("a " + long + " b", indent: 2, hanging: 4) == "  a\n    \(long)\n    b")
    }
}

@Suite struct CLITests {
    @Test func dispatchesAndPassesFilesAndStdin() {
        let r = runCLI(["echo", "a.txt", "-", "--suffix", "|"], files: ["a.txt": "A"], stdin: "IN")
        #expect(r.status == .success)
        #expect(r.stdout == "A|\nIN|\n")
        #expect(r.stderr == "")
    }

    @Test func findingsStatus() {
        #expect(runCLI(["echo", "--fail"]).status == .findings)
    }

    @Test func missingFileIsAnIOError() {
        let r = runCLI(["echo", "nope.rules"])
        #expect(r.status == .usage)
        #expect(r.stderr == "error: cannot read `nope.rules`: no such file\n")
    }

    @Test func usageErrorShowsUsageLine() {
        let r = runCLI(["check", "--fromat", "json", "x"])
        #expect(r.status == .usage)
        #expect(r.stdout == "")
        #expect(r.stderr == """
            error: unknown option `--fromat`; did you mean `--format`?
            usage: rulec check [<options>] <path>...
            see `rulec check --help`

            """)
    }

    @Test func colorOnlyOnATerminalWithoutNoColor() {
        let colored = runCLI(["check"], isTTY: true)
        #expect(colored.stderr.hasPrefix("\u{1B}[1;31merror:\u{1B}[0m missing required argument `<path>`\n"))
        let plain = runCLI(["check"], environment: ["NO_COLOR": "1"], isTTY: true)
        #expect(plain.stderr.hasPrefix("error: missing required argument `<path>`\n"))
        let emptyNoColor = runCLI(["check"], environment: ["NO_COLOR": ""], isTTY: true)
        #expect(emptyNoColor.stderr.hasPrefix("\u{1B}[1;31merror:"))
    }

    @Test func unknownSubcommandSuggests() {
        let r = runCLI(["chekc"])
        #expect(r.status == .usage)
        #expect(r.stderr == "error: unknown subcommand `chekc`; did you mean `check`?\nsee `rulec --help`\n")
        #expect(runCLI(["zzz"]).stderr == "error: unknown subcommand `zzz`\nsee `rulec --help`\n")
        #expect(runCLI(["--frobnicate"]).stderr
                == "error: unknown option `--frobnicate`; expected a subcommand first\nsee `rulec --help`\n")
    }

    @Test func versionAndHelpForms() {
        #expect(runCLI(["--version"]) == (.success, "rulec 0.1.0\n", ""))
        #expect(runCLI(["--help"]).stdout == testCLI.helpText)
        #expect(runCLI(["help"]).stdout == testCLI.helpText)
        let noArgs = runCLI([])
        #expect(noArgs.status == .usage)
        #expect(noArgs.stderr == testCLI.helpText)
        let sub = HelpFormatter.help(pathsSpec, toolName: "rulec")
        #expect(runCLI(["check", "--help"]) == (.success, sub, ""))
        #expect(runCLI(["help", "check"]) == (.success, sub, ""))
        #expect(runCLI(["help", "chek"]).status == .usage)
    }

    @Test func clockComesFromTheContext() {
        #expect(runCLI(["simulate", "r.rules"]).stdout == "at 2026-01-01T00:00:00Z\n")
    }

    @Test func everyRegisteredSpecIsWellFormed() {
        for c in testCLI.commands { #expect(c.spec.problems.isEmpty, "\(c.spec.name)") }
    }

    @Test func outputChannelPrintsAndWritesOutputAtomically() throws {
        var context = Context.testing(files: ["/work/old.rules": "old"])
        print("hello", 42, to: &context.stdout)
        try context.writeOutput("old.rules", bytes: Array("new".utf8))
        try context.writeOutput("-", bytes: Array("dash".utf8))
        #expect(context.stdout.text == "hello 42\ndash")
        let fs = try #require(context.fileSystem as? InMemoryFileSystem)
        #expect(fs.text("/work/old.rules") == "new")
        #expect(throws: FileError(.write, path: "missing/x.rules", reason: "no such file")) {
            try context.writeOutput("missing/x.rules", bytes: [])
        }
    }

    @Test func stdinIsReadOnce() throws {
        var input = InputSource.text("abc")
        #expect(try input.readAll() == Array("abc".utf8))
        #expect(try input.readAll() == [])
    }
}
