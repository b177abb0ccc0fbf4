/// A template that cannot be rendered, located by template file, line and binding.
///
/// The description reads like a compiler message, e.g.
/// `report.html:142: data-each="row in checks": 'checks' is not an array (found a string).`
public struct TemplateError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The template file, relative to the template folder (`report.html`, `style.css`).
    public var template: String
    /// The 1-based line of the element (or of the parser's complaint), or 0 when not tied to a line.
    public var line: Int
    /// The binding attribute at fault, such as `data-each`, when one is.
    public var binding: String?
    /// The binding attribute's value as written in the template.
    public var expression: String?
    /// What is wrong, with the bad value where short enough to show.
    public var message: String

    public init(template: String, line: Int, binding: String? = nil, expression: String? = nil, message: String) {
        self.template = template
        self.line = line
        self.binding = binding
        self.expression = expression
        self.message = message
    }

    public var description: String {
        var text = template
        if line > 0 { text += ":\(line)" }
        text += ": "
        if let binding {
            text += binding
            if let expression { text += "=\"\(Self.shortened(expression))\"" }
            text += ": "
        }
        text += message
        if !message.hasSuffix(".") { text += "." }
        return text
    }

    /// Long attribute values are cut so one message stays one readable line.
    static func shortened(_ text: String, limit: Int = 80) -> String {
        guard text.count > limit else { return text }
        return String(text.prefix(limit)) + "…"
    }
}
