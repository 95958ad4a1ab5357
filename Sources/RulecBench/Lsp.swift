import Foundation
import RuleBase
import RuleJSON
import RuleSemantics
import RuleLanguageServer

/// Language server latency: a 5,000-line rulebook importing a catalog, re-diagnosed after a
/// one-character edit (change in, publishDiagnostics bytes out), and hover and completion on it.
/// Targets (issue 14): re-diagnosis ≤ 20 ms, hover and completion ≤ 5 ms.
func benchLsp(_ o: Options) {
    print("\n== language server (rulec lsp): a change re-diagnosed, hover, completion ==")
    let dir = o.data + "/lsp"
    try? FileManager.default.createDirectory(atPath: dir + "/std", withIntermediateDirectories: true)
    // The catalog: a calendar and 40 products.
    var catalog = "calendar cme {\n  timezone \"America/Chicago\"\n  trading_day_starts 17:00\n  end_of_day 16:00\n}\n"
    let symbols = (0..<40).map { "P\($0)" }
    for s in symbols {
        catalog += "\nproduct \(s) {\n  point_value \(5 + s.count) USD\n  tick 0.25\n  day_margin 500 USD\n  overnight_margin 1_320 USD\n}\n"
    }
    FileManager.default.createFile(atPath: dir + "/std/catalog.rules", contents: Data(catalog.utf8))
    // The rulebook: categories that name every product, and template chains, to 5,000 lines.
    var main = "import \"std/catalog.rules\"\n\ntime_period close_out {\n  start 16:00\n  stop 17:00\n}\n"
    var k = 0
    while main.split(separator: "\n", omittingEmptySubsequences: false).count < 5_000 {
        main += "\nrisk_category cat_\(k) {\n" + symbols.map { "  max_position \($0) \(k % 9 + 1)\n" }.joined() + "}\n"
        main += """

            template base_\(k) {
              calendar cme
              time_period close_out
              risk_category cat_\(k)
              alert {
                daily_loss 800 USD
                margin 80%
              }
              auto_liquidate {
                daily_loss 1_000 USD
                daily_loss 2%
                margin 95%
              }
              trailing_drawdown 2_500 USD {
                mode real_time
                stop_trailing_at 50_100 USD
              }
            }

            template eval_\(k) extends base_\(k) {
              starting_balance 50_000 USD
              auto_liquidate {
                daily_loss 2%
              }
            }

            """
        k += 1
    }
    let lines = main.split(separator: "\n", omittingEmptySubsequences: false)
    let path = dir + "/eval.rules"
    FileManager.default.createFile(atPath: path, contents: Data(main.utf8))
    print("rulebook: \(lines.count) lines, \(main.utf8.count / 1024) KiB, \(k) template pairs; catalog \(catalog.split(separator: "\n").count) lines (imported, on disk)")

    let environment = ServerEnvironment(
        readFile: { p in FileManager.default.contents(atPath: p).map { .loaded([UInt8]($0)) } ?? .notFound },
        now: { Instant(epochSeconds: 1_795_456_800) },
        isKnownTimeZone: { TimeZone(identifier: $0) != nil },
        version: "bench")
    var session = LanguageServerSession(environment: environment)
    func frame(_ json: String) -> [UInt8] {
        let body = Array(json.utf8)
        return Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
    }
    let uri = "file://" + (path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path)
    let root = "file://" + (dir.hasPrefix("/") ? dir : FileManager.default.currentDirectoryPath + "/" + dir)
    _ = session.receive(frame(#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"\#(root)","capabilities":{}}}"#))
    var w = JSONWriter()
    w.value(.string(main))
    let opened = session.receive(frame(#"{"jsonrpc":"2.0","method":"textDocument/didOpen","params":{"textDocument":{"uri":"\#(uri)","languageId":"rulec","version":1,"text":\#(w.text)}}}"#))
    let diagnostics = String(decoding: opened, as: UTF8.self).components(separatedBy: "\"code\":").count - 1
    print("open: \(opened.count) bytes published, \(diagnostics) diagnostics")

    // `daily_loss 800 USD` in the middle of the file: the 8 becomes a 7 and back.
    guard let target = lines.indices.first(where: { $0 > lines.count / 2 && lines[$0].contains("daily_loss 800 USD") }) else {
        fail("bench rulebook has no `daily_loss 800 USD` in its second half")
    }
    let column = lines[target].firstIndex(of: "8").map { lines[target].distance(from: lines[target].startIndex, to: $0) } ?? 0
    var version = 1
    func change(_ digit: String) -> Double {
        version += 1
        let msg = frame(#"{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"\#(uri)","version":\#(version)},"contentChanges":[{"range":{"start":{"line":\#(target),"character":\#(column)},"end":{"line":\#(target),"character":\#(column + 1)}},"text":"\#(digit)"}]}}"#)
        let t0 = now()
        let out = session.receive(msg)
        let t1 = now()
        if out.isEmpty { fail("no diagnostics published after a change") }
        return Double(t1 - t0) / 1e6
    }
    var id = 10
    func request(_ method: String, _ line: Int, _ character: Int) -> Double {
        id += 1
        let msg = frame(#"{"jsonrpc":"2.0","id":\#(id),"method":"\#(method)","params":{"textDocument":{"uri":"\#(uri)"},"position":{"line":\#(line),"character":\#(character)}}}"#)
        let t0 = now()
        let out = session.receive(msg)
        let t1 = now()
        if out.isEmpty || String(decoding: out, as: UTF8.self).contains("\"error\"") { fail("\(method) failed") }
        return Double(t1 - t0) / 1e6
    }
    let runs = max(o.runs * 10, 30)
    for _ in 0..<5 { _ = change("7"); _ = change("8") }
    var changes: [Double] = []
    for r in 0..<runs { changes.append(change(r % 2 == 0 ? "7" : "8")) }
    if runs % 2 == 1 { _ = change("8") }
    // Hover on `daily_loss 2%` of the last eval template (effective value, chain, conversion).
    guard let hoverLine = lines.indices.last(where: { lines[$0].contains("daily_loss 2%") }) else { fail("no hover line") }
    var hovers: [Double] = []
    for _ in 0..<runs { hovers.append(request("textDocument/hover", hoverLine, 16)) }
    // Completion of a risk category name (every category in scope) and of a setting name.
    guard let categoryLine = lines.indices.last(where: { lines[$0].contains("  risk_category cat_") }) else { fail("no completion line") }
    var completions: [Double] = []
    for r in 0..<runs { completions.append(request("textDocument/completion", r % 2 == 0 ? categoryLine : categoryLine + 1, r % 2 == 0 ? 16 : 2)) }
    func show(_ name: String, _ xs: [Double], target: Double) {
        let s = xs.sorted()
        let p90 = s[min(s.count - 1, s.count * 9 / 10)]
        print("\(name): median \(fmt(median(xs), 2)) ms, p90 \(fmt(p90, 2)) ms, max \(fmt(s.last ?? 0, 2)) ms (target ≤ \(fmt(target, 0)) ms, \(median(xs) <= target ? "met" : "MISSED")) over \(xs.count) runs")
    }
    // For scale: `rulec check`'s own work on the same rulebook (parse, check, lints), no server.
    let rel = "eval.rules"
    var checks: [Double] = []
    for _ in 0..<runs {
        let t0 = now()
        _ = Checker.check(entries: [rel], options: CheckOptions(now: Instant(epochSeconds: 1_795_456_800), lints: true)) { p in
            FileManager.default.contents(atPath: dir + "/" + p).map { .loaded([UInt8]($0)) } ?? .notFound
        }
        checks.append(Double(now() - t0) / 1e6)
    }
    show("change → publishDiagnostics", changes, target: 20)
    print("  of which the checker alone (parse, check, lints of both files): median \(fmt(median(checks), 2)) ms")
    show("hover", hovers, target: 5)
    show("completion", completions, target: 5)
}
