import Foundation
import Synchronization

/// The temporary folders this process is writing, so that a signal handler can remove them before
/// the process exits.
///
/// A build stopped by a CI timeout (SIGTERM) or by Ctrl-C must not leave a half-written bundle beside
/// the finished ones, where an artefact upload would pick it up, nor gigabytes of store in `TMPDIR`.
/// A build killed outright (SIGKILL) cannot clean up; the next build removes what it left
/// (``ScratchFolder/removeAbandoned(in:)``, ``BundleWriter``).
public enum TemporaryPaths {
    private struct State {
        var paths: Set<String> = []
        var removing = false
    }

    private static let state = Mutex(State())

    /// Runs `make`, which creates the folder at `path`, and registers it, both under the lock that
    /// ``removeAll()`` takes: a folder is never created between the removal and the exit that follows.
    /// Once removal has begun, the calling thread waits for that exit instead of creating anything.
    static func create(_ path: String, _ make: () throws -> Void) throws {
        let refused = try state.withLock { current throws -> Bool in
            guard !current.removing else { return true }
            try make()
            current.paths.insert(path)
            return false
        }
        if refused {
            while true { pause() }
        }
    }

    static func unregister(_ path: String) {
        state.withLock { _ = $0.paths.remove(path) }
    }

    /// The folders registered now, for tests.
    static var registered: Set<String> { state.withLock { $0.paths } }

    /// Removes every registered folder and refuses new ones. For a signal handler that exits right after.
    public static func removeAll() {
        state.withLock { current in
            current.removing = true
            for path in current.paths.sorted() { try? FileManager.default.removeItem(atPath: path) }
            current.paths.removeAll()
        }
    }
}
