import Foundation
import RuleBase
import Testing
@testable import RulecCLI

/// `rulec fmt` as a user runs it: print, check, diff, write, stdin, refusals.
@Suite("rulec fmt")
struct FmtCommandTests {
    static let messy = "template t {alert {daily_loss 800   USD; margin 80.0%}\n  calendar cme   # zone\n}\ncalendar cme { timezone \"America/Chicago\" }\n"
    static let canonical = """
        template t {
          calendar cme # zone
          alert {
            daily_loss 800 USD
            margin 80%
          }
        }

        calendar cme {
          timezone "America/Chicago"
        }

        """

    func run(_ args: [String], files: [String: String], stdin: String = "") -> (ExitStatus, Context) {
        var context = Context.testing(files: files, stdin: stdin)
        let status = Rulec.cli.run(args, context: &context)
        return (status, context)
    }

    func file(_ context: Context, _ path: String) -> String? {
        (context.fileSystem as? InMemoryFileSystem)?.text(path)
    }

    @Test("one file without flags prints the canonical text")
    func printsOneFile() {
        let (status, ctx) = run(["fmt", "a.rules"], files: ["/work/a.rules": Self.messy])
        #expect(status == .success)
        #expect(ctx.stdout.text == Self.canonical)
        #expect(file(ctx, "/work/a.rules") == Self.messy, "printing must not write the file")
    }

    @Test("--check lists files that would change and exits 1; --diff adds a unified diff")
    func checkAndDiff() {
        let files = ["/work/r/a.rules": Self.messy, "/work/r/b.rules": Self.canonical]
        let (status, ctx) = run(["fmt", "--check", "r"], files: files)
        #expect(status == .findings)
        #expect(ctx.stdout.text == "would reformat r/a.rules\n")
        #expect(ctx.stderr.text == "1 of 2 files would be reformatted\n")
        let (s2, ctx2) = run(["fmt", "--check", "--diff", "r/a.rules"], files: files)
        #expect(s2 == .findings)
        #expect(ctx2.stdout.text.contains("--- a/r/a.rules\n+++ b/r/a.rules\n@@ "))
        #expect(ctx2.stdout.text.contains("\n+    daily_loss 800 USD\n"))
    }

    @Test("--write rewrites only files that change, and the result is a fixed point")
    func writes() {
        let files = ["/work/r/a.rules": Self.messy, "/work/r/b.rules": Self.canonical]
        var context = Context.testing(files: files)
        #expect(Rulec.cli.run(["fmt", "--write", "r"], context: &context) == .success)
        #expect(context.stdout.text == "formatted r/a.rules\n")
        #expect(file(context, "/work/r/a.rules") == Self.canonical)
        context.stdout = .memory()
        #expect(Rulec.cli.run(["fmt", "--check", "r"], context: &context) == .success)
        #expect(context.stdout.text.isEmpty)
    }

    @Test("`-` formats stdin to stdout")
    func stdin() {
        let (status, ctx) = run(["fmt", "-"], files: [:], stdin: Self.messy)
        #expect(status == .success)
        #expect(ctx.stdout.text == Self.canonical)
    }

    @Test("a file with syntax errors is refused with the errors and left untouched")
    func refusesSyntaxErrors() {
        let broken = "template t {\n  alert {\n    daily_loss 25:00\n"
        let (status, ctx) = run(["fmt", "--write", "bad.rules"], files: ["/work/bad.rules": broken])
        #expect(status == .findings)
        #expect(ctx.stderr.text.contains("error[R1004]"))
        #expect(ctx.stderr.text.contains("error: not formatting `bad.rules`: it has syntax errors"))
        #expect(file(ctx, "/work/bad.rules") == broken)
    }

    @Test("usage mistakes exit 2", arguments: [
        ["fmt", "--check", "--write", "a.rules"],
        ["fmt", "--diff", "a.rules"],
        ["fmt", "a.rules", "b.rules"],
        ["fmt", "--write", "-"],
        ["fmt", "missing.rules"],
    ])
    func usage(args: [String]) {
        let (status, ctx) = run(args, files: ["/work/a.rules": Self.canonical, "/work/b.rules": Self.canonical])
        #expect(status == .usage)
        #expect(ctx.stderr.text.hasPrefix("error: "))
    }
}
