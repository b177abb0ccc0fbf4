/// The parsed value of a `data-if` or `data-unless` attribute.
///
/// Either a bare path, tested for truthiness, or a path compared with `==` or `!=` against one
/// literal: a quoted string (`'effective'` or `"effective"`, no escapes) or a decimal number
/// (`0`, `-1.5`). There is deliberately no expression language beyond this.
struct TemplateCondition: Sendable, Equatable {
    enum Literal: Sendable, Equatable {
        case string(String)
        case int(Int64)
        case double(Double)
    }

    enum Comparison: Sendable, Equatable {
        case equal(Literal)
        case notEqual(Literal)
    }

    let path: TemplatePath
    let comparison: Comparison?

    init?(_ text: String) {
        let trimmed = text.trimmingWhitespace()
        // The earliest operator: a path holds neither '=' nor '!', but a string literal may.
        let equal = trimmed.range(of: "==")
        let notEqual = trimmed.range(of: "!=")
        let earliest = [equal, notEqual].compactMap { $0 }.min { $0.lowerBound < $1.lowerBound }
        guard let operatorRange = earliest else {
            guard let path = TemplatePath(trimmed) else { return nil }
            self.path = path
            comparison = nil
            return
        }
        guard let path = TemplatePath(trimmed[..<operatorRange.lowerBound].trimmingWhitespace()),
              let literal = TemplateCondition.literal(trimmed[operatorRange.upperBound...].trimmingWhitespace())
        else { return nil }
        self.path = path
        comparison = trimmed[operatorRange] == "==" ? .equal(literal) : .notEqual(literal)
    }

    /// Whether the element is kept for this value of the path (before `data-unless` inverts it).
    func holds(for value: TemplateValue) -> Bool {
        switch comparison {
        case nil: value.isTruthy
        case .equal(let literal): Self.matches(value, literal)
        case .notEqual(let literal): !Self.matches(value, literal)
        }
    }

    private static func matches(_ value: TemplateValue, _ literal: Literal) -> Bool {
        switch (value, literal) {
        case (.string(let text), .string(let expected)): text == expected
        case (.int(let number), .int(let expected)): number == expected
        case (.int(let number), .double(let expected)): Double(number) == expected
        case (.double(let number), .int(let expected)): number == Double(expected)
        case (.double(let number), .double(let expected)): number == expected
        default: false
        }
    }

    private static func literal(_ text: String) -> Literal? {
        if let quote = text.first, quote == "'" || quote == "\"" {
            guard text.count >= 2, text.last == quote else { return nil }
            let inner = text.dropFirst().dropLast()
            guard !inner.contains(quote) else { return nil }
            return .string(String(inner))
        }
        let allowed = Set("0123456789+-.eE".utf8)
        guard !text.isEmpty, text.utf8.allSatisfy(allowed.contains) else { return nil }
        if let number = Int64(text) { return .int(number) }
        if let number = Double(text), number.isFinite { return .double(number) }
        return nil
    }
}

fileprivate extension StringProtocol {
    /// The text without leading and trailing whitespace, as written around operators in bindings.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
