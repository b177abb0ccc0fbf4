/// A failure writing a CSV file of the bundle, naming the file and the system's reason.
public struct CSVWriterError: Error, CustomStringConvertible, Sendable, Hashable {
    /// The file being written.
    public var path: String
    /// What was being done: "create", "write" or "close".
    public var operation: String
    /// The system's reason.
    public var reason: String

    public init(path: String, operation: String, reason: String) {
        self.path = path
        self.operation = operation
        self.reason = reason
    }

    public var description: String {
        "Cannot \(operation) CSV file '\(path)': \(reason)."
    }
}
