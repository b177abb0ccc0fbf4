/// A problem with `evidence.yaml` (or a command-line override of it), located by file, line and key.
///
/// `description` reads like `evidence.yaml:4: key 'frameworks' must be a list of strings, found a mapping`.
public struct ConfigError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of problem this is, so callers and tests need not match on wording.
    public enum Kind: Sendable, Equatable {
        /// The config file could not be read.
        case unreadable
        /// The file is not valid YAML (or breaks the YAML limits).
        case syntax
        /// A key the format does not define.
        case unknownKey
        /// A value of the wrong YAML type, e.g. a mapping where a list is expected.
        case wrongType
        /// A required key is absent.
        case missingKey
        /// A value of the right type that is out of range or malformed (a bad period, tier 4, ...).
        case invalidValue
        /// A named input file or folder does not exist.
        case missingPath
    }

    public var kind: Kind
    /// The config file as the user named it, or empty when the value came from the command line.
    public var file: String
    /// 1-based line in `file`, or 0 when not tied to a line.
    public var line: Int
    /// The dotted key at fault (`inputs.audit`), when one key is.
    public var key: String?
    /// One sentence, without location or final full stop.
    public var message: String

    public init(kind: Kind, file: String = "", line: Int = 0, key: String? = nil, message: String) {
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
