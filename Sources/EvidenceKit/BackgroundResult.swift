import Foundation

/// A value computed on a thread of its own, started at once and collected later.
///
/// For build steps that run beside the calling thread's work, such as the report's store figures
/// read on a connection of their own while the checks run:
///
///     let facts = BackgroundResult(name: "store facts") { try StoreFacts(store: ...) }
///     defer { facts.wait() }            // never leave the thread running past the caller
///     let results = try suite.run(...)
///     let figures = try facts.value()
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
