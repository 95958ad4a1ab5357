// swift-tools-version:6.0
// rulec: a compiler and interpreter for prop-firm account risk rulebooks.
// No package dependencies: the toolchain's Foundation and Swift Testing only.
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny")]

let package = Package(
    name: "rulec",
    products: [
        .executable(name: "rulec", targets: ["rulec"]),
        .executable(name: "rulec-bench", targets: ["RulecBench"]),
        .library(name: "RulecCLI", targets: ["RulecCLI"]),
    ],
    targets: [
        // Spans, source files, the one Diagnostic type, exact numbers and civil time values.
        .target(name: "RuleBase", swiftSettings: strict),
        // Tokens, lexer, lossless syntax tree, parser.
        .target(name: "RuleSyntax", dependencies: ["RuleBase"], swiftSettings: strict),
        // Canonical formatter: syntax only, so it works on rulebooks that do not type-check.
        .target(name: "RuleFormat", dependencies: ["RuleBase", "RuleSyntax"], swiftSettings: strict),
        // Imports, names, units, extends merging, lints: syntax tree -> checked model.
        .target(name: "RuleSemantics", dependencies: ["RuleBase", "RuleSyntax"], swiftSettings: strict),
        // The typed rule graph and its lowering from the checked model.
        .target(name: "RuleGraph", dependencies: ["RuleBase", "RuleSemantics"], swiftSettings: strict),
        // Account state, calendars, post- and pre-trade evaluation. Never sees syntax.
        .target(name: "RuleEngine", dependencies: ["RuleBase", "RuleGraph"], swiftSettings: strict),
        // The one exact JSON implementation: values, parser, allocation-free scanner, JSON Lines,
        // writer and ByteSink. Numbers stay exact decimal text; never Double.
        .target(name: "RuleJSON", dependencies: ["RuleBase"], swiftSettings: strict),
        // The engine's JSON codecs: events, account state and order files, decision steps.
        .target(name: "RuleCodecs", dependencies: ["RuleBase", "RuleJSON", "RuleGraph", "RuleEngine"],
                swiftSettings: strict),
        // Semantic diff, broker JSON, rulebook tests.
        .target(name: "RuleTools",
                dependencies: ["RuleBase", "RuleJSON", "RuleSyntax", "RuleFormat", "RuleSemantics", "RuleGraph", "RuleEngine"],
                swiftSettings: strict),
        // The commands as a testable library; the only code that does I/O.
        // Fleet replay: many accounts on one history, in parallel and sharded; summaries and merge.
        .target(name: "RuleFleet", dependencies: ["RuleBase", "RuleJSON", "RuleGraph", "RuleEngine", "RuleCodecs"],
                swiftSettings: strict),
        // The language server (`rulec lsp`) without I/O: JSON-RPC framing, the LSP state machine,
        // open documents, and diagnostics, hover, navigation, completion and edits over them.
        .target(name: "RuleLanguageServer",
                dependencies: ["RuleBase", "RuleJSON", "RuleSyntax", "RuleFormat", "RuleSemantics"],
                swiftSettings: strict),
        .target(name: "RulecCLI",
                dependencies: ["RuleBase", "RuleJSON", "RuleSyntax", "RuleFormat", "RuleSemantics", "RuleGraph", "RuleEngine",
                               "RuleCodecs", "RuleTools", "RuleFleet", "RuleLanguageServer"],
                swiftSettings: strict),
        .executableTarget(name: "rulec", dependencies: ["RulecCLI"], swiftSettings: strict),
        .executableTarget(name: "RulecBench",
                          dependencies: ["RuleBase", "RuleSyntax", "RuleSemantics", "RuleGraph", "RuleEngine", "RuleFleet", "RulecCLI",
                                         "RuleJSON", "RuleLanguageServer"],
                          swiftSettings: strict),

        // Helpers shared by the test targets (seeded generators); not shipped.
        .target(name: "RuleTestSupport", path: "Tests/RuleTestSupport"),
        .testTarget(name: "RuleBaseTests", dependencies: ["RuleBase"]),
        .testTarget(name: "RuleSyntaxTests", dependencies: ["RuleTestSupport", "RuleBase", "RuleSyntax"]),
        .testTarget(name: "RuleFormatTests", dependencies: ["RuleTestSupport", "RuleBase", "RuleSyntax", "RuleFormat"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RuleSemanticsTests", dependencies: ["RuleTestSupport", "RuleBase", "RuleSyntax", "RuleSemantics"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RuleJSONTests", dependencies: ["RuleTestSupport", "RuleBase", "RuleJSON"]),
        .testTarget(name: "RuleGraphTests", dependencies: ["RuleBase", "RuleSemantics", "RuleGraph"]),
        .testTarget(name: "RuleEngineTests", dependencies: ["RuleBase", "RuleSemantics", "RuleGraph", "RuleEngine"]),
        .testTarget(name: "RuleFleetTests", dependencies: ["RuleBase", "RuleJSON", "RuleSemantics", "RuleGraph", "RuleEngine", "RuleCodecs", "RuleFleet"]),
        .testTarget(name: "RuleCodecsTests", dependencies: ["RuleBase", "RuleJSON", "RuleSemantics", "RuleGraph", "RuleEngine", "RuleCodecs"]),
        .testTarget(name: "RuleToolsTests", dependencies: ["RuleTestSupport", "RuleBase", "RuleJSON", "RuleSyntax", "RuleSemantics", "RuleGraph", "RuleEngine", "RuleTools"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RuleLanguageServerTests",
                    dependencies: ["RuleBase", "RuleJSON", "RuleSemantics", "RuleLanguageServer"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "RulecCLITests", dependencies: ["RuleTestSupport", "RulecCLI", "RuleBase", "RuleJSON", "RuleSemantics", "RuleFormat",
                                                          "RuleGraph", "RuleEngine", "RuleCodecs"],
                    // Goldens read from the source tree (#filePath), not bundled.
                    exclude: ["Fixtures"]),
    ]
)
