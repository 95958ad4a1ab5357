import RuleBase
import RuleJSON
import RuleSyntax
import RuleSemantics

/// A broker object rulec cannot read: the JSON path of the offending member and why.
public struct BrokerImportError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `$.postTradeRisk.dailyLossAutoLiq`, `$.riskCategory.positionLimits[2].totalBy`, or
    /// `--name` for a command-line value.
    public var path: String
    public var message: String
    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }
    public var description: String { "\(path): \(message)" }
}

/// How `rulec import` shapes the template it writes.
public struct BrokerImportOptions: Sendable, Hashable {
    /// The template's name; default: the document's `name`, else `imported`.
    public var templateName: String?
    /// `calendar NAME` in the template (the broker's exchange calendar, e.g. `cme`).
    public var calendar: String?
    /// `import "PATH"` lines at the top (the product catalog and calendar).
    public var imports: [String]
    public init(templateName: String? = nil, calendar: String? = nil, imports: [String] = []) {
        self.templateName = templateName
        self.calendar = calendar
        self.imports = imports
    }
}

/// Broker JSON → rulebook text. Two input shapes: a template document (the keys of
/// `BrokerTemplate.json`: `name`, `initialBalance`, `postTradeRisk`, `riskCategory`,
/// `riskTimePeriod`) or a bare post-trade settings object. Unknown fields, wrong types and
/// values without a rulebook form are errors naming their JSON path; every error is reported,
/// not just the first.
public enum BrokerImport {
    public static let documentKeys = ["name", "initialBalance", "postTradeRisk", "riskCategory", "riskTimePeriod"]
    /// Members of the broker's entities that belong to one account or one database row, not to
    /// a rulebook template.
    static let accountFields: Set<String> = ["id", "accountId", "changesLocked", "asOwner", "organizationId",
                                             "userId", "templateAccountId", "riskCategoryId", "riskTimePeriodId",
                                             "autoLiqProfileId", "active", "description", "contractId", "productId"]

    /// JSON bytes → rulebook text.
    public static func rulebook(json bytes: [UInt8], options: BrokerImportOptions = BrokerImportOptions()) -> Result<String, BrokerImportFailure> {
        let json: JSONValue
        do { json = try JSONParser.parse(bytes) } catch {
            return .failure(BrokerImportFailure(errors: [BrokerImportError(path: "\(error.line):\(error.column)", message: "malformed JSON: \(error.message)")]))
        }
        return decode(json).flatMap { rulebook($0, options: options) }
    }

    // MARK: Decoding

    /// JSON → typed broker objects in canonical form.
    public static func decode(_ json: JSONValue) -> Result<BrokerTemplate, BrokerImportFailure> {
        var d = Decoder()
        let t = d.document(json)
        return d.errors.isEmpty ? .success(t) : .failure(BrokerImportFailure(errors: d.errors))
    }

    // MARK: Printing

    /// Typed broker objects → a rulebook in the canonical layout (two-space indent, one
    /// setting per line, `1_000 USD`, `1.5%`, `HH:MM`).
    public static func rulebook(_ t: BrokerTemplate, options: BrokerImportOptions = BrokerImportOptions()) -> Result<String, BrokerImportFailure> {
        var errors: [BrokerImportError] = []
        func checkName(_ n: String, _ path: String) {
            if !RulebookText.isName(n) {
                errors.append(BrokerImportError(path: path, message: "`\(n)` is not a rulebook name (a letter, then letters, digits or `_`, and not a keyword)" + (options.templateName == nil && path == "$.name" ? "; pass --name" : "")))
            }
        }
        let templateName = options.templateName ?? t.name ?? "imported"
        checkName(templateName, options.templateName != nil ? "--name" : "$.name")
        if let c = options.calendar { checkName(c, "--calendar") }
        if let rc = t.riskCategory { checkName(rc.name, "$.riskCategory.name") }
        if let tp = t.riskTimePeriod { checkName(tp.name, "$.riskTimePeriod.name") }
        guard errors.isEmpty else { return .failure(BrokerImportFailure(errors: errors)) }

        var blocks: [[String]] = []
        if !options.imports.isEmpty { blocks.append(options.imports.map { "import \(RulebookText.quote($0))" }) }
        if let rc = t.riskCategory {
            var lines = ["risk_category \(rc.name) {"]
            for l in rc.positionLimits {
                let sym = RulebookText.symbol(l.productSymbol)
                if let a = l.longLimit, let b = l.shortLimit, a == b {
                    lines.append("  max_position \(sym) \(a)")
                } else {
                    if let a = l.longLimit { lines.append("  max_long \(sym) \(a)") }
                    if let b = l.shortLimit { lines.append("  max_short \(sym) \(b)") }
                }
            }
            if !rc.restrictedProducts.isEmpty {
                lines.append("  restrict " + rc.restrictedProducts.map(RulebookText.symbol).joined(separator: ", "))
            }
            blocks.append(lines + ["}"])
        }
        if let tp = t.riskTimePeriod {
            var lines = ["time_period \(tp.name) {", "  start \(tp.startTime)", "  stop \(tp.stopTime)"]
            for e in tp.scheduledEdits {
                var l = "  on \(e.date)"
                if let s = e.startTime { l += " start \(s)" }
                if let s = e.stopTime { l += " stop \(s)" }
                lines.append(l)
            }
            blocks.append(lines + ["}"])
        }
        var lines = ["template \(templateName) {"]
        if let c = options.calendar { lines.append("  calendar \(c)") }
        if let tp = t.riskTimePeriod { lines.append("  time_period \(tp.name)") }
        if let rc = t.riskCategory { lines.append("  risk_category \(rc.name)") }
        if let b = t.initialBalance { lines.append("  starting_balance \(b.rulebookText)") }
        let post = t.postTradeRisk
        for tier in Tier.allCases {
            let fields = PostTradeField.allCases.filter { post[$0] != nil }
                .compactMap { f -> (FieldKey, FieldValue)? in
                    guard case let .threshold(t, _, _) = f.key, t == tier, let v = post[f] else { return nil }
                    return (f.key, v)
                }
                .sorted { $0.0 < $1.0 }
            guard !fields.isEmpty else { continue }
            lines.append("  \(tier) {")
            for (key, value) in fields {
                guard case let .threshold(_, metric, _) = key else { continue }
                lines.append("    \(metric) \(RulebookText.value(value))")
            }
            lines.append("  }")
        }
        if let amount = post[.trailingMaxDrawdown] {
            var inner: [String] = []
            if let m = post[.trailingMaxDrawdownMode] { inner.append("    mode \(RulebookText.value(m))") }
            if let c = post[.trailingMaxDrawdownLimit] { inner.append("    stop_trailing_at \(RulebookText.value(c))") }
            if inner.isEmpty {
                lines.append("  trailing_drawdown \(RulebookText.value(amount))")
            } else {
                lines.append("  trailing_drawdown \(RulebookText.value(amount)) {")
                lines += inner
                lines.append("  }")
            }
        }
        if let f = post[.flattenTimestamp] { lines.append("  flatten_at \(RulebookText.value(f))") }
        if post[.doNotUnlock] != nil { lines.append("  do_not_unlock") }
        blocks.append(lines + ["}"])
        return .success(blocks.map { $0.joined(separator: "\n") + "\n" }.joined(separator: "\n"))
    }
}

/// Every reason an import failed.
public struct BrokerImportFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [BrokerImportError]
    public init(errors: [BrokerImportError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// Spelling rulebook values and names.
public enum RulebookText {
    /// A name the grammar accepts as an identifier: a letter, then letters, digits or `_`, and
    /// not a keyword.
    public static func isName(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard let first = u.first, isLetter(first) else { return false }
        guard u.allSatisfy({ isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }) else { return false }
        return Keyword.lookup(s) == .none
    }

    static func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) }

    /// A product symbol: bare when it is a name, else a string (`"6E"`).
    public static func symbol(_ s: String) -> String { isName(s) ? s : quote(s) }

    public static func quote(_ s: String) -> String {
        var r = "\""
        for ch in s {
            switch ch {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\t": r += "\\t"
            default: r.append(ch)
            }
        }
        return r + "\""
    }

    /// A setting's value as written in a rulebook.
    public static func value(_ v: FieldValue) -> String {
        switch v {
        case let .money(m): return m.rulebookText
        case let .percent(r): return (BrokerUnits.percentPoints(r) ?? r.percentText) + "%"
        case let .trailingMode(m): return m.rawValue
        case let .dateTime(d): return d.description
        case let .name(n): return n
        case .flag: return ""
        case let .firm(f): return f.description
        }
    }
}

// MARK: - Decoder

private struct Decoder {
    var errors: [BrokerImportError] = []

    mutating func fail(_ path: String, _ message: String) {
        errors.append(BrokerImportError(path: path, message: message))
    }

    mutating func members(_ v: JSONValue, _ path: String, what: String) -> [JSONValue.Member]? {
        guard case let .object(m) = v else {
            fail(path, "expected \(what) (a JSON object), found \(v.kindName)")
            return nil
        }
        return m
    }

    mutating func unknown(_ key: String, _ path: String, known: [String], context: String) {
        let at = path + "." + key
        if accountFieldsContains(key) {
            fail(at, "unknown field `\(key)`: it identifies one broker account or record and has no rulebook setting; leave it out")
        } else if let near = closest(key, known) {
            fail(at, "unknown field `\(key)` in \(context); did you mean `\(near)`?")
        } else {
            fail(at, "unknown field `\(key)` in \(context)")
        }
    }

    func accountFieldsContains(_ k: String) -> Bool { BrokerImport.accountFields.contains(k) }

    mutating func document(_ json: JSONValue) -> BrokerTemplate {
        var t = BrokerTemplate()
        guard let members = members(json, "$", what: "a post-trade settings object or a template document") else { return t }
        let isDocument = members.contains { BrokerImport.documentKeys.contains($0.key) }
        guard isDocument else {
            t.postTradeRisk = postTrade(members, "$")
            return t
        }
        for m in members {
            let path = "$." + m.key
            if m.value == .null { continue }
            switch m.key {
            case "name": t.name = string(m.value, path)
            case "initialBalance": t.initialBalance = money(m.value, path)
            case "postTradeRisk":
                if let pm = self.members(m.value, path, what: "the post-trade settings") { t.postTradeRisk = postTrade(pm, path) }
            case "riskCategory": t.riskCategory = riskCategory(m.value, path)
            case "riskTimePeriod": t.riskTimePeriod = riskTimePeriod(m.value, path)
            case "monitored":
                // rulec's own list of the firm rules the broker does not hold (MonitoredRules.swift).
                continue
            default:
                if PostTradeField(rawValue: m.key) != nil {
                    fail(path, "post-trade field `\(m.key)` at the top of a template document; move it into `postTradeRisk`")
                } else {
                    unknown(m.key, "$", known: BrokerImport.documentKeys, context: "the template document")
                }
            }
        }
        return t
    }

    mutating func postTrade(_ members: [JSONValue.Member], _ path: String) -> BrokerPostTrade {
        var p = BrokerPostTrade()
        for m in members {
            let at = path + "." + m.key
            guard let f = PostTradeField(rawValue: m.key) else {
                let context = "the post-trade settings"
                if BrokerImport.documentKeys.contains(m.key) {
                    fail(at, "`\(m.key)` is a template document field, not a post-trade setting")
                } else if m.key == "cooldownStep" || m.key == "cooldownSteps" {
                    fail(at, "unknown field `\(m.key)`: the broker's cooldown steps are undocumented and have no rulebook setting")
                } else {
                    unknown(m.key, path, known: PostTradeField.allCases.map(\.rawValue), context: context)
                }
                continue
            }
            if m.value == .null { continue }
            switch f.kind {
            case .money: if let v = money(m.value, at) { p[f] = .money(v) }
            case .percent: if let v = percent(m.value, at) { p[f] = .percent(v) }
            case .mode:
                guard let s = string(m.value, at) else { continue }
                switch s {
                case BrokerTrailingModeName.eod: p[f] = .trailingMode(.endOfDay)
                case BrokerTrailingModeName.realTime: p[f] = .trailingMode(.realTime)
                default: fail(at, "expected \"EOD\" or \"RealTime\", found \(JSONValue.quoted(s))")
                }
            case .dateTime:
                guard let s = string(m.value, at) else { continue }
                if let d = Self.timestamp(s) {
                    p[f] = .dateTime(d)
                } else {
                    fail(at, "expected an ISO-8601 date-time with a UTC offset such as \"2026-12-18T08:00:00-06:00\", found \(JSONValue.quoted(s))")
                }
            case .flag:
                guard case let .bool(b) = m.value else { fail(at, "expected true or false, found \(m.value.kindName)"); continue }
                if b { p[f] = .flag }
            }
        }
        if p[.trailingMaxDrawdown] == nil {
            for f in [PostTradeField.trailingMaxDrawdownLimit, .trailingMaxDrawdownMode] where p[f] != nil {
                fail(path + "." + f.rawValue, "`\(f)` without `trailingMaxDrawdown` has no rulebook form: `\(f == .trailingMaxDrawdownMode ? "mode" : "stop_trailing_at")` lives inside `trailing_drawdown AMOUNT { … }`")
            }
        } else if p[.trailingMaxDrawdownMode] == nil {
            p[.trailingMaxDrawdownMode] = .trailingMode(.endOfDay)  // rulec's default, made explicit
        }
        return p
    }

    mutating func riskCategory(_ v: JSONValue, _ path: String) -> BrokerRiskCategory? {
        guard let members = members(v, path, what: "a risk category") else { return nil }
        var rc = BrokerRiskCategory(name: "")
        var sawName = false
        var limited: [String: Int] = [:]
        var restrictedAt: [String: String] = [:]
        for m in members {
            let at = path + "." + m.key
            switch m.key {
            case "name":
                if let s = string(m.value, at) { rc.name = s; sawName = true }
            case "positionLimits":
                if m.value == .null { continue }
                guard case let .array(items) = m.value else { fail(at, "expected an array of position limits, found \(m.value.kindName)"); continue }
                for (i, item) in items.enumerated() {
                    let ip = "\(at)[\(i)]"
                    guard let l = positionLimit(item, ip) else { continue }
                    if limited[l.productSymbol] != nil {
                        fail(ip + ".productSymbol", "a second position limit for `\(l.productSymbol)`; a product has one (set longLimit and shortLimit on it)")
                        continue
                    }
                    limited[l.productSymbol] = i
                    rc.positionLimits.append(l)
                }
            case "restrictedProducts":
                if m.value == .null { continue }
                guard case let .array(items) = m.value else { fail(at, "expected an array of product symbols, found \(m.value.kindName)"); continue }
                var seen = Set<String>()
                for (i, item) in items.enumerated() {
                    let ip = "\(at)[\(i)]"
                    guard let s = string(item, ip) else { continue }
                    guard !s.isEmpty else { fail(ip, "empty product symbol"); continue }
                    guard seen.insert(s).inserted else { fail(ip, "`\(s)` is restricted twice"); continue }
                    restrictedAt[s] = ip
                    rc.restrictedProducts.append(s)
                }
            default:
                unknown(m.key, path, known: ["name", "positionLimits", "restrictedProducts"], context: "the risk category")
            }
        }
        for s in rc.restrictedProducts where limited[s] != nil {
            fail(restrictedAt[s] ?? path, "`\(s)` is both restricted and position-limited; a product is either restricted or limited")
        }
        if !sawName { fail(path, "the risk category needs a `name`") }
        return rc
    }

    mutating func positionLimit(_ v: JSONValue, _ path: String) -> BrokerPositionLimit? {
        guard let members = members(v, path, what: "a position limit") else { return nil }
        var symbol: String?
        var long: Int64?, short: Int64?
        var ok = true
        for m in members {
            let at = path + "." + m.key
            switch m.key {
            case "productSymbol":
                symbol = string(m.value, at)
                if symbol?.isEmpty == true { fail(at, "empty product symbol"); ok = false }
            case "longLimit", "shortLimit":
                if m.value == .null { continue }
                guard let n = integer(m.value, at) else { ok = false; continue }
                guard n >= 1 else {
                    fail(at, "a \(m.key) of \(n) has no rulebook form (limits are at least 1 contract); list the product in `restrictedProducts` to forbid it")
                    ok = false
                    continue
                }
                if m.key == "longLimit" { long = n } else { short = n }
            case "totalBy":
                guard let s = string(m.value, at) else { ok = false; continue }
                if s != "Product" {
                    fail(at, "totalBy \(JSONValue.quoted(s)) has no rulebook form; rulec limits are per product (\"Product\")")
                    ok = false
                }
            case "exposedLimit":
                fail(at, "`exposedLimit` has no rulebook setting (its broker semantics are undocumented)")
                ok = false
            default:
                unknown(m.key, path, known: ["productSymbol", "longLimit", "shortLimit", "totalBy"], context: "a position limit")
                ok = false
            }
        }
        guard let symbol else {
            if ok { fail(path, "the position limit needs a `productSymbol`") }
            return nil
        }
        if long == nil && short == nil {
            if ok { fail(path, "the position limit of `\(symbol)` has neither `longLimit` nor `shortLimit`") }
            return nil
        }
        return ok ? BrokerPositionLimit(productSymbol: symbol, longLimit: long, shortLimit: short) : nil
    }

    mutating func riskTimePeriod(_ v: JSONValue, _ path: String) -> BrokerRiskTimePeriod? {
        guard let members = members(v, path, what: "a risk time period") else { return nil }
        var name: String?
        var start: TimeOfDay?, stop: TimeOfDay?
        var edits: [BrokerScheduledEdit] = []
        for m in members {
            let at = path + "." + m.key
            switch m.key {
            case "name": name = string(m.value, at)
            case "startTime": start = tradeTime(m.value, at)
            case "stopTime": stop = tradeTime(m.value, at)
            case "scheduledEdits":
                if m.value == .null { continue }
                guard case let .array(items) = m.value else { fail(at, "expected an array of scheduled edits, found \(m.value.kindName)"); continue }
                var seen = Set<CivilDate>()
                for (i, item) in items.enumerated() {
                    let ip = "\(at)[\(i)]"
                    guard let e = scheduledEdit(item, ip) else { continue }
                    guard seen.insert(e.date).inserted else { fail(ip + ".date", "a second edit for \(e.date); one edit per date"); continue }
                    edits.append(e)
                }
            default:
                unknown(m.key, path, known: ["name", "startTime", "stopTime", "scheduledEdits"], context: "the risk time period")
            }
        }
        for (k, present) in [("name", name != nil), ("startTime", start != nil), ("stopTime", stop != nil)] where !present {
            if !members.contains(where: { $0.key == k }) { fail(path, "the risk time period needs `\(k)`") }
        }
        guard let name, let start, let stop else { return nil }
        return BrokerRiskTimePeriod(name: name, startTime: start, stopTime: stop, scheduledEdits: edits.sorted { $0.date < $1.date })
    }

    mutating func scheduledEdit(_ v: JSONValue, _ path: String) -> BrokerScheduledEdit? {
        guard let members = members(v, path, what: "a scheduled edit") else { return nil }
        var date: CivilDate?
        var start: TimeOfDay?, stop: TimeOfDay?
        var ok = true
        for m in members {
            let at = path + "." + m.key
            switch m.key {
            case "date":
                guard let s = string(m.value, at) else { ok = false; continue }
                date = Self.date(s)
                if date == nil { fail(at, "expected a date such as \"2026-11-26\", found \(JSONValue.quoted(s))"); ok = false }
            case "startTime":
                if m.value == .null { continue }
                start = tradeTime(m.value, at)
                if start == nil { ok = false }
            case "stopTime":
                if m.value == .null { continue }
                stop = tradeTime(m.value, at)
                if stop == nil { ok = false }
            default:
                unknown(m.key, path, known: ["date", "startTime", "stopTime"], context: "a scheduled edit")
                ok = false
            }
        }
        guard ok else { return nil }
        guard let date else { fail(path, "the scheduled edit needs a `date`"); return nil }
        guard start != nil || stop != nil else { fail(path, "the scheduled edit for \(date) changes neither `startTime` nor `stopTime`"); return nil }
        return BrokerScheduledEdit(date: date, startTime: start, stopTime: stop)
    }

    mutating func tradeTime(_ v: JSONValue, _ path: String) -> TimeOfDay? {
        guard let members = members(v, path, what: "a TradeTime {hour, minute}") else { return nil }
        var hour: Int64?, minute: Int64?
        var ok = true
        for m in members {
            let at = path + "." + m.key
            switch m.key {
            case "hour", "minute":
                guard let n = integer(m.value, at) else { ok = false; continue }
                let maxValue: Int64 = m.key == "hour" ? 23 : 59
                guard (0...maxValue).contains(n) else { fail(at, "\(m.key) \(n) is out of range 0-\(maxValue)"); ok = false; continue }
                if m.key == "hour" { hour = n } else { minute = n }
            default:
                unknown(m.key, path, known: ["hour", "minute"], context: "a TradeTime")
                ok = false
            }
        }
        guard ok else { return nil }
        guard let hour, let minute else { fail(path, "a TradeTime needs `hour` and `minute`"); return nil }
        return TimeOfDay(hour: Int(hour), minute: Int(minute))
    }

    // MARK: Scalars

    mutating func string(_ v: JSONValue, _ path: String) -> String? {
        guard case let .string(s) = v else { fail(path, "expected a string, found \(v.kindName)"); return nil }
        return s
    }

    mutating func decimal(_ v: JSONValue, _ path: String, what: String) -> DecimalNumber? {
        guard case let .number(text) = v else { fail(path, "expected \(what) (a JSON number), found \(v.kindName)"); return nil }
        guard let d = Self.decimal(text) else { fail(path, "`\(text)` has too many digits for an exact decimal"); return nil }
        return d
    }

    mutating func money(_ v: JSONValue, _ path: String) -> Money? {
        guard let d = decimal(v, path, what: "a dollar amount") else { return nil }
        guard let m = Money(d) else { fail(path, "\(d) USD has more than four decimals (rulec keeps money to 1/100 cent)"); return nil }
        guard m.units > 0 else { fail(path, "a dollar amount must be greater than zero, found \(d)"); return nil }
        return m
    }

    mutating func percent(_ v: JSONValue, _ path: String) -> Ratio? {
        guard let d = decimal(v, path, what: "a percent (percentage points)") else { return nil }
        guard d.mantissa > 0, let r = Ratio(percent: d), r <= Ratio(numerator: 1, denominator: 1) else {
            fail(path, "a percent must be greater than 0 and at most 100 (percentage points: 2.5 is 2.5%), found \(d)")
            return nil
        }
        return r
    }

    mutating func integer(_ v: JSONValue, _ path: String) -> Int64? {
        guard let d = decimal(v, path, what: "a whole number") else { return nil }
        guard let n = d.integerValue else { fail(path, "expected a whole number, found \(d)"); return nil }
        return n
    }

    /// Exact JSON number text → decimal, honouring an exponent; trailing fraction zeros are
    /// dropped when needed to fit.
    static func decimal(_ text: String) -> DecimalNumber? {
        var base = Substring(text)
        var exponent = 0
        if let e = base.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            guard let x = Int(base[base.index(after: e)...].drop(while: { $0 == "+" })), abs(x) <= 40 else { return nil }
            exponent = x
            base = base[..<e]
        }
        var s = String(base)
        if s.contains(".") { while s.hasSuffix("0") { s.removeLast() }; if s.hasSuffix(".") { s.removeLast() } }
        guard let d = DecimalNumber(s) else { return nil }
        var m = d.mantissa, scale = Int(d.scale) - exponent
        if scale < 0 {
            let (v, o) = m.multipliedReportingOverflow(by: Int64.pow10(min(-scale, 18)))
            guard !o, -scale <= 18 else { return nil }
            m = v
            scale = 0
        }
        while scale > 18 && m % 10 == 0 { m /= 10; scale -= 1 }
        guard scale <= 18 else { return nil }
        return DecimalNumber(mantissa: m, scale: UInt8(scale))
    }

    static func digits(_ s: Substring) -> Int? {
        guard !s.isEmpty, s.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(s)
    }

    /// `YYYY-MM-DD`.
    static func date(_ s: String) -> CivilDate? {
        let p = s.split(separator: "-", omittingEmptySubsequences: false)
        guard p.count == 3, p[0].count == 4, p[1].count == 2, p[2].count == 2,
              let y = digits(p[0]), let mo = digits(p[1]), let d = digits(p[2]) else { return nil }
        return CivilDate(year: y, month: mo, day: d)
    }

    /// `YYYY-MM-DDTHH:MM[:SS[.000]](Z|±HH:MM)`; fractional seconds must be zero (a rulebook
    /// has whole seconds). nil without an offset.
    static func timestamp(_ s: String) -> LocalDateTime? {
        guard let t = s.firstIndex(where: { $0 == "T" || $0 == "t" }), let date = date(String(s[..<t])) else { return nil }
        var rest = s[s.index(after: t)...]
        let offset: UTCOffset
        if rest.hasSuffix("Z") || rest.hasSuffix("z") {
            offset = UTCOffset(seconds: 0)
            rest = rest.dropLast()
        } else {
            guard rest.count > 6 else { return nil }
            let o = rest.suffix(6)
            let sign = o.first
            guard sign == "+" || sign == "-" else { return nil }
            let hm = o.dropFirst().split(separator: ":", omittingEmptySubsequences: false)
            guard hm.count == 2, hm[0].count == 2, hm[1].count == 2, let oh = digits(hm[0]), let om = digits(hm[1]),
                  oh <= 18, om <= 59 else { return nil }
            offset = UTCOffset(seconds: Int32((oh * 3600 + om * 60) * (sign == "-" ? -1 : 1)))
            rest = rest.dropLast(6)
        }
        if let dot = rest.firstIndex(of: ".") {
            let frac = rest[rest.index(after: dot)...]
            guard !frac.isEmpty, frac.allSatisfy({ $0 == "0" }) else { return nil }
            rest = rest[..<dot]
        }
        let parts = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, parts.allSatisfy({ $0.count == 2 }),
              let h = digits(parts[0]), let mi = digits(parts[1]) else { return nil }
        let sec = parts.count == 3 ? digits(parts[2]) : 0
        guard let sec, let time = TimeOfDay(hour: h, minute: mi, second: sec) else { return nil }
        return LocalDateTime(date: date, time: time, offset: offset)
    }
}

/// The known name nearest to `word` when it is a plausible typo.
func closest(_ word: String, _ candidates: [String]) -> String? {
    let w = Array(word.lowercased())
    var best: (String, Int)?
    for c in candidates {
        let a = Array(c.lowercased())
        var prev = Array(0...a.count)
        for (i, x) in w.enumerated() {
            var cur = [i + 1] + Array(repeating: 0, count: a.count)
            for (j, y) in a.enumerated() {
                cur[j + 1] = min(prev[j + 1] + 1, cur[j] + 1, prev[j] + (x == y ? 0 : 1))
            }
            prev = cur
        }
        let d = prev[a.count]
        if d <= max(2, w.count / 4), best.map({ d < $0.1 }) ?? true { best = (c, d) }
    }
    return best?.0
}
