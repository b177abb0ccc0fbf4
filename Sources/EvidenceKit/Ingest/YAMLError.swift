/// A YAML text that could not be turned into a ``YAMLNode`` tree, located by file, line and column.
public struct YAMLError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is, for callers that react differently to each.
    public enum Kind: Sendable, Equatable {
        /// libyaml rejected the text (bad indentation, tabs, unclosed quotes, invalid UTF-8 and the like).
        case syntax
        /// A mapping repeats a key; carries the key's text.
        case duplicateKey(String)
        /// An alias names an anchor that is not (yet) defined; carries the anchor name.
        case undefinedAlias(String)
        /// The text is larger than ``YAMLDocument/Limits/maxBytes``.
        case tooLarge
        /// Expanding aliases would produce more than ``YAMLDocument/Limits/maxNodes`` nodes.
        case tooManyNodes
        /// Collections nest deeper than ``YAMLDocument/Limits/maxDepth``.
        case tooDeep
        /// The stream holds more than one document.
        case multipleDocuments
        /// The file could not be read.
        case unreadable
    }

    public var kind: Kind
    /// The file as the caller named it (for display), or a placeholder such as `<string>`.
    public var file: String
    /// 1-based line, or 0 when the problem is not tied to a position.
    public var line: Int
    /// 1-based column, or 0 when the problem is not tied to a position.
    public var column: Int
    /// What went wrong, without location and without a final full stop; libyaml's own wording for syntax errors.
    public var message: String

    public init(kind: Kind, file: String, line: Int = 0, column: Int = 0, message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String {
        var location = file
        if line > 0 {
            location += ":\(line)"
            if column > 0 { location += ":\(column)" }
        }
        return "\(location): \(message)"
    }
}
