import Foundation
internal import CXML2

/// Applies the bindings of a parsed template to the DOM, in place.
///
/// Per element, in this order: `data-remove`; `data-each` (each copy is then processed on its own,
/// so `data-if` on the same element filters items); `data-if` and `data-unless`; `data-include`;
/// `data-attr-*`; `data-class-*`; `data-text` (which replaces the children, so nothing inside is
/// processed); then the children. Binding attributes are removed from the output.
///
/// Text from data is added as libxml2 text nodes and attribute values through `xmlSetProp`, never
/// parsed as markup, so the serialiser escapes it. Characters that XML and HTML forbid in text (C0
/// controls other than tab, line feed and carriage return, DEL, C1 controls, U+FFFE and U+FFFF) are
/// replaced by U+FFFD so they show up as a visible mark instead of being silently dropped.
final class TemplateBinder {
    /// Deeper nesting than this is refused; real templates stay far below it.
    static let maxDepth = 256

    private let document: TemplateDocument
    private let loadInclude: (String) throws(TemplateFailure) -> String
    private var includes: [String: String] = [:]

    /// `loadInclude` returns the text of a file in the template folder for `data-include`.
    init(document: TemplateDocument, loadInclude: @escaping (String) throws(TemplateFailure) -> String) {
        self.document = document
        self.loadInclude = loadInclude
    }

    /// Checks the whole template, then binds `model` into it.
    func bind(model: TemplateValue) throws(TemplateError) {
        try check(first: document.pointer.pointee.children, depth: 0)
        try process(first: document.pointer.pointee.children, scope: TemplateScope(root: model), inSVG: false, depth: 0)
    }

    // MARK: Checking the template

    private func check(first: xmlNodePtr?, depth: Int) throws(TemplateError) {
        var node = first
        while let element = node {
            node = element.pointee.next
            guard element.pointee.type == XML_ELEMENT_NODE else { continue }
            guard depth < Self.maxDepth else {
                throw failure(element, "elements are nested more than \(Self.maxDepth) levels deep")
            }
            let bindings = try TemplateElementBindings(element: element, template: document.name)
            if let include = bindings.include, includes[include.parsed] == nil {
                do {
                    includes[include.parsed] = try loadInclude(include.parsed)
                } catch {
                    throw failure(element, include, error.message)
                }
            }
            try check(first: element.pointee.children, depth: depth + 1)
        }
    }

    // MARK: Binding

    private func process(first: xmlNodePtr?, scope: TemplateScope, inSVG: Bool, depth: Int) throws(TemplateError) {
        var node = first
        while let element = node {
            // Taken before processing: the element may be replaced by its copies or removed.
            node = element.pointee.next
            guard element.pointee.type == XML_ELEMENT_NODE else { continue }
            try processElement(element, scope: scope, inSVG: inSVG, depth: depth)
        }
    }

    private func processElement(_ element: xmlNodePtr, scope: TemplateScope, inSVG: Bool, depth: Int) throws(TemplateError) {
        let bindings = try TemplateElementBindings(element: element, template: document.name)
        if bindings.remove {
            Self.remove(element)
            return
        }
        if let loop = bindings.loop {
            try repeatElement(element, loop: loop, scope: scope, inSVG: inSVG, depth: depth)
            return
        }
        if let condition = bindings.conditionIf, try !holds(condition, in: scope, at: element) {
            Self.remove(element)
            return
        }
        if let condition = bindings.conditionUnless, try holds(condition, in: scope, at: element) {
            Self.remove(element)
            return
        }
        for node in bindings.attributeNodes { xmlRemoveProp(node) }

        if let include = bindings.include {
            try replaceChildren(of: element, with: includes[include.parsed] ?? "", binding: include)
        }
        for (target, binding) in bindings.attributes {
            try setAttribute(target, of: element, from: binding, in: scope)
        }
        if !bindings.classes.isEmpty {
            try addClasses(bindings.classes, to: element, in: scope)
        }
        let name = TemplateElementBindings.name(of: element)
        let isSVG = inSVG || name == "svg"
        if isSVG { TemplateSVGCase.restore(element) }

        if let text = bindings.text {
            let value = try resolve(text.parsed, in: scope, at: element, binding: text)
            let shown: String
            do {
                shown = try TemplateFormat.text(for: value, format: bindings.format?.parsed)
            } catch {
                throw failure(element, text, "'\(text.expression)': \(error.message)")
            }
            try replaceChildren(of: element, with: Self.sanitized(shown), binding: text)
            return
        }
        try process(first: element.pointee.children, scope: scope,
                    inSVG: TemplateSVGCase.childrenAreSVG(elementName: name, elementIsSVG: isSVG), depth: depth + 1)
    }

    private func repeatElement(
        _ element: xmlNodePtr, loop: TemplateElementBindings.Binding<TemplateLoop>,
        scope: TemplateScope, inSVG: Bool, depth: Int
    ) throws(TemplateError) {
        let (value, origin) = try resolveWithOrigin(loop.parsed.path, in: scope, at: element, binding: loop)
        guard case .array(let items) = value else {
            throw failure(element, loop, "'\(loop.parsed.path.text)' is not an array (found \(value.typeNameWithArticle))")
        }
        let variable = loop.parsed.variable
        let indentation = Self.indentation(before: element)
        for (index, item) in items.enumerated() {
            if index > 0, let indentation, let text = xmlNewDocText(document.pointer, indentation) {
                // Copies sit on their own lines, like the template's element, for a readable page source.
                if xmlAddPrevSibling(element, text) == nil { xmlFreeNode(text) }
            }
            guard let copy = xmlDocCopyNode(element, document.pointer, 1) else {
                throw failure(element, loop, "libxml2 could not copy the element")
            }
            guard xmlAddPrevSibling(element, copy) != nil else {
                xmlFreeNode(copy)
                throw failure(element, loop, "libxml2 could not insert the copy of the element")
            }
            xmlUnsetProp(copy, TemplateBindingName.each)
            let itemScope = scope
                .binding(variable, to: item, origin: origin.isEmpty ? "\(index)" : "\(origin).\(index)")
                .binding(variable + "_index", to: .int(Int64(index)), origin: origin)
                .binding(variable + "_number", to: .int(Int64(index) + 1), origin: origin)
            try processElement(copy, scope: itemScope, inSVG: inSVG, depth: depth)
        }
        Self.remove(element)
    }

    private func setAttribute(
        _ target: String, of element: xmlNodePtr, from binding: TemplateElementBindings.Binding<TemplatePath>,
        in scope: TemplateScope
    ) throws(TemplateError) {
        let value = try resolve(binding.parsed, in: scope, at: element, binding: binding)
        if value == .null {
            xmlUnsetProp(element, target)
            return
        }
        var text: String
        do {
            text = try TemplateFormat.defaultText(for: value)
        } catch {
            throw failure(element, binding, "'\(binding.expression)': \(error.message)")
        }
        if TemplateAttributePolicy.urlAttributes.contains(target) {
            text = TemplateAttributePolicy.safeURL(text)
        }
        guard let attribute = xmlSetProp(element, target, ""),
              setValue(of: attribute, to: Self.sanitized(text))
        else {
            throw failure(element, binding, "libxml2 could not set the attribute '\(target)'")
        }
    }

    /// Sets an attribute's value as text nodes that libxml2's serialiser escapes completely.
    ///
    /// libxml2 up to 2.13 copies two spans of an HTML attribute value unescaped: `<!--…-->` (for
    /// server-side includes) and `&{…}` (HTML 4 script macros). Quoting still holds, but an `&` inside
    /// such a span would read back as a character reference. The escaper looks at one text node at a
    /// time, so the value is split after every `<` and `&`: neither is then followed by `!--` or `{`
    /// within its node, and every character is escaped by libxml2 as usual.
    private func setValue(of attribute: xmlAttrPtr, to text: String) -> Bool {
        if let old = attribute.pointee.children { xmlFreeNodeList(old) }
        attribute.pointee.children = nil
        attribute.pointee.last = nil
        let parent = UnsafeMutablePointer<xmlNode>(OpaquePointer(attribute))
        var previous: xmlNodePtr?
        for chunk in Self.attributeChunks(text) {
            // Linked by hand because xmlAddChild would merge adjacent text nodes back into one.
            guard let node = xmlNewDocText(document.pointer, chunk) else { return false }
            node.pointee.parent = parent
            node.pointee.prev = previous
            if let previous { previous.pointee.next = node } else { attribute.pointee.children = node }
            attribute.pointee.last = node
            previous = node
        }
        return true
    }

    /// The value in one piece, or split after each `<` and `&` when it holds `<!--` or `&{`.
    static func attributeChunks(_ text: String) -> [String] {
        guard text.contains("<!--") || text.contains("&{") else { return [text] }
        var chunks: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            current.unicodeScalars.append(scalar)
            if scalar == "<" || scalar == "&" {
                chunks.append(current)
                current = ""
            }
        }
        if !current.isEmpty || chunks.isEmpty { chunks.append(current) }
        return chunks
    }

    private func addClasses(
        _ classes: [(name: String, binding: TemplateElementBindings.Binding<TemplateCondition>)],
        to element: xmlNodePtr, in scope: TemplateScope
    ) throws(TemplateError) {
        var names: [String] = []
        if let existing = xmlHasProp(element, "class") {
            names = TemplateElementBindings.value(of: existing).split(whereSeparator: { $0.isWhitespace }).map(String.init)
        }
        var added = false
        for (name, binding) in classes where try holds(binding, in: scope, at: element) {
            if !names.contains(name) {
                names.append(name)
                added = true
            }
        }
        guard added else { return }
        guard xmlSetProp(element, "class", names.joined(separator: " ")) != nil else {
            throw failure(element, "libxml2 could not set the class attribute")
        }
    }

    /// Replaces the element's children with one text node (none for empty text).
    private func replaceChildren<Parsed>(
        of element: xmlNodePtr, with text: String, binding: TemplateElementBindings.Binding<Parsed>
    ) throws(TemplateError) {
        while let child = element.pointee.children {
            xmlUnlinkNode(child)
            xmlFreeNode(child)
        }
        guard !text.isEmpty else { return }
        // A text node is never parsed for markup or entities; the serialiser escapes it.
        guard let node = xmlNewDocText(document.pointer, text) else {
            throw failure(element, binding, "libxml2 could not create a text node")
        }
        guard xmlAddChild(element, node) != nil else {
            xmlFreeNode(node)
            throw failure(element, binding, "libxml2 could not add a text node")
        }
    }

    // MARK: Paths and conditions

    private func holds(
        _ binding: TemplateElementBindings.Binding<TemplateCondition>, in scope: TemplateScope, at element: xmlNodePtr
    ) throws(TemplateError) -> Bool {
        binding.parsed.holds(for: try resolve(binding.parsed.path, in: scope, at: element, binding: binding))
    }

    private func resolve<Parsed>(
        _ path: TemplatePath, in scope: TemplateScope, at element: xmlNodePtr,
        binding: TemplateElementBindings.Binding<Parsed>
    ) throws(TemplateError) -> TemplateValue {
        try resolveWithOrigin(path, in: scope, at: element, binding: binding).value
    }

    private func resolveWithOrigin<Parsed>(
        _ path: TemplatePath, in scope: TemplateScope, at element: xmlNodePtr,
        binding: TemplateElementBindings.Binding<Parsed>
    ) throws(TemplateError) -> (value: TemplateValue, origin: String) {
        do {
            return try scope.resolve(path)
        } catch {
            throw failure(element, binding, error.message)
        }
    }

    private func failure<Parsed>(
        _ element: xmlNodePtr, _ binding: TemplateElementBindings.Binding<Parsed>, _ message: String
    ) -> TemplateError {
        TemplateError(template: document.name, line: xmlGetLineNo(element), binding: binding.attribute,
                      expression: binding.expression, message: message)
    }

    private func failure(_ element: xmlNodePtr, _ message: String) -> TemplateError {
        TemplateError(template: document.name, line: xmlGetLineNo(element), message: message)
    }

    // MARK: Helpers

    /// The whitespace-only text right before an element, such as "\n  ", or nil.
    private static func indentation(before element: xmlNodePtr) -> String? {
        guard let previous = element.pointee.prev, previous.pointee.type == XML_TEXT_NODE,
              let content = previous.pointee.content
        else { return nil }
        let text = String(cString: content)
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) else { return nil }
        return text
    }

    private static func remove(_ node: xmlNodePtr) {
        xmlUnlinkNode(node)
        xmlFreeNode(node)
    }

    /// The text with characters that may not appear in HTML or XML text replaced by U+FFFD.
    static func sanitized(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !isAllowed($0) }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            scalars.append(isAllowed(scalar) ? scalar : "\u{FFFD}")
        }
        return String(scalars)
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09, 0x0A, 0x0D: true
        case 0x00..<0x20, 0x7F...0x9F, 0xFFFE, 0xFFFF: false
        default: true
        }
    }
}
