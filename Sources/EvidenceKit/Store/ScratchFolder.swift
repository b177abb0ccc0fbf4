import Foundation

/// The temporary folder holding a build's evidence store, named `mcp-evidence-<pid>-<uuid>` so that a
/// later build can tell a folder whose build was killed (its process is gone) from one still in use.
///
/// A build removes its own folder when it ends, but a build killed by a CI timeout or an out-of-memory
/// kill cannot, and at audit-log scale the store is gigabytes; each build therefore first removes
/// the folders of builds that no longer run.
public struct ScratchFolder: Sendable {
    static let prefix = "mcp-evidence-"

    /// The folder; removed by ``remove()`` or, if the process is stopped by a signal, by ``TemporaryPaths``.
    public let url: URL

    /// Creates a new folder under `parent` for this process, after removing abandoned ones there
    /// unless `removingAbandoned` is false (for short-lived folders made many times per run).
    public static func create(in parent: URL = FileManager.default.temporaryDirectory, removingAbandoned: Bool = true) throws -> ScratchFolder {
        if removingAbandoned { removeAbandoned(in: parent) }
        let url = parent.appendingPathComponent("\(prefix)\(getpid())-\(UUID().uuidString)")
        try TemporaryPaths.create(url.path) {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        return ScratchFolder(url: url)
    }

    /// Removes `mcp-evidence-<pid>-<uuid>` folders under `parent` whose process no longer exists.
    /// Anything else, and any folder whose process may still run, is left alone; failures are ignored
    /// because cleaning up after another build must never fail this one.
    @discardableResult
    static func removeAbandoned(in parent: URL) -> [String] {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent.path) else { return [] }
        var removed: [String] = []
        for name in names.sorted() {
            guard let pid = owner(of: name), pid != getpid(), !isRunning(pid) else { continue }
            if (try? FileManager.default.removeItem(at: parent.appendingPathComponent(name))) != nil { removed.append(name) }
        }
        return removed
    }

    /// The pid in a `mcp-evidence-<pid>-<uuid>` name; nil for any other name.
    static func owner(of name: String) -> pid_t? {
        guard name.hasPrefix(prefix) else { return nil }
        let parts = name.dropFirst(prefix.count).split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let pid = pid_t(parts[0]), pid > 0, UUID(uuidString: String(parts[1])) != nil else { return nil }
        return pid
    }

    /// kill(pid, 0) fails with ESRCH only when no such process exists; EPERM means it runs as another user.
    static func isRunning(_ pid: pid_t) -> Bool {
        kill(pid, 0) == 0 || errno != ESRCH
    }

    /// Removes the folder and everything in it.
    public func remove() {
        try? FileManager.default.removeItem(at: url)
        TemporaryPaths.unregister(url.path)
    }
}
