/// A top-level value of one JSON-lines record (an audit or approval line).
///
/// Scalars are decoded; nested arrays and objects are validated in full but kept as their exact
/// raw text, because no input field the tool reads is nested and keeping the text costs nothing.
/// Numbers keep their literal text so the reader of a field decides its range and precision
/// (an integer such as `seq` never goes through `Double`).
public enum JSONValue: Equatable, Sendable {
    case string(String)
    /// The exact literal text, valid under RFC 8259's number grammar, e.g. `-1.5e3`.
    case number(String)
    case bool(Bool)
    case null
    /// The exact raw text of a nested array, from `[` to `]` inclusive.
    case array(raw: String)
    /// The exact raw text of a nested object, from `{` to `}` inclusive.
    case object(raw: String)

    /// The JSON type's name, for error messages such as "expected string, found number".
    public var typeName: String {
        switch self {
        case .string: "string"
        case .number: "number"
        case .bool: "boolean"
        case .null: "null"
        case .array: "array"
        case .object: "object"
        }
    }
}
