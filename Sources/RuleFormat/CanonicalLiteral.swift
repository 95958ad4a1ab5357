import RuleBase
import RuleSyntax

extension SyntaxTree {
    /// The one spelling `rulec fmt` prints for a token: `13_200 USD`, `1.5%`, `09:30`,
    /// `5 contracts`, `2026-12-31T15:45-06:00`. Names, keywords and strings print as written.
    func canonicalText(_ i: TokenIndex) -> String {
        let t = self[i]
        switch t.kind {
        case .number:
            return canonicalDecimal(t.payload, scale: Int(t.scale))
        case .percent:
            return canonicalDecimal(t.payload, scale: Int(t.scale)) + "%"
        case .money:
            return t.money.rulebookText
        case .contracts:
            return DecimalNumber.format(t.payload, scale: 0, group: true) + (t.payload == 1 ? " contract" : " contracts")
        case .time:
            return t.timeOfDay.description
        case .date:
            return t.date.description
        case .dateTime:
            return t.dateTime.description
        case .identifier, .keyword, .string, .invalid,
             .leftBrace, .rightBrace, .comma, .semicolon, .newline, .endOfFile:
            return text(i)
        }
    }
}

/// `mantissa × 10^-scale` with the fewest decimals that keep it exact and `_` thousands
/// groups: `1_000.50` → `1_000.5`, `2.0` → `2`.
func canonicalDecimal(_ mantissa: Int64, scale: Int) -> String {
    var m = mantissa, s = scale
    while s > 0 && m % 10 == 0 {
        m /= 10
        s -= 1
    }
    return DecimalNumber.format(m, scale: s, group: true)
}
