import Foundation

/// Writes human output: results to stdout, progress and errors to stderr, colour only on a
/// terminal and never when NO_COLOR is set (https://no-color.org).
enum Console {
    nonisolated(unsafe) static var quiet = false

    static let useColor: Bool = {
        let environment = ProcessInfo.processInfo.environment
        if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
        return isatty(STDERR_FILENO) == 1 && environment["TERM"] != "dumb"
    }()

    static func styled(_ text: String, _ code: String) -> String {
        useColor ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    static func error(_ message: String) {
        FileHandle.standardError.write(Data((styled("error:", "1;31") + " " + message + "\n").utf8))
    }

    static func warning(_ message: String) {
        FileHandle.standardError.write(Data((styled("warning:", "1;33") + " " + message + "\n").utf8))
    }

    static func progress(_ message: String) {
        guard !quiet else { return }
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
