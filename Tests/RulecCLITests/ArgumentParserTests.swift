import Testing
import RuleBase
@testable import RulecCLI

/// A spec with every kind of option and positional, shared by the parser and help tests.
let sampleSpec = CommandSpec(
    name: "simulate",
    abstract: "Replay events against a rulebook and print every decision.",
    discussion: """
        Events are read as JSON Lines, one event per line, each with an ISO-8601 instant. \
        The clock itself is an event source: end-of-day and week-start effects fire even when \
        no other event arrives.

        Pass '-' as the events file to read standard input.
        """,
    options: [
        .value("template", short: "t", placeholder: "name", help: "The template to apply."),
        .value("events", placeholder: "file.jsonl", help: "The events to replay."),
        .value("format", placeholder: "text|jsonl|html", help: "Output format.", default: "text"),
        .repeatedValue("account", placeholder: "id", help: "Only replay events of this account."),
        .flag("explain", help: "Show which rule, value and limit led to each decision, with the line of the rulebook that states it."),
        .flag("quiet", short: "q"),
    ],
    positionals: [
        .required("rulebook", help: "The rulebook file."),
        .optional("output", help: "Where to write the timeline; standard output when absent."),
    ])

let pathsSpec = CommandSpec(
    name: "check", abstract: "Parse, type-check and lint rulebooks.",
    options: [.value("format", placeholder: "text|json|github|sarif"), .flag("deny-warnings")],
    positionals: [.repeated("path", help: "Files or folders; '-' reads stdin.", atLeastOne: true)])

func parsed(_ args: [String], _ spec: CommandSpec = sampleSpec) throws -> ParsedArguments {
    guard case .run(let p) = try ArgumentParser.parse(args, spec: spec) else {
        throw UsageError("expected arguments, got help")
    }
    return p
}

func usageMessage(_ args: [String], _ spec: CommandSpec = sampleSpec) -> String? {
    do {
        _ = try ArgumentParser.parse(args, spec: spec)
        return nil
    } catch {
        return error.message
    }
}

@Suite struct ArgumentParserTests {
    @Test(arguments: [
        (["r.rules", "--template", "eval"], "eval"),
        (["r.rules", "--template=eval"], "eval"),
        (["--template", "eval", "r.rules"], "eval"),
        (["r.rules", "-t", "eval"], "eval"),
        (["r.rules", "-teval"], "eval"),
        (["r.rules", "-t=eval"], "eval"),
        (["r.rules", "--template=a=b"], "a=b"),
        (["r.rules", "--template="], ""),
        (["r.rules", "--template", "x", "--template", "last"], "last"),
        (["r.rules", "--template", "-"], "-"),
        (["r.rules", "--template", "-05:00"], "-05:00"),
    ])
    func valueForms(args: [String], expected: String) throws {
        let p = try parsed(args)
        #expect(p.value("template") == expected)
        #expect(p.positionals == ["r.rules"])
    }

    @Test func flagsDefaultsAndRepeatedValues() throws {
        let p = try parsed(["--explain", "r.rules", "--account", "A1", "--account=B2", "-q"])
        #expect(p.flag("explain"))
        #expect(p.flag("quiet"))
        #expect(!p.flag("missing"))
        #expect(p.values("account") == ["A1", "B2"])
        #expect(p.value("format") == "text")
        #expect(!p.wasGiven("format"))
        #expect(p.wasGiven("explain"))
        #expect(p.value("events") == nil)
        #expect(p.values("template") == [])
    }

    @Test(arguments: [
        (["r.rules"], ["r.rules"], [] as [String]),
        (["r.rules", "out.txt"], ["r.rules"], ["out.txt"]),
        (["-", "out.txt"], ["-"], ["out.txt"]),
        (["--", "--odd-name.rules"], ["--odd-name.rules"], []),
        (["r.rules", "--", "-q"], ["r.rules"], ["-q"]),
        (["-5"], ["-5"], []),
    ])
    func positionals(args: [String], rulebook: [String], output: [String]) throws {
        let p = try parsed(args)
        #expect(p.positional("rulebook") == rulebook)
        #expect(p.positional("output") == output)
        #expect(!p.flag("quiet"))
    }

    @Test func repeatedPositionalTakesTheRest() throws {
        let p = try parsed(["a.rules", "--deny-warnings", "dir", "-", "--format", "json"], pathsSpec)
        #expect(p.positional("path") == ["a.rules", "dir", "-"])
        #expect(p.value("format") == "json")
        #expect(p.flag("deny-warnings"))
    }

    @Test(arguments: [
        (["r.rules", "--fromat", "json"], "unknown option `--fromat`; did you mean `--format`?"),
        (["r.rules", "--explian"], "unknown option `--explian`; did you mean `--explain`?"),
        (["r.rules", "--templat=x"], "unknown option `--templat`; did you mean `--template`?"),
        (["r.rules", "-format", "json"], "unknown option `-format`; did you mean `--format`?"),
        (["r.rules", "--zzzzzz"], "unknown option `--zzzzzz`"),
        (["r.rules", "-x"], "unknown option `-x`"),
        (["r.rules", "-qv"], "unknown option `-qv`"),
        (["r.rules", "--template"], "missing value for `--template`; expected `<name>`"),
        (["r.rules", "-t"], "missing value for `-t`; expected `<name>`"),
        (["r.rules", "--template", "--explain"], "missing value for `--template`; expected `<name>`"),
        (["r.rules", "--explain=yes"], "flag `--explain` does not take a value"),
        ([], "missing required argument `<rulebook>`"),
        (["--explain"], "missing required argument `<rulebook>`"),
        (["r.rules", "out", "extra"], "unexpected argument `extra`"),
    ])
    func usageErrors(args: [String], message: String) {
        #expect(usageMessage(args) == message)
    }

    @Test func repeatedPositionalAtLeastOne() {
        #expect(usageMessage(["--deny-warnings"], pathsSpec) == "missing required argument `<path>`")
        #expect(usageMessage(["x"], CommandSpec(name: "n", abstract: "")) == "unexpected argument `x`")
    }

    @Test(arguments: [["--help"], ["-h"], ["r.rules", "--bogus", "--help"], ["-h", "too", "many", "args"]])
    func helpWinsBeforeDoubleDash(args: [String]) throws {
        #expect(try ArgumentParser.parse(args, spec: sampleSpec) == .help)
    }

    @Test func helpAfterDoubleDashIsAPositional() throws {
        #expect(try parsed(["--", "--help"]).positionals == ["--help"])
    }

    @Test func choices() throws {
        let p = try parsed(["r.rules", "--format", "jsnl"])
        #expect(throws: UsageError("invalid value `jsnl` for `--format`; did you mean `jsonl`?")) {
            try p.value("format", oneOf: ["text", "jsonl", "html"])
        }
        let q = try parsed(["r.rules", "--format", "pdf"])
        #expect(throws: UsageError("invalid value `pdf` for `--format`; expected one of `text`, `jsonl`, `html`")) {
            try q.value("format", oneOf: ["text", "jsonl", "html"])
        }
        #expect(try parsed(["r.rules"]).value("format", oneOf: ["text", "jsonl"]) == "text")
    }

    @Test func specProblems() {
        #expect(sampleSpec.problems.isEmpty)
        #expect(pathsSpec.problems.isEmpty)
        let bad = CommandSpec(
            name: "bad", abstract: "",
            options: [.flag("x"), .flag("x"), .flag("help"), .flag("y", short: "h")],
            positionals: [.optional("a"), .required("b"), .repeated("c"), .required("d")])
        #expect(bad.problems == [
            "option `--x` is declared twice",
            "option `--help` is declared twice",
            "short option `-h` is declared twice",
            "required argument `<b>` follows an optional one",
            "repeated argument `<c>` is not last",
            "required argument `<d>` follows an optional one",
        ])
    }

    @Test(arguments: [
        ("fromat", ["format", "template"], "format"),
        ("form", ["format", "fmt"], "format"),
        ("chekc", ["check", "fmt", "diff"], "check"),
        ("simulte", ["simulate", "eval"], "simulate"),
        ("xyz", ["check", "fmt"], nil),
        ("", ["a"], nil),
    ] as [(String, [String], String?)])
    func suggestions(word: String, candidates: [String], expected: String?) {
        #expect(Suggestion.closest(to: word, among: candidates) == expected)
    }
}
