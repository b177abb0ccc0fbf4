/// The data a report template is rendered with, shaped like a JSON document.
///
/// The same value feeds the HTML templates (through ``TemplateRenderer``) and is written to the
/// bundle as `data/summary.json` (through ``jsonData()``), so what an auditor reads in the report
/// and in the machine-readable summary cannot drift apart.
///
/// Paths address nested values with dots: `controls.0.status` is key `controls`, then element 0
/// of that array, then key `status`. On an array, the segment `length` gives its element count.
/// Keys that contain a dot cannot be addressed by a path.
public enum TemplateValue: Sendable, Equatable {
    /// Text, shown as it is and escaped by the HTML serialiser.
    case string(String)
    /// A whole number such as a count or milliseconds since 1970; shown in plain digits.
    case int(Int64)
    /// A fractional number such as a rate; shown rounded (see `data-format`), kept exact in JSON.
    case double(Double)
    case bool(Bool)
    /// No value: shown as nothing, removes a bound attribute, and is falsy.
    case null
    case array([TemplateValue])
    /// Members by key; key order does not matter (JSON output sorts keys).
    case object([String: TemplateValue])

    /// The type's name for error messages, as in "'checks' is not an array (found a string)".
    public var typeName: String {
        switch self {
        case .string: "string"
        case .int: "integer"
        case .double: "number"
        case .bool: "boolean"
        case .null: "null"
        case .array: "array"
        case .object: "object"
        }
    }

    /// "a string", "an integer", "null", for messages such as "(found a string)".
    var typeNameWithArticle: String {
        switch self {
        case .null: "null"
        case .int, .array, .object: "an \(typeName)"
        default: "a \(typeName)"
        }
    }

    /// Whether `data-if` keeps an element for this value: false, null, 0, NaN, "", [] and {} are falsy.
    public var isTruthy: Bool {
        switch self {
        case .string(let text): !text.isEmpty
        case .int(let number): number != 0
        case .double(let number): number != 0 && !number.isNaN
        case .bool(let flag): flag
        case .null: false
        case .array(let elements): !elements.isEmpty
        case .object(let members): !members.isEmpty
        }
    }

    /// The value at a dotted path such as `controls.0.status`, or nil if any step is missing.
    ///
    /// An empty path returns the value itself. Loop variables exist only while rendering; see
    /// ``TemplateRenderer`` for how `data-each` binds them.
    public func lookup(_ path: String) -> TemplateValue? {
        if path.isEmpty { return self }
        var current = self
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            guard let next = current.child(String(segment)) else { return nil }
            current = next
        }
        return current
    }

    /// One step of a path: a key of an object, or an index or `length` of an array.
    func child(_ segment: String) -> TemplateValue? {
        switch self {
        case .object(let members):
            return members[segment]
        case .array(let elements):
            if segment == "length" { return .int(Int64(elements.count)) }
            guard let index = TemplateValue.arrayIndex(segment), index < elements.count else { return nil }
            return elements[index]
        default:
            return nil
        }
    }

    /// A non-negative decimal index without sign or leading zeros ("0", "12"); nil otherwise.
    static func arrayIndex(_ segment: String) -> Int? {
        guard !segment.isEmpty, segment.utf8.count <= 18,
              segment.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              segment == "0" || segment.utf8.first != UInt8(ascii: "0")
        else { return nil }
        return Int(segment)
    }
}

extension TemplateValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) { self = .string(value) }
}

extension TemplateValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int64) { self = .int(value) }
}

extension TemplateValue: ExpressibleByFloatLiteral {
    public init(floatLiteral value: Double) { self = .double(value) }
}

extension TemplateValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) { self = .bool(value) }
}

extension TemplateValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) { self = .null }
}

extension TemplateValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: TemplateValue...) { self = .array(elements) }
}

extension TemplateValue: ExpressibleByDictionaryLiteral {
    /// Builds an object; a key given twice keeps its last value.
    public init(dictionaryLiteral elements: (String, TemplateValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
