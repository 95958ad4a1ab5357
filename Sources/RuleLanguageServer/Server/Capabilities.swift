import RuleJSON

/// What the server offers, as the `initialize` result states it.
enum Capabilities {
    static func initializeResult(encoding: PositionEncoding, version: String) -> JSONValue {
        .obj([
            "capabilities": .obj([
                "positionEncoding": .str(encoding.rawValue),
                "textDocumentSync": .obj(["openClose": .bool(true), "change": .int(2),
                                          "save": .obj(["includeText": .bool(false)])]),
                "hoverProvider": .bool(true),
                "definitionProvider": .bool(true),
                "referencesProvider": .bool(true),
                "renameProvider": .obj(["prepareProvider": .bool(true)]),
                "completionProvider": .obj(["triggerCharacters": .arr([.str(" ")]), "resolveProvider": .bool(false)]),
                "documentFormattingProvider": .bool(true),
                "documentSymbolProvider": .bool(true),
                "semanticTokensProvider": .obj([
                    "legend": .obj(["tokenTypes": .arr(SemanticTokenType.allCases.map { .str($0.rawValue) }),
                                    "tokenModifiers": .arr(SemanticTokensFeature.modifiers.map { .str($0) })]),
                    "full": .bool(true),
                ]),
                "foldingRangeProvider": .bool(true),
                "codeActionProvider": .obj(["codeActionKinds": .arr([.str("quickfix")])]),
                "workspace": .obj(["workspaceFolders": .obj(["supported": .bool(true), "changeNotifications": .bool(true)])]),
            ]),
            "serverInfo": .obj(["name": .str("rulec"), "version": .str(version)]),
        ])
    }
}
