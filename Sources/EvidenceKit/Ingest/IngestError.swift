/// A failure that stops ingestion as a whole, as opposed to one rejected record (`InputError`).
public enum IngestError: Error, CustomStringConvertible, Sendable {
    case tooManyInputErrors(limit: Int, last: InputError)
    case unreadable(input: String, file: String, reason: String)
    case noAuditFiles(patterns: [String])

    public var description: String {
        switch self {
        case .tooManyInputErrors(let limit, let last):
            "Stopped after more than \(limit) rejected input records (the last at \(last)); the inputs are too broken to report on."
        case .unreadable(let input, let file, let reason):
            // The reason is often another error's full sentence; it keeps one full stop, not two.
            "Cannot read the \(input) input '\(file)': \(reason.hasSuffix(".") ? String(reason.dropLast()) : reason)."
        case .noAuditFiles(let patterns):
            "No audit log files match \(patterns.map { "'\($0)'" }.joined(separator: ", ")); check inputs.audit in the config."
        }
    }
}
