import Foundation

extension TemplateValue {
    /// The value as a byte-stable JSON document (RFC 8259), as written to `data/summary.json`.
    ///
    /// - Object keys sorted by their UTF-8 bytes (code point order), independent of locale and platform.
    /// - Pretty printed with two spaces, `"key": value`, empty arrays and objects as `[]` and `{}`,
    ///   and a trailing newline.
    /// - Integers in plain decimal. Doubles in Swift's shortest round-trip form (`0.1`, `1.0`, `1e-05`,
    ///   `1.5e+300`), so they stay doubles when read back; `-0.0` is written as `0.0`, and NaN and
    ///   infinities, which JSON cannot hold, as `null`.
    /// - Strings escape `"`, `\` and the control characters U+0000–U+001F (`\b \f \n \r \t`, others as
    ///   `\u00XX` with lowercase hex); everything else, including `/` and non-ASCII, is written as UTF-8.
    public func jsonData() -> Data {
        var output: [UInt8] = []
        output.reserveCapacity(1024)
        writeJSON(into: &output, indent: 0)
        output.append(UInt8(ascii: "\n"))
        return Data(output)
    }

    private func writeJSON(into output: inout [UInt8], indent: Int) {
        switch self {
        case .string(let text):
            Self.writeJSONString(text, into: &output)
        case .int(let number):
            output.append(contentsOf: String(number).utf8)
        case .double(let number):
            output.append(contentsOf: Self.jsonNumber(number).utf8)
        case .bool(let flag):
            output.append(contentsOf: (flag ? "true" : "false").utf8)
        case .null:
            output.append(contentsOf: "null".utf8)
        case .array(let elements):
            guard !elements.isEmpty else {
                output.append(contentsOf: "[]".utf8)
                return
            }
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                Self.newline(into: &output, indent: indent + 1)
                element.writeJSON(into: &output, indent: indent + 1)
            }
            Self.newline(into: &output, indent: indent)
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            guard !members.isEmpty else {
                output.append(contentsOf: "{}".utf8)
                return
            }
            output.append(UInt8(ascii: "{"))
            let keys = members.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
            for (position, key) in keys.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                Self.newline(into: &output, indent: indent + 1)
                Self.writeJSONString(key, into: &output)
                output.append(contentsOf: ": ".utf8)
                members[key, default: .null].writeJSON(into: &output, indent: indent + 1)
            }
            Self.newline(into: &output, indent: indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    /// The JSON text of a double: shortest round-trip digits, `-0.0` as `0.0`, non-finite as `null`.
    static func jsonNumber(_ number: Double) -> String {
        guard number.isFinite else { return "null" }
        if number == 0 { return "0.0" }
        return "\(number)"
    }

    private static func newline(into output: inout [UInt8], indent: Int) {
        output.append(UInt8(ascii: "\n"))
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: indent * 2))
    }

    private static func writeJSONString(_ text: String, into output: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        output.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x08: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: output.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20:
                output.append(contentsOf: "\\u00".utf8)
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            default:
                output.append(byte)
            }
        }
        output.append(UInt8(ascii: "\""))
    }
}
