import Testing
import RuleBase
import RuleSyntax
import RuleSemantics

/// `full.rules` uses every construct of grammar.ebnf section 3 and must check cleanly; its
/// templates show how `extends` merges field by field.
@Suite("Clean check and extends merging")
struct CleanCheckTests {
    static func checked() throws -> CheckedRulebook {
        let (model, diagnostics) = check("full.rules", files: Fixtures.files(under: "rulebooks"))
        #expect(diagnostics.isEmpty, "\(render(diagnostics, model))")
        return model
    }

    /// `key = value (origin)` for every field, the way a reviewer reads an effective template.
    static func fields(_ t: EffectiveTemplate) -> [String] {
        t.fields.map { "\($0.key) = \($0.value) (\($0.origin))" }
    }

    @Test("every declaration is collected with its settings")
    func declarations() throws {
        let model = try Self.checked()
        #expect(model.calendars.keys.sorted() == ["cme", "cme_grains"])
        #expect(model.products.keys.sorted() == ["CL", "ES", "M2K", "MES", "MNQ", "NG", "NQ"])
        #expect(model.timePeriods.keys.sorted() == ["close_out"])
        #expect(model.riskCategories.keys.sorted() == ["eval_standard"])
        #expect(model.templates.keys.sorted() == ["base_eval", "eval_50k", "funded_100k"])
        #expect(model.sources.files.map(\.path) == ["full.rules", "std/cme.rules"])

        let grains = try #require(model.calendars["cme_grains"])
        #expect(grains.timezone?.value == "America/Chicago")
        #expect(grains.tradingDayStarts?.value.description == "19:00")
        #expect(grains.weekStartDay?.value == .sunday)
        #expect(grains.endOfDay?.value.description == "13:20:30")
        #expect(grains.holidays.map(\.value.description) == ["2026-11-26"])
        #expect(grains.earlyCloses.map { "\($0.date) \($0.time)" } == ["2026-11-27 12:05"])

        let mnq = try #require(model.products["MNQ"])
        #expect(mnq.description == "Micro E-mini \"Nasdaq-100\"\tindex")
        #expect(mnq.pointValue?.value == Money(dollars: 2))
        #expect(mnq.tick?.value.description == "0.25")
        #expect(mnq.overnightMargin?.value.rulebookText == "1_870.5 USD")

        let period = try #require(model.timePeriods["close_out"])
        #expect(period.overrides.map { "\($0.date) \($0.start?.description ?? "-") \($0.stop?.description ?? "-")" }
                == ["2026-11-26 12:00 -", "2026-12-24 - 17:30", "2026-12-31 12:15 17:00"])

        let category = try #require(model.riskCategories["eval_standard"])
        #expect(category.limits.map { "\($0.product.value) long \($0.long.map(String.init) ?? "-") short \($0.short.map(String.init) ?? "-")" }
                == ["ES long 5 short 5", "MES long 50 short 50", "NQ long 3 short 2", "MNQ long 10 short -"])
        #expect(category.restricted.map(\.value) == ["CL", "NG"])
        #expect(category.groups.map(\.name.value) == ["equity_index"])
        #expect(category.groups.first?.limit.value == 6)
        #expect(category.groups.first?.members.map { "\($0.product.value) \($0.weight)" } == ["ES 1", "MES 0.1", "NQ 1"])
    }

    @Test("the root template holds exactly what it writes")
    func baseTemplate() throws {
        let base = try #require(try Self.checked().effective("base_eval"))
        #expect(base.chain == ["base_eval"])
        #expect(Self.fields(base) == [
            "calendar = cme (base_eval)",
            "time_period = close_out (base_eval)",
            "risk_category = eval_standard (base_eval)",
            "starting_balance = 50_000 USD (base_eval)",
            "alert.daily_loss (USD) = 800 USD (base_eval)",
            "alert.daily_loss (%) = 1.5% (base_eval)",
            "alert.margin (%) = 80% (base_eval)",
            "liquidate_only.daily_loss (USD) = 900 USD (base_eval)",
            "liquidate_only.margin (%) = 90% (base_eval)",
            "auto_liquidate.daily_loss (USD) = 1_000 USD (base_eval)",
            "auto_liquidate.daily_loss (%) = 2.5% (base_eval)",
            "auto_liquidate.weekly_loss (USD) = 2_000 USD (base_eval)",
            "auto_liquidate.weekly_loss (%) = 4% (base_eval)",
            "auto_liquidate.daily_profit (USD) = 3_000 USD (base_eval)",
            "auto_liquidate.weekly_profit (USD) = 6_000.25 USD (base_eval)",
            "auto_liquidate.margin (%) = 95% (base_eval)",
            "trailing_drawdown = 2_500 USD (base_eval)",
            "trailing_drawdown.mode = end_of_day (base_eval)",
            "trailing_drawdown.stop_trailing_at = 50_100 USD (base_eval)",
            "do_not_unlock = on (base_eval)",
        ])
    }

    @Test("extends: the child's value replaces the parent's field by field; silent fields are inherited")
    func childOverridesFieldByField() throws {
        let child = try #require(try Self.checked().effective("eval_50k"))
        #expect(child.chain == ["eval_50k", "base_eval"])
        #expect(Self.fields(child) == [
            "calendar = cme_grains (eval_50k)",                       // replaced
            "time_period = close_out (base_eval)",                    // inherited
            "risk_category = eval_standard (base_eval)",
            "starting_balance = 50_000 USD (base_eval)",
            "alert.daily_loss (USD) = 700 USD (eval_50k)",            // replaced: same tier, metric, unit
            "alert.daily_loss (%) = 1.5% (base_eval)",                // the percent field is a different key
            "alert.margin (%) = 80% (base_eval)",                     // a tier block merges by field, not as a whole
            "liquidate_only.daily_loss (USD) = 900 USD (base_eval)",
            "liquidate_only.margin (%) = 90% (base_eval)",
            "auto_liquidate.daily_loss (USD) = 1_000 USD (base_eval)",
            "auto_liquidate.daily_loss (%) = 2.5% (base_eval)",
            "auto_liquidate.weekly_loss (USD) = 2_000 USD (base_eval)",
            "auto_liquidate.weekly_loss (%) = 4% (base_eval)",
            "auto_liquidate.daily_profit (USD) = 3_000 USD (base_eval)",
            "auto_liquidate.weekly_profit (USD) = 6_000.25 USD (base_eval)",
            "auto_liquidate.margin (%) = 95% (base_eval)",
            "trailing_drawdown = 2_000 USD (eval_50k)",               // replaced
            "trailing_drawdown.mode = real_time (eval_50k)",          // replaced from inside the block
            "trailing_drawdown.stop_trailing_at = 50_100 USD (base_eval)",  // kept: the child's block is silent
            "flatten_at = 2026-12-31T15:45 (eval_50k)",               // added
            "do_not_unlock = on (base_eval)",
        ])
        #expect(child.calendarName == "cme_grains")
        #expect(child.trailingMode == .realTime)
        #expect(child.flattenAt?.offset == nil)
    }

    @Test("a grandchild merges over the merged parent, nearest ancestor winning")
    func grandchild() throws {
        let model = try Self.checked()
        let g = try #require(model.effective("funded_100k"))
        #expect(g.chain == ["funded_100k", "eval_50k", "base_eval"])
        let byKey = Dictionary(uniqueKeysWithValues: g.fields.map { ($0.key.description, "\($0.value) (\($0.origin))") })
        #expect(byKey["starting_balance"] == "100_000 USD (funded_100k)")
        #expect(byKey["calendar"] == "cme_grains (eval_50k)")
        #expect(byKey["time_period"] == "close_out (base_eval)")
        #expect(byKey["alert.daily_loss (USD)"] == "700 USD (eval_50k)")
        #expect(byKey["auto_liquidate.daily_profit (%)"] == "5% (funded_100k)")
        #expect(byKey["auto_liquidate.daily_profit (USD)"] == "3_000 USD (base_eval)")
        #expect(byKey["auto_liquidate.margin (%)"] == "99.5% (funded_100k)")
        #expect(byKey["trailing_drawdown"] == "2_000 USD (eval_50k)")
        #expect(byKey["flatten_at"] == "2027-01-29T21:45Z (funded_100k)")
        #expect(g.flattenAt?.instant?.description == "2027-01-29T21:45:00Z")
        #expect(g.fields.count == 22)
        // Spans point at the template that wrote each field.
        let marginField = try #require(g.field(.threshold(.autoLiquidate, .margin, percent: true)))
        let full = try #require(model.sources.file(path: "full.rules"))
        #expect(full.text(marginField.valueSpan) == "99.5%")
        #expect(full.text(marginField.span) == "margin 99.5%")
        // Effective templates come sorted by name.
        #expect(model.effectiveTemplates.map(\.name.value) == ["base_eval", "eval_50k", "funded_100k"])
    }

    @Test("the other bundled rulebooks check cleanly too, and each yields its templates", arguments: [
        ("micro.rules", ["micro_25k"]),
        ("express.rules", ["express_150k"]),
        ("legacy.rules", ["old_eval", "old_funded"]),
    ])
    func otherRulebooks(entry: String, templates: [String]) {
        let (model, diagnostics) = check(entry, files: Fixtures.files(under: "rulebooks"))
        #expect(diagnostics.isEmpty, "\(render(diagnostics, model))")
        #expect(model.effectiveTemplates.map(\.name.value) == templates)
    }
}
