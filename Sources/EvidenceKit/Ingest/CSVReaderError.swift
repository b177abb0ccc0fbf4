/// A record in a CSV file that breaks RFC 4180 or is not UTF-8, located by file, physical line and column.
public struct CSVReaderError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What is wrong with the record.
    public enum Kind: Sendable, Hashable {
        /// A field's bytes are not valid UTF-8.
        case invalidUTF8
        /// A quoted field is never closed, or only by a quote on a later line followed by more text; `line` is where it started.
        case unterminatedQuote
        /// A `"` appears inside a field that does not start with one.
        case strayQuote
        /// Something other than a comma or line end follows a quoted field's closing quote.
        case textAfterClosingQuote
        /// A carriage return not followed by a line feed appears outside quotes.
        case bareCarriageReturn
    }

    /// The file as named by the caller.
    public var file: String
    /// The 1-based physical line where the problem is (for an unclosed quote: where the quoted field started).
    public var line: Int
    /// The 1-based column (field index) of the offending field.
    public var column: Int
    /// What is wrong.
    public var kind: Kind

    public init(file: String, line: Int, column: Int, kind: Kind) {
        self.file = file
        self.line = line
        self.column = column
        self.kind = kind
    }

    /// The problem in words, without the location.
    public var message: String {
        switch kind {
        case .invalidUTF8:
            return "the field is not valid UTF-8"
        case .unterminatedQuote:
            return "the quoted field starting on this line is never closed (unbalanced quotes); reading resumed on the next line"
        case .strayQuote:
            return "a double quote appears inside an unquoted field (quote the whole field and double the inner quote)"
        case .textAfterClosingQuote:
            return "text follows the closing quote of a quoted field"
        case .bareCarriageReturn:
            return "a carriage return without a line feed appears outside quotes"
        }
    }

    public var description: String {
        "\(file):\(line): column \(column): \(message)."
    }
}
