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
        guard text.count == textLength, output.count >= byteCount, let input = text.baseAddress, let out = output.baseAddress else { return false }
        // "sha256:" as one little-endian load of 7 bytes (the 8th byte is the first hex digit, masked off).
        guard input.loadUnaligned(as: UInt64.self) & 0x00FF_FFFF_FFFF_FFFF == prefixWord else { return false }
        return nibbles.withUnsafeBufferPointer { table in
            var invalid: UInt8 = 0
            for i in 0..<byteCount {
                let high = table[Int(input.load(fromByteOffset: 7 + 2 * i, as: UInt8.self))]
                let low = table[Int(input.load(fromByteOffset: 8 + 2 * i, as: UInt8.self))]
                invalid |= (high | low) & 0x10
                out.storeBytes(of: high << 4 | low & 0x0F, toByteOffset: i, as: UInt8.self)
            }
            return invalid == 0
        }
    }

    private static let prefixWord: UInt64 = prefix.enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }

    /// The value of each lowercase hex digit; 0x10 marks every other byte (uppercase hex included:
    /// it would not survive the round trip through `lower(hex(x))`).
    private static let nibbles: [UInt8] = (0..<256).map { byte in
        switch UInt8(byte) {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt8(byte) - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt8(byte) - UInt8(ascii: "a") + 10
        default: 0x10
        }
    }
}
