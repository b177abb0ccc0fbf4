/// Control characters made visible, for text from inputs that reaches a terminal or a CI log.
///
/// An escape sequence in a field of a hostile audit line could otherwise clear the screen or recolour
/// it, and a newline could print a forged `error:` line into the log an auditor reads.
public enum ControlCharacters {
    /// `text` with every C0 and C1 control character and DEL written as `\u{1b}`; other text unchanged.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                out += "\\u{" + String(scalar.value, radix: 16) + "}"
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value)
    }
}
