/// A dotted path as written in a binding, split into its segments.
struct TemplatePath: Sendable, Hashable {
    let text: String
    let segments: [String]

    /// Nil unless every segment is non-empty and free of whitespace, quotes, `=`, `!` and control characters.
    init?(_ text: String) {
        guard !text.isEmpty else { return nil }
        let segments = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        for segment in segments {
            guard !segment.isEmpty, segment.unicodeScalars.allSatisfy(TemplatePath.isAllowed) else { return nil }
        }
        self.text = text
        self.segments = segments
    }

    private static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "\"", "'", "=", "!", "<", ">", "`": false
        default: !scalar.properties.isWhitespace && scalar.value >= 0x20 && scalar.value != 0x7F
        }
    }
}
