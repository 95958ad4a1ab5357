import Foundation
import RuleBase
import Testing
@testable import RulecCLI

/// Every `examples/<scenario>/<name>.cmd` is one `rulec` command line run from the repository
/// root; its stdout (then stderr and a non-zero exit, when there are any) must equal
/// `<name>.expected` byte for byte. `$OUT/` in a command is a scratch folder; a file written
/// there (an `--html` chart) must equal the file of that name in the scenario folder.
/// `RULEC_UPDATE_GOLDENS=1 swift test` rewrites the expected files.
@Suite("examples: eval and simulate goldens")
struct SimulateExamplesTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static var commands: [String] {
        let fm = FileManager.default
        let dir = root + "/examples"
        guard let scenarios = try? fm.contentsOfDirectory(atPath: dir) else { return [] }
        var found: [String] = []
        for s in scenarios.sorted() {
            guard let files = try? fm.contentsOfDirectory(atPath: dir + "/" + s) else { continue }
            for f in files.sorted() where f.hasSuffix(".cmd") { found.append("examples/\(s)/\(f)") }
        }
        return found
    }

    static func run(_ commandFile: String) throws -> (output: String, files: [String: [UInt8]]) {
        let text = try String(contentsOfFile: root + "/" + commandFile, encoding: .utf8)
        let scratch = NSTemporaryDirectory() + "rulec-examples-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let args = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: " ").map { $0.replacingOccurrences(of: "$OUT", with: scratch) }
        var context = Context(stdout: .memory(), stderr: .memory(), stdin: .text(""), fileSystem: LocalFileSystem(),
                              environment: [:], terminal: Terminal(stdoutIsTTY: false, stderrIsTTY: false, environment: [:]),
                              currentDirectory: root, now: { Instant(epochSeconds: 1_767_225_600) })
        let status = Rulec.cli.run(args, context: &context)
        var output = context.stdout.text
        if !context.stderr.text.isEmpty { output += "--- stderr ---\n" + context.stderr.text }
        if status != .success { output += "--- exit \(status.rawValue) ---\n" }
        var files: [String: [UInt8]] = [:]
        for f in (try? FileManager.default.contentsOfDirectory(atPath: scratch)) ?? [] {
            files[f] = FileManager.default.contents(atPath: scratch + "/" + f).map { [UInt8]($0) }
        }
        return (output, files)
    }

    @Test("every example command matches its expected output", arguments: commands)
    func example(_ commandFile: String) throws {
        let (output, files) = try Self.run(commandFile)
        let expectedPath = Self.root + "/" + commandFile.dropLast(4) + ".expected"
        let dir = (Self.root + "/" + commandFile as NSString).deletingLastPathComponent
        if ProcessInfo.processInfo.environment["RULEC_UPDATE_GOLDENS"] == "1" {
            try output.write(toFile: expectedPath, atomically: true, encoding: .utf8)
            for (name, bytes) in files { try Data(bytes).write(to: URL(fileURLWithPath: dir + "/" + name)) }
            return
        }
        let expected = try String(contentsOfFile: expectedPath, encoding: .utf8)
        #expect(output == expected, "\(commandFile): output differs from \(expectedPath)")
        for (name, bytes) in files {
            let want = FileManager.default.contents(atPath: dir + "/" + name).map { [UInt8]($0) }
            #expect(bytes == want, "\(commandFile): \(name) differs")
        }
    }

    @Test("the same command twice gives byte-identical output")
    func determinism() throws {
        for c in Self.commands {
            let a = try Self.run(c), b = try Self.run(c)
            #expect(a.output == b.output)
            #expect(a.files == b.files)
        }
    }

    @Test("there is an example for every scenario the issue names")
    func scenarios() {
        let names = Set(Self.commands.map { $0.split(separator: "/")[1] })
        for s in ["calm-day", "daily-loss-liquidation", "trailing-realtime-bust", "weekly-limit-weekend", "dst-week",
                  "holiday-early-close", "admin-lock", "eval-state"] {
            #expect(names.contains(Substring(s)), "missing example \(s)")
        }
    }
}
