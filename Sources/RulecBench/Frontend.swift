import Foundation
import RuleBase
import RuleSyntax
import RuleSemantics

/// Front-end throughput: lex, parse and full check of a generated ≥ 10 MB corpus.
func benchFrontend(_ o: Options) {
    print("\n== front end: lex / parse / check throughput ==")
    // The corpus: the bundled catalog once, then many firm templates importing it.
    let catalog = String(decoding: readFile("rules/std/cme.rules"), as: UTF8.self)
    var corpus = catalog + "\n"
    var k = 0
    let target = Int(o.corpusMB * 1_000_000)
    while corpus.utf8.count < target {
        corpus += """

        # generated variant \(k)
        time_period close_\(k) {
          start 15:5\(k % 10)
          stop 17:00
          on 2026-11-26 start 11:55
        }

        risk_category minis_\(k) {
          max_position ES \(k % 9 + 1)
          max_position MES \(k % 90 + 10)
          max_long NQ 3
          max_short NQ 2
          restrict CL, NG
          max_group equity_\(k) \(k % 9 + 1) {
            ES 1
            MES 0.1
          }
        }

        template eval_\(k) {
          calendar cme
          time_period close_\(k)
          risk_category minis_\(k)
          starting_balance \(50_000 + k) USD
          alert {
            daily_loss \(800 + k % 100) USD
            daily_loss 1.5%
            margin 80%
          }
          liquidate_only {
            daily_loss \(900 + k % 100) USD
            margin 90%
          }
          auto_liquidate {
            daily_loss \(1_000 + k % 100).25 USD
            daily_loss 2.5%
            margin 95%
            weekly_loss 2_000 USD
            daily_profit 3_000 USD
            weekly_profit 6_000 USD
          }
          trailing_drawdown 2_500 USD {
            mode real_time
            stop_trailing_at 50_100 USD
          }
          flatten_at 2026-12-31T15:45-06:00
          do_not_unlock
        }

        """
        k += 1
    }
    let bytes = Array(corpus.utf8)
    let mb = Double(bytes.count) / 1_000_000
    let file = SourceFile(id: FileID(0), path: "corpus.rules", bytes: bytes)
    var lex: [Double] = [], parse: [Double] = [], check: [Double] = [], lint: [Double] = []
    // `rulec check` runs the R5xxx lints too; a fixed clock keeps the findings stable.
    let lintOptions = CheckOptions(now: Instant(epochSeconds: 1_780_000_000), lints: true)
    func runs(_ phase: String) -> Bool { o.phase == nil || o.phase == phase }
    /// MB/s of one timed call.
    func timed(_ body: () -> Void) -> Double {
        let t0 = now()
        body()
        return mb / (Double(now() - t0) / 1e9)
    }
    var tokenCount = 0, itemCount = 0, templateCount = 0, diagCount = 0, lintCount = 0
    for run in 0...o.runs {
        let warm = run == 0   // the first pass is a warm-up
        if runs("lex") {
            let r = timed { tokenCount = Lexer.tokenize(file).tokens.count }
            if !warm { lex.append(r) }
        }
        if runs("parse") {
            let r = timed { itemCount = Parser.parse(file).tree.items.count }
            if !warm { parse.append(r) }
        }
        if runs("check") {
            let r = timed {
                let (model, diags) = Checker.check(entries: ["corpus.rules"]) { _ in .loaded(bytes) }
                templateCount = model.effectiveTemplates.count
                diagCount = diags.count
            }
            if !warm { check.append(r) }
        }
        if runs("lints") {
            let r = timed {
                lintCount = Checker.check(entries: ["corpus.rules"], options: lintOptions) { _ in .loaded(bytes) }.1.count
            }
            if !warm { lint.append(r) }
        }
        if warm {
            print("corpus: \(fmt(mb, 1)) MB, \(tokenCount) tokens, \(itemCount) declarations, \(templateCount) templates, \(diagCount) diagnostics, \(lintCount) with lints")
        }
    }
    if diagCount > 0 { print("WARNING: the corpus has diagnostics") }
    func line(_ label: String, _ xs: [Double], _ what: String) {
        guard !xs.isEmpty else { return }
        print("\(label) median \(fmt(median(xs))) MB/s (\(what)min \(fmt(xs.min() ?? 0)), max \(fmt(xs.max() ?? 0)))")
    }
    line("lex:  ", lex, "")
    line("parse:", parse, "lex + tree; ")
    line("check:", check, "lex + parse + names + types + extends; ")
    line("check + lints:", lint, "as `rulec check`: R5xxx lints and suppressions; ")
}
