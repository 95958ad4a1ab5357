import Foundation
import Testing
@testable import RulecCLI

/// A fresh directory under the system temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
    let path: String
    init() throws {
        path = NSTemporaryDirectory() + "rulec-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func cleanup() { try? FileManager.default.removeItem(atPath: path) }
    func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }
}

@Suite struct FileIOTests {
    @Test func atomicWriteCreatesAndReplacesLeavingNoTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let file = dir.path + "/eval.rules"
        try FileIO.atomicWrite(path: file, bytes: Array("first\n".utf8))
        #expect(try FileIO.readFile(path: file) == Array("first\n".utf8))
        chmod(file, 0o600)
        try FileIO.atomicWrite(path: file, bytes: Array("second".utf8))
        #expect(try FileIO.readFile(path: file) == Array("second".utf8))
        #expect(try dir.entries() == ["eval.rules"])
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        try FileIO.atomicWrite(path: file, bytes: [])
        #expect(try FileIO.readFile(path: file) == [])
    }

    @Test func failedAtomicWriteLeavesTargetAndNoTemporaryFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.path + "/sub", withIntermediateDirectories: false)
        #expect(throws: FileError(.write, path: dir.path + "/sub", reason: "is a directory")) {
            try FileIO.atomicWrite(path: dir.path + "/sub", bytes: [1])
        }
        #expect(throws: FileError(.write, path: dir.path + "/missing/x.rules", reason: "no such file")) {
            try FileIO.atomicWrite(path: dir.path + "/missing/x.rules", bytes: [1])
        }
        #expect(try dir.entries() == ["sub"])
    }

    @Test func readErrorsAreClear() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        #expect(throws: FileError(.read, path: "x.rules-does-not-exist", reason: "no such file")) {
            try FileIO.readFile(path: "x.rules-does-not-exist")
        }
        #expect(throws: FileError(.read, path: dir.path, reason: "is a directory")) {
            try FileIO.readFile(path: dir.path)
        }
        #expect(FileError(.read, path: "x.rules", reason: "no such file").message == "cannot read `x.rules`: no such file")
        let big = [UInt8]((0..<200_000).map { UInt8(truncatingIfNeeded: $0) })
        try FileIO.atomicWrite(path: dir.path + "/big", bytes: big)
        #expect(try FileIO.readFile(path: dir.path + "/big") == big)
    }

    @Test func discoveryOnDiskIsSortedAndSkipsHiddenAndLinks() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let fm = FileManager.default
        for sub in ["b", "a/deep", ".git", "a/.hidden"] {
            try fm.createDirectory(atPath: dir.path + "/" + sub, withIntermediateDirectories: true)
        }
        for f in ["b/z.rules", "b/a.rules", "a/deep/x.rules", "a/y.rules", "a/notes.txt", ".git/h.rules",
                  "a/.hidden/h.rules", "a/.dot.rules", "top.rules"] {
            try FileIO.atomicWrite(path: dir.path + "/" + f, bytes: [])
        }
        try fm.createSymbolicLink(atPath: dir.path + "/a/loop", withDestinationPath: dir.path)
        try fm.createSymbolicLink(atPath: dir.path + "/a/link.rules", withDestinationPath: dir.path + "/top.rules")
        let found = try RuleFileDiscovery.discover([dir.path, "-"], in: LocalFileSystem())
        let relative = found.map { $0.hasPrefix(dir.path) ? String($0.dropFirst(dir.path.count + 1)) : $0 }
        #expect(relative == ["a/deep/x.rules", "a/link.rules", "a/y.rules", "b/a.rules", "b/z.rules", "top.rules", "-"])
    }

    @Test func discoveryInMemory() throws {
        let fs = InMemoryFileSystem(files: [
            "rules/std/cme.rules": "", "rules/eval-50k.rules": "", "rules/README.md": "",
            "rules/.draft/x.rules": "", "/abs/one.rules": "", "notes.txt": "",
        ])
        #expect(try RuleFileDiscovery.discover(["rules", "notes.txt", "rules/eval-50k.rules", "/abs/"], in: fs) == [
            "rules/eval-50k.rules", "rules/std/cme.rules", "notes.txt", "/abs/one.rules",
        ])
        #expect(throws: FileError(.read, path: "nope", reason: "no such file")) {
            try RuleFileDiscovery.discover(["nope"], in: fs)
        }
        #expect(fs.kind(of: "rules/../rules/./std") == .directory)
        #expect(throws: FileError(.read, path: "rules", reason: "is a directory")) { try fs.readFile("rules") }
    }

    @Test func terminalHonoursNoColor() {
        #expect(Terminal(stdoutIsTTY: true, stderrIsTTY: false, environment: [:]).colorsStdout)
        #expect(Terminal(stdoutIsTTY: true, stderrIsTTY: true, environment: [:]).colorsStderr)
        #expect(!Terminal(stdoutIsTTY: true, stderrIsTTY: true, environment: ["NO_COLOR": "1"]).colorsStdout)
        #expect(!Terminal(stdoutIsTTY: false, stderrIsTTY: true, environment: [:]).colorsStdout)
        #expect(Terminal.paint("x", .bold, enabled: true) == "\u{1B}[1mx\u{1B}[0m")
        #expect(Terminal.paint("x", .bold, enabled: false) == "x")
    }
}
