import Foundation
internal import CXML2

/// A template parsed by libxml2's HTML parser, owned until the document is released.
///
/// Parsing is strict where it helps template authors: anything libxml2 reports as an error (an end
/// tag that closes nothing, an attribute given twice, bytes that are not UTF-8) fails with the file
/// and line. The one complaint ignored is "unknown tag", because libxml2 2.9 knows only HTML 4
/// elements and would otherwise reject `<main>`, `<section>` and every element of inline SVG.
final class TemplateDocument {
    /// Templates larger than this are refused; a report template is a few dozen kilobytes.
    static let maxBytes = 8 << 20

    let pointer: xmlDocPtr
    let name: String

    init(parsing bytes: Data, name: String) throws(TemplateError) {
        guard !bytes.isEmpty else {
            throw TemplateError(template: name, line: 0, message: "the template is empty")
        }
        guard bytes.count <= Self.maxBytes else {
            throw TemplateError(template: name, line: 0,
                                message: "the template has \(bytes.count) bytes, more than the limit of \(Self.maxBytes)")
        }
        if let line = Self.firstInvalidUTF8Line(bytes) {
            throw TemplateError(template: name, line: line, message: "the template is not valid UTF-8")
        }

        xmlInitParser()
        let log = TemplateParseLog()
        // Every template is UTF-8 whatever its <meta charset> says; no DTD is implied and nothing is fetched.
        let options = Int32(HTML_PARSE_NONET.rawValue | HTML_PARSE_NODEFDTD.rawValue | HTML_PARSE_IGNORE_ENC.rawValue
            | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue)
        // The HTML parser ignores a context's own structured handler (that needs SAX2), so the
        // per-thread one is used and cleared again before anything else can run on this thread.
        xmlSetStructuredErrorFunc(Unmanaged.passUnretained(log).toOpaque()) { context, error in
            guard let context, let error else { return }
            Unmanaged<TemplateParseLog>.fromOpaque(context).takeUnretainedValue().record(error.pointee)
        }
        let parsed: xmlDocPtr? = withExtendedLifetime(log) {
            defer { xmlSetStructuredErrorFunc(nil, nil) }
            return bytes.withUnsafeBytes { raw -> xmlDocPtr? in
                guard let base = raw.baseAddress else { return nil }
                return htmlReadMemory(base.assumingMemoryBound(to: CChar.self), Int32(raw.count), name, "UTF-8", options)
            }
        }
        if let first = log.errors.first {
            if let parsed { xmlFreeDoc(parsed) }
            let more = log.errors.count > 1 ? " (and \(log.errors.count - 1) more parser errors)" : ""
            throw TemplateError(template: name, line: first.line,
                                message: "the HTML parser reports: \(first.message)\(more)")
        }
        guard let parsed else {
            throw TemplateError(template: name, line: 0, message: "libxml2 could not parse the template")
        }
        pointer = parsed
        self.name = name
    }

    deinit {
        xmlFreeDoc(pointer)
    }

    /// The document as UTF-8 HTML that starts with `<!DOCTYPE html>` and ends with a newline.
    ///
    /// libxml2's serialiser escapes `&`, `<` and `>` in text, and quotes and escapes attribute values,
    /// except inside `<script>` and `<style>` (refused and include-only respectively, see ``TemplateBinder``).
    func serialized() throws(TemplateError) -> Data {
        if let existing = xmlGetIntSubset(pointer) {
            let node = UnsafeMutablePointer<xmlNode>(OpaquePointer(existing))
            xmlUnlinkNode(node)
            xmlFreeDtd(existing)
        }
        guard xmlCreateIntSubset(pointer, "html", nil, nil) != nil else {
            throw TemplateError(template: name, line: 0, message: "libxml2 could not add the doctype")
        }
        if pointer.pointee.encoding == nil {
            pointer.pointee.encoding = UnsafePointer(xmlStrdup("UTF-8"))
        }
        guard let buffer = xmlAllocOutputBuffer(nil) else {
            throw TemplateError(template: name, line: 0, message: "libxml2 could not allocate an output buffer")
        }
        defer { xmlOutputBufferClose(buffer) }
        htmlDocContentDumpFormatOutput(buffer, pointer, "UTF-8", 0)
        guard buffer.pointee.error == 0, let content = xmlOutputBufferGetContent(buffer) else {
            throw TemplateError(template: name, line: 0,
                                message: "libxml2 could not serialise the document (error \(buffer.pointee.error))")
        }
        var data = Data(bytes: content, count: Int(xmlOutputBufferGetSize(buffer)))
        if data.last != UInt8(ascii: "\n") { data.append(UInt8(ascii: "\n")) }
        return data
    }

    /// The line of the first byte that breaks UTF-8, or nil if the bytes are valid UTF-8.
    private static func firstInvalidUTF8Line(_ bytes: Data) -> Int? {
        if String(validating: bytes, as: UTF8.self) != nil { return nil }
        return bytes.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 1 }
            var line = 1
            var offset = 0
            while offset < raw.count {
                var end = raw.count
                if let newline = memchr(base + offset, 0x0A, raw.count - offset) {
                    end = UnsafeRawPointer(newline) - base
                }
                let text = UnsafeRawBufferPointer(rebasing: raw[offset..<end])
                if String(validating: text, as: UTF8.self) == nil { return line }
                line += 1
                offset = end + 1
            }
            return line
        }
    }
}
