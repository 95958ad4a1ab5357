import RuleBase
import RuleSyntax
import RuleSemantics
import RuleFormat

/// `rulec explain CODE`: the long explanation behind a diagnostic code.
enum ExplainCommand: CLICommand {
    static let spec = CommandSpec(
        name: "explain",
        abstract: "Explain a diagnostic code (e.g. R1004), or list every code.",
        options: [.flag("list", help: "list every code with its name")],
        positionals: [.optional("code", help: "a code such as R1004, or its name such as invalid-time")])

    /// Every diagnostic code of every phase, sorted by number.
    static var allCodes: [DiagnosticCode] {
        (DiagnosticCode.syntaxCodes + DiagnosticCode.semanticCodes + DiagnosticCode.testCodes + Lints.codes
         + DiagnosticCode.formatCodes).sorted()
    }

    static func run(_ args: ParsedArguments, _ context: inout Context) -> ExitStatus {
        if args.flag("list") || args.positionals.isEmpty {
            for c in allCodes { context.stdout.line("\(c.id)  \(c.severity.rawValue.padding(7))  \(c.name)") }
            return .success
        }
        let wanted = args.positionals[0]
        guard let code = allCodes.first(where: { $0.id.lowercased() == wanted.lowercased() || $0.name == wanted }) else {
            let near = Suggestion.closest(to: wanted, among: allCodes.map(\.id) + allCodes.map(\.name))
            context.error("unknown diagnostic code `\(wanted)`" + (near.map { "; did you mean `\($0)`?" } ?? ""))
            return .usage
        }
        context.stdout.line("\(code.id) \(code.name) (\(code.severity.rawValue))")
        context.stdout.line()
        context.stdout.line(code.explanation)
        return .success
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
