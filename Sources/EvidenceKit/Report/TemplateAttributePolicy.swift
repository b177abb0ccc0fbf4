/// Which attributes data may set, and which URLs from data are let through.
///
/// Data comes from audit logs and other inputs an attacker may write to, so `data-attr-*` never
/// sets an event handler (`on*`), `style`, `srcdoc`, `srcset` or `http-equiv`, never sets `xmlns`
/// or a binding attribute, and never touches `<base>`, `<link>`, `<script>`, `<style>` or a
/// `<meta http-equiv>`. URL attributes (``urlAttributes``) take a value from data only when it is
/// a relative reference without a scheme (`checks/c1/sample.csv`, `#c1`, `?q`) or uses `https:` or
/// `mailto:`; anything else, such as `javascript:`, `data:` or a protocol-relative `//host`, is
/// replaced by `#` so the report still builds and the link goes nowhere.
enum TemplateAttributePolicy {
    /// Attributes whose value browsers load or navigate to.
    static let urlAttributes: Set<String> = [
        "href", "src", "xlink:href", "action", "formaction", "poster", "cite", "background", "longdesc",
        "usemap", "codebase", "data", "manifest", "ping", "icon", "profile", "classid", "archive", "lowsrc", "dynsrc",
    ]

    /// The schemes a URL from data may use.
    static let allowedSchemes: Set<String> = ["https", "mailto"]

    private static let refusedAttributes: Set<String> = ["style", "srcdoc", "srcset", "http-equiv", "xmlns"]
    private static let refusedElements: Set<String> = ["base", "link", "script", "style"]

    /// Why data may not set `attribute` on `element` (which has `hasHTTPEquiv` if a `<meta>`), or nil if it may.
    static func refusal(attribute: String, element: String, hasHTTPEquiv: Bool) -> String? {
        if attribute.hasPrefix("on") {
            return "event-handler attributes cannot be set from data"
        }
        if refusedAttributes.contains(attribute) || attribute.hasPrefix("xmlns:") {
            return "the '\(attribute)' attribute cannot be set from data"
        }
        if TemplateBindingName.isBinding(attribute) {
            return "'\(attribute)' is a binding attribute and cannot be set from data"
        }
        if refusedElements.contains(element) || (element == "meta" && hasHTTPEquiv) {
            return "attributes of <\(element)\(element == "meta" ? " http-equiv" : "")> cannot be set from data"
        }
        return nil
    }

    /// The URL itself if it is safe to put in a URL attribute, `#` otherwise.
    static func safeURL(_ value: String) -> String {
        // Browsers strip leading and trailing C0 controls and spaces and drop tabs and newlines anywhere,
        // so "java\tscript:" is a javascript: URL; judge the URL the way they will read it.
        let scalars = value.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }
        let significant = scalars.drop(while: { $0.value <= 0x20 }).reversed().drop(while: { $0.value <= 0x20 }).reversed()
        let url = String(String.UnicodeScalarView(significant))
        if url.hasPrefix("#") || url.isEmpty { return value }
        let first = url.unicodeScalars.prefix(2)
        if first.count == 2, first.allSatisfy({ $0 == "/" || $0 == "\\" }) { return "#" }
        let head = url.unicodeScalars.prefix(while: { $0 != "/" && $0 != "\\" && $0 != "?" && $0 != "#" })
        guard let colon = head.firstIndex(of: ":") else { return value }
        let scheme = String(String.UnicodeScalarView(head[..<colon])).lowercased()
        return allowedSchemes.contains(scheme) ? value : "#"
    }
}
