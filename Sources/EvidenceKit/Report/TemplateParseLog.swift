internal import CXML2

/// The errors libxml2 reports while parsing one template, collected by the structured error handler.
final class TemplateParseLog {
    struct Entry {
        let line: Int
        let message: String
    }

    private(set) var errors: [Entry] = []

    func record(_ error: xmlError) {
        // libxml2 2.9 knows only HTML 4 tags; HTML5 and SVG elements are fine in a template.
        guard error.code != Int32(XML_HTML_UNKNOWN_TAG.rawValue),
              error.level.rawValue >= XML_ERR_ERROR.rawValue
        else { return }
        var message = error.message.map { String(cString: $0) } ?? "error \(error.code)"
        while message.last?.isWhitespace == true { message.removeLast() }
        errors.append(Entry(line: Int(error.line), message: message))
    }
}
