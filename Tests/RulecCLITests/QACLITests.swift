import Testing
@testable import RulecCLI

/// An in-memory file system where some files exist but cannot be read (permission denied).
struct UnreadableFileSystem: FileSystem {
    var base: InMemoryFileSystem
    var unreadable: Set<String>
    func readFile(_ path: String) throws(FileError) -> [UInt8] {
        if unreadable.contains(base.absolute(path)) { throw FileError(.read, path: path, reason: "permission denied") }
        return try base.readFile(path)
    }
    mutating func writeFileAtomically(_ path: String, bytes: [UInt8]) throws(FileError) {
        try base.writeFileAtomically(path, bytes: bytes)
    }
    func kind(of path: String) -> FileKind? { base.kind(of: path) }
    func directoryEntries(_ path: String) throws(FileError) -> [DirectoryEntry] { try base.directoryEntries(path) }
}

/// QA regressions for the commands' handling of bad paths and arguments.
@Suite struct QACLITests {
    static let rulebook = """
        template t {
          starting_balance 50_000 USD
          auto_liquidate {
            daily_loss 1_000 USD
          }
        }

        """

    static func run(_ args: [String], files: [String: String] = ["/work/t.rules": rulebook],
                    unreadable: Set<String> = [], directories: [String] = [])
        -> (status: ExitStatus, stdout: String, stderr: String) {
        var context = Context.testing(files: files)
        var fs = InMemoryFileSystem(files: files, currentDirectory: "/work")
        for d in directories { fs.addDirectory(d) }
        context.fileSystem = UnreadableFileSystem(base: fs, unreadable: unreadable)
        let status = Rulec.cli.run(args, context: &context)
        return (status, context.stdout.text, context.stderr.text)
    }

    /// An unreadable rulebook named on the command line used to check clean ("checked 1 file:
    /// 0 errors", exit 0): the checker dropped the read failure of an entry file.
    @Test(arguments: [["check", "t.rules"], ["compile", "t.rules"], ["diff", "t.rules", "t.rules"]])
    func unreadableRulebookIsAnIOError(args: [String]) {
        let r = Self.run(args, unreadable: ["/work/t.rules"])
        #expect(r.status == .ioError)
        #expect(r.stderr == "error: cannot read `t.rules`: permission denied\n")
        #expect(r.stdout == "")
    }

    @Test func unreadableImportIsADiagnosticWithLabelAndHelp() {
        let files = ["/work/a.rules": "import \"t.rules\"\n", "/work/t.rules": Self.rulebook]
        let r = Self.run(["check", "a.rules"], files: files, unreadable: ["/work/t.rules"])
        #expect(r.status == .findings)
        #expect(r.stdout == """
            error[R2006]: cannot read imported file `t.rules`: permission denied
             --> a.rules:1:8
              |
            1 | import "t.rules"
              |        ^^^^^^^^^ cannot read `t.rules`
              = help: import a `.rules` file that you can read

            checked 1 file: 1 error, 0 warnings

            """)
    }

    /// A folder without rulebooks (a typo in a CI path, say) used to pass: "checked 0 files", exit 0.
    @Test(arguments: [["check", "empty"], ["fmt", "--check", "empty"], ["compile", "empty"], ["check", "t.rules", "empty"]])
    func folderWithoutRulebooksIsAnError(args: [String]) {
        let r = Self.run(args, files: ["/work/t.rules": Self.rulebook, "/work/empty/notes.txt": "x"])
        #expect(r.status == .ioError)
        #expect(r.stderr == "error: cannot read `empty`: no `*.rules` files in this folder\n")
    }

    @Test func aFolderWhoseFilesWereAlreadyNamedIsFine() {
        let files = ["/work/rules/t.rules": Self.rulebook]
        #expect(Self.run(["check", "rules", "rules/t.rules", "rules"], files: files).status == .success)
    }

    /// `--root` naming nothing, or a file, used to say the rulebook was "outside the rulebook root".
    @Test func rootMustBeAnExistingFolder() {
        let missing = Self.run(["check", "--root", "nope", "t.rules"])
        #expect(missing.status == .ioError)
        #expect(missing.stderr == "error: cannot read `nope`: no such folder (given as `--root`)\n")
        let file = Self.run(["compile", "--root", "t.rules", "t.rules"])
        #expect(file.status == .ioError)
        #expect(file.stderr == "error: cannot read `t.rules`: not a folder (given as `--root`)\n")
        #expect(Self.run(["check", "--root", ".", "t.rules"]).status == .success)
    }

    /// Three paths used to be blamed on a missing `--` after a revision range.
    @Test func diffWithThreePathsSaysSo() {
        let files = ["/work/a.rules": Self.rulebook, "/work/b.rules": Self.rulebook, "/work/c.rules": Self.rulebook]
        let r = Self.run(["diff", "a.rules", "b.rules", "c.rules"], files: files)
        #expect(r.status == .usage)
        #expect(r.stderr.hasPrefix("error: expected two rulebooks (OLD NEW), found 3 paths; to compare git revisions write `REV1..REV2 -- PATH...`\n"))
    }

    /// `rulec import --help` said "(repeatable)" and then "(can be repeated)".
    @Test func importHelpSaysRepeatableOnce() {
        let help = HelpFormatter.help(ImportCommand.spec, toolName: "rulec")
        #expect(!help.contains("(repeatable)"))
        #expect(help.contains("(can be repeated)"))
    }

    /// `rulec fmt` refused `daily_loss 2.50%` ("internal error: formatting would change its rule
    /// graph"): the formatter drops the trailing zero and the checker kept `2.50` as 250/10000,
    /// which the graph compared unequal to 25/1000. Ticks and group weights had the same bug.
    @Test func trailingZerosDoNotChangeTheRuleGraph() {
        let text = """
            product ES {
              point_value 50 USD
              tick 0.250
            }

            risk_category c {
              max_group minis 5 {
                ES 1.0
              }
            }

            template t {
              risk_category c
              auto_liquidate {
                daily_loss 2.50%
              }
            }

            """
        var context = Context.testing(files: ["/work/t.rules": text])
        let status = Rulec.cli.run(["fmt", "--write", "t.rules"], context: &context)
        #expect(status == .success, "\(context.stderr.text)")
        #expect(context.stdout.text == "formatted t.rules\n")
        let written = (context.fileSystem as? InMemoryFileSystem)?.text("/work/t.rules") ?? ""
        #expect(written.contains("tick 0.25\n") && written.contains("ES 1\n") && written.contains("daily_loss 2.5%\n"))
    }

    /// The list of templates after "no template `x`" was not in backticks, and empty when the
    /// rulebook defines none.
    @Test func unknownTemplateListsNamesInBackticks() {
        let files = ["/work/t.rules": Self.rulebook.replacingOccurrences(of: "template t {", with: "template eval_50k {"),
                     "/work/p.rules": "product ES {\n  point_value 50 USD\n}\n"]
        let r = Self.run(["compile", "t.rules", "--template", "zzz"], files: files)
        #expect(r.status == .usage)
        #expect(r.stderr == "error: no template `zzz` in the rulebook; templates: `eval_50k`\n")
        let none = Self.run(["compile", "p.rules", "--template", "zzz"], files: files)
        #expect(none.stderr == "error: no template `zzz` in the rulebook; it defines no templates\n")
    }
}
