/// Byte-level rules of JSON text shared by the strict parser (`JSONLineParser`) and the audit fast
/// path (`AuditLineScanner`): one copy, so the fast path can never accept a string the parser rejects.
enum JSONBytes {
    /// True when one of the eight bytes is a quote, a backslash, a control character or non-ASCII.
    @inline(__always)
    static func needsAttention(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        // (x - 0x01..) & ~x & 0x80.. is non-zero exactly when some byte of x is zero; with
        // 0x20.. it flags bytes below 0x20. Non-ASCII bytes are caught by `word & highs`.
        let control = (word &- ones &* 0x20) & ~word
        let hasQuote = (quote &- ones) & ~quote
        let hasBackslash = (backslash &- ones) & ~backslash
        return ((control | hasQuote | hasBackslash) & highs) | (word & highs) != 0
    }

    /// For a byte that starts a multi-byte UTF-8 sequence, the sequence's length and the range its
    /// second byte must fall in (Unicode Table 3-7: no overlongs, no encoded surrogates, nothing above
    /// U+10FFFF); later bytes are 0x80...0xBF. Nil for a byte that never starts one: ASCII, a
    /// continuation byte, 0xC0, 0xC1, 0xF5...0xFF.
    @inline(__always)
    static func utf8Lead(_ lead: UInt8) -> (length: Int, second: ClosedRange<UInt8>)? {
        switch lead {
        case 0xC2...0xDF: (2, 0x80...0xBF)
        case 0xE0: (3, 0xA0...0xBF)
        case 0xED: (3, 0x80...0x9F)
        case 0xE1...0xEF: (3, 0x80...0xBF)
        case 0xF0: (4, 0x90...0xBF)
        case 0xF4: (4, 0x80...0x8F)
        case 0xF1...0xF3: (4, 0x80...0xBF)
        default: nil
        }
    }
}
