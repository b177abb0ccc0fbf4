extension BundlePath {
    /// A file-name-safe form of a data-derived name: ASCII letters and digits kept (lowercased),
    /// every other run of characters turned into one `-`, capped at 64 bytes. It can never be
    /// `.`/`..`, contain `/` or control characters, or be empty: a text with no ASCII letter or digit
    /// gives `fallback`.
    static func slug(_ text: String, fallback: @autoclosure () -> String = "unnamed") -> String {
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                out.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                out.append(byte + 32)
            case UInt8(ascii: "."), UInt8(ascii: "_"):
                // Kept inside a name (tool ids, check ids) but never first, so no hidden or dot-dot names.
                if !out.isEmpty && out.last != byte { out.append(byte) }
            default:
                if !out.isEmpty && out.last != UInt8(ascii: "-") { out.append(UInt8(ascii: "-")) }
            }
            if out.count >= 64 { break }
        }
        while let last = out.last, last == UInt8(ascii: "-") || last == UInt8(ascii: ".") || last == UInt8(ascii: "_") { out.removeLast() }
        return out.isEmpty ? fallback() : String(decoding: out, as: UTF8.self)
    }
}
