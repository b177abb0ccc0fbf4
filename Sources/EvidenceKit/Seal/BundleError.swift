/// A bundle that cannot be assembled or sealed, naming the path at fault.
public enum BundleError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The destination exists and `--force` was not given.
    case destinationExists(path: String)
    /// `--force` was given but the destination does not look like a bundle, so it is not deleted.
    case destinationNotABundle(path: String)
    /// A path to write inside the bundle is unsafe; `reason` says why.
    case invalidPath(path: String, reason: String)
    /// A file to be written already exists inside the bundle.
    case fileExists(path: String)
    /// The bundle folder is missing or is not a folder.
    case notAFolder(path: String)
    /// The bundle contains a symbolic link, which a manifest of file hashes cannot vouch for.
    case symbolicLink(path: String)
    /// The bundle contains a FIFO, socket or device.
    case notRegularFile(path: String)
    /// A file name is not valid UTF-8, so it cannot be written into MANIFEST.json.
    case nameNotUTF8(folder: String, escapedName: String)
    /// The folder already holds a file the sealer writes.
    case alreadySealed(path: String, file: String)
    /// `commit()` or `write` was called after the writer had committed or aborted.
    case writerFinished(path: String)

    public var description: String {
        switch self {
        case .destinationExists(let path):
            return "Bundle already exists at \(path); pass --force to replace it."
        case .destinationNotABundle(let path):
            return "'\(path)' exists and is not an mcp-evidence bundle (it has no MANIFEST.json); refusing to replace it even with --force."
        case .invalidPath(let path, let reason):
            return "Bundle path '\(path)' is not allowed: \(reason)."
        case .fileExists(let path):
            return "Bundle file '\(path)' has already been written."
        case .notAFolder(let path):
            return "Bundle folder '\(path)' does not exist or is not a folder."
        case .symbolicLink(let path):
            return "Bundle entry '\(path)' is a symbolic link; a bundle may contain only regular files and folders."
        case .notRegularFile(let path):
            return "Bundle entry '\(path)' is not a regular file or folder."
        case .nameNotUTF8(let folder, let escapedName):
            return "A file name in bundle folder '\(folder)' is not valid UTF-8: \(escapedName)."
        case .alreadySealed(let path, let file):
            return "Bundle folder '\(path)' already contains \(file); seal a freshly written folder."
        case .writerFinished(let path):
            return "The bundle writer for '\(path)' has already committed or aborted."
        }
    }
}
