/// One subcommand: its declared arguments and what it does with them.
protocol Command {
    static var spec: CommandSpec { get }
    static func run(_ arguments: ParsedArguments) throws -> ExitCode
}
