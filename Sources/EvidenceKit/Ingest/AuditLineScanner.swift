import Foundation

/// The audit ingest's fast path: finds where each known field's value lies in a line of the usual
/// shape, without building a `String` or a `JSONValue`.
///
/// It only answers for lines it fully understands: one flat object whose keys are spelled in plain
/// ASCII, each once (at most `maxUnknown` of them not known audit keys); values that are strings
/// without escapes (valid UTF-8 otherwise), numbers, null, or booleans for unknown keys; JSON
/// whitespace anywhere. For anything else (escapes, nested values, duplicates, any syntax error) `scan` returns false and the caller falls
/// back to `JSONLineParser` and `FieldReader`, which produce the exact row or error message. So
/// the scanner must never accept a line the strict parser rejects, and must read the same values:
/// every rule below is a subset of `JSONLineParser`'s.
final class AuditLineScanner {
    /// The known audit keys, in `AuditReader.known` order; a field's raw value is its bit in the masks.
    enum Field: Int, CaseIterable {
        case timestamp, sessionID, userID, agentID, server, tool, argumentsHash, responseHash, dlp, decision, latency
        case classification, correlationID, eventID, policyID, decisionReason, environment, seq, prevHash

        var key: String {
            switch self {
            case .timestamp: "timestamp"
            case .sessionID: "session_id"
            case .userID: "user_id"
            case .agentID: "agent_id"
            case .server: "tool_server"
            case .tool: "tool_name"
            case .argumentsHash: "arguments_hash"
            case .responseHash: "response_hash"
            case .dlp: "dlp_result"
            case .decision: "policy_decision"
            case .latency: "latency_ms"
            case .classification: "data_classification"
            case .correlationID: "correlation_id"
            case .eventID: "event_id"
            case .policyID: "policy_id"
            case .decisionReason: "decision_reason"
            case .environment: "environment"
            case .seq: "seq"
            case .prevHash: "prev_hash"
            }
        }

        var bit: UInt32 { 1 << UInt32(rawValue) }
    }

    static let keys = Field.allCases.map(\.key)

    /// Bits of the fields present, and of those holding a string, a number and null.
    private(set) var present: UInt32 = 0
    private(set) var strings: UInt32 = 0
    private(set) var numbers: UInt32 = 0
    private(set) var nulls: UInt32 = 0

    /// Per field, its value's start and end in the line (a string's content without quotes).
    private let starts: UnsafeMutablePointer<Int>
    private let ends: UnsafeMutablePointer<Int>

    /// Unknown keys, up to `maxUnknown` (more go to the general path): per key, its content's start
    /// and end and its value's raw JSON text's start and end.
    static let maxUnknown = 16
    private(set) var unknownCount = 0
    private let unknown: UnsafeMutablePointer<Int>
    private let order: UnsafeMutablePointer<Int>

    /// An open-addressing table from (length, first byte, last byte) to field index + 1 (0 is empty),
    /// confirmed by comparing the whole key.
    private static let slotCount = 256
    private let slots: UnsafeMutablePointer<UInt8>
    private let keyBytes: UnsafeMutablePointer<UInt8>
    private let keyStarts: [Int]
    private let keyLengths: [Int]

    init() {
        let keys = Self.keys
        starts = .allocate(capacity: keys.count)
        starts.initialize(repeating: 0, count: keys.count)
        ends = .allocate(capacity: keys.count)
        ends.initialize(repeating: 0, count: keys.count)
        unknown = .allocate(capacity: 4 * Self.maxUnknown)
        unknown.initialize(repeating: 0, count: 4 * Self.maxUnknown)
        order = .allocate(capacity: Self.maxUnknown)
        order.initialize(repeating: 0, count: Self.maxUnknown)
        slots = .allocate(capacity: Self.slotCount)
        slots.initialize(repeating: 0, count: Self.slotCount)
        let all = keys.flatMap { Array($0.utf8) }
        keyBytes = .allocate(capacity: all.count)
        keyBytes.initialize(from: all, count: all.count)
        var offset = 0
        var keyStarts: [Int] = []
        for key in keys {
            keyStarts.append(offset)
            offset += key.utf8.count
        }
        self.keyStarts = keyStarts
        keyLengths = keys.map { $0.utf8.count }
        for (index, key) in keys.enumerated() {
            let utf8 = Array(key.utf8)
            var slot = Self.slot(length: utf8.count, first: utf8[0], last: utf8[utf8.count - 1])
            while slots[slot] != 0 { slot = (slot + 1) & (Self.slotCount - 1) }
            slots[slot] = UInt8(index + 1)
        }
    }

    deinit {
        starts.deallocate()
        ends.deallocate()
        unknown.deallocate()
        order.deallocate()
        slots.deallocate()
        keyBytes.deallocate()
    }

    /// Where the value of a field found by `scan` lies in the line (a string's content without quotes).
    func span(_ field: Field) -> Range<Int> { starts[field.rawValue]..<ends[field.rawValue] }

    @inline(__always)
    private static func slot(length: Int, first: UInt8, last: UInt8) -> Int {
        (length &* 37 &+ Int(first) &* 7 &+ Int(last)) & (slotCount - 1)
    }

    /// The field index of the key at `key` (plain ASCII, `length` > 0 bytes), or nil for an unknown key.
    @inline(__always)
    private func field(_ key: UnsafePointer<UInt8>, length: Int) -> Int? {
        var slot = Self.slot(length: length, first: key[0], last: key[length - 1])
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            let index = entry - 1
            if keyLengths[index] == length, Self.bytesEqual(keyBytes + keyStarts[index], key, length) { return index }
            slot = (slot + 1) & (Self.slotCount - 1)
        }
    }

    /// Short keys compare faster inline than through a call to memcmp.
    @inline(__always)
    private static func bytesEqual(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ length: Int) -> Bool {
        var k = 0
        while length - k >= 8 {
            if UnsafeRawPointer(a + k).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + k).loadUnaligned(as: UInt64.self) { return false }
            k += 8
        }
        while k < length {
            if a[k] != b[k] { return false }
            k += 1
        }
        return true
    }

    /// Reads `line`; true when it has the usual shape and every present field's span is recorded.
    func scan(_ line: UnsafeRawBufferPointer) -> Bool {
        // Locals while scanning, stored once at the end: class properties cost an exclusivity check per access.
        var present: UInt32 = 0
        var strings: UInt32 = 0
        var numbers: UInt32 = 0
        var nulls: UInt32 = 0
        var unknownCount = 0
        defer {
            self.present = present
            self.strings = strings
            self.numbers = numbers
            self.nulls = nulls
            self.unknownCount = unknownCount
        }
        guard let raw = line.baseAddress else { return false }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        let n = line.count
        var i = Self.skipWhitespace(p, 0, n)
        guard i < n, p[i] == UInt8(ascii: "{") else { return false }
        i = Self.skipWhitespace(p, i + 1, n)
        while true {
            guard i < n, p[i] == UInt8(ascii: "\"") else { return false }
            let keyStart = i + 1
            guard let keyEnd = Self.stringEnd(p, keyStart, n, allowNonASCII: false), keyEnd > keyStart else { return false }
            let field = field(p + keyStart, length: keyEnd - keyStart)
            i = Self.skipWhitespace(p, keyEnd + 1, n)
            guard i < n, p[i] == UInt8(ascii: ":") else { return false }
            i = Self.skipWhitespace(p, i + 1, n)
            guard i < n else { return false }
            let valueStart = i
            let first = p[i]
            let kind: UInt8  // s(tring), n(umber), 0 (null), b(oolean)
            if first == UInt8(ascii: "\"") {
                guard let end = Self.stringEnd(p, i + 1, n, allowNonASCII: true) else { return false }
                kind = UInt8(ascii: "s")
                i = end + 1
            } else if first == UInt8(ascii: "-") || first &- UInt8(ascii: "0") < 10 {
                guard let end = Self.numberEnd(p, i, n) else { return false }
                kind = UInt8(ascii: "n")
                i = end
            } else if Self.matches(p, i, n, "null") {
                kind = 0
                i += 4
            } else if Self.matches(p, i, n, "true") {
                kind = UInt8(ascii: "b")
                i += 4
            } else if Self.matches(p, i, n, "false") {
                kind = UInt8(ascii: "b")
                i += 5
            } else {
                return false
            }
            if let field {
                let bit: UInt32 = 1 << UInt32(field)
                guard present & bit == 0 else { return false }
                present |= bit
                switch kind {
                case UInt8(ascii: "s"):
                    strings |= bit
                    starts[field] = valueStart + 1
                    ends[field] = i - 1
                case UInt8(ascii: "n"):
                    numbers |= bit
                    starts[field] = valueStart
                    ends[field] = i
                case 0:
                    nulls |= bit
                default:
                    return false  // no known field is a boolean; the general path names the error
                }
            } else {
                // An unknown key (kept in `extra`): plain ASCII, so comparing bytes finds duplicates
                // exactly as comparing Strings would.
                guard unknownCount < Self.maxUnknown else { return false }
                let length = keyEnd - keyStart
                for k in 0..<unknownCount {
                    let earlier = unknown + 4 * k
                    if earlier[1] - earlier[0] == length, memcmp(p + earlier[0], p + keyStart, length) == 0 { return false }
                }
                let entry = unknown + 4 * unknownCount
                entry[0] = keyStart
                entry[1] = keyEnd
                entry[2] = valueStart
                entry[3] = i
                unknownCount += 1
            }
            i = Self.skipWhitespace(p, i, n)
            guard i < n else { return false }
            if p[i] == UInt8(ascii: ",") {
                i = Self.skipWhitespace(p, i + 1, n)
                continue
            }
            guard p[i] == UInt8(ascii: "}") else { return false }
            return Self.skipWhitespace(p, i + 1, n) == n
        }
    }

    /// Writes `extra` for the unknown keys found by `scan` as `FieldReader.extras` would: one object,
    /// keys sorted, each value's JSON text (which for a string without escapes or control characters
    /// is its text in the line, quotes included). Nothing is written when there is no unknown key.
    func writeExtras(from line: UnsafeRawBufferPointer, into batch: inout AuditBatch) {
        guard unknownCount > 0, let raw = line.baseAddress else { return batch.appendNullSpan() }
        let p = raw.assumingMemoryBound(to: UInt8.self)
        // Insertion sort by key bytes, which is String order for ASCII keys.
        for k in 0..<unknownCount { order[k] = k }
        for k in 1..<max(unknownCount, 1) {
            let current = order[k]
            var j = k
            while j > 0, keyPrecedes(current, order[j - 1], p) {
                order[j] = order[j - 1]
                j -= 1
            }
            order[j] = current
        }
        let start = batch.byteCount
        batch.appendByte(UInt8(ascii: "{"))
        for k in 0..<unknownCount {
            let entry = unknown + 4 * order[k]
            if k > 0 { batch.appendByte(UInt8(ascii: ",")) }
            _ = batch.appendBytes(UnsafeRawBufferPointer(start: p + entry[0] - 1, count: entry[1] - entry[0] + 2))
            batch.appendByte(UInt8(ascii: ":"))
            _ = batch.appendBytes(UnsafeRawBufferPointer(start: p + entry[2], count: entry[3] - entry[2]))
        }
        batch.appendByte(UInt8(ascii: "}"))
        batch.appendSpan(start: start, count: batch.byteCount - start)
    }

    private func keyPrecedes(_ a: Int, _ b: Int, _ p: UnsafePointer<UInt8>) -> Bool {
        let first = unknown + 4 * a
        let second = unknown + 4 * b
        let firstLength = first[1] - first[0]
        let secondLength = second[1] - second[0]
        let order = memcmp(p + first[0], p + second[0], min(firstLength, secondLength))
        return order < 0 || (order == 0 && firstLength < secondLength)
    }

    @inline(__always)
    private static func matches(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int, _ literal: StaticString) -> Bool {
        let length = literal.utf8CodeUnitCount
        return n - i >= length && memcmp(p + i, literal.utf8Start, length) == 0
    }

    // MARK: Pieces

    @inline(__always)
    private static func skipWhitespace(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> Int {
        var i = start
        while i < n {
            switch p[i] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): i += 1
            default: return i
            }
        }
        return i
    }

    /// The index of the closing quote of the string whose content starts at `start`, or nil when the
    /// string has an escape, a control character, (unless allowed) a non-ASCII byte, invalid UTF-8 or
    /// no closing quote.
    @inline(__always)
    private static func stringEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int, allowNonASCII: Bool) -> Int? {
        var i = start
        while true {
            while n - i >= 8 {
                let word = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                if JSONBytes.needsAttention(word) { break }
                i += 8
            }
            guard i < n else { return nil }
            let byte = p[i]
            if byte == UInt8(ascii: "\"") { return i }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            if byte < 0x80 {
                i += 1
                continue
            }
            guard allowNonASCII, let next = utf8SequenceEnd(p, i, n) else { return nil }
            i = next
        }
    }

    /// The end of the well-formed UTF-8 sequence starting at `i`, or nil when it is not one.
    private static func utf8SequenceEnd(_ p: UnsafePointer<UInt8>, _ i: Int, _ n: Int) -> Int? {
        guard let (length, second) = JSONBytes.utf8Lead(p[i]), n - i >= length, second.contains(p[i + 1]) else { return nil }
        var k = 2
        while k < length {
            guard p[i + k] & 0xC0 == 0x80 else { return nil }
            k += 1
        }
        return i + length
    }

    /// The end of the RFC 8259 number starting at `start`, or nil when it breaks the grammar
    /// `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    private static func numberEnd(_ p: UnsafePointer<UInt8>, _ start: Int, _ n: Int) -> Int? {
        @inline(__always) func isDigit(_ i: Int) -> Bool { i < n && p[i] &- UInt8(ascii: "0") < 10 }
        var i = start
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return nil }
        if p[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(i) { return nil }
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < n, p[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return nil }
            while isDigit(i) { i += 1 }
        }
        if i < n, p[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < n, p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { return nil }
            while isDigit(i) { i += 1 }
        }
        return i
    }
}
