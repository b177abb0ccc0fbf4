/// A failure reading an input file as lines: it could not be opened or read, or its gzip data is damaged.
///
/// These stop the reading of that one file; problems inside a line (bad JSON, oversized lines)
/// are not errors of this kind but are reported per line so reading can continue.
public struct LineReaderError: Error, CustomStringConvertible, Sendable, Hashable {
    /// What went wrong.
    public enum Reason: Sendable, Hashable {
        /// The file could not be opened (or is not a file); carries the system's reason.
        case cannotOpen(String)
        /// A read from the open file failed; carries the system's reason.
        case readFailed(String)
        /// zlib rejected the compressed data; carries zlib's message.
        case gzipCorrupt(String)
        /// The compressed data stopped in the middle of a gzip member.
        case gzipTruncated
        /// zlib could not be set up or reset; carries zlib's message.
        case zlibFailure(String)
    }

    /// The file as given to the reader.
    public var path: String
    /// The byte offset in the file as stored on disk (compressed bytes for gzip) where the problem was found.
    public var offset: Int64
    /// What went wrong.
    public var reason: Reason

    public init(path: String, offset: Int64, reason: Reason) {
        self.path = path
        self.offset = offset
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .cannotOpen(let why):
            return "Cannot open '\(path)': \(why)."
        case .readFailed(let why):
            return "Cannot read '\(path)' at byte \(offset): \(why)."
        case .gzipCorrupt(let why):
            return "Corrupt gzip data in '\(path)' at byte \(offset): \(why)."
        case .gzipTruncated:
            return "The gzip stream ends early in '\(path)' at byte \(offset): the file is truncated."
        case .zlibFailure(let why):
            return "zlib failed while decompressing '\(path)' at byte \(offset): \(why)."
        }
    }
}
