/// A value bound to or read from SQLite.
public enum SQLValue: Equatable, Hashable, Sendable, CustomStringConvertible {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    public var description: String {
        switch self {
        case .null: ""
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): value
        case .blob(let bytes): bytes.hexString
        }
    }

    /// The integer value, when this is an integer.
    public var int64: Int64? { if case .integer(let value) = self { value } else { nil } }
    /// The text value, when this is text.
    public var string: String? { if case .text(let value) = self { value } else { nil } }
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
}

extension Optional where Wrapped == String {
    /// The string as text, or NULL.
    var sqlValue: SQLValue { map(SQLValue.text) ?? .null }
}

extension Optional where Wrapped == Int64 {
    /// The integer, or NULL.
    var sqlValue: SQLValue { map(SQLValue.integer) ?? .null }
}
