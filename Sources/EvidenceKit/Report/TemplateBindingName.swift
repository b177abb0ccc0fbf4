/// The binding attributes a template may use; any other `data-*` attribute is a template error.
enum TemplateBindingName {
    static let text = "data-text"
    static let format = "data-format"
    static let each = "data-each"
    static let ifCondition = "data-if"
    static let unlessCondition = "data-unless"
    static let include = "data-include"
    static let remove = "data-remove"
    static let attributePrefix = "data-attr-"
    static let classPrefix = "data-class-"

    static let fixed: Set<String> = [text, format, each, ifCondition, unlessCondition, include, remove]

    /// Every binding, for the "unknown binding" message.
    static let summary = "data-text, data-format, data-each, data-if, data-unless, data-include, data-remove, "
        + "data-attr-NAME and data-class-NAME"

    /// Whether the attribute is a binding the renderer consumes.
    static func isBinding(_ name: String) -> Bool {
        fixed.contains(name) || name.hasPrefix(attributePrefix) || name.hasPrefix(classPrefix)
    }
}
