import Foundation
import RuleBase
import RuleSemantics

/// Reads rulebooks out of git revisions for `rulec diff REV1..REV2 [-- PATH...]`, running
/// `git` as a subprocess in the context's current directory. The only place rulec runs
/// another program; the libraries never see git.
struct GitRevisions {
    /// Where `git` runs (the user's current directory, so that pathspecs mean what they say).
    var directory: String

    /// `A..B` → (A, B); an empty side means `HEAD`, as in git. nil when `text` is not a range.
    static func parseRange(_ text: String) -> (old: String, new: String)? {
        guard let r = text.range(of: ".."), !text.contains("...") else { return nil }
        let a = String(text[..<r.lowerBound]), b = String(text[r.upperBound...])
        if a.isEmpty && b.isEmpty { return nil }
        return (a.isEmpty ? "HEAD" : a, b.isEmpty ? "HEAD" : b)
    }

    /// The checked rulebook made of every `*.rules` file under `paths` at `revision`, with
    /// imports read from the same revision. Paths in messages are relative to the top of the
    /// repository.
    func load(revision: String, paths: [String]) throws(FileError) -> RulebookLoader.Loaded {
        _ = try run(["rev-parse", "--verify", "--quiet", revision + "^{commit}"], about: revision,
                    failure: "not a revision of this repository")
        let listing = try run(["ls-tree", "-r", "-z", "--name-only", "--full-name", revision, "--"] + paths,
                              about: revision, failure: "cannot list its files")
        let files = listing.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            .filter { $0.hasSuffix(".rules") && !$0.split(separator: "/").contains { $0.hasPrefix(".") } }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        guard !files.isEmpty else {
            throw FileError(.list, path: paths.joined(separator: " "), reason: "no *.rules files at `\(revision)`")
        }
        return RulebookLoader.check(entries: files) { path in
            do throws(FileError) {
                // `:path` names the path from the top of the repository, whatever the directory.
                return .loaded(try run(["cat-file", "blob", "\(revision):\(path)"], about: "\(revision):\(path)", failure: "no such file"))
            } catch {
                return .notFound
            }
        }
    }

    /// Runs `git ARGS`; its standard output, or a `FileError` with `failure` and git's message.
    func run(_ arguments: [String], about subject: String, failure: String) throws(FileError) -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch {
            throw FileError(.read, path: "git", reason: "cannot run git: \(error.localizedDescription)")
        }
        let bytes = out.fileHandleForReading.readDataToEndOfFile()
        let message = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let why = String(decoding: message, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
            if process.terminationStatus == 127 { throw FileError(.read, path: "git", reason: "git is not installed") }
            throw FileError(.read, path: subject, reason: failure + (why.isEmpty ? "" : " (git: \(why))"))
        }
        return Array(bytes)
    }
}
