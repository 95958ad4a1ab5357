import RuleBase
import RuleSyntax
import Foundation
let path = CommandLine.arguments[1]
let data = FileManager.default.contents(atPath: path) ?? Data()
var sm = SourceMap()
let id = sm.add(path: path, bytes: [UInt8](data))
let (tree, diags) = Parser.parse(sm[id])
print(tree.items.count, tree.print() == sm[id].text)
print(DiagnosticRenderer().render(diags, sources: sm))
