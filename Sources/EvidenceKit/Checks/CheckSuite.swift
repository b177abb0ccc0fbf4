import Foundation

/// Runs every check against a finished store and writes each one's exceptions and sample as CSV
/// into the bundle: `checks/<id>/exceptions.csv` (every exception) and `checks/<id>/sample.csv`.
///
/// Checks run on several read-only connections at once (SQLite allows concurrent readers), one
/// per core, because a check is one or two full scans of the calls table and they are independent.
public struct CheckSuite: Sendable {
    public let checks: [CheckDefinition]
    public var progress: @Sendable (String) -> Void = { _ in }
    /// How many checks run at the same time.
    public var parallelism = max(1, min(ProcessInfo.processInfo.activeProcessorCount, 4))

    public init(checks: [CheckDefinition]) {
        self.checks = checks
    }

    /// Loads the checks shipped in (or configured as) the mappings folder.
    public static func load(mappings: String) throws -> CheckSuite {
        CheckSuite(checks: try CheckDefinition.loadAll(folder: mappings + "/checks"))
    }

    /// Results in the order of `checks`, whatever order they finished in.
    public func run(storePath: String, periodLabel: String, writer: BundleWriter) throws -> [CheckResult] {
        // Paths are created up front, on this thread: the writer is not shared with the workers.
        let targets = try checks.map { check -> (exceptions: URL, sample: URL) in
            let folder = "checks/" + BundlePath.slug(check.id)
            return (try writer.fileURL(for: folder + "/exceptions.csv"), try writer.fileURL(for: folder + "/sample.csv"))
        }
        let state = SharedState(count: checks.count)
        DispatchQueue.concurrentPerform(iterations: min(parallelism, max(checks.count, 1))) { _ in
            do {
                let store = try EvidenceStore(readingAt: storePath)
                let runner = CheckRunner(store: store, periodLabel: periodLabel)
                while let index = state.next() {
                    let result = try Self.run(checks[index], runner: runner, exceptionsFile: targets[index].exceptions, sampleFile: targets[index].sample)
                    progress("check \(result.check.id): \(result.status.rawValue), population \(result.populationCount), exceptions \(result.exceptionCount) (\(String(format: "%.2f", result.durationSeconds)) s)")
                    state.store(result, at: index)
                }
            } catch {
                state.fail(error)
            }
        }
        return try state.results()
    }

    private static func run(_ check: CheckDefinition, runner: CheckRunner, exceptionsFile: URL, sampleFile: URL) throws -> CheckResult {
        let exceptions = try CSVWriter(path: exceptionsFile.path)
        var wroteHeader = false
        var result = runner.run(check) { columns, row in
            if !wroteHeader {
                try exceptions.writeRow(columns.map { CSVWriter.Cell.text($0) })
                wroteHeader = true
            }
            try exceptions.writeRow(row.map(CSVWriter.Cell.init))
        }
        if !wroteHeader {
            // An empty exceptions file still names its columns, so "no rows" reads as a result, not a gap.
            try exceptions.writeRow((result.exceptionColumns.isEmpty ? ["reason"] : result.exceptionColumns).map { CSVWriter.Cell.text($0) })
        }
        try exceptions.close()
        var sampleRows: [[CSVWriter.Cell]] = [(["row_number"] + result.sampleColumns).map { .text($0) }]
        for (number, row) in zip(result.sample?.rowNumbers ?? [], result.sampleRows) {
            sampleRows.append([.integer(Int64(number))] + row.map(CSVWriter.Cell.init))
        }
        try CSVWriter.data(rows: sampleRows).write(to: sampleFile, options: .withoutOverwriting)
        if result.status == .error { result.exceptionCount = 0 }
        return result
    }

    /// Work queue and result slots shared by the worker threads, guarded by one lock.
    private final class SharedState: @unchecked Sendable {
        private let lock = NSLock()
        private var nextIndex = 0
        private let count: Int
        private var slots: [CheckResult?]
        private var failure: (any Error)?

        init(count: Int) {
            self.count = count
            slots = Array(repeating: nil, count: count)
        }

        func next() -> Int? {
            lock.withLock {
                guard failure == nil, nextIndex < count else { return nil }
                defer { nextIndex += 1 }
                return nextIndex
            }
        }

        func store(_ result: CheckResult, at index: Int) { lock.withLock { slots[index] = result } }
        func fail(_ error: any Error) { lock.withLock { if failure == nil { failure = error } } }

        func results() throws -> [CheckResult] {
            try lock.withLock {
                if let failure { throw failure }
                return slots.compactMap { $0 }
            }
        }
    }
}
