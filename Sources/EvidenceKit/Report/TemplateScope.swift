/// The model plus the loop variables bound by enclosing `data-each` elements.
///
/// A path's first segment names a loop variable when one of that name is in scope (the innermost
/// wins), and a key of the model otherwise. Each variable remembers where its value came from
/// (`checks.3`), so errors inside loops point at the offending element of the data.
struct TemplateScope {
    struct Variable {
        let name: String
        let value: TemplateValue
        /// The value's path from the model root, e.g. `controls.1.checks.2`.
        let origin: String
    }

    let root: TemplateValue
    private var variables: [Variable] = []

    init(root: TemplateValue) {
        self.root = root
    }

    /// This scope with one more variable, shadowing any outer variable or model key of the same name.
    func binding(_ name: String, to value: TemplateValue, origin: String) -> TemplateScope {
        var scope = self
        scope.variables.append(Variable(name: name, value: value, origin: origin))
        return scope
    }

    /// The value at `path` and that value's path from the model root.
    func resolve(_ path: TemplatePath) throws(TemplateFailure) -> (value: TemplateValue, origin: String) {
        var segments = path.segments[...]
        var current = root
        var written = ""
        var origin = ""
        if let first = segments.first, let variable = variables.last(where: { $0.name == first }) {
            current = variable.value
            written = first
            origin = variable.origin
            segments = segments.dropFirst()
        }
        for segment in segments {
            guard let next = current.child(segment) else {
                throw TemplateFailure(message: Self.missing(
                    path: path.text, parent: current, written: written, origin: origin, segment: segment))
            }
            current = next
            written = written.isEmpty ? segment : written + "." + segment
            origin = origin.isEmpty ? segment : origin + "." + segment
        }
        return (current, origin)
    }

    private static func missing(
        path: String, parent: TemplateValue, written: String, origin: String, segment: String
    ) -> String {
        let subject: String
        if written.isEmpty {
            subject = "the model"
        } else if written == origin {
            subject = "'\(written)'"
        } else {
            subject = "'\(written)' (\(origin))"
        }
        let reason: String
        switch parent {
        case .object:
            reason = "\(subject) has no key '\(segment)'"
        case .array(let elements):
            if TemplateValue.arrayIndex(segment) != nil {
                reason = "\(subject) has \(elements.count) element\(elements.count == 1 ? "" : "s")"
            } else {
                reason = "\(subject) is an array, so '\(segment)' must be an index or 'length'"
            }
        default:
            reason = "\(subject) is \(parent.typeNameWithArticle), which has no '\(segment)'"
        }
        return "'\(path)' does not exist: \(reason)"
    }
}
