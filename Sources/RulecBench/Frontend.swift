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
    var lex: [Double] = [], parse: [Double] = [], check: [Double] = []
    var diagCount = 0
    for run in 0...o.runs {
        var t0 = now()
        let (tokens, _) = Lexer.tokenize(file)
        let tl = Double(now() - t0)
        t0 = now()
        let (tree, _) = Parser.parse(file)
        let tp = Double(now() - t0)
        t0 = now()
        let (model, diags) = Checker.check(entries: ["corpus.rules"]) { _ in .loaded(bytes) }
        let tc = Double(now() - t0)
        if run == 0 {
            diagCount = diags.count
            print("corpus: \(fmt(mb, 1)) MB, \(tokens.count) tokens, \(tree.items.count) declarations, \(model.effectiveTemplates.count) templates, \(diags.count) diagnostics")
            continue   // warm-up
        }
        lex.append(mb / (tl / 1e9))
        parse.append(mb / (tp / 1e9))
        check.append(mb / (tc / 1e9))
    }
    if diagCount > 0 { print("WARNING: the corpus has diagnostics") }
    print("lex:   median \(fmt(median(lex))) MB/s (min \(fmt(lex.min() ?? 0)), max \(fmt(lex.max() ?? 0)))")
    print("parse: median \(fmt(median(parse))) MB/s (lex + tree; min \(fmt(parse.min() ?? 0)), max \(fmt(parse.max() ?? 0)))")
    print("check: median \(fmt(median(check))) MB/s (lex + parse + names + types + extends; min \(fmt(check.min() ?? 0)), max \(fmt(check.max() ?? 0)))")
}
