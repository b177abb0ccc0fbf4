import Foundation

/// Renders the report's HTML from "natural templates": plain HTML files that open in a browser as a
/// mock-up and carry their data bindings in `data-*` attributes (see `templates/README.md`).
///
/// A template is parsed with libxml2's HTML parser, its bindings are applied to the DOM and the result
/// is serialised by libxml2 as UTF-8 with `<!DOCTYPE html>`, so every value from data is escaped by the
/// serialiser and never by string concatenation. Templates may not contain `<script>` or event
/// handlers; attributes and URLs from data are restricted (see `templates/README.md`). The same
/// template and model always give the same bytes.
///
/// Paths must exist: a missing key or index is an error, so a typo in a template cannot silently
/// produce an empty report. Data that may be absent should be `null` in the model.
public struct TemplateRenderer: Sendable {
    /// The folder holding the templates and the files they include.
    public let folder: URL

    /// Largest file `data-include` inlines.
    static let maxIncludeBytes = 2 << 20

    public init(folder: URL) {
        self.folder = folder
    }

    /// Renders the template file `name` (relative to ``folder``) with `model` as the data.
    public func render(template name: String, model: TemplateValue) throws(TemplateError) -> Data {
        guard Self.isSafeRelativePath(name) else {
            throw TemplateError(template: name, line: 0,
                                message: "a template name must be a relative path inside the template folder")
        }
        let bytes: Data
        do {
            bytes = try read(name)
        } catch {
            throw TemplateError(template: name, line: 0, message: error.message)
        }
        let document = try TemplateDocument(parsing: bytes, name: name)
        let binder = TemplateBinder(document: document) { (include: String) throws(TemplateFailure) -> String in
            try self.includedText(include)
        }
        try binder.bind(model: model)
        return try document.serialized()
    }

    /// The text of a stylesheet for `data-include`: UTF-8, no NUL, and no `</style` that would end the element.
    private func includedText(_ name: String) throws(TemplateFailure) -> String {
        let bytes = try read(name)
        guard bytes.count <= Self.maxIncludeBytes else {
            throw TemplateFailure(message: "'\(name)' has \(bytes.count) bytes, more than the limit of \(Self.maxIncludeBytes)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw TemplateFailure(message: "'\(name)' is not valid UTF-8")
        }
        guard !text.utf8.contains(0) else {
            throw TemplateFailure(message: "'\(name)' contains a NUL character")
        }
        // The text of <style> is written unescaped; "</style" in it would end the element early.
        guard text.range(of: "</style", options: .caseInsensitive) == nil else {
            throw TemplateFailure(message: "'\(name)' contains '</style', which would end the <style> element early")
        }
        return text
    }

    private func read(_ name: String) throws(TemplateFailure) -> Data {
        let url = folder.appendingPathComponent(name)
        do {
            return try Data(contentsOf: url)
        } catch {
            throw TemplateFailure(message: "cannot read '\(name)' in the template folder \(folder.path): "
                + error.localizedDescription)
        }
    }

    /// Whether `name` is a relative path that stays inside the template folder: no leading `/`, no
    /// backslash or NUL, and no empty, `.` or `..` component.
    static func isSafeRelativePath(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\"), !name.utf8.contains(0) else { return false }
        return name.split(separator: "/", omittingEmptySubsequences: false)
            .allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
