internal import CXML2

/// The bindings written on one template element, parsed and checked against the template rules.
///
/// Everything that can be judged without data is judged here, and the renderer checks every element
/// this way before binding anything, so a template error shows up even in a part of the template
/// that the current data happens to leave out.
struct TemplateElementBindings {
    /// One binding attribute: its name and value as written, and the value parsed.
    struct Binding<Parsed> {
        let attribute: String
        let expression: String
        let parsed: Parsed
    }

    var remove = false
    var loop: Binding<TemplateLoop>?
    var conditionIf: Binding<TemplateCondition>?
    var conditionUnless: Binding<TemplateCondition>?
    var include: Binding<String>?
    /// `data-attr-NAME`: the attribute NAME to set, and the path of its value.
    var attributes: [(target: String, binding: Binding<TemplatePath>)] = []
    /// `data-class-NAME`: the class NAME to add, and the condition for adding it.
    var classes: [(name: String, binding: Binding<TemplateCondition>)] = []
    var text: Binding<TemplatePath>?
    var format: Binding<TemplateFormat>?
    /// The binding attribute nodes, removed from the output once applied.
    private(set) var attributeNodes: [xmlAttrPtr] = []

    /// Elements whose removal or repetition would break the document's structure.
    private static let structuralElements: Set<String> = ["html", "head", "body"]

    /// Reads and checks the bindings of `element`, a node of the template called `template`.
    init(element: xmlNodePtr, template: String) throws(TemplateError) {
        let name = TemplateElementBindings.name(of: element)
        func failure(_ attribute: String?, _ expression: String?, _ message: String) -> TemplateError {
            TemplateError(template: template, line: xmlGetLineNo(element), binding: attribute,
                          expression: expression, message: message)
        }
        if name == "script" {
            throw failure("<script>", nil, "script elements are not allowed: the report must work without JavaScript")
        }

        var written: [(name: String, value: String, node: xmlAttrPtr)] = []
        var attribute = element.pointee.properties
        while let current = attribute {
            attribute = current.pointee.next
            let attributeName = current.pointee.name.map { String(cString: $0) } ?? ""
            written.append((attributeName, TemplateElementBindings.value(of: current), current))
        }
        let hasHTTPEquiv = written.contains { $0.name == "http-equiv" }

        for (attributeName, value, node) in written {
            if attributeName.hasPrefix("on") {
                throw failure(attributeName, value,
                              "event-handler attributes are not allowed: the report must work without JavaScript")
            }
            guard attributeName.hasPrefix("data-") else { continue }
            attributeNodes.append(node)
            switch attributeName {
            case TemplateBindingName.remove:
                remove = true
            case TemplateBindingName.each:
                guard let parsed = TemplateLoop(value) else {
                    throw failure(attributeName, value, "expected 'item in path', such as 'row in checks'")
                }
                loop = Binding(attribute: attributeName, expression: value, parsed: parsed)
            case TemplateBindingName.ifCondition, TemplateBindingName.unlessCondition:
                guard let parsed = TemplateCondition(value) else {
                    throw failure(attributeName, value, Self.conditionSyntax)
                }
                let binding = Binding(attribute: attributeName, expression: value, parsed: parsed)
                if attributeName == TemplateBindingName.ifCondition { conditionIf = binding } else { conditionUnless = binding }
            case TemplateBindingName.include:
                guard TemplateRenderer.isSafeRelativePath(value) else {
                    throw failure(attributeName, value,
                                  "expected a file in the template folder, such as 'style.css' (no '..' or absolute path)")
                }
                include = Binding(attribute: attributeName, expression: value, parsed: value)
            case TemplateBindingName.text:
                guard let parsed = TemplatePath(value) else { throw failure(attributeName, value, Self.pathSyntax) }
                text = Binding(attribute: attributeName, expression: value, parsed: parsed)
            case TemplateBindingName.format:
                guard let parsed = TemplateFormat(rawValue: value) else {
                    throw failure(attributeName, value, "unknown format; the formats are \(TemplateFormat.names)")
                }
                format = Binding(attribute: attributeName, expression: value, parsed: parsed)
            default:
                if attributeName.hasPrefix(TemplateBindingName.attributePrefix) {
                    let target = String(attributeName.dropFirst(TemplateBindingName.attributePrefix.count))
                    guard !target.isEmpty else { throw failure(attributeName, value, "the attribute name is missing") }
                    if let refusal = TemplateAttributePolicy.refusal(attribute: target, element: name,
                                                                    hasHTTPEquiv: hasHTTPEquiv) {
                        throw failure(attributeName, value, refusal)
                    }
                    guard let parsed = TemplatePath(value) else { throw failure(attributeName, value, Self.pathSyntax) }
                    attributes.append((target, Binding(attribute: attributeName, expression: value, parsed: parsed)))
                } else if attributeName.hasPrefix(TemplateBindingName.classPrefix) {
                    let className = String(attributeName.dropFirst(TemplateBindingName.classPrefix.count))
                    guard !className.isEmpty else { throw failure(attributeName, value, "the class name is missing") }
                    guard let parsed = TemplateCondition(value) else {
                        throw failure(attributeName, value, Self.conditionSyntax)
                    }
                    classes.append((className, Binding(attribute: attributeName, expression: value, parsed: parsed)))
                } else {
                    throw failure(attributeName, value, "unknown binding; the bindings are \(TemplateBindingName.summary)")
                }
            }
        }

        if let format, text == nil {
            throw failure(format.attribute, format.expression, "data-format needs data-text on the same element")
        }
        if let include, name != "style" {
            throw failure(include.attribute, include.expression,
                          "data-include is only allowed on <style>, to inline a stylesheet")
        }
        if name == "style" {
            // libxml2 writes the text of <style> unescaped, so no data may ever land there.
            if let text {
                throw failure(text.attribute, text.expression,
                              "data cannot be bound inside <style>, whose text is written unescaped; use data-include")
            }
            if let loop {
                throw failure(loop.attribute, loop.expression, "<style> cannot be repeated; use data-include")
            }
        }
        if let text, TemplateElementBindings.isVoid(element) {
            throw failure(text.attribute, text.expression, "<\(name)> is a void element and cannot hold text")
        }
        if Self.structuralElements.contains(name),
           let control = written.first(where: { [TemplateBindingName.each, TemplateBindingName.ifCondition,
                                                 TemplateBindingName.unlessCondition,
                                                 TemplateBindingName.remove].contains($0.name) }) {
            throw failure(control.name, control.value, "<\(name)> cannot be repeated or removed")
        }
    }

    private static let pathSyntax = "expected a path such as 'controls.0.status' (no spaces, quotes or empty segments)"
    private static let conditionSyntax = "expected a path, or a path compared with == or != to a 'quoted string' "
        + "or a number, such as \"row.status == 'effective'\""

    /// The element's name as the parser stored it (lowercase for parsed elements).
    static func name(of element: xmlNodePtr) -> String {
        element.pointee.name.map { String(cString: $0) } ?? ""
    }

    /// An attribute's value with character references already decoded by the parser; "" for a bare attribute.
    static func value(of attribute: xmlAttrPtr) -> String {
        // Read from the attribute's text children rather than xmlGetProp, whose copy must be released
        // with libxml2's xmlFree, a mutable global that Swift 6 refuses to touch.
        var text = ""
        var child = attribute.pointee.children
        while let node = child {
            child = node.pointee.next
            if node.pointee.type == XML_TEXT_NODE, let content = node.pointee.content {
                text += String(cString: content)
            }
        }
        return text
    }

    /// Whether the element is an HTML void element such as `<img>` or `<br>`, which has no content.
    static func isVoid(_ element: xmlNodePtr) -> Bool {
        guard let name = element.pointee.name, let description = htmlTagLookup(name) else { return false }
        return description.pointee.empty != 0
    }
}
