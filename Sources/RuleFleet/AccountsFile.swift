import RuleBase
import RuleJSON
import RuleEngine
import RuleCodecs

/// One account of the fleet: its id, its template and, optionally, the state it starts from.
public struct FleetAccount: Sendable {
    public var id: String
    /// Index into the replay's templates.
    public var template: Int
    public var state: StateFile?
    /// Its line in the accounts file.
    public var line: Int
}

/// The accounts file of `rulec replay`, JSON Lines, one account per line:
///
///     {"account":"A00001","template":"eval_50k"}
///     {"account":"A00002","template":"funded_100k","state":{"at":"2026-12-14T12:00:00Z","balance":99250.00}}
///
/// `state` has the fields of the state file (`rulec eval --state`), working orders included.
/// Ids are 1 to 128 bytes and unique; the template must be one of the rulebook's.
public enum AccountsFile {
    public static let keys = ["account", "template", "state"]

    /// The accounts in file order, or the first error (line and column in the accounts file).
    public static func parse(_ bytes: [UInt8], templates: [EngineSetup]) -> Result<[FleetAccount], EventError> {
        var accounts: [FleetAccount] = []
        var seen = AccountTable(capacity: 1024)
        let names = templates.map(\.graph.template)
        for line in JSONLines(bytes) {
            let v: JSONValue
            do { v = try JSONParser.parse(Array(bytes[line.range])) } catch {
                return .failure(EventError(line: line.number, column: error.column, message: error.message))
            }
            func fail(_ m: String) -> Result<[FleetAccount], EventError> { .failure(EventError(line: line.number, column: 1, message: m)) }
            guard let members = v.objectMembers else { return fail("an account is a JSON object like {\"account\":\"A1\",\"template\":\"eval_50k\"}") }
            for m in members where !keys.contains(m.key) {
                let near = Suggestion.closest(to: m.key, among: keys).map { "; did you mean `\($0)`?" } ?? ""
                return fail("unknown field `\(m.key)`\(near)")
            }
            guard let id = v["account"]?.stringValue, !id.isEmpty, id.utf8.count <= 128 else {
                return fail("`account` must be a non-empty string of at most 128 bytes")
            }
            guard let t = v["template"]?.stringValue else { return fail("account `\(id)` needs a `template`") }
            guard let ti = names.firstIndex(of: t) else {
                let near = Suggestion.closest(to: t, among: names).map { "; did you mean `\($0)`?" } ?? "; templates: \(names.joined(separator: ", "))"
                return fail("unknown template `\(t)`\(near)")
            }
            guard seen.insert(id).inserted else { return fail("account `\(id)` appears twice") }
            var state: StateFile?
            if let s = v["state"] {
                switch StateFile.parse(Array(JSONWriter.string(s).utf8), path: "", setup: templates[ti]) {
                case .success(let st): state = st
                case .failure(let e): return fail("state of account `\(id)`: \(e.message)")
                }
            } else if templates[ti].graph.startingBalance == nil {
                return fail("template `\(t)` has no starting_balance; give account `\(id)` a `state` with a `balance`")
            }
            accounts.append(FleetAccount(id: id, template: ti, state: state, line: line.number))
        }
        return .success(accounts)
    }
}
