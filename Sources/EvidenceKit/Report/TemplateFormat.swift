/// How `data-text` shows a value: the default rules, or one of the `data-format` names.
///
/// Defaults: strings as they are; integers in plain digits (`12345`); doubles rounded to at most two
/// decimals with trailing zeros dropped (`2.5`, `0.33`, `3`); booleans as `true`/`false`; null as
/// nothing. With a format (numbers only; null still shows nothing):
/// - `int`: rounded to a whole number, `12346`
/// - `thousands`: rounded to a whole number with `,` between thousands, `12,346`
/// - `decimal1`, `decimal2`: exactly one or two decimals, `0.5` → `0.50`
/// - `percent`: a fraction shown as a percentage with one decimal, `0.9534` → `95.3%`
/// - `date`: integer milliseconds since 1970 UTC as `2026-07-01`
/// - `datetime`: integer milliseconds since 1970 UTC as RFC 3339 `2026-07-01T09:30:00.000Z`
/// Rounding is decimal, half away from zero (see ``TemplateDecimal``). NaN and infinities are errors.
enum TemplateFormat: String, CaseIterable, Sendable {
    case int
    case thousands
    case decimal1
    case decimal2
    case percent
    case date
    case datetime

    /// The formats' names for error messages.
    static var names: String {
        allCases.map(\.rawValue).joined(separator: ", ")
    }

    /// The text for a value with the default rules (`format` nil) or a named format.
    static func text(for value: TemplateValue, format: TemplateFormat?) throws(TemplateFailure) -> String {
        guard let format else { return try defaultText(for: value) }
        if value == .null { return "" }
        switch format {
        case .int: return try decimal(value, format).text(places: 0)
        case .thousands: return try decimal(value, format).text(places: 0, grouping: true)
        case .decimal1: return try decimal(value, format).text(places: 1)
        case .decimal2: return try decimal(value, format).text(places: 2)
        case .percent: return try decimal(value, format).scaled(by: 2).text(places: 1) + "%"
        case .date: return Timestamp.formatDate(try milliseconds(value, format))
        case .datetime: return Timestamp.format(try milliseconds(value, format))
        }
    }

    private static func decimal(_ value: TemplateValue, _ format: TemplateFormat) throws(TemplateFailure) -> TemplateDecimal {
        switch value {
        case .int(let number):
            return TemplateDecimal(number)
        case .double(let number):
            guard let decimal = TemplateDecimal(number) else {
                throw TemplateFailure(message: "the number \(number) cannot be shown")
            }
            return decimal
        default:
            throw TemplateFailure(message:
                "data-format=\"\(format.rawValue)\" needs a number, found \(value.typeNameWithArticle)")
        }
    }

    private static func milliseconds(_ value: TemplateValue, _ format: TemplateFormat) throws(TemplateFailure) -> Int64 {
        guard case .int(let number) = value else {
            throw TemplateFailure(message:
                "data-format=\"\(format.rawValue)\" needs integer milliseconds, found \(value.typeNameWithArticle)")
        }
        guard number >= Timestamp.minMs, number <= Timestamp.maxMs else {
            throw TemplateFailure(message:
                "\(number) milliseconds is outside the years 0001–9999 and cannot be shown as a \(format.rawValue)")
        }
        return number
    }

    /// The default text; arrays and objects have none.
    static func defaultText(for value: TemplateValue) throws(TemplateFailure) -> String {
        switch value {
        case .string(let text): return text
        case .int(let number): return String(number)
        case .double(let number):
            guard let decimal = TemplateDecimal(number) else {
                throw TemplateFailure(message: "the number \(number) cannot be shown")
            }
            return decimal.text(places: 2, trimZeros: true)
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return ""
        case .array, .object:
            throw TemplateFailure(message: "the value is \(value.typeNameWithArticle), not text or a number")
        }
    }
}
