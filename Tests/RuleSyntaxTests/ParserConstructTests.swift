import Testing
import RuleBase
import RuleSyntax

/// One construct of grammar.ebnf section 3, its source and the tree the parser must build.
struct Construct: Sendable, CustomTestStringConvertible {
    let name: String
    let source: String
    let outline: [String]
    var testDescription: String { name }
}

@Suite("Parser: every construct of grammar.ebnf sections 3 and 4")
struct ParserConstructTests {
    static let constructs: [Construct] = [
        Construct(name: "import", source: "import \"std/cme.rules\"\n",
                  outline: ["import \"std/cme.rules\":str"]),

        Construct(name: "calendar_decl with every calendar_setting", source: """
            calendar cme {
              timezone "America/Chicago"
              trading_day_starts 17:00
              week_starts sunday 17:00
              end_of_day 16:00
              holiday 2026-12-25
              early_close 2026-11-27 12:15
            }
            """, outline: [
                "calendar cme:id {",
                "  timezone \"America/Chicago\":str",
                "  trading_day_starts 17:00:time",
                "  week_starts sunday:kw 17:00:time",
                "  end_of_day 16:00:time",
                "  holiday 2026-12-25:date",
                "  early_close 2026-11-27:date 12:15:time",
                "}",
            ]),
        Construct(name: "weekday: every day", source: """
            week_starts sunday 1:00; week_starts monday 1:00; week_starts tuesday 1:00
            week_starts wednesday 1:00; week_starts thursday 1:00; week_starts friday 1:00; week_starts saturday 1:00
            """, outline: ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"].map {
                "week_starts \($0):kw 1:00:time"
            }),

        Construct(name: "product_decl named by identifier, every product_setting", source: """
            product ES {
              description "E-mini S&P 500"
              point_value 50 USD
              tick 0.25
              day_margin 500 USD
              overnight_margin 13_200 USD
            }
            """, outline: [
                "product ES:id {",
                "  description \"E-mini S&P 500\":str",
                "  point_value 50 USD:money",
                "  tick 0.25:num",
                "  day_margin 500 USD:money",
                "  overnight_margin 13_200 USD:money",
                "}",
            ]),
        Construct(name: "product_decl named by string, settings on one line", source:
            "product \"6E\" { point_value 125_000 USD; tick 0.00005 }",
            outline: ["product \"6E\":str {", "  point_value 125_000 USD:money", "  tick 0.00005:num", "}"]),

        Construct(name: "time_period_decl with every period_setting", source: """
            time_period close_out {
              start 16:00
              stop  17:00
              on 2026-11-26 start 12:00
              on 2026-12-24 stop 17:30
              on 2026-12-31 start 12:15 stop 17:00
            }
            """, outline: [
                "time_period close_out:id {",
                "  start 16:00:time",
                "  stop 17:00:time",
                "  on 2026-11-26:date start:kw 12:00:time",
                "  on 2026-12-24:date stop:kw 17:30:time",
                "  on 2026-12-31:date start:kw 12:15:time stop:kw 17:00:time",
                "}",
            ]),

        Construct(name: "risk_category_decl with every category_setting", source: """
            risk_category eval_standard {
              max_position ES 5
              max_position MES 50 contracts
              max_long NQ 3
              max_short "6E" 1 contract
              restrict CL, NG
              restrict ZB ZN
              max_group equity_index 6 {
                ES 1
                MES 0.1; "MNQ" 0.1
              }
            }
            """, outline: [
                "risk_category eval_standard:id {",
                "  max_position ES:id 5:num",
                "  max_position MES:id 50 contracts:qty",
                "  max_long NQ:id 3:num",
                "  max_short \"6E\":str 1 contract:qty",
                "  restrict CL:id NG:id",
                "  restrict ZB:id ZN:id",
                "  max_group equity_index:id 6:num {",
                "    ES 1:num",
                "    MES 0.1:num",
                "    \"MNQ\" 0.1:num",
                "  }",
                "}",
            ]),

        Construct(name: "template_decl with extends", source: "template eval_50k extends base_eval {\n}\n",
                  outline: ["template eval_50k:id extends:kw base_eval:id {", "}"]),
        Construct(name: "template references and starting_balance", source: """
            template t {
              calendar cme
              time_period close_out
              risk_category eval_standard
              starting_balance 50_000 USD
            }
            """, outline: [
                "template t:id {",
                "  calendar cme:id",
                "  time_period close_out:id",
                "  risk_category eval_standard:id",
                "  starting_balance 50_000 USD:money",
                "}",
            ]),
        Construct(name: "tiers with every threshold", source: """
            template t {
              alert {
                daily_loss 800 USD
                daily_loss 1.5%
                margin 80%
              }
              liquidate_only { weekly_loss 2_000 USD; weekly_loss 4% }
              auto_liquidate {
                daily_profit 3_000 USD
                daily_profit 5%
                weekly_profit 6_000 USD
                weekly_profit 10%
              }
            }
            """, outline: [
                "template t:id {",
                "  alert {", "    daily_loss 800 USD:money", "    daily_loss 1.5%:pct", "    margin 80%:pct", "  }",
                "  liquidate_only {", "    weekly_loss 2_000 USD:money", "    weekly_loss 4%:pct", "  }",
                "  auto_liquidate {", "    daily_profit 3_000 USD:money", "    daily_profit 5%:pct",
                "    weekly_profit 6_000 USD:money", "    weekly_profit 10%:pct", "  }",
                "}",
            ]),
        Construct(name: "trailing_drawdown with and without a block", source: """
            trailing_drawdown 2_500 USD {
              mode end_of_day
              stop_trailing_at 50_100 USD
            }
            trailing_drawdown 2_000 USD { mode real_time }
            trailing_drawdown 1_500 USD
            """, outline: [
                "trailing_drawdown 2_500 USD:money {",
                "  mode end_of_day:kw",
                "  stop_trailing_at 50_100 USD:money",
                "}",
                "trailing_drawdown 2_000 USD:money {",
                "  mode real_time:kw",
                "}",
                "trailing_drawdown 1_500 USD:money",
            ]),
        Construct(name: "flatten_at in every date-time form, and do_not_unlock", source: """
            flatten_at 2026-12-31T15:45
            flatten_at 2026-12-31T21:45Z
            flatten_at 2026-12-31T15:45:30-06:00
            do_not_unlock
            """, outline: [
                "flatten_at 2026-12-31T15:45:datetime",
                "flatten_at 2026-12-31T21:45Z:datetime",
                "flatten_at 2026-12-31T15:45:30-06:00:datetime",
                "do_not_unlock",
            ]),

        Construct(name: "test_decl (section 4) with every test_setting, event and expectation", source: """
            test "every construct of section 4" {
              template eval_50k
              start 2026-11-23T09:00
              balance 50_000 USD
              day_start 50_000 USD
              week_start 50_000 USD
              high_water_mark 50_000 USD
              commission 2.5 USD
              position ES long 2 at 6_000.25 mark 6_001
              position NQ short 1 at 21_000
              expect {
                mode normal
              }
              at 09:30 fill ES sell 2 at 6_000 commission 5 USD
              at 09:31 mark ES 5_990.25
              expect {
                alert daily_loss 600 USD
                no liquidate_only daily_loss 1.6%
                auto_liquidate trailing_drawdown
                liquidated ES 2 at 5_990
                flattened time_period
                unlocks 17:00
                unlocks never
                unlocks manual
                mode locked
                balance 49_000 USD
                net_liq 49_000 USD
                day_start 50_000 USD
                week_start 50_000 USD
                high_water_mark 50_000 USD
                trailing_level 48_000 USD
                position ES flat
              }
              at 2026-11-23T10:00-06:00 order ES buy 1 at 6_000
              expect {
                order rejected POSITION_LIMIT
                order accepted
              }
              at 10:01 admin lock Other "chargeback"
              at 10:02 clock
              at 10:03 cash 100 USD
              at 10:04 fee 25 USD
              at 10:05 switch_category eval_10_minis
            }
            """, outline: [
                "test \"every construct of section 4\":str {",
                "  template eval_50k:id",
                "  start 2026-11-23T09:00:datetime",
                "  balance 50_000 USD:money",
                "  day_start 50_000 USD:money",
                "  week_start 50_000 USD:money",
                "  high_water_mark 50_000 USD:money",
                "  commission 2.5 USD:money",
                "  position ES:id long:kw 2:num at:kw 6_000.25:num mark:kw 6_001:num",
                "  position NQ:id short:kw 1:num at:kw 21_000:num",
                "  expect {",
                "    mode normal:kw",
                "  }",
                "  at 09:30:time fill:kw ES:id sell:kw 2:num at:kw 6_000:num commission:kw 5 USD:money",
                "  at 09:31:time mark:kw ES:id 5_990.25:num",
                "  expect {",
                "    alert daily_loss:kw 600 USD:money",
                "    no liquidate_only:kw daily_loss:kw 1.6%:pct",
                "    auto_liquidate trailing_drawdown:kw",
                "    liquidated ES:id 2:num at:kw 5_990:num",
                "    flattened time_period:kw",
                "    unlocks 17:00:time",
                "    unlocks never:kw",
                "    unlocks manual:kw",
                "    mode locked:kw",
                "    balance 49_000 USD:money",
                "    net_liq 49_000 USD:money",
                "    day_start 50_000 USD:money",
                "    week_start 50_000 USD:money",
                "    high_water_mark 50_000 USD:money",
                "    trailing_level 48_000 USD:money",
                "    position ES:id flat:kw",
                "  }",
                "  at 2026-11-23T10:00-06:00:datetime order:kw ES:id buy:kw 1:num at:kw 6_000:num",
                "  expect {",
                "    order rejected:kw POSITION_LIMIT:id",
                "    order accepted:kw",
                "  }",
                "  at 10:01:time admin:kw lock:id Other:id \"chargeback\":str",
                "  at 10:02:time clock:kw",
                "  at 10:03:time cash:kw 100 USD:money",
                "  at 10:04:time fee:kw 25 USD:money",
                "  at 10:05:time switch_category:kw eval_10_minis:id",
                "}",
            ]),

        Construct(name: "test_decl (section 4): the order lifecycle", source: """
            test "working orders, cancels and refusals" {
              template eval_50k
              start 2026-11-23T09:00
              working w1 limit ES buy 2 at 5_990 remaining 1
              working w2 stop ES sell 1 at 5_980
              working w3 market MES buy 3
              at 09:30 order o1 limit ES buy 2 at 5_995
              at 09:31 fill ES buy 1 at 5_995 order o1
              at 09:32 fill ES buy 1 at 5_995 commission 2.5 USD order "o1"
              at 09:33 cancel w1
              expect {
                working w2
                working w2 remaining 1
                working 2
                no working
                no working w1
                cancelled w1 request
                cancelled w1
                no cancelled
                no cancelled w2
                refused unknown_order
                refused
              }
            }
            """, outline: [
                "test \"working orders, cancels and refusals\":str {",
                "  template eval_50k:id",
                "  start 2026-11-23T09:00:datetime",
                "  working w1:id limit:kw ES:id buy:kw 2:num at:kw 5_990:num remaining:kw 1:num",
                "  working w2:id stop:kw ES:id sell:kw 1:num at:kw 5_980:num",
                "  working w3:id market:kw MES:id buy:kw 3:num",
                "  at 09:30:time order:kw o1:id limit:kw ES:id buy:kw 2:num at:kw 5_995:num",
                "  at 09:31:time fill:kw ES:id buy:kw 1:num at:kw 5_995:num order:kw o1:id",
                "  at 09:32:time fill:kw ES:id buy:kw 1:num at:kw 5_995:num commission:kw 2.5 USD:money order:kw \"o1\":str",
                "  at 09:33:time cancel:kw w1:id",
                "  expect {",
                "    working w2:id",
                "    working w2:id remaining:kw 1:num",
                "    working 2:num",
                "    no working:kw",
                "    no working:kw w1:id",
                "    cancelled w1:id request:id",
                "    cancelled w1:id",
                "    no cancelled:kw",
                "    no cancelled:kw w2:id",
                "    refused unknown_order:id",
                "    refused",
                "  }",
                "}",
            ]),

        Construct(name: "test_decl (section 4): review expectations, a restricted start and a reset", source: """
            test "review" {
              template eval_50k
              start 2026-11-23T09:00
              mode locked auto_liquidate daily_loss
              at 09:30 admin DisableAutoLiq Other "x"
              at 09:31 reset 50_000 USD
              expect {
                admin applied
                admin refused internal_action
                released auto_liquidate daily_loss
                trade_date 2026-11-24
                nothing
                liquidated ES sell 2 at 5_990 realized loss 1_000 USD commission 5 USD
                limit auto_liquidate daily_loss 2% 1_000 USD
              }
            }
            """, outline: [
                "test \"review\":str {",
                "  template eval_50k:id",
                "  start 2026-11-23T09:00:datetime",
                "  mode locked:kw auto_liquidate:kw daily_loss:kw",
                "  at 09:30:time admin:kw DisableAutoLiq:id Other:id \"x\":str",
                "  at 09:31:time reset:kw 50_000 USD:money",
                "  expect {",
                "    admin applied:kw",
                "    admin refused:kw internal_action:id",
                "    released auto_liquidate:kw daily_loss:kw",
                "    trade_date 2026-11-24:date",
                "    nothing",
                "    liquidated ES:id sell:kw 2:num at:kw 5_990:num realized:kw loss:id 1_000 USD:money commission:kw 5 USD:money",
                "    limit auto_liquidate:kw daily_loss:kw 2%:pct 1_000 USD:money",
                "  }",
                "}",
            ]),

        // Syntax-layer details that every construct relies on.
        Construct(name: "items end at `;`, before `}` and at the end of the file", source: "a 1; b 2 { c 3 }; d",
                  outline: ["a 1:num", "b 2:num {", "  c 3:num", "}", "d"]),
        Construct(name: "comments and blank lines are trivia", source: """
            # leading comment
            template t {   # trailing comment

              # inside
              do_not_unlock # after a value
            }
            """, outline: ["template t:id {", "  do_not_unlock", "}"]),
        Construct(name: "an item name may be a keyword, a name or a string", source: "template\nES 1\n\"6E\" 2\n",
                  outline: ["template", "ES 1:num", "\"6E\" 2:num"]),
        Construct(name: "firm rules: objectives, scaling plan, news windows, flat_by, max_position_loss", source: """
            objectives {
              profit_target 6%
              min_trading_days 5
              winning_days 5 at_least 50 USD
              consistency 40%
            }
            scaling_plan {
              max_contracts 2
              max_contracts 3 above 1_500 USD
              MES 0.1
            }
            news_windows {
              before 2 minutes
              after 1 minute
              flatten_positions
              news 2026-12-09T13:00-06:00 ES MES
            }
            flat_by {
              CL 13:25
            }
            max_position_loss 500 USD
            payout {
              consistency 40%
            }
            """, outline: [
                "objectives {", "  profit_target 6%:pct", "  min_trading_days 5:num", "  winning_days 5:num at_least:kw 50 USD:money",
                "  consistency 40%:pct", "}",
                "scaling_plan {", "  max_contracts 2:num", "  max_contracts 3:num above:kw 1_500 USD:money", "  MES 0.1:num", "}",
                "news_windows {", "  before 2:num minutes:kw", "  after 1:num minute:kw", "  flatten_positions",
                "  news 2026-12-09T13:00-06:00:datetime ES:id MES:id", "}",
                "flat_by {", "  CL 13:25:time", "}", "max_position_loss 500 USD:money",
                "payout {", "  consistency 40%:pct", "}"]),
        Construct(name: "rulebook tests: the evaluation status and objectives", source: """
            expect {
              status in_progress
              status passed
              status failed
              met profit_target
              no met consistency
              trading_days 3
              winning_days 2
            }
            """, outline: [
                "expect {", "  status in_progress:kw", "  status passed:kw", "  status failed:kw", "  met profit_target:kw",
                "  no met:kw consistency:kw", "  trading_days 3:num", "  winning_days 2:num", "}"]),
    ]

    @Test("parses to the expected tree with no diagnostics", arguments: constructs)
    func construct(_ c: Construct) {
        let (tree, diagnostics) = Parser.parse(c.source)
        #expect(diagnostics.isEmpty)
        #expect(outline(tree) == c.outline)
        #expect(tree.print() == c.source)
    }

    @Test("every keyword is used by some construct above (units inside money and contract literals)")
    func constructsCoverEveryKeyword() {
        var used = Set<Keyword>()
        for c in Self.constructs {
            let (tree, _) = Parser.parse(c.source)
            for t in tree.tokens {
                switch t.kind {
                case .keyword: used.insert(t.keyword)
                case .money: used.insert(.usd)
                case .contracts: used.insert(tree.file.text(t.span(tree.file.id)).hasSuffix("contracts") ? .contracts : .contract)
                default: break
                }
            }
        }
        let missing = Keyword.all.filter { !used.contains($0) }.map(\.text)
        #expect(missing == [])
    }

    @Test("item spans: the header stops before the block, the item runs to its `}`")
    func itemSpans() throws {
        let (tree, _) = Parser.parse("trailing_drawdown 2_500 USD {\n  mode real_time\n}\n")
        let item = try #require(tree.items.first)
        #expect(tree.file.text(tree.headerSpan(of: item)) == "trailing_drawdown 2_500 USD")
        #expect(tree.file.text(tree.span(of: item)) == "trailing_drawdown 2_500 USD {\n  mode real_time\n}")
    }

    @Test("comments directly above a setting are its leading comments")
    func commentsAreLeadingTrivia() throws {
        let (tree, _) = Parser.parse("# why\n# and why not\ndaily_loss 800 USD # trailing\n")
        let item = try #require(tree.items.first)
        #expect(tree.leadingComments(of: item).map { tree.file.text($0) } == ["# why", "# and why not"])
        #expect(tree.trailingComment(of: item).map { tree.file.text($0) } == "# trailing")
        // A blank line detaches a comment from the setting below it.
        let (detached, _) = Parser.parse("# file header\n\n# why\nstart 16:00\n")
        let first = try #require(detached.items.first)
        #expect(detached.leadingComments(of: first).map { detached.file.text($0) } == ["# why"])
        // What holds today: each comment line is the leading trivia of the line break that ends it.
        let breaks = tree.tokens.indices.filter { tree.tokens[$0].kind == .newline }.prefix(2)
        #expect(breaks.flatMap { tree.comments(before: TokenIndex($0)) }.map { tree.file.text($0) } == ["# why", "# and why not"])
    }
}
