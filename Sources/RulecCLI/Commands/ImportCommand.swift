import RuleBase
import RuleTools

/// `rulec import`: broker JSON (a post-trade settings object or a template document with the
/// pre-trade entities) → a formatted rulebook template.
enum ImportCommand: CLICommand {
    static let spec = CommandSpec(
        name: "import",
        abstract: "Turn broker JSON into a rulebook template.",
        discussion: "Reads a post-trade settings object (userAccountAutoLiq fields) or a template document {name, initialBalance, postTradeRisk, riskCategory, riskTimePeriod} as `rulec compile --target broker-json` prints it, and writes the rulebook text. Unknown fields are errors naming their JSON path. Pass --import for the product catalog and --calendar for the exchange calendar so that the result checks.",
        options: [
            .value("name", placeholder: "template", help: "template name (default: the document's name, else `imported`)"),
            .value("calendar", placeholder: "name", help: "write `calendar NAME` in the template, e.g. cme"),
            .repeatedValue("import", placeholder: "path", help: "write `import \"PATH\"` at the top, e.g. std/cme.rules"),
            .value("output", short: "o", placeholder: "file", help: "write the rulebook here (atomically) instead of stdout"),
        ],
        positionals: [.required("broker-json", help: "the broker JSON file; '-' reads stdin")])

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        let input = args.positionals.first ?? "-"
        let bytes: [UInt8]
        do { bytes = try context.readInput(input) } catch { return context.fileError(error) }
        let options = BrokerImportOptions(templateName: args.value("name"), calendar: args.value("calendar"),
                                          imports: args.values("import"))
        switch BrokerImport.rulebook(json: bytes, options: options) {
        case let .failure(f):
            let shown = input == "-" ? "<stdin>" : input
            for e in f.errors { context.error("\(shown): \(e)") }
            return .findings
        case let .success(text):
            do { try context.writeOutput(args.value("output") ?? "-", bytes: Array(text.utf8)) } catch {
                return context.fileError(error)
            }
            return .success
        }
    }
}
