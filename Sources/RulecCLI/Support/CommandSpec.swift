/// How a command ended, as the shell sees it: 0 clean, 1 findings or failures, 2 usage or I/O.
public enum ExitStatus: Int32, Sendable, Hashable {
    case success = 0
    case findings = 1
    case usage = 2

    /// I/O problems (unreadable input, unwritable output) share the usage status.
    public static var ioError: ExitStatus { .usage }
}

/// One option a command accepts: a flag, a value or a repeatable value.
public struct OptionSpec: Sendable, Hashable {
    public enum Kind: Sendable, Hashable { case flag, value, repeatedValue }

    public var kind: Kind
    /// The long name without dashes: `format` for `--format`.
    public var name: String
    /// An optional one-letter alias: `f` for `-f`.
    public var short: Character?
    /// Shown in help and usage as `<placeholder>`; empty for flags.
    public var placeholder: String
    public var help: String
    /// Used by `ParsedArguments.value(_:)` when the option is absent.
    public var defaultValue: String?

    public init(kind: Kind, name: String, short: Character? = nil, placeholder: String = "",
                help: String = "", defaultValue: String? = nil) {
        self.kind = kind
        self.name = name
        self.short = short
        self.placeholder = placeholder
        self.help = help
        self.defaultValue = defaultValue
    }

    public static func flag(_ name: String, short: Character? = nil, help: String = "") -> OptionSpec {
        OptionSpec(kind: .flag, name: name, short: short, help: help)
    }

    public static func value(_ name: String, short: Character? = nil, placeholder: String = "value",
                             help: String = "", default defaultValue: String? = nil) -> OptionSpec {
        OptionSpec(kind: .value, name: name, short: short, placeholder: placeholder, help: help,
                   defaultValue: defaultValue)
    }

    public static func repeatedValue(_ name: String, short: Character? = nil, placeholder: String = "value",
                                     help: String = "") -> OptionSpec {
        OptionSpec(kind: .repeatedValue, name: name, short: short, placeholder: placeholder, help: help)
    }

    /// `--format <text|json>` or `--deny-warnings`, as usage and help show it.
    var synopsis: String {
        kind == .flag ? "--\(name)" : "--\(name) <\(placeholder)>"
    }
}

/// One positional argument: required, optional, or a repeated tail.
public struct PositionalSpec: Sendable, Hashable {
    public enum Arity: Sendable, Hashable {
        case required, optional
        /// Zero or more (`atLeastOne == false`) or one or more values; only valid last.
        case repeated(atLeastOne: Bool)
    }

    public var name: String
    public var arity: Arity
    public var help: String

    public init(name: String, arity: Arity, help: String = "") {
        self.name = name
        self.arity = arity
        self.help = help
    }

    public static func required(_ name: String, help: String = "") -> PositionalSpec {
        PositionalSpec(name: name, arity: .required, help: help)
    }
    public static func optional(_ name: String, help: String = "") -> PositionalSpec {
        PositionalSpec(name: name, arity: .optional, help: help)
    }
    public static func repeated(_ name: String, help: String = "", atLeastOne: Bool = false) -> PositionalSpec {
        PositionalSpec(name: name, arity: .repeated(atLeastOne: atLeastOne), help: help)
    }

    /// `<path>`, `[<path>]`, `<path>...` or `[<path>...]`.
    var synopsis: String {
        switch arity {
        case .required: "<\(name)>"
        case .optional: "[<\(name)>]"
        case .repeated(let atLeastOne): atLeastOne ? "<\(name)>..." : "[<\(name)>...]"
        }
    }
}

/// What a subcommand accepts and how it describes itself; help text is generated from it.
public struct CommandSpec: Sendable, Hashable {
    public var name: String
    public var abstract: String
    public var discussion: String
    public var options: [OptionSpec]
    public var positionals: [PositionalSpec]

    public init(name: String, abstract: String, discussion: String = "",
                options: [OptionSpec] = [], positionals: [PositionalSpec] = []) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.options = options
        self.positionals = positionals
    }

    func option(named name: String) -> OptionSpec? { options.first { $0.name == name } }
    func option(short: Character) -> OptionSpec? { options.first { $0.short == short } }

    /// Mistakes in the spec itself (duplicate names, a repeated positional not last, a
    /// required positional after an optional one); empty when well formed. Tested for every
    /// registered command so that the parser can rely on a sane shape.
    public var problems: [String] {
        var found: [String] = []
        var longs = Set<String>(["help"])
        var shorts = Set<Character>(["h"])
        for o in options {
            if !longs.insert(o.name).inserted { found.append("option `--\(o.name)` is declared twice") }
            if o.name.isEmpty || o.name.hasPrefix("-") { found.append("option name `\(o.name)` is malformed") }
            if let s = o.short, !shorts.insert(s).inserted { found.append("short option `-\(s)` is declared twice") }
        }
        var sawOptional = false
        for (i, p) in positionals.enumerated() {
            switch p.arity {
            case .required where sawOptional:
                found.append("required argument `<\(p.name)>` follows an optional one")
            case .optional: sawOptional = true
            case .repeated where i != positionals.count - 1:
                found.append("repeated argument `<\(p.name)>` is not last")
            case .repeated: if sawOptional { found.append("repeated argument `<\(p.name)>` follows an optional one") }
            default: break
            }
        }
        return found
    }
}
