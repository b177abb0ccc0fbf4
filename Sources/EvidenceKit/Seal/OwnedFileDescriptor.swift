import Foundation

/// A POSIX file descriptor closed in `deinit`, with the few whole-file operations keys and bundles need.
final class OwnedFileDescriptor {
    let fd: Int32
    /// The path as given, for error messages.
    let path: String

    private init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    deinit { close(fd) }

    /// Opens an existing file for reading; inside bundles a symbolic link in the last component is refused,
    /// while key files may be links into a secrets mount.
    static func openForReading(_ path: String, followSymlinks: Bool = false) throws(FileAccessError) -> OwnedFileDescriptor {
        let fd = open(path, O_RDONLY | O_CLOEXEC | (followSymlinks ? 0 : O_NOFOLLOW))
        guard fd >= 0 else { throw FileAccessError("open", path: path) }
        return OwnedFileDescriptor(fd: fd, path: path)
    }

    /// Creates a new file with `mode` in the same system call, so it is never visible with looser permissions,
    /// and fails if anything (even a dangling symbolic link) already has that name.
    static func createExclusive(_ path: String, mode: mode_t) throws(FileAccessError) -> OwnedFileDescriptor {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode)
        guard fd >= 0 else { throw FileAccessError("create", path: path) }
        return OwnedFileDescriptor(fd: fd, path: path)
    }

    /// The file's status, from the open descriptor so no other file can be swapped in between.
    func status() throws(FileAccessError) -> stat {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileAccessError("inspect", path: path) }
        return info
    }

    /// Reads the whole file, refusing files larger than `limit` bytes (keys and manifests are small; a huge
    /// file there is hostile or a mistake, and must not exhaust memory).
    func readAll(limit: Int) throws(FileAccessError) -> Data {
        var result = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw FileAccessError("read", path: path)
            }
            if count == 0 { return result }
            guard result.count + count <= limit else {
                throw FileAccessError("read", path: path, reason: "the file is larger than \(limit) bytes")
            }
            result.append(contentsOf: buffer[0..<count])
        }
    }

    /// Streams the file through `body` in chunks and returns the number of bytes read.
    func forEachChunk(_ body: (UnsafeRawBufferPointer) -> Void) throws(FileAccessError) -> Int64 {
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var total: Int64 = 0
        while true {
            let count = read(fd, buffer.baseAddress, size)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileAccessError("read", path: path)
            }
            if count == 0 { return total }
            body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            total += Int64(count)
        }
    }

    /// Writes all of `data`, retrying short writes, then flushes it to stable storage.
    func writeAll(_ data: Data) throws(FileAccessError) {
        let failure: Int32? = data.withUnsafeBytes { bytes in
            guard let base = bytes.baseAddress else { return nil }
            var offset = 0
            while offset < bytes.count {
                let written = write(fd, base + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let failure { throw FileAccessError("write", path: path, code: failure) }
        guard fsync(fd) == 0 else { throw FileAccessError("flush", path: path) }
    }

    /// Creates `path` exclusively with `mode`, writes `data`, and removes the partial file if writing fails.
    static func createFile(_ path: String, contents data: Data, mode: mode_t) throws(FileAccessError) {
        let file = try createExclusive(path, mode: mode)
        do {
            try file.writeAll(data)
        } catch {
            unlink(path)
            throw error
        }
    }
}
