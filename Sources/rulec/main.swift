import RuleBase
import RuleSemantics
import Foundation
let path = CommandLine.arguments[1]
FileManager.default.changeCurrentDirectoryPath(CommandLine.arguments[2])
let (model, diags) = Checker.check(entries: [path]) { p in
    if let d = FileManager.default.contents(atPath: p) { return .loaded([UInt8](d)) }
    return .notFound
}
print(DiagnosticRenderer().render(diags, sources: model.sources))
for t in model.effectiveTemplates { print(t.name.value, t.chain, t.fields.map { "\($0.key)=\($0.value)" }) }
