/// The rule for ids that become file or folder names (framework ids, check ids, control ids).
enum Identifier {
    /// Letters, digits, `.`, `-` and `_`, not empty and not starting with `.`, so an id can never
    /// climb out of its folder or hide as a dot-file.
    static func isValid(_ text: String) -> Bool {
        guard let first = text.utf8.first, first != UInt8(ascii: ".") else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
    }
}
