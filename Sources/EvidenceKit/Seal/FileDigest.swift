import Foundation

/// A file's size and SHA-256, computed in one streaming pass.
struct FileDigest: Equatable {
    var bytes: Int
    var sha256: String

    /// Hashes the regular file at `path`, refusing a symbolic link in the last component.
    static func of(path: String) throws -> FileDigest {
        let file = try OwnedFileDescriptor.openForReading(path)
        let info = try file.status()
        guard info.st_mode & S_IFMT == S_IFREG else { throw BundleError.notRegularFile(path: path) }
        let hasher = try SHA256()
        let count = try file.forEachChunk { hasher.update($0) }
        return FileDigest(bytes: Int(count), sha256: hasher.finalize().hexString)
    }
}
