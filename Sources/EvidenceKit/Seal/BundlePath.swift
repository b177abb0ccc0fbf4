/// Checks that a relative path names something inside a bundle folder and is safe to print in
/// `SHA256SUMS` and on a terminal.
///
/// Bundle paths are written into MANIFEST.json and SHA256SUMS and joined onto the bundle folder, so a path
/// that could climb out of the folder, be read differently by `sha256sum`, or hide characters on a terminal
/// is refused rather than escaped.
enum BundlePath {
    /// Returns `nil` when `path` is acceptable, otherwise the reason it is not.
    static func problem(with path: String) -> String? {
        if path.isEmpty { return "the path is empty" }
        if path.hasPrefix("/") { return "the path is absolute" }
        for scalar in path.unicodeScalars {
            if scalar == "\\" { return "the path contains a backslash" }
            if scalar.value < 0x20 || (0x7f...0x9f).contains(scalar.value) {
                return "the path contains a control character (U+\(String(scalar.value, radix: 16, uppercase: true)))"
            }
        }
        for component in path.split(separator: "/", omittingEmptySubsequences: false) {
            if component.isEmpty { return "the path has an empty component" }
            if component == ".." { return "the path contains '..'" }
            if component == "." { return "the path contains '.'" }
        }
        return nil
    }

    /// Orders paths by their UTF-8 bytes, as `sort` does in the C locale, so every platform agrees.
    static func precedes(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }
}
