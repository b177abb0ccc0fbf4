/// Why one line is not a valid JSON object, located by byte offset within the line.
///
/// The caller adds the file and line number (see `InputError`); this error only knows the line.
public struct JSONLineError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The 0-based byte offset in the line of the offending byte (the opening quote for an
    /// unterminated string, the line's length for an unexpected end of line).
    public let offset: Int
    /// One sentence naming what was expected and, where known, for which key.
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// `column N: message`, with N the 1-based byte column (offset + 1).
    public var description: String { "column \(offset + 1): \(message)" }
}
