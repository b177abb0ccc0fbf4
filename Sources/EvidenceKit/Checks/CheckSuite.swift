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
        let state = SharedState(work: Self.workOrder(checks))
        DispatchQueue.concurrentPerform(iterations: min(parallelism, max(checks.count, 1))) { _ in
            do {
                let store = try EvidenceStore(readingAt: storePath)
                let runner = CheckRunner(store: store, periodLabel: periodLabel)
                while let item = state.next() {
                    let check = checks[item.check]
                    switch item.half {
                    case .population:
                        state.store(runner.population(of: check), for: item.check)
                    case .exceptions:
                        state.store(try Self.exceptions(of: check, runner: runner, file: targets[item.check].exceptions), for: item.check)
                    }
                    if let (population, exceptions) = state.bothHalves(of: item.check) {
                        let result = try Self.finish(check, population: population, exceptions: exceptions,
                                                     exceptionsFile: targets[item.check].exceptions, sampleFile: targets[item.check].sample)
                        let status = result.listsObservations ? "observations" : result.status.rawValue
                        progress("check \(result.check.id): \(status), population \(result.populationCount), exceptions \(result.exceptionCount) (\(String(format: "%.2f", result.durationSeconds)) s)")
                        state.store(result, at: item.check)
                    }
                }
            } catch {
                state.fail(error)
            }
        }
        return try state.results()
    }

    /// One half of one check: the unit of work handed to a connection.
    struct WorkItem: Equatable {
        enum Half { case population, exceptions }
        var check: Int
        var half: Half
    }

    /// Both halves of every check, those that read the calls first. Halves rather than whole checks,
    /// so the last piece of work, which leaves the other core idle, is at most one scan long; the
    /// calls first, so the short queries over approvals and policies fill the gaps at the end. The
    /// order changes only when each half runs, never what it returns.
    static func workOrder(_ checks: [CheckDefinition]) -> [WorkItem] {
        func readsCalls(_ sql: String) -> Bool {
            sql.range(of: #"\bcall(s|_rows|_details|_policy|s_in_period|s_located)\b"#, options: .regularExpression) != nil
        }
        let items = checks.indices.flatMap { index in
            [WorkItem(check: index, half: .population), WorkItem(check: index, half: .exceptions)]
        }
        let heavy = items.filter { item in
            let check = checks[item.check]
            return readsCalls(item.half == .population ? check.population : check.exceptions)
        }
        return heavy + items.filter { !heavy.contains($0) }
    }

    /// Runs the exceptions half, writing every row to `file` as it is read.
    private static func exceptions(of check: CheckDefinition, runner: CheckRunner, file: URL) throws -> CheckRunner.ExceptionsOutcome {
        let csv = try CSVWriter(path: file.path)
        var wroteHeader = false
        let outcome = runner.exceptions(of: check) { columns, row in
            if !wroteHeader {
                try csv.writeRow(columns.map { CSVWriter.Cell.text($0) })
                wroteHeader = true
            }
            try csv.writeRow(row.map(CSVWriter.Cell.init))
        }
        if !wroteHeader {
            // An empty exceptions file still names its columns, so "no rows" reads as a result, not a gap.
            try csv.writeRow((outcome.columns.isEmpty ? ["reason"] : outcome.columns).map { CSVWriter.Cell.text($0) })
        }
        try csv.close()
        return outcome
    }

    /// Combines the halves and writes the sample. A check whose population failed is an error whose
    /// exceptions were not taken: its exceptions file is left with the header alone.
    private static func finish(_ check: CheckDefinition, population: CheckRunner.PopulationOutcome, exceptions: CheckRunner.ExceptionsOutcome,
                               exceptionsFile: URL, sampleFile: URL) throws -> CheckResult {
        if population.errorMessage != nil {
            let csv = try CSVWriter(path: exceptionsFile.path)
            try csv.writeRow([.text("reason")])
            try csv.close()
        }
        var result = CheckRunner.result(of: check, population: population, exceptions: population.errorMessage == nil ? exceptions : nil)
        var sampleRows: [[CSVWriter.Cell]] = [(["row_number"] + result.sampleColumns).map { .text($0) }]
        for (number, row) in zip(result.sample?.rowNumbers ?? [], result.sampleRows) {
            sampleRows.append([.integer(Int64(number))] + row.map(CSVWriter.Cell.init))
        }
        try CSVWriter.data(rows: sampleRows).write(to: sampleFile, options: .withoutOverwriting)
        if result.status == .error { result.exceptionCount = 0 }
        return result
    }

    /// Work queue, halves and result slots shared by the worker threads, guarded by one lock.
    private final class SharedState: @unchecked Sendable {
        private let lock = NSLock()
        private let work: [WorkItem]
        private var nextIndex = 0
        private var populations: [Int: CheckRunner.PopulationOutcome] = [:]
        private var exceptions: [Int: CheckRunner.ExceptionsOutcome] = [:]
        private var slots: [CheckResult?]
        private var failure: (any Error)?

        init(work: [WorkItem]) {
            self.work = work
            slots = Array(repeating: nil, count: work.count / 2)
        }

        func next() -> WorkItem? {
            lock.withLock {
                guard failure == nil, nextIndex < work.count else { return nil }
                defer { nextIndex += 1 }
                return work[nextIndex]
            }
        }

        func store(_ outcome: CheckRunner.PopulationOutcome, for check: Int) { lock.withLock { populations[check] = outcome } }
        func store(_ outcome: CheckRunner.ExceptionsOutcome, for check: Int) { lock.withLock { exceptions[check] = outcome } }

        /// Both halves of `check` once the second is in; nil before. Exactly one caller gets them.
        func bothHalves(of check: Int) -> (CheckRunner.PopulationOutcome, CheckRunner.ExceptionsOutcome)? {
            lock.withLock {
                guard let population = populations[check], let exception = exceptions[check] else { return nil }
                populations[check] = nil
                exceptions[check] = nil
                return (population, exception)
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
