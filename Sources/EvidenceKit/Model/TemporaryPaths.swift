import Foundation
import Synchronization

/// The temporary folders this process is writing, so that a signal handler can remove them before
/// the process exits.
///
/// A build stopped by a CI timeout (SIGTERM) or by Ctrl-C must not leave a half-written bundle beside
/// the finished ones, where an artefact upload would pick it up, nor gigabytes of store in `TMPDIR`.
/// A build killed outright (SIGKILL) cannot clean up; the next build removes what it left
/// (``ScratchFolder/removeAbandoned(in:)``, ``BundleWriter``).
///
/// The other threads go on running while the handler removes the folders, so creating a folder and
/// renaming a finished bundle into place take the same lock as the removal: each happens entirely
/// before it or not at all.
public enum TemporaryPaths {
    private struct State {
        var paths: Set<String> = []
        var removing = false
    }

    private static let state = Mutex(State())

    /// Runs `make`, which creates the folder at `path`, and registers it, both under the lock that
    /// ``removeAll()`` takes. Once removal has begun, the calling thread waits for the exit that follows
    /// instead of creating anything.
    static func create(_ path: String, _ make: () throws -> Void) throws {
        let refused = try state.withLock { current throws -> Bool in
            guard !current.removing else { return true }
            try make()
            current.paths.insert(path)
            return false
        }
        if refused { waitForExit() }
    }

    /// Runs `body`, which moves the folder at `path` out of the temporary paths (renames a finished
    /// bundle into place), and forgets it, under the same lock; registers instead the folder `body` returns,
    /// if any, which is garbage from then on (the old bundle it moved aside). Once removal has begun, the
    /// calling thread waits for the exit instead: a bundle is never renamed into place while its folder is
    /// being deleted.
    static func finish(_ path: String, _ body: () throws -> String?) throws {
        let refused = try state.withLock { current throws -> Bool in
            guard !current.removing else { return true }
            let garbage = try body()
            current.paths.remove(path)
            if let garbage { current.paths.insert(garbage) }
            return false
        }
        if refused { waitForExit() }
    }

    static func unregister(_ path: String) {
        state.withLock { _ = $0.paths.remove(path) }
    }

    /// The folders registered now, for tests.
    static var registered: Set<String> { state.withLock { $0.paths } }

    /// Removes every registered folder and refuses new ones; returns the folders that could not be
    /// removed. For a signal handler that exits right after.
    ///
    /// Each folder is first renamed, so a thread still writing into it fails instead of recreating
    /// files at its old path.
    public static func removeAll() -> [String] {
        state.withLock { current in
            current.removing = true
            var failed: [String] = []
            for path in current.paths.sorted() {
                let doomed = path + ".removing"
                let target = rename(path, doomed) == 0 ? doomed : path
                do {
                    try FileManager.default.removeItem(atPath: target)
                } catch {
                    if FileManager.default.fileExists(atPath: target) { failed.append(path) }
                }
            }
            current.paths.removeAll()
            return failed
        }
    }

    private static func waitForExit() -> Never {
        while true { pause() }
    }
}
