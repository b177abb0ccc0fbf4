/// A fast, strict reader for JSON-lines records: one line holds exactly one JSON object.
///
/// Audit logs run to tens of millions of lines, so this works on the line's bytes in place with
/// index arithmetic and allocates only the returned fields and their strings (a string without
/// escapes is created straight from its validated UTF-8 bytes; duplicate-key bookkeeping lives on
/// the stack). Nested arrays and objects are validated without recursion and returned as raw text.
/// Errors carry the 0-based byte offset in the line; the caller adds file and line number.
///
/// Strict RFC 8259, deliberately stricter than Foundation's `JSONSerialization` where that one is lax:
/// - **Duplicate top-level keys are rejected**, naming the key. Two parsers that keep different
///   copies of a duplicated key (first or last) would read one record two ways, which lets a
///   crafted line show one `user_id` to one tool and another to the evidence bundle. Keys are
///   compared as Swift `String`s, so canonically equivalent spellings (`é` as U+00E9 and as
///   `e` + U+0301) also count as duplicates: they would collide in any Swift dictionary built from
///   the fields. Duplicates inside nested values are not checked (they stay raw text).
/// - Trailing commas (`{"a":1,}`, `[1,]`) are rejected at every level.
/// - A UTF-8 byte order mark at the start of the line is rejected.
/// - Nesting deeper than `maxDepth` (the top-level object counts as level 1) is rejected.
/// Whitespace is JSON's: space, tab, CR and LF, so a line ending in `\r` (CRLF files) parses.
///
/// Where Foundation is stricter: a number literal whose magnitude overflows `Double` (`1e400`)
/// is valid RFC 8259 grammar and is accepted here as its literal text; the field's reader
/// decides what range it allows.
public struct JSONLineParser: Sendable {
    /// The deepest nesting accepted, counting the top-level object as 1.
    public let maxDepth: Int

    public init(maxDepth: Int = 64) {
        self.maxDepth = Swift.max(1, maxDepth)
    }

    /// Parses one line holding exactly one JSON object (whitespace around it allowed, nothing else).
    /// - Returns: The object's members in document order.
    public func parseObject(_ line: UnsafeRawBufferPointer) throws(JSONLineError) -> [JSONField] {
        guard let base = line.baseAddress, line.count > 0 else {
            throw JSONLineError(offset: 0, message: "expected '{' to open a JSON object, found an empty line")
        }
        var scanner = JSONLineScanner(
            bytes: base.assumingMemoryBound(to: UInt8.self), count: line.count, maxDepth: maxDepth)
        return try scanner.parseTopLevelObject()
    }

    /// Parses a line given as a `String` (convenience for tests and small inputs).
    public func parseObject(_ line: String) throws(JSONLineError) -> [JSONField] {
        var line = line
        let result = line.withUTF8 { utf8 in
            Result { () throws(JSONLineError) -> [JSONField] in
                try parseObject(UnsafeRawBufferPointer(utf8))
            }
        }
        return try result.get()
    }
}

// MARK: - Scanner

/// The cursor over one line's bytes; every method advances `index` past what it consumed.
private struct JSONLineScanner {
    let bytes: UnsafePointer<UInt8>
    let count: Int
    let maxDepth: Int
    var index = 0

    /// Up to this many fields, duplicate keys are found by comparing each new key with the
    /// earlier ones, using their bytes in the line when both are plain ASCII; beyond it a set
    /// takes over, so a hostile line with 100,000 keys costs linear time, not quadratic.
    private static let linearDuplicateScanLimit = 32

    init(bytes: UnsafePointer<UInt8>, count: Int, maxDepth: Int) {
        self.bytes = bytes
        self.count = count
        self.maxDepth = maxDepth
    }

    // MARK: Top level

    mutating func parseTopLevelObject() throws(JSONLineError) -> [JSONField] {
        if count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            throw JSONLineError(offset: 0, message: "byte order mark (U+FEFF) at the start of the line is not allowed")
        }
        skipWhitespace()
        guard index < count, bytes[index] == UInt8(ascii: "{") else {
            throw fail(index, "expected '{' to open a JSON object, found \(found(index))")
        }
        index += 1
        // Per key: its content's start and length in the line, or length -1 when the key is not
        // plain ASCII (escapes or non-ASCII bytes need a Unicode-aware String comparison).
        return try withUnsafeTemporaryAllocation(of: Int.self, capacity: 2 * Self.linearDuplicateScanLimit) {
            (keySpans) throws(JSONLineError) -> [JSONField] in
            try parseMembers(keySpans: keySpans)
        }
    }

    private mutating func parseMembers(keySpans: UnsafeMutableBufferPointer<Int>) throws(JSONLineError) -> [JSONField] {
        var fields: [JSONField] = []
        fields.reserveCapacity(20)
        var keySet: Set<String>? = nil
        var allKeysPlain = true
        var plainKeyFilter: UInt64 = 0

        skipWhitespace()
        if index < count, bytes[index] == UInt8(ascii: "}") {
            index += 1
        } else {
            while true {
                guard index < count, bytes[index] == UInt8(ascii: "\"") else {
                    if let last = fields.last {
                        throw fail(index, "expected '\"' to open the key after the value of key \(quoted(last.key)), found \(found(index))")
                    }
                    throw fail(index, "expected '\"' to open a key or '}' after '{', found \(found(index))")
                }
                let keyOffset = index
                let span = try scanString(context: nil)
                let key = makeString(span)
                let spanLength = span.isPlainASCII ? span.end - span.start : -1
                if fields.count < Self.linearDuplicateScanLimit {
                    // While every key is plain ASCII, a filter on (length, first and last byte)
                    // proves most keys new without comparing them with each earlier one.
                    var mayRepeat = true
                    if spanLength >= 0, allKeysPlain {
                        let bit = plainKeyFilterBit(span)
                        mayRepeat = plainKeyFilter & bit != 0
                        plainKeyFilter |= bit
                    } else {
                        allKeysPlain = false
                    }
                    if mayRepeat {
                        for k in fields.indices {
                            let earlierLength = keySpans[2 * k + 1]
                            let same = earlierLength >= 0 && spanLength >= 0
                                ? earlierLength == spanLength && bytesEqual(keySpans[2 * k], span.start, spanLength)
                                : fields[k].key == key
                            if same { throw duplicate(key, at: keyOffset) }
                        }
                    }
                    keySpans[2 * fields.count] = span.start
                    keySpans[2 * fields.count + 1] = spanLength
                } else {
                    if keySet == nil {
                        keySet = Set(fields.lazy.map(\.key))
                    }
                    if keySet?.insert(key).inserted == false {
                        throw duplicate(key, at: keyOffset)
                    }
                }

                skipWhitespace()
                guard index < count, bytes[index] == UInt8(ascii: ":") else {
                    throw fail(index, "expected ':' after key \(quoted(key)), found \(found(index))")
                }
                index += 1
                skipWhitespace()
                let value = try parseValue(key: key)
                fields.append(JSONField(key: key, value: value))

                skipWhitespace()
                guard index < count else {
                    throw fail(index, "expected ',' or '}' after the value of key \(quoted(key)), found end of line")
                }
                let separator = bytes[index]
                if separator == UInt8(ascii: "}") {
                    index += 1
                    break
                }
                guard separator == UInt8(ascii: ",") else {
                    throw fail(index, "expected ',' or '}' after the value of key \(quoted(key)), found \(found(index))")
                }
                let commaOffset = index
                index += 1
                skipWhitespace()
                if index < count, bytes[index] == UInt8(ascii: "}") {
                    throw fail(commaOffset, "trailing comma after the value of key \(quoted(key)) (expected another key before '}')")
                }
            }
        }
        skipWhitespace()
        if index < count {
            throw fail(index, "unexpected \(found(index)) after the end of the JSON object")
        }
        return fields
    }

    private func plainKeyFilterBit(_ span: StringSpan) -> UInt64 {
        let length = span.end - span.start
        guard length > 0 else { return 1 }
        let hash = UInt64(truncatingIfNeeded: length) &* 0x9E37_79B9 ^ UInt64(bytes[span.start]) &* 31 ^ UInt64(bytes[span.end - 1])
        return 1 << (hash & 63)
    }

    private func bytesEqual(_ first: Int, _ second: Int, _ length: Int) -> Bool {
        var k = 0
        while length - k >= 8 {
            let a = UnsafeRawPointer(bytes + first + k).loadUnaligned(as: UInt64.self)
            let b = UnsafeRawPointer(bytes + second + k).loadUnaligned(as: UInt64.self)
            if a != b { return false }
            k += 8
        }
        while k < length {
            if bytes[first + k] != bytes[second + k] { return false }
            k += 1
        }
        return true
    }

    private func duplicate(_ key: String, at offset: Int) -> JSONLineError {
        JSONLineError(offset: offset, message: "duplicate key \(quoted(key)) (each key may appear only once)")
    }

    /// Parses the value of top-level member `key`; the cursor is on its first byte.
    private mutating func parseValue(key: String) throws(JSONLineError) -> JSONValue {
        guard index < count else {
            throw fail(index, "expected a value for key \(quoted(key)), found end of line")
        }
        switch bytes[index] {
        case UInt8(ascii: "\""):
            return .string(try parseString(context: key))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let start = index
            try scanNumber(context: key)
            return .number(text(from: start, to: index))
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return try parseLiteral(context: key)
        case UInt8(ascii: "["):
            let start = index
            try scanNested(context: key)
            return .array(raw: text(from: start, to: index))
        case UInt8(ascii: "{"):
            let start = index
            try scanNested(context: key)
            return .object(raw: text(from: start, to: index))
        default:
            throw fail(index, "expected a value for key \(quoted(key)), found \(found(index))")
        }
    }

    private mutating func parseLiteral(context: String?) throws(JSONLineError) -> JSONValue {
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "t") where matches("true"):
            index += 4
            return .bool(true)
        case UInt8(ascii: "f") where matches("false"):
            index += 5
            return .bool(false)
        case UInt8(ascii: "n") where matches("null"):
            index += 4
            return .null
        default:
            throw fail(start, "expected a value\(forKey(context)), found \(found(start))")
        }
    }

    private func matches(_ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard count - index >= length else { return false }
        let expected = literal.utf8Start
        for k in 0..<length where bytes[index + k] != expected[k] {
            return false
        }
        return true
    }

    // MARK: Numbers

    /// Validates a number against RFC 8259's grammar:
    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private mutating func scanNumber(context: String?) throws(JSONLineError) {
        let start = index
        if bytes[index] == UInt8(ascii: "-") {
            index += 1
        }
        guard index < count, isDigit(bytes[index]) else {
            throw fail(index, "invalid number\(inValue(context)): expected a digit after '-', found \(found(index))")
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < count, isDigit(bytes[index]) {
                throw fail(start, "invalid number\(inValue(context)): leading zeros are not allowed")
            }
        } else {
            skipDigits()
        }
        if index < count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < count, isDigit(bytes[index]) else {
                throw fail(index, "invalid number\(inValue(context)): expected a digit after '.', found \(found(index))")
            }
            skipDigits()
        }
        if index < count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < count, isDigit(bytes[index]) else {
                throw fail(index, "invalid number\(inValue(context)): expected a digit in the exponent, found \(found(index))")
            }
            skipDigits()
        }
    }

    private mutating func skipDigits() {
        while index < count, isDigit(bytes[index]) {
            index += 1
        }
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    // MARK: Strings

    /// Parses the string whose opening quote is under the cursor and returns its decoded value.
    private mutating func parseString(context: String?) throws(JSONLineError) -> String {
        makeString(try scanString(context: context))
    }

    private func makeString(_ span: StringSpan) -> String {
        span.hasEscapes ? decodeEscapedString(from: span.start, to: span.end) : text(from: span.start, to: span.end)
    }

    /// A validated string's content (without quotes) in the line.
    struct StringSpan {
        var start: Int
        var end: Int
        var hasEscapes: Bool
        var hasNonASCII: Bool
        var isPlainASCII: Bool { !hasEscapes && !hasNonASCII }
    }

    /// Validates the string whose opening quote is under the cursor and moves past its closing quote.
    private mutating func scanString(context: String?) throws(JSONLineError) -> StringSpan {
        let open = index
        index += 1
        var span = StringSpan(start: index, end: index, hasEscapes: false, hasNonASCII: false)
        while true {
            // Eight bytes at a time while none needs a closer look: the common case is long
            // runs of ASCII (hashes, ids, timestamps).
            while count - index >= 8 {
                let word = UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self)
                if JSONBytes.needsAttention(word) { break }
                index += 8
            }
            guard index < count else {
                throw fail(open, "unterminated string\(inValue(context)): no closing '\"' before end of line")
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                break
            } else if byte == UInt8(ascii: "\\") {
                span.hasEscapes = true
                try scanEscape(stringOpen: open, context: context)
            } else if byte < 0x20 {
                throw fail(index, "unescaped control character \(hexByte(byte)) in string\(inValue(context)) (use an escape such as \\n or \\u00XX)")
            } else if byte < 0x80 {
                index += 1
            } else {
                span.hasNonASCII = true
                try scanUTF8Sequence(context: context)
            }
        }
        span.end = index
        index += 1
        return span
    }

    /// Validates the escape under the cursor and moves past it.
    private mutating func scanEscape(stringOpen: Int, context: String?) throws(JSONLineError) {
        let escape = index
        guard escape + 1 < count else {
            throw fail(stringOpen, "unterminated string\(inValue(context)): no closing '\"' before end of line")
        }
        switch bytes[escape + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 2
        case UInt8(ascii: "u"):
            guard let unit = hex4(at: escape + 2) else {
                throw fail(escape, "invalid escape \(escapeText(at: escape, maxLength: 6)) in string\(inValue(context)): \\u needs four hex digits")
            }
            switch unit {
            case 0xD800...0xDBFF:
                guard escape + 7 < count, bytes[escape + 6] == UInt8(ascii: "\\"),
                    bytes[escape + 7] == UInt8(ascii: "u"), let low = hex4(at: escape + 8),
                    (0xDC00...0xDFFF).contains(low)
                else {
                    throw fail(escape, "unpaired UTF-16 surrogate \(escapeText(at: escape, maxLength: 6)) in string\(inValue(context)): a high surrogate must be followed by a \\uDC00-\\uDFFF escape")
                }
                index += 12
            case 0xDC00...0xDFFF:
                throw fail(escape, "unpaired UTF-16 surrogate \(escapeText(at: escape, maxLength: 6)) in string\(inValue(context)): a low surrogate must follow a \\uD800-\\uDBFF escape")
            default:
                index += 6
            }
        default:
            throw fail(escape, "invalid escape \(escapeText(at: escape, maxLength: 2)) in string\(inValue(context))")
        }
    }

    /// The value of four hex digits at `offset`, or nil when they are not all there.
    private func hex4(at offset: Int) -> UInt32? {
        guard count - offset >= 4 else { return nil }
        var value: UInt32 = 0
        for k in offset..<(offset + 4) {
            guard let digit = Self.hexValue(bytes[k]) else { return nil }
            value = value << 4 | digit
        }
        return value
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte &- UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte &- UInt8(ascii: "a") &+ 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte &- UInt8(ascii: "A") &+ 10)
        default: nil
        }
    }

    /// Validates the multi-byte UTF-8 sequence under the cursor (Unicode Table 3-7: no overlongs,
    /// no encoded surrogates, nothing above U+10FFFF) and moves past it.
    private mutating func scanUTF8Sequence(context: String?) throws(JSONLineError) {
        let lead = bytes[index]
        guard let (length, secondRange) = JSONBytes.utf8Lead(lead) else {
            switch lead {
            case 0x80...0xBF:
                throw fail(index, "invalid UTF-8 in string\(inValue(context)): unexpected continuation byte \(hexByte(lead))")
            case 0xC0, 0xC1:
                throw fail(index, "invalid UTF-8 in string\(inValue(context)): overlong encoding (lead byte \(hexByte(lead)))")
            default:
                throw fail(index, "invalid UTF-8 in string\(inValue(context)): byte \(hexByte(lead)) never appears in UTF-8")
            }
        }
        guard count - index >= length, secondRange.contains(bytes[index + 1]) else {
            if count - index >= 2, (0x80...0xBF).contains(bytes[index + 1]) {
                let problem = switch lead {
                case 0xE0, 0xF0: "overlong encoding"
                case 0xED: "UTF-16 surrogate encoded in UTF-8"
                default: "code point above U+10FFFF"
                }
                throw fail(index, "invalid UTF-8 in string\(inValue(context)): \(problem) (starting with \(hexByte(lead)) \(hexByte(bytes[index + 1])))")
            }
            throw fail(index, "invalid UTF-8 in string\(inValue(context)): truncated sequence starting with \(hexByte(lead))")
        }
        for k in 2..<length where bytes[index + k] & 0xC0 != 0x80 {
            throw fail(index, "invalid UTF-8 in string\(inValue(context)): truncated sequence starting with \(hexByte(lead))")
        }
        index += length
    }

    /// Decodes a validated string's content, whose escapes are known to be well formed.
    private func decodeEscapedString(from start: Int, to end: Int) -> String {
        // Every escape is at least as long as the UTF-8 it stands for, so the content's length bounds the result.
        String(unsafeUninitializedCapacity: end - start) { output in
            var written = 0
            var k = start
            while k < end {
                let byte = bytes[k]
                guard byte == UInt8(ascii: "\\") else {
                    output[written] = byte
                    written += 1
                    k += 1
                    continue
                }
                let kind = bytes[k + 1]
                k += 2
                let simple: UInt8? = switch kind {
                case UInt8(ascii: "b"): 0x08
                case UInt8(ascii: "f"): 0x0C
                case UInt8(ascii: "n"): 0x0A
                case UInt8(ascii: "r"): 0x0D
                case UInt8(ascii: "t"): 0x09
                case UInt8(ascii: "u"): nil
                default: kind  // \" \\ \/
                }
                if let simple {
                    output[written] = simple
                    written += 1
                    continue
                }
                var scalar = hex4(at: k) ?? 0xFFFD
                k += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    let low = hex4(at: k + 2) ?? 0xDC00
                    k += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                written += Self.encodeUTF8(scalar, into: output, at: written)
            }
            return written
        }
    }

    private static func encodeUTF8(_ scalar: UInt32, into output: UnsafeMutableBufferPointer<UInt8>, at offset: Int) -> Int {
        switch scalar {
        case 0..<0x80:
            output[offset] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            output[offset] = UInt8(0xC0 | scalar >> 6)
            output[offset + 1] = UInt8(0x80 | scalar & 0x3F)
            return 2
        case 0x800..<0x10000:
            output[offset] = UInt8(0xE0 | scalar >> 12)
            output[offset + 1] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[offset + 2] = UInt8(0x80 | scalar & 0x3F)
            return 3
        default:
            output[offset] = UInt8(0xF0 | scalar >> 18)
            output[offset + 1] = UInt8(0x80 | scalar >> 12 & 0x3F)
            output[offset + 2] = UInt8(0x80 | scalar >> 6 & 0x3F)
            output[offset + 3] = UInt8(0x80 | scalar & 0x3F)
            return 4
        }
    }

    // MARK: Nested values

    /// Validates the nested array or object under the cursor without recursion and moves past it.
    ///
    /// The open containers are a bit stack (1 = object), in one machine word for the first 64
    /// levels and in an array beyond, so hostile nesting costs neither stack nor much memory
    /// before `maxDepth` stops it.
    private mutating func scanNested(context: String) throws(JSONLineError) {
        var depth = 0  // open nested containers; the top-level object adds one more level
        var kinds: UInt64 = 0
        var deepKinds: [Bool] = []

        func isObject(atLevel level: Int) -> Bool {
            level < 64 ? kinds >> UInt64(level) & 1 == 1 : deepKinds[level - 64]
        }

        while true {
            // The cursor is where a value must start.
            guard index < count else {
                throw fail(index, "expected a value\(inValue(context)), found end of line")
            }
            switch bytes[index] {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                let object = bytes[index] == UInt8(ascii: "{")
                guard depth + 2 <= maxDepth else {
                    throw fail(index, "nesting deeper than \(maxDepth) levels\(inValue(context))")
                }
                if depth < 64 {
                    if object { kinds |= 1 << UInt64(depth) } else { kinds &= ~(1 << UInt64(depth)) }
                } else {
                    if deepKinds.count > depth - 64 { deepKinds[depth - 64] = object } else { deepKinds.append(object) }
                }
                depth += 1
                index += 1
                skipWhitespace()
                let closer = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
                if index < count, bytes[index] == closer {
                    index += 1
                    depth -= 1
                } else if object {
                    try scanNestedKey(context: context, afterComma: false)
                    continue
                } else {
                    continue
                }
            case UInt8(ascii: "\""):
                _ = try scanString(context: context)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                try scanNumber(context: context)
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                _ = try parseLiteral(context: context)
            default:
                throw fail(index, "expected a value\(inValue(context)), found \(found(index))")
            }

            // After a complete value: close containers or move to the next element.
            while true {
                if depth == 0 { return }
                let object = isObject(atLevel: depth - 1)
                let closer = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
                skipWhitespace()
                guard index < count else {
                    throw fail(index, "expected ',' or '\(Character(Unicode.Scalar(closer)))' in nested \(object ? "object" : "array")\(inValue(context)), found end of line")
                }
                let byte = bytes[index]
                if byte == closer {
                    index += 1
                    depth -= 1
                    continue
                }
                guard byte == UInt8(ascii: ",") else {
                    throw fail(index, "expected ',' or '\(Character(Unicode.Scalar(closer)))' in nested \(object ? "object" : "array")\(inValue(context)), found \(found(index))")
                }
                let commaOffset = index
                index += 1
                skipWhitespace()
                if index < count, bytes[index] == closer {
                    throw fail(commaOffset, "trailing comma in nested \(object ? "object" : "array")\(inValue(context))")
                }
                if object {
                    try scanNestedKey(context: context, afterComma: true)
                }
                break
            }
        }
    }

    /// Validates `"key" :` inside a nested object and leaves the cursor on the value.
    private mutating func scanNestedKey(context: String, afterComma: Bool) throws(JSONLineError) {
        guard index < count, bytes[index] == UInt8(ascii: "\"") else {
            let expected = afterComma ? "expected '\"' to open a key" : "expected '\"' to open a key or '}'"
            throw fail(index, "\(expected) in nested object\(inValue(context)), found \(found(index))")
        }
        _ = try scanString(context: context)
        skipWhitespace()
        guard index < count, bytes[index] == UInt8(ascii: ":") else {
            throw fail(index, "expected ':' after a key in nested object\(inValue(context)), found \(found(index))")
        }
        index += 1
        skipWhitespace()
    }

    // MARK: Helpers

    private mutating func skipWhitespace() {
        while index < count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                index += 1
            default:
                return
            }
        }
    }

    /// The bytes in `start..<end`, known to be valid UTF-8.
    private func text(from start: Int, to end: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: bytes + start, count: end - start), as: UTF8.self)
    }

    private func fail(_ offset: Int, _ message: String) -> JSONLineError {
        JSONLineError(offset: offset, message: message)
    }

    /// Names what is at `offset` for an error message: a short word (`'NaN'`), one character or a byte's hex value.
    private func found(_ offset: Int) -> String {
        guard offset < count else { return "end of line" }
        let byte = bytes[offset]
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"):
            var end = offset
            while end < count, end - offset < 16, Self.isWordByte(bytes[end]) {
                end += 1
            }
            return "'\(text(from: offset, to: end))'"
        case UInt8(ascii: "'"):
            return "\"'\" (strings need double quotes)"
        case UInt8(ascii: "/"):
            return "'/' (comments are not allowed)"
        case 0x21...0x7E:
            return "'\(Character(Unicode.Scalar(byte)))'"
        default:
            return "byte \(hexByte(byte))"
        }
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            true
        default:
            false
        }
    }

    /// An escape as written, e.g. `\x` or `\u12G4`, with non-printable bytes shown as hex.
    private func escapeText(at offset: Int, maxLength: Int) -> String {
        var shown = ""
        var k = offset
        while k < count, k - offset < maxLength {
            let byte = bytes[k]
            if k > offset, byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { break }
            if (0x21...0x7E).contains(byte) {
                shown.append(Character(Unicode.Scalar(byte)))
            } else {
                shown += "<\(hexByte(byte))>"
            }
            k += 1
        }
        return shown
    }

    private func hexByte(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return "0x\(digits[Int(byte >> 4)])\(digits[Int(byte & 0xF)])"
    }

    private func forKey(_ key: String?) -> String {
        key.map { " for key \(quoted($0))" } ?? ""
    }

    private func inValue(_ key: String?) -> String {
        key.map { " (value of key \(quoted($0)))" } ?? ""
    }

    /// A key quoted for a one-line message: quotes, backslashes and control characters escaped,
    /// long keys shortened.
    private func quoted(_ key: String) -> String {
        var shown = "\""
        var length = 0
        for scalar in key.unicodeScalars {
            if length == 48 {
                shown += "…"
                break
            }
            length += 1
            switch scalar {
            case "\"": shown += "\\\""
            case "\\": shown += "\\\\"
            case "\u{0}"..."\u{1F}", "\u{7F}"..."\u{9F}", "\u{2028}", "\u{2029}":
                shown += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count)
                    + String(scalar.value, radix: 16, uppercase: true)
            default: shown.unicodeScalars.append(scalar)
            }
        }
        return shown + "\""
    }
}
