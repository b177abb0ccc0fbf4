import Foundation

/// An open directory (`DIR *`), closed in `deinit`, yielding entry names as raw bytes.
final class DirectoryStream {
    #if canImport(Darwin)
    // Darwin's headers define DIR, so it is imported as a typed pointer rather than an opaque one.
    private typealias Handle = UnsafeMutablePointer<DIR>
    #else
    private typealias Handle = OpaquePointer
    #endif
    private let handle: Handle
    let path: String

    init(path: String) throws(FileAccessError) {
        guard let handle = opendir(path) else { throw FileAccessError("open folder", path: path) }
        self.handle = handle
        self.path = path
    }

    deinit { closedir(handle) }

    /// Every entry's name except `.` and `..`, as the bytes the file system stores.
    func names() throws(FileAccessError) -> [[UInt8]] {
        var result: [[UInt8]] = []
        while true {
            errno = 0
            guard let entry = readdir(handle) else {
                if errno != 0 { throw FileAccessError("read folder", path: path) }
                return result
            }
            let name = withUnsafeBytes(of: &entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            if name == [0x2e] || name == [0x2e, 0x2e] { continue }
            result.append(name)
        }
    }
}
