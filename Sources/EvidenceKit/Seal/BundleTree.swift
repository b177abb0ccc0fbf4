import Foundation

/// Everything found under a bundle folder, without following symbolic links, with relative paths joined by
/// `/` and sorted by their UTF-8 bytes.
struct BundleTree {
    /// Regular files.
    var files: [String] = []
    /// Symbolic links (to files or folders; never followed).
    var symbolicLinks: [String] = []
    /// FIFOs, sockets and devices.
    var specialFiles: [String] = []
    /// Entries whose names are not valid UTF-8, shown with `\xNN` escapes.
    var undecodableNames: [String] = []

    /// Walks `root` with an explicit work list rather than recursion, so a deeply nested hostile bundle
    /// cannot exhaust the stack.
    static func scan(_ root: URL) throws(FileAccessError) -> BundleTree {
        var tree = BundleTree()
        let rootPath = root.path
        var pending: [String] = [""]
        while let relativeFolder = pending.popLast() {
            let folderPath = relativeFolder.isEmpty ? rootPath : rootPath + "/" + relativeFolder
            for rawName in try DirectoryStream(path: folderPath).names() {
                guard let name = String(validating: rawName, as: UTF8.self) else {
                    let escaped = rawName.map { $0 < 0x80 && $0 >= 0x20 ? String(UnicodeScalar($0)) : "\\x" + [$0].hexString }
                    let prefix = relativeFolder.isEmpty ? "" : relativeFolder + "/"
                    tree.undecodableNames.append(prefix + escaped.joined())
                    continue
                }
                let relative = relativeFolder.isEmpty ? name : relativeFolder + "/" + name
                var info = stat()
                guard lstat(rootPath + "/" + relative, &info) == 0 else {
                    throw FileAccessError("inspect", path: rootPath + "/" + relative)
                }
                switch info.st_mode & S_IFMT {
                case S_IFREG: tree.files.append(relative)
                case S_IFDIR: pending.append(relative)
                case S_IFLNK: tree.symbolicLinks.append(relative)
                default: tree.specialFiles.append(relative)
                }
            }
        }
        tree.files.sort(by: BundlePath.precedes)
        tree.symbolicLinks.sort(by: BundlePath.precedes)
        tree.specialFiles.sort(by: BundlePath.precedes)
        tree.undecodableNames.sort(by: BundlePath.precedes)
        return tree
    }
}
