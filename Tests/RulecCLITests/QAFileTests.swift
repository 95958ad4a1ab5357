import Foundation
import Testing
@testable import RulecCLI

/// QA regressions for file handling on disk.
@Suite struct QAFileTests {
    /// `rulec fmt --write link.rules` used to replace the symbolic link with a regular file and
    /// leave the file it pointed to unformatted.
    @Test func atomicWriteThroughASymbolicLinkKeepsTheLink() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try FileManager.default.createDirectory(atPath: dir.path + "/real", withIntermediateDirectories: false)
        let target = dir.path + "/real/eval.rules"
        let link = dir.path + "/link.rules"
        try FileIO.atomicWrite(path: target, bytes: Array("old\n".utf8))
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "real/eval.rules")
        try FileIO.atomicWrite(path: link, bytes: Array("new\n".utf8))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "real/eval.rules")
        #expect(try FileIO.readFile(path: target) == Array("new\n".utf8))
        #expect(try dir.entries() == ["link.rules", "real"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/real") == ["eval.rules"])
    }
}
