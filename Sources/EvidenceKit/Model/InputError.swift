/// One rejected input record or unreadable input, located by file, line and field.
///
/// Input errors never stop ingestion on their own: each is stored in `input_errors`,
/// reported as an evidence-quality exception, and turned into a failure by `--strict`.
public struct InputError: Error, CustomStringConvertible, Sendable, Hashable {
    /// Which input the record came from: `audit`, `approvals`, `directory`, `policies`, `reviews` or `config`.
    public var input: String
    /// The file, relative to the config file's folder where possible.
    public var file: String
    /// The 1-based line number, or 0 when the problem is not tied to one line.
    public var line: Int
    /// The offending field, when one field is at fault.
    public var field: String?
    /// One sentence saying what is wrong, including the bad value where short enough to show.
    public var message: String

    public init(input: String, file: String, line: Int, field: String? = nil, message: String) {
        self.input = input
        self.file = file
        self.line = line
        self.field = field
        self.message = message
    }

    /// One line, with any control characters from the input made visible (``ControlCharacters``).
    public var description: String {
        var location = file
        if line > 0 { location += ":\(line)" }
        let text = if let field { "\(location): field '\(field)': \(message)" } else { "\(location): \(message)" }
        return ControlCharacters.escaped(text)
    }
}
