import Foundation

/// Assembles a bundle in a temporary folder beside its destination and renames it into place only when
/// complete, so a reader never sees a half-written or unsigned bundle at the destination.
///
/// Write files into ``temporaryFolder`` (directly, through ``fileURL(for:)``, or with ``write(_:to:)``), seal
/// it, then call ``commit()``. If the writer is dropped or ``abort()`` is called before committing, the
/// temporary folder is removed.
public final class BundleWriter {
    /// Where the finished bundle will be.
    public let destination: URL
    /// Whether an existing bundle at the destination may be replaced.
    public let force: Bool
    /// The folder being assembled: same parent as the destination, named `.<name>.tmp-<pid>-<random>@<host>`, so
    /// the final `rename(2)` stays within one file system and is atomic.
    public let temporaryFolder: URL
    /// Problems that did not stop the commit, such as an old bundle that could not be fully deleted.
    public private(set) var warnings: [String] = []

    private enum State { case open, committed, aborted }
    private var state = State.open

    /// Checks the destination and creates the temporary folder (and the destination's parent, if missing).
    ///
    /// Fails before creating anything when the destination exists and `force` is false, or when `force` is
    /// true but the destination is not an earlier bundle (no MANIFEST.json), which guards against a mistyped
    /// `--out` deleting an unrelated folder.
    public init(destination: URL, force: Bool) throws {
        let destination = destination.standardizedFileURL
        let name = destination.lastPathComponent
        guard !name.isEmpty, name != "/", name != ".", name != ".." else {
            throw BundleError.invalidPath(path: destination.path, reason: "the destination has no folder name")
        }
        self.destination = destination
        self.force = force
        try Self.checkReplaceable(destination, force: force)

        let parent = destination.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        } catch {
            throw FileAccessError("create folder", path: parent.path, reason: error.localizedDescription)
        }
        let removed = Self.removeAbandoned(in: parent, name: name)
        var attempt = 0
        while true {
            let candidate = parent.appendingPathComponent(
                ".\(name).tmp-\(getpid())-\(Self.randomSuffix())@\(Self.host)", isDirectory: true)
            var code: Int32 = 0
            try? TemporaryPaths.create(candidate.path) {
                guard mkdir(candidate.path, 0o755) == 0 else {
                    code = errno
                    throw FileAccessError("create temporary folder", path: candidate.path, code: code)
                }
            }
            if code == 0 {
                temporaryFolder = candidate
                break
            }
            attempt += 1
            guard code == EEXIST, attempt < 16 else {
                throw FileAccessError("create temporary folder", path: candidate.path, code: code)
            }
        }
        warnings = removed.removed.map { "removed \(parent.appendingPathComponent($0).path), left by a build of this bundle that was stopped" }
            + removed.kept.map {
                "\(parent.appendingPathComponent($0).path) holds an earlier bundle that a stopped build had moved aside and no bundle replaced; it was left in place (rename it to \(name) to restore it)"
            }
    }

    /// Removes `.<name>.tmp-<pid>-<hex>` folders under `parent` whose process no longer runs: what a build
    /// of the same bundle killed outright (SIGKILL, out of memory) left behind. A `.<name>.old-…` folder
    /// (an earlier bundle moved aside while a new one replaced it) is removed only when a bundle is in
    /// place at the destination; otherwise it may be the only copy, and it is left with a warning.
    /// Other names, and folders of builds that may still run, are left alone; failures are ignored.
    static func removeAbandoned(in parent: URL, name: String) -> (removed: [String], kept: [String]) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return ([], []) }
        var info = stat()
        let bundleInPlace = lstat(parent.appendingPathComponent(name).appendingPathComponent("MANIFEST.json").path, &info) == 0
        var removed: [String] = [], kept: [String] = []
        for entry in names.sorted() {
            guard let pid = owner(of: entry, bundle: name), pid != getpid(), !ScratchFolder.isRunning(pid) else { continue }
            if entry.hasPrefix(".\(name).old-") && !bundleInPlace {
                kept.append(entry)
                continue
            }
            if (try? FileManager.default.removeItem(at: parent.appendingPathComponent(entry))) != nil { removed.append(entry) }
        }
        return (removed, kept)
    }

    /// The pid in a `.<bundle>.tmp-<pid>-<hex>@<host>` or `.<bundle>.old-<pid>-<hex>@<host>` name made on
    /// this host (or before names carried one); nil for any other name. A pid says nothing about a build on
    /// another machine or container writing to the same output folder, so its folders are never judged.
    static func owner(of entry: String, bundle: String, host: String = BundleWriter.host) -> pid_t? {
        for kind in [".tmp-", ".old-"] {
            let prefix = "." + bundle + kind
            guard entry.hasPrefix(prefix) else { continue }
            var rest = entry.dropFirst(prefix.count)
            if let at = rest.firstIndex(of: "@") {
                guard rest[rest.index(after: at)...] == host else { return nil }
                rest = rest[..<at]
            }
            let parts = rest.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0, !parts[1].isEmpty,
                parts[1].allSatisfy(\.isHexDigit), UInt32(parts[1], radix: 16) != nil
            else { return nil }
            return pid
        }
        return nil
    }

    /// This machine's name as it goes into temporary folder names: letters, digits and '-' only.
    static let host: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "unknown" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let cleaned = String(name.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }
            .map(Character.init).prefix(64))
        return cleaned.isEmpty ? "unknown" : cleaned
    }()

    deinit { abort() }

    /// The URL of `relativePath` inside the temporary folder, after checking the path is safe and creating its
    /// parent folders; for writers that stream large files themselves.
    public func fileURL(for relativePath: String) throws -> URL {
        guard state == .open else { throw BundleError.writerFinished(path: destination.path) }
        if let reason = BundlePath.problem(with: relativePath) {
            throw BundleError.invalidPath(path: relativePath, reason: reason)
        }
        let components = relativePath.split(separator: "/").map(String.init)
        var folder = temporaryFolder
        for component in components.dropLast() {
            folder.appendPathComponent(component, isDirectory: true)
            if mkdir(folder.path, 0o755) != 0 {
                let code = errno
                var info = stat()
                // An existing real folder is fine; a file or a symbolic link in its place is not.
                guard code == EEXIST, lstat(folder.path, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else {
                    throw FileAccessError("create folder", path: folder.path, code: code)
                }
            }
        }
        return temporaryFolder.appendingPathComponent(relativePath, isDirectory: false)
    }

    /// Writes `data` as a new file at `relativePath` inside the bundle, creating intermediate folders.
    ///
    /// Rejects absolute paths, `..` and `.` components, empty components, backslashes and control characters
    /// (``BundleError/invalidPath(path:reason:)``), and a path already written (``BundleError/fileExists(path:)``).
    public func write(_ data: Data, to relativePath: String) throws {
        let url = try fileURL(for: relativePath)
        do {
            try OwnedFileDescriptor.createFile(url.path, contents: data, mode: 0o644)
        } catch {
            if error.code == EEXIST { throw BundleError.fileExists(path: relativePath) }
            throw error
        }
    }

    /// Renames the temporary folder to the destination.
    ///
    /// If the destination appeared meanwhile, fails unless `force`; with `force` the old bundle is renamed
    /// aside, the new one renamed into place (the old one is put back if that fails), and the old one deleted.
    public func commit() throws {
        guard state == .open else { throw BundleError.writerFinished(path: destination.path) }
        let replacing = try Self.checkReplaceable(destination, force: force)
        let parent = destination.deletingLastPathComponent()
        let aside = parent.appendingPathComponent(
            ".\(destination.lastPathComponent).old-\(getpid())-\(Self.randomSuffix())@\(Self.host)", isDirectory: true)
        // Under TemporaryPaths' lock: a signal's cleanup runs wholly before the renames or after them,
        // never between the old bundle moving aside and the new one arriving.
        try TemporaryPaths.finish(temporaryFolder.path) {
            guard replacing else {
                guard rename(temporaryFolder.path, destination.path) == 0 else {
                    throw FileAccessError("rename \(temporaryFolder.path) to", path: destination.path)
                }
                return nil
            }
            guard rename(destination.path, aside.path) == 0 else {
                throw FileAccessError("move the old bundle aside from", path: destination.path)
            }
            guard rename(temporaryFolder.path, destination.path) == 0 else {
                let failure = FileAccessError("rename \(temporaryFolder.path) to", path: destination.path)
                if rename(aside.path, destination.path) != 0 {
                    warnings.append("the old bundle could not be put back and remains at \(aside.path)")
                }
                throw failure
            }
            // The old bundle is garbage from here on, also if a signal stops the deletion below.
            return aside.path
        }
        state = .committed
        guard replacing else { return }
        do {
            try FileManager.default.removeItem(at: aside)
            TemporaryPaths.unregister(aside.path)
        } catch {
            warnings.append("the replaced bundle could not be deleted and remains at \(aside.path): \(error.localizedDescription)")
        }
    }

    /// Removes the temporary folder unless the bundle was committed; safe to call more than once.
    public func abort() {
        guard state == .open else { return }
        state = .aborted
        try? FileManager.default.removeItem(at: temporaryFolder)
        TemporaryPaths.unregister(temporaryFolder.path)
    }

    /// Returns whether `destination` exists (and may be replaced), or throws when it must not be replaced.
    @discardableResult
    private static func checkReplaceable(_ destination: URL, force: Bool) throws -> Bool {
        var info = stat()
        guard lstat(destination.path, &info) == 0 else {
            guard errno == ENOENT else { throw FileAccessError("inspect", path: destination.path) }
            return false
        }
        guard force else { throw BundleError.destinationExists(path: destination.path) }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw BundleError.destinationNotABundle(path: destination.path) }
        var manifest = stat()
        if lstat(destination.appendingPathComponent("MANIFEST.json").path, &manifest) == 0,
            manifest.st_mode & S_IFMT == S_IFREG
        {
            return true
        }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: destination.path)) ?? ["?"]
        guard contents.isEmpty else { throw BundleError.destinationNotABundle(path: destination.path) }
        return true
    }

    private static func randomSuffix() -> String {
        String(UInt32.random(in: .min ... .max), radix: 16)
    }
}
