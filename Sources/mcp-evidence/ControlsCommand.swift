import EvidenceKit

/// `mcp-evidence controls`: list the framework controls and the checks that evidence them.
enum ControlsCommand: Command {
    static let spec = CommandSpec(
        name: "controls",
        abstract: "List framework controls and the checks mapped to them.",
        discussion: "Reads mappings/<framework>.yaml and mappings/checks/*.yaml; nothing else is needed.",
        positionals: [],
        options: [
            .init(name: "framework", valueName: "id", help: "Only this framework (soc2, iso27001, eu-ai-act, iso42001, nist-800-53).", defaultValue: nil),
            .init(name: "mappings", valueName: "dir", help: "Checks and frameworks folder (default: the shipped mappings/).", defaultValue: nil),
        ])

    static func run(_ arguments: ParsedArguments) throws -> ExitCode {
        let mappings = try ResourceLocator.folder("mappings", explicit: arguments["mappings"])
        let checks = try CheckDefinition.loadAll(folder: mappings + "/checks")
        let frameworks = try Framework.loadAll(folder: mappings, ids: arguments["framework"].map { [$0] })
        let titles = Dictionary(uniqueKeysWithValues: checks.map { ($0.id, $0.title) })
        for framework in frameworks {
            print("\(framework.name) — \(framework.version) [\(framework.id)]")
            for control in framework.controls {
                let also = control.also.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                print("  \(control.id)  \(control.title)\(also.isEmpty ? "" : "  (\(also))")")
                print("      \(control.summary)")
                for check in control.checks {
                    print("      - \(check): \(titles[check] ?? "UNKNOWN CHECK")")
                }
            }
            print("")
        }
        let problems = frameworks.flatMap { $0.validate(knownChecks: Set(checks.map(\.id))) }
        for problem in problems { Console.error("\(problem)") }
        return problems.isEmpty ? .success : .failure
    }
}
