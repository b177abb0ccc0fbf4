/// How `call_details` stores the audit record's hashes: a value of the usual form `sha256:` followed by
/// 64 lowercase hex digits is kept as its 32 raw bytes (a BLOB), anything else as the text it was.
///
/// The three hashes are about half of an audit record's bytes; storing them raw makes the store of a
/// large quarter a fifth smaller, which is a fifth less to write back to disk. The `calls` view turns
/// a BLOB back into the exact text (`'sha256:' || lower(hex(x))`), so checks and auditors never see
/// the difference, and a value of any other form is untouched.
enum DigestColumn {
    static let prefix: [UInt8] = Array("sha256:".utf8)
    static let textLength = prefix.count + 64
    static let byteCount = 32

    /// Writes the 32 bytes of a `sha256:<64 lowercase hex>` value to `output`; false, with `output`
    /// left undefined, for any other text (which is then stored as text).
    static func pack(_ text: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Bool {
        guard text.count == textLength, output.count >= byteCount else { return false }
        for i in 0..<prefix.count where text[i] != prefix[i] { return false }
        for i in 0..<byteCount {
            guard let high = nibble(text[prefix.count + 2 * i]), let low = nibble(text[prefix.count + 2 * i + 1]) else { return false }
            output[i] = high << 4 | low
        }
        return true
    }

    /// Lowercase only: uppercase hex would not survive the round trip through `lower(hex(x))`.
    @inline(__always)
    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
