/// The declared shape of one subcommand: its options, flags and positional arguments, and its help text.
struct CommandSpec {
    struct Option {
        let name: String
        let valueName: String?     // nil for a flag
        let help: String
        let defaultValue: String?
    }

    let name: String
    let abstract: String
    let discussion: String?
    let positionals: [(name: String, help: String, required: Bool)]
    let options: [Option]

    var usage: String {
        var parts = ["mcp-evidence", name]
        parts += positionals.map { $0.required ? "<\($0.name)>" : "[<\($0.name)>]" }
        parts += options.map { option in
            option.valueName.map { "[--\(option.name) <\($0)>]" } ?? "[--\(option.name)]"
        }
        return parts.joined(separator: " ")
    }

    /// Help in the layout swift-argument-parser prints, so the tool feels familiar.
    var help: String {
        var lines = ["OVERVIEW: \(abstract)", ""]
        if let discussion { lines += [discussion, ""] }
        lines += ["USAGE: \(usage)", ""]
        if !positionals.isEmpty {
            lines.append("ARGUMENTS:")
            lines += positionals.map { Self.row("<\($0.name)>", $0.help) }
            lines.append("")
        }
        lines.append("OPTIONS:")
        for option in options {
            let left = option.valueName.map { "--\(option.name) <\($0)>" } ?? "--\(option.name)"
            let help = option.defaultValue.map { "\(option.help) (default: \($0))" } ?? option.help
            lines.append(Self.row(left, help))
        }
        lines.append(Self.row("-h, --help", "Show help information."))
        return lines.joined(separator: "\n") + "\n"
    }

    private static func row(_ left: String, _ right: String) -> String {
        let padded = left.count < 24 ? left + String(repeating: " ", count: 24 - left.count) : left + "\n" + String(repeating: " ", count: 26)
        return "  " + padded + right
    }

    /// Parses `arguments` (everything after the subcommand name) against this spec.
    func parse(_ arguments: [String]) throws(UsageError) -> ParsedArguments {
        var values: [String: String] = [:]
        var flags: Set<String> = []
        var positional: [String] = []
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                positional.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            if argument == "-h" || argument == "--help" { throw UsageError.helpRequested(self) }
            guard argument.hasPrefix("--") else {
                throw UsageError.invalid(self, "unknown option '\(argument)'")
            }
            var name = String(argument.dropFirst(2))
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            guard let option = options.first(where: { $0.name == name }) else {
                throw UsageError.invalid(self, "unknown option '--\(name)'")
            }
            if option.valueName == nil {
                if inlineValue != nil { throw UsageError.invalid(self, "flag '--\(name)' takes no value") }
                flags.insert(name)
            } else if let inlineValue {
                values[name] = inlineValue
            } else {
                guard index < arguments.count else {
                    throw UsageError.invalid(self, "missing value for '--\(name) <\(option.valueName!)>'")
                }
                values[name] = arguments[index]
                index += 1
            }
        }
        let required = positionals.filter(\.required).count
        if positional.count < required {
            throw UsageError.invalid(self, "missing expected argument '<\(positionals[positional.count].name)>'")
        }
        if positional.count > positionals.count {
            throw UsageError.invalid(self, "unexpected argument '\(positional[positionals.count])'")
        }
        for option in options where option.valueName != nil && values[option.name] == nil {
            values[option.name] = option.defaultValue
        }
        return ParsedArguments(values: values, flags: flags, positionals: positional)
    }
}

/// The result of parsing one subcommand's arguments.
struct ParsedArguments {
    let values: [String: String]
    let flags: Set<String>
    let positionals: [String]

    subscript(option: String) -> String? { values[option] }
    func flag(_ name: String) -> Bool { flags.contains(name) }
}

/// A command line that cannot be run as given; exits with status 2.
enum UsageError: Error, CustomStringConvertible {
    case helpRequested(CommandSpec)
    case invalid(CommandSpec?, String)

    var description: String {
        switch self {
        case .helpRequested(let spec): spec.help
        case .invalid(let spec, let message):
            "Error: \(message)\n" + (spec.map { "Usage: \($0.usage)\n  See 'mcp-evidence \($0.name) --help' for more information.\n" } ?? "")
        }
    }
}
