import RuleBase
import RuleSyntax
import RuleSemantics

/// An open document: the editor's buffer, which wins over the disk.
struct Document: Sendable {
    var uri: String
    /// The absolute path of a `file:` document; nil for an editor buffer with no file.
    var path: String?
    var version: Int
    var bytes: [UInt8]
}

/// One open document checked as `rulec check` checks a file: as the entry of its own
/// rulebook, with its imports, under the rulebook root.
struct Analysis: Sendable {
    var uri: String
    /// The rulebook root (absolute); nil for a document without a file.
    var root: String?
    /// The entry's path relative to the root, as the checker and messages name it.
    var entry: String
    var model: CheckedRulebook
    var diagnostics: [Diagnostic]
    var entryFile: FileID
    /// The URI of every loaded file.
    var uris: [FileID: String]
    var index: SymbolIndex
    /// The document version the analysis is of.
    var version: Int

    var entryTree: SyntaxTree? { model.trees.first { $0.file.id == entryFile } }
    func tree(_ file: FileID) -> SyntaxTree? { model.trees.first { $0.file.id == file } }
    func uri(_ file: FileID) -> String? { uris[file] }
    /// The absolute paths of every loaded file (imports included).
    var loadedPaths: Set<String> {
        guard let root else { return [] }
        return Set(model.sources.files.map { FileURI.join(root, $0.path) })
    }
}

/// Open documents, workspace folders and the analysis of every open document.
struct Workspace: Sendable {
    var folders: [String] = []
    var documents: [String: Document] = [:]
    var analyses: [String: Analysis] = [:]
    /// URIs of files (not open) whose diagnostics were published by an open document's check,
    /// by the document that published them.
    var publishedImports: [String: Set<String>] = [:]

    /// The rulebook root of a file: the innermost workspace folder holding it, else its folder.
    func root(of path: String) -> String {
        folders.filter { FileURI.isInside(path, $0) }.max { $0.count < $1.count } ?? FileURI.directory(of: path)
    }

    /// Checks one open document with its imports: open buffers first, then `environment`.
    func analyze(_ doc: Document, _ environment: ServerEnvironment) -> Analysis {
        let root: String?
        let entry: String
        if let path = doc.path {
            let r = self.root(of: path)
            root = r
            entry = FileURI.relative(path, to: r)
        } else {
            root = nil
            entry = Self.bufferName(doc.uri)
        }
        var byPath: [String: [UInt8]] = [:]
        for d in documents.values { if let p = d.path { byPath[p] = d.bytes } }
        let bytes = doc.bytes
        let read: (String) -> LoadResult = { p in
            if p == entry { return .loaded(bytes) }
            guard let root else { return .notFound }
            let full = FileURI.join(root, p)
            if let b = byPath[full] { return .loaded(b) }
            return environment.readFile(full)
        }
        let (model, diagnostics) = Checker.check(entries: [entry], options: environment.checkOptions, read: read)
        var uris: [FileID: String] = [:]
        var entryFile = FileID(0)
        for f in model.sources.files {
            if f.path == entry {
                uris[f.id] = doc.uri
                entryFile = f.id
            } else if let root {
                uris[f.id] = FileURI.uri(FileURI.join(root, f.path))
            }
        }
        return Analysis(uri: doc.uri, root: root, entry: entry, model: model, diagnostics: diagnostics,
                        entryFile: entryFile, uris: uris, index: SymbolIndex(model), version: doc.version)
    }

    /// A checker path for a buffer with no file: the last part of its URI, as a `.rules` name.
    static func bufferName(_ uri: String) -> String {
        var name = String(uri.split(whereSeparator: { $0 == "/" || $0 == ":" }).last ?? "buffer")
        name = String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." ? $0 : "_" })
        return name.hasSuffix(".rules") ? name : name + ".rules"
    }
}
