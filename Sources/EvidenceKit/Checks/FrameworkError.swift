/// A problem with a framework mapping file (`mappings/<id>.yaml`), located by file, line and key.
///
/// `description` reads like `mappings/soc2.yaml:14: control 'CC6.1': unknown key 'sumary'; did you mean 'summary'?`.
public struct FrameworkError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem this is, so callers and tests need not match on wording.
    public enum Kind: Sendable, Equatable {
        /// A file or the mappings folder could not be read.
        case unreadable
        /// The file is not valid YAML (or breaks the YAML limits).
        case syntax
        /// A key the format does not define.
        case unknownKey
        /// A value of the wrong YAML type, e.g. a string where a list is expected.
        case wrongType
        /// A required key is absent.
        case missingKey
        /// A value of the right type that is empty or malformed (an id with a space, an empty list, ...).
        case invalidValue
        /// Two controls of one framework share an id.
        case duplicateControl
        /// A control refers to a check id that does not exist.
        case unknownCheck
        /// A framework was asked for that has no file in the mappings folder.
        case unknownFramework
    }

    public var kind: Kind
    /// The mapping file (or, for ``Kind/unknownFramework``, the folder) as the caller named it.
    public var file: String
    /// 1-based line in `file`, or 0 when not tied to a line.
    public var line: Int
    /// The key at fault, as a path such as `controls[CC6.1].checks`, when one key is.
    public var key: String?
    /// One sentence, without location or final full stop.
    public var message: String

    public init(kind: Kind, file: String, line: Int = 0, key: String? = nil, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        guard !file.isEmpty else { return message }
        return line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)"
    }
}

extension FrameworkError {
    /// Re-expresses a YAML failure of a mapping file.
    init(yaml error: YAMLError) {
        let column = error.column > 0 ? " (column \(error.column))" : ""
        self.init(kind: error.kind == .unreadable ? .unreadable : .syntax, file: error.file, line: error.line,
                  message: error.message + column)
    }
}
