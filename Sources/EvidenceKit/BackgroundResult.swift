import Foundation

/// A value computed on a thread of its own, started at once and collected later.
///
/// For build steps that mostly wait (on git, or on a second database connection) while the calling
/// thread keeps the CPU busy with the audit load or the checks:
///
///     let history = BackgroundResult(name: "policy history") { try PolicyHistory(...) }
///     defer { history.wait() }          // never leave the thread running past the caller
///     try loadAuditLogs()
///     let commits = try history.value().commits
final class BackgroundResult<Value>: @unchecked Sendable {
    // Written once by the worker before it signals; read only after a wait, which orders the two.
    private var result: Result<Value, any Error> = .failure(CancellationError())
    private let done = DispatchSemaphore(value: 0)

    /// Starts `body` on a new thread, whose Foundation `Thread.name` is `name`.
    init(name: String, _ body: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result { try body() }
            done.signal()
        }
        thread.name = name
        thread.start()
    }

    /// Blocks until the thread has finished. Safe to call any number of times.
    func wait() {
        done.wait()
        // Hand the signal on, so a later wait (or value()) returns at once.
        done.signal()
    }

    /// Waits for the thread and returns what it computed, or throws what it threw.
    func value() throws -> Value {
        wait()
        return try result.get()
    }
}
