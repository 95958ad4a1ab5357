import RuleBase

/// A mistake on the command line, reported as one lowercase line (no final period).
public struct UsageError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The arguments of one command after parsing, with typed accessors by long option name.
public struct ParsedArguments: Sendable, Hashable {
    public let spec: CommandSpec
    /// Values given for value and repeated options, in command-line order.
    private var given: [String: [String]]
    private var flags: Set<String>
    /// Positional arguments in order (after `--` too); `-` is kept as is and means stdin.
    public private(set) var positionals: [String]

    init(spec: CommandSpec, given: [String: [String]], flags: Set<String>, positionals: [String]) {
        self.spec = spec
        self.given = given
        self.flags = flags
        self.positionals = positionals
    }

    /// Whether the flag `--name` was given.
    public func flag(_ name: String) -> Bool { flags.contains(name) }

    /// The last value given for `--name`, else its declared default, else nil.
    public func value(_ name: String) -> String? {
        given[name]?.last ?? spec.option(named: name)?.defaultValue
    }

    /// Every value given for a repeated option, in order (empty when absent).
    public func values(_ name: String) -> [String] { given[name] ?? [] }

    /// Whether `--name` appeared at all (as a flag or with a value), ignoring defaults.
    public func wasGiven(_ name: String) -> Bool { flags.contains(name) || given[name] != nil }

    /// The values bound to the positional `<name>`: one for required or optional ones (none if
    /// an optional one was left out), all remaining ones for a repeated tail.
    public func positional(_ name: String) -> [String] {
        guard let index = spec.positionals.firstIndex(where: { $0.name == name }) else { return [] }
        let plan = ArgumentParser.assign(count: positionals.count, to: spec.positionals)
        let range = plan[index]
        return Array(positionals[range])
    }

    /// The value of `--name` when it must be one of `choices`; a usage error with a suggestion
    /// otherwise. nil when absent and without default.
    public func value(_ name: String, oneOf choices: [String]) throws(UsageError) -> String? {
        guard let v = value(name) else { return nil }
        if choices.contains(v) { return v }
        var message = "invalid value `\(v)` for `--\(name)`; expected one of " +
            choices.map { "`\($0)`" }.joined(separator: ", ")
        if let s = Suggestion.closest(to: v, among: choices) { message = "invalid value `\(v)` for `--\(name)`; did you mean `\(s)`?" }
        throw UsageError(message)
    }
}

/// Splits a command line according to a `CommandSpec`, the way Unix tools do:
/// `--name=value`, `--name value`, `-n value`, `-nvalue`, `--` ends options, `-` is a positional.
public enum ArgumentParser {
    public enum Outcome: Sendable, Hashable {
        case run(ParsedArguments)
        /// `--help` or `-h` appeared before `--`: show help, whatever else was given.
        case help
    }

    public static func parse(_ arguments: [String], spec: CommandSpec) throws(UsageError) -> Outcome {
        for a in arguments {
            if a == "--" { break }
            if a == "--help" || a == "-h" { return .help }
        }
        var given: [String: [String]] = [:]
        var flags = Set<String>()
        var positionals: [String] = []
        var i = 0
        var optionsEnded = false
        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if optionsEnded || arg == "-" || !arg.hasPrefix("-") || looksNumeric(arg) {
                positionals.append(arg)
                continue
            }
            if arg == "--" { optionsEnded = true; continue }

            // Split `--name=value` / `-nvalue` into the option and an inline value.
            let option: OptionSpec
            let shown: String
            var inline: String?
            if arg.hasPrefix("--") {
                let body = arg.dropFirst(2)
                let name: Substring
                if let eq = body.firstIndex(of: "=") {
                    name = body[..<eq]
                    inline = String(body[body.index(after: eq)...])
                } else {
                    name = body
                }
                shown = "--" + name
                guard let o = spec.option(named: String(name)) else {
                    throw unknownOption(shown, spec: spec)
                }
                option = o
            } else {
                let body = arg.dropFirst()
                guard let letter = body.first, let o = spec.option(short: letter) else {
                    throw unknownOption(arg, spec: spec)
                }
                shown = "-" + String(letter)
                let rest = body.dropFirst()
                if !rest.isEmpty {
                    guard o.kind != .flag else { throw unknownOption(arg, spec: spec) }
                    inline = String(rest.hasPrefix("=") ? rest.dropFirst() : rest)
                }
                option = o
            }

            switch option.kind {
            case .flag:
                if inline != nil { throw UsageError("flag `\(shown)` does not take a value") }
                flags.insert(option.name)
            case .value, .repeatedValue:
                let value: String
                if let inline {
                    value = inline
                } else if i < arguments.count, takesAsValue(arguments[i]) {
                    value = arguments[i]
                    i += 1
                } else {
                    throw UsageError("missing value for `\(shown)`; expected `<\(option.placeholder)>`")
                }
                given[option.name, default: []].append(value)
            }
        }

        try checkCounts(positionals, spec: spec)
        return .run(ParsedArguments(spec: spec, given: given, flags: flags, positionals: positionals))
    }

    /// A following argument is taken as an option's value unless it looks like another option.
    private static func takesAsValue(_ next: String) -> Bool {
        next == "-" || !next.hasPrefix("-") || looksNumeric(next)
    }

    /// `-5`, `-0.25` and `-05:00` are values (offsets, losses), never options.
    private static func looksNumeric(_ arg: String) -> Bool {
        let u = arg.utf8
        guard u.count >= 2, u.first == UInt8(ascii: "-") else { return false }
        let second = u[u.index(after: u.startIndex)]
        return (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(second) || second == UInt8(ascii: ".")
    }

    private static func unknownOption(_ shown: String, spec: CommandSpec) -> UsageError {
        let longs = spec.options.map { "--" + $0.name } + ["--help"]
        var candidate = shown
        // `-format` is probably `--format`.
        if !shown.hasPrefix("--") && shown.count > 2 { candidate = "-" + shown }
        if let s = Suggestion.closest(to: candidate, among: longs) {
            return UsageError("unknown option `\(shown)`; did you mean `\(s)`?")
        }
        return UsageError("unknown option `\(shown)`")
    }

    private static func checkCounts(_ positionals: [String], spec: CommandSpec) throws(UsageError) {
        var minimum = 0
        var maximum: Int? = 0
        for p in spec.positionals {
            switch p.arity {
            case .required: minimum += 1; maximum = maximum.map { $0 + 1 }
            case .optional: maximum = maximum.map { $0 + 1 }
            case .repeated(let atLeastOne): if atLeastOne { minimum += 1 }; maximum = nil
            }
        }
        if positionals.count < minimum {
            let plan = assign(count: positionals.count, to: spec.positionals)
            for (p, range) in zip(spec.positionals, plan) where range.isEmpty {
                switch p.arity {
                case .required, .repeated(atLeastOne: true):
                    throw UsageError("missing required argument `<\(p.name)>`")
                default: continue
                }
            }
        }
        if let maximum, positionals.count > maximum {
            throw UsageError("unexpected argument `\(positionals[maximum])`")
        }
    }

    /// Which positional values each declared positional receives: required ones first claim
    /// one each, optional ones fill left to right, a repeated tail takes the rest.
    static func assign(count: Int, to specs: [PositionalSpec]) -> [Range<Int>] {
        let requiredCount = specs.reduce(0) { n, p in
            switch p.arity {
            case .required, .repeated(atLeastOne: true): n + 1
            default: n
            }
        }
        var spare = max(0, count - requiredCount)
        var next = 0
        var plan: [Range<Int>] = []
        for p in specs {
            let take: Int
            switch p.arity {
            case .required: take = next < count ? 1 : 0
            case .optional:
                take = spare > 0 ? 1 : 0
                spare -= take
            case .repeated: take = max(0, count - next)
            }
            plan.append(next..<min(count, next + take))
            next = min(count, next + take)
        }
        return plan
    }
}
