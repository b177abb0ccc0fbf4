import Foundation

/// A failed file-system call while reading or writing keys and bundles, carrying the system's reason.
public struct FileAccessError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What was being attempted, e.g. "create", "read", "rename".
    public let operation: String
    /// The file or folder involved, as the user named it where possible.
    public let path: String
    /// The `errno` value, or 0 when the failure did not come from a system call.
    public let code: Int32
    /// The reason, from `strerror` or written by the caller.
    public let reason: String

    init(_ operation: String, path: String, code: Int32 = errno) {
        self.operation = operation
        self.path = path
        self.code = code
        self.reason = String(cString: strerror(code))
    }

    init(_ operation: String, path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.code = 0
        self.reason = reason
    }

    public var description: String {
        "Could not \(operation) '\(path)': \(reason)."
    }
}
