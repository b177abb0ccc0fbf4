/// The parsed value of a `data-each` attribute: `item in path`.
struct TemplateLoop: Sendable, Hashable {
    /// The loop variable; `<variable>_index` (0-based) and `<variable>_number` (1-based) are bound with it.
    let variable: String
    let path: TemplatePath

    /// Nil unless the text is an identifier, the word `in` and a path, separated by whitespace.
    init?(_ text: String) {
        let words = text.split(whereSeparator: { $0.isWhitespace })
        guard words.count == 3, words[1] == "in", TemplateLoop.isIdentifier(words[0]),
              let path = TemplatePath(String(words[2]))
        else { return nil }
        variable = String(words[0])
        self.path = path
    }

    /// `[A-Za-z_][A-Za-z0-9_]*`, at most 64 characters.
    static func isIdentifier(_ text: Substring) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 64, !isDigit(first) else { return false }
        return text.utf8.allSatisfy { isDigit($0) || isLetter($0) || $0 == UInt8(ascii: "_") }
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
    }
}
