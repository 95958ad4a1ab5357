/// Every subcommand of `rulec`, in the order `rulec --help` lists them.
public enum Rulec {
    public static let version = "0.1.0"
    public static let cli = CLI(
        name: "rulec", version: version,
        abstract: "Compile, check and run prop-firm account risk rulebooks.",
        commands: [
            Command(CheckCommand.self),
            Command(CompileCommand.self),
            Command(FmtCommand.self),
            Command(DiffCommand.self),
            Command(ExplainCommand.self),
            Command(EvalCommand.self),
            Command(SimulateCommand.self),
            Command(ReplayCommand.self),
            Command(TestCommand.self),
            Command(ImportCommand.self),
            Command(LspCommand.self),
        ])
}
