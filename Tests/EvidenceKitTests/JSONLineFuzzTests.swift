import Foundation
import Testing
@testable import EvidenceKit

// Differential fuzzing of JSONLineParser against Foundation's JSONSerialization.
//
// Where the two may disagree (everything else must agree exactly):
// - JSONLineParser rejects and Foundation accepts, by deliberate strictness:
//   * duplicate top-level keys (Foundation keeps the last one);
//   * trailing commas in objects and arrays at any level (Foundation accepts `{"a":1,}` and `[1,]`);
//   * a UTF-8 byte order mark before the object (Foundation skips it);
//   * nesting deeper than maxDepth (Foundation allows far deeper);
//   * a top-level value that is not an object (the test asks Foundation for fragments).
// - Foundation rejects and JSONLineParser accepts: a number whose magnitude overflows Double
//   (`1e400`) is valid RFC 8259 grammar; Foundation says "Number 1e400 is not representable in Swift".
// - Foundation alters data: it silently drops an unescaped U+FEFF at the start of a string or right
//   after an escape (it decodes each unescaped run with a BOM-skipping UTF-8 decoder), so strings and
//   keys are compared with Foundation's after removing U+FEFF from both. The exact check against the
//   generator keeps U+FEFF.

/// A generated JSON value, before serialisation.
private indirect enum Model {
    case string(String)
    case number(String)
    case bool(Bool)
    case null
    case array([Model])
    case object([(String, Model)])
}

/// Random JSON objects, serialised by a formatter that varies whitespace and escaping.
private struct LineGenerator {
    var rng: SplitMix64

    private static let specialScalars: [Unicode.Scalar] = [
        "\"", "\\", "/", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1F}", "\u{7F}",
        "\u{80}", "\u{E9}", "\u{301}", "\u{65E5}", "\u{2028}", "\u{D7FF}", "\u{E000}", "\u{FEFF}", "\u{FFFD}",
        "\u{FFFF}", "\u{1F600}", "\u{10000}", "\u{10FFFF}", " ", "'", "{", "}", "[", "]", ":", ",",
    ]

    mutating func whitespace() -> String {
        rng.chance(75) ? "" : rng.pick([" ", "  ", "\t", "\r", " \r\n\t", "\n"])
    }

    mutating func logicalString(maxLength: Int) -> String {
        var scalars = String.UnicodeScalarView()
        let length = rng.chance(5) ? rng.below(40) : rng.below(maxLength + 1)
        for _ in 0..<length {
            if rng.chance(75) {
                scalars.append(Unicode.Scalar(UInt8(0x20 + rng.below(0x5F))))
            } else {
                scalars.append(rng.pick(Self.specialScalars))
            }
        }
        return String(scalars)
    }

    private mutating func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        let padded = String(repeating: "0", count: 4 - digits.count) + digits
        return rng.chance(50) ? padded.uppercased() : padded
    }

    mutating func quoted(_ string: String) -> String {
        var out = "\""
        for scalar in string.unicodeScalars {
            let value = scalar.value
            let short: String? = switch value {
            case 0x22: "\\\""
            case 0x5C: "\\\\"
            case 0x2F: "\\/"
            case 0x08: "\\b"
            case 0x0C: "\\f"
            case 0x0A: "\\n"
            case 0x0D: "\\r"
            case 0x09: "\\t"
            default: nil
            }
            let mustEscape = value < 0x20 || value == 0x22 || value == 0x5C
            if let short, mustEscape ? rng.chance(60) : rng.chance(25) {
                out += short
            } else if mustEscape || rng.chance(15) {
                if value >= 0x10000 {
                    let offset = value - 0x10000
                    out += "\\u" + hex4(0xD800 + (offset >> 10)) + "\\u" + hex4(0xDC00 + (offset & 0x3FF))
                } else {
                    out += "\\u" + hex4(value)
                }
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(rng.below(10))) })
    }

    mutating func number() -> String {
        var text = rng.chance(30) ? "-" : ""
        if rng.chance(20) {
            text += "0"
        } else {
            text += String(1 + rng.below(9)) + digits(rng.chance(10) ? rng.below(30) : rng.below(8))
        }
        if rng.chance(40) {
            text += "." + digits(1 + (rng.chance(10) ? rng.below(25) : rng.below(6)))
        }
        if rng.chance(30) {
            text += rng.pick(["e", "E"]) + rng.pick(["", "+", "-"])
            text += String(rng.below(10)) + (rng.chance(50) ? digits(1) : "") + (rng.chance(4) ? digits(1) : "")
        }
        return text
    }

    mutating func value(depth: Int) -> Model {
        let roll = rng.below(100)
        switch roll {
        case 0..<35: return .string(logicalString(maxLength: 24))
        case 35..<65: return .number(number())
        case 65..<73: return .bool(rng.chance(50))
        case 73..<80: return .null
        case 80..<90 where depth < 4:
            return .array((0..<rng.below(5)).map { _ in value(depth: depth + 1) })
        case 90..<100 where depth < 4:
            // Nested keys come from a small pool, so nested duplicates (kept as raw text) occur.
            return .object((0..<rng.below(4)).map { _ in
                (rng.chance(50) ? rng.pick(["a", "b", "k"]) : logicalString(maxLength: 6), value(depth: depth + 1))
            })
        default:
            return .string(logicalString(maxLength: 8))
        }
    }

    mutating func serialise(_ model: Model) -> String {
        switch model {
        case .string(let string): return quoted(string)
        case .number(let literal): return literal
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .array(let elements):
            if elements.isEmpty { return "[" + whitespace() + "]" }
            return "[" + elements.map { whitespace() + serialise($0) + whitespace() }.joined(separator: ",") + "]"
        case .object(let members):
            if members.isEmpty { return "{" + whitespace() + "}" }
            return "{" + members.map { key, value in
                whitespace() + quoted(key) + whitespace() + ":" + whitespace() + serialise(value) + whitespace()
            }.joined(separator: ",") + "}"
        }
    }

    /// A line and the fields the parser must return for it.
    mutating func line() -> (text: String, expected: [JSONField], members: [String]) {
        var keys = Set<String>()
        var expected: [JSONField] = []
        var members: [String] = []
        for _ in 0..<rng.below(16) {
            let key = logicalString(maxLength: 14)
            guard keys.insert(key).inserted else { continue }
            let model = value(depth: 0)
            let text = serialise(model)
            let value: JSONValue = switch model {
            case .string(let string): .string(string)
            case .number(let literal): .number(literal)
            case .bool(let flag): .bool(flag)
            case .null: .null
            case .array: .array(raw: text)
            case .object: .object(raw: text)
            }
            expected.append(JSONField(key: key, value: value))
            members.append(whitespace() + quoted(key) + whitespace() + ":" + whitespace() + text + whitespace())
        }
        let body = members.isEmpty ? whitespace() : members.joined(separator: ",")
        return (whitespace() + "{" + body + "}" + whitespace(), expected, members)
    }
}

// MARK: - Comparison with Foundation

private enum FoundationOutcome {
    case accepted(Any)
    case rejected(String)
}

private func foundationParse(_ bytes: [UInt8]) -> FoundationOutcome {
    do {
        return .accepted(try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]))
    } catch {
        return .rejected("\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? error)")
    }
}

private func ourParse(_ bytes: [UInt8]) -> Result<[JSONField], JSONLineError> {
    bytes.withUnsafeBytes { buffer in
        Result { () throws(JSONLineError) in try JSONLineParser().parseObject(buffer) }
    }
}

private func isFoundationBoolean(_ number: NSNumber) -> Bool {
    String(cString: number.objCType) == "c"
}

/// Whether two values Foundation produced from JSON text are equal.
private func foundationEqual(_ first: Any, _ second: Any) -> Bool {
    switch (first, second) {
    case let (a as [Any], b as [Any]):
        return a.count == b.count && zip(a, b).allSatisfy { foundationEqual($0, $1) }
    case let (a as [String: Any], b as [String: Any]):
        return a.count == b.count && a.allSatisfy { key, value in b[key].map { foundationEqual(value, $0) } ?? false }
    case let (a as String, b as String):
        return a.utf8.elementsEqual(b.utf8)
    case (is NSNull, is NSNull):
        return true
    case let (a as NSNumber, b as NSNumber):
        return a == b
    default:
        return false
    }
}

/// A string without U+FEFF, which Foundation drops from some positions (see above).
private func withoutBOM(_ string: String) -> String {
    var scalars = String.UnicodeScalarView()
    scalars.append(contentsOf: string.unicodeScalars.lazy.filter { $0 != "\u{FEFF}" })
    return String(scalars)
}

/// Whether our value for a field agrees with Foundation's; nil when it does, else why not.
private func disagreement(_ ours: JSONValue, _ theirs: Any) -> String? {
    switch ours {
    case .string(let string):
        guard let other = theirs as? String, withoutBOM(other).utf8.elementsEqual(withoutBOM(string).utf8) else {
            return "string \(string.debugDescription) vs \(theirs)"
        }
    case .number(let literal):
        guard let number = theirs as? NSNumber, !isFoundationBoolean(number) else {
            return "number \(literal) vs \(theirs)"
        }
        if let decimal = number as? NSDecimalNumber {
            guard Decimal(string: literal) == decimal.decimalValue else {
                return "number \(literal) vs decimal \(decimal)"
            }
        } else {
            guard let ourDouble = Double(literal), ourDouble.isFinite, ourDouble == number.doubleValue else {
                return "number \(literal) vs \(number.doubleValue)"
            }
        }
    case .bool(let flag):
        guard let number = theirs as? NSNumber, isFoundationBoolean(number), number.boolValue == flag else {
            return "bool \(flag) vs \(theirs)"
        }
    case .null:
        guard theirs is NSNull else { return "null vs \(theirs)" }
    case .array(let raw), .object(let raw):
        guard let reparsed = try? JSONSerialization.jsonObject(with: Data(raw.utf8), options: [.fragmentsAllowed]) else {
            return "Foundation rejects our raw nested text \(raw)"
        }
        guard foundationEqual(reparsed, theirs) else { return "nested \(raw) vs \(theirs)" }
        if case .array = ours, !(reparsed is [Any]) { return "array \(raw) is not an array" }
        if case .object = ours, !(reparsed is [String: Any]) { return "object \(raw) is not an object" }
    }
    return nil
}

private func disagreement(_ ours: [JSONField], _ theirs: Any) -> String? {
    guard let object = theirs as? [String: Any] else { return "Foundation's result is not an object" }
    guard Set(ours.map { withoutBOM($0.key) }).count == ours.count else {
        return nil  // keys that differ only by U+FEFF cannot be matched up with Foundation's; rare
    }
    guard object.count == ours.count else { return "field count \(ours.count) vs \(object.count)" }
    let dictionary = Dictionary(object.map { (withoutBOM($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
    for field in ours {
        guard let value = dictionary[withoutBOM(field.key)] else { return "key \(field.key.debugDescription) missing in Foundation's result" }
        if let problem = disagreement(field.value, value) { return "key \(field.key.debugDescription): \(problem)" }
    }
    return nil
}

/// Which documented deliberate strictness our rejection of a line Foundation accepts is, if any.
private func deliberateStrictness(_ error: JSONLineError, line: [UInt8], foundation: Any) -> String? {
    if !(foundation is [String: Any]) { return "top-level value not an object" }
    let message = error.message
    if message.hasPrefix("duplicate key") { return "duplicate key" }
    if message.hasPrefix("byte order mark") { return line.starts(with: [0xEF, 0xBB, 0xBF]) ? "byte order mark" : nil }
    if message.hasPrefix("trailing comma") {
        guard error.offset < line.count, line[error.offset] == UInt8(ascii: ",") else { return nil }
        let next = line[(error.offset + 1)...].first { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }
        return next == UInt8(ascii: "}") || next == UInt8(ascii: "]") ? "trailing comma" : nil
    }
    return nil
}

/// Whether Foundation's rejection is its range limit on a number we keep as valid literal text.
private func isFoundationNumberRange(_ foundationMessage: String, ours: [JSONField]) -> Bool {
    guard let prefix = foundationMessage.range(of: "Number "),
        let suffix = foundationMessage.range(of: " is not representable")
    else { return false }
    let literal = String(foundationMessage[prefix.upperBound..<suffix.lowerBound])
    guard let value = Double(literal), value.isInfinite else { return false }
    return ours.contains { field in
        switch field.value {
        case .number(let number): number == literal
        case .array(let raw), .object(let raw): raw.contains(literal)
        default: false
        }
    }
}

// MARK: - Tests

@Suite struct JSONLineFuzzTests {
    /// 8 chunks × 1,250 generated lines, each also mutated once: 20,000 cases in all.
    static let chunks = 0..<8
    static let linesPerChunk = 1_250

    @Test(arguments: chunks)
    func generatedLinesParseExactlyAndAgreeWithFoundation(chunk: Int) {
        var generator = LineGenerator(rng: SplitMix64(state: 0x5EED_0000 + UInt64(chunk)))
        var failures: [String] = []
        var foundationRangeRejections = 0
        for _ in 0..<Self.linesPerChunk {
            let (text, expected, _) = generator.line()
            let bytes = Array(text.utf8)
            switch ourParse(bytes) {
            case .failure(let error):
                failures.append("rejected valid line \(text.debugDescription): \(error)")
                continue
            case .success(let fields):
                // Exact agreement with the generator: keys and strings byte for byte, numbers and nested values as written.
                let exact = fields.count == expected.count && zip(fields, expected).allSatisfy { ours, wanted in
                    guard ours.key.utf8.elementsEqual(wanted.key.utf8) else { return false }
                    if case .string(let a) = ours.value, case .string(let b) = wanted.value { return a.utf8.elementsEqual(b.utf8) }
                    return ours.value == wanted.value
                }
                if !exact {
                    failures.append("line \(text.debugDescription): got \(fields), expected \(expected)")
                }
                switch foundationParse(bytes) {
                case .accepted(let object):
                    if let problem = disagreement(fields, object) {
                        failures.append("line \(text.debugDescription): \(problem)")
                    }
                case .rejected(let message):
                    if isFoundationNumberRange(message, ours: fields) {
                        foundationRangeRejections += 1
                    } else {
                        failures.append("Foundation rejects generated line \(text.debugDescription): \(message)")
                    }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3))")
        #expect(foundationRangeRejections < Self.linesPerChunk / 10)
    }

    @Test(arguments: chunks)
    func mutatedLinesNeverParseWhereFoundationRefuses(chunk: Int) {
        var generator = LineGenerator(rng: SplitMix64(state: 0xBAD_0000 + UInt64(chunk)))
        var rng = SplitMix64(state: 0xF1_1900 + UInt64(chunk))
        let interesting: [UInt8] = Array("{}[],:\"\\ \t/'0123456789-+.eEtrufalsn".utf8)
            + [0x00, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC3, 0xE2, 0xED, 0xF0, 0xF4, 0xF5, 0xFF]
        var failures: [String] = []
        var bothAccept = 0, bothReject = 0
        var deliberate: [String: Int] = [:]
        for _ in 0..<Self.linesPerChunk {
            let (text, _, members) = generator.line()
            var bytes = Array(text.utf8)
            if !members.isEmpty, rng.chance(10) {
                // Repeat one member: the duplicate key Foundation tolerates.
                var repeated = members
                repeated.insert(rng.pick(members), at: rng.below(members.count + 1))
                bytes = Array(("{" + repeated.joined(separator: ",") + "}").utf8)
            }
            for _ in 0..<(1 + rng.below(3)) {
                let position = rng.below(bytes.count + 1)
                switch rng.below(6) {
                case 4:
                    // A comma before a closing bracket: the trailing comma Foundation tolerates.
                    if let close = bytes.indices.filter({ bytes[$0] == UInt8(ascii: "}") || bytes[$0] == UInt8(ascii: "]") }).randomElement(using: &rng) {
                        bytes.insert(UInt8(ascii: ","), at: close)
                    }
                case 0 where position < bytes.count:
                    bytes.remove(at: position)
                case 1:
                    bytes.insert(rng.chance(70) ? rng.pick(interesting) : UInt8(truncatingIfNeeded: rng.next()), at: position)
                case 2 where position < bytes.count:
                    bytes[position] = rng.pick(interesting)
                case 3 where position < bytes.count:
                    bytes[position] ^= 1 << UInt8(rng.below(8))
                default:
                    // Copy a slice elsewhere: duplicates keys, members and nesting.
                    let start = rng.below(bytes.count + 1)
                    let end = Swift.min(bytes.count, start + rng.below(24))
                    bytes.insert(contentsOf: bytes[start..<end], at: position)
                }
            }
            var shown: String { String(decoding: bytes, as: UTF8.self).debugDescription }
            switch (ourParse(bytes), foundationParse(bytes)) {
            case (.success(let fields), .accepted(let object)):
                bothAccept += 1
                if let problem = disagreement(fields, object) {
                    failures.append("\(shown): \(problem)")
                }
            case (.success(let fields), .rejected(let message)):
                if !isFoundationNumberRange(message, ours: fields) {
                    failures.append("we accept what Foundation rejects (\(message)): \(shown)")
                }
            case (.failure(let error), .accepted(let object)):
                if let kind = deliberateStrictness(error, line: bytes, foundation: object) {
                    deliberate[kind, default: 0] += 1
                } else {
                    failures.append("we reject what Foundation accepts (\(error)): \(shown)")
                }
            case (.failure, .rejected):
                bothReject += 1
            }
        }
        #expect(failures.isEmpty, "\(failures.count) failures, first: \(failures.prefix(3))")
        // The mutations must exercise every outcome, or the comparison proves little.
        #expect(bothAccept > 50)
        #expect(bothReject > 500)
        #expect(deliberate["duplicate key", default: 0] > 10)
        #expect(deliberate["trailing comma", default: 0] > 20)
    }
}
