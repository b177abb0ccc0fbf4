import Foundation

/// Runs checks on a read-only connection to the evidence store.
///
/// A check whose SQL fails, writes, holds more than one statement, or lacks a `reason` column is
/// an `error` carrying SQLite's message — never a pass.
public struct CheckRunner {
    /// How many exception rows are kept in memory for the report; the CSV gets all of them.
    public static let reportedExceptionLimit = 50

    let store: EvidenceStore
    let periodLabel: String

    /// `store` should be opened with `EvidenceStore(readingAt:)`.
    public init(store: EvidenceStore, periodLabel: String) {
        self.store = store
        self.periodLabel = periodLabel
    }

    /// Runs `check`, handing every exception row to `onException` (for the CSV) as it is read.
    public func run(_ check: CheckDefinition, onException: ([String], [SQLValue]) throws -> Void = { _, _ in }) -> CheckResult {
        let population = population(of: check)
        // A population that cannot be read makes the check an error; its exceptions are not run.
        let exceptions = population.errorMessage == nil ? exceptions(of: check, onException: onException) : nil
        return Self.result(of: check, population: population, exceptions: exceptions)
    }

    /// The population half of a check: its size and its seeded sample.
    struct PopulationOutcome: Sendable {
        var columns: [String] = []
        var count = 0
        var sample: SampleSelection?
        var rows: [[SQLValue]] = []
        var errorMessage: String?
        var durationSeconds: Double = 0
    }

    /// The exceptions half of a check: every row went to `onException`; the first few are kept.
    struct ExceptionsOutcome: Sendable {
        var columns: [String] = []
        var count = 0
        var firstRows: [[SQLValue]] = []
        var errorMessage: String?
        var durationSeconds: Double = 0
    }

    /// Runs the population SQL and draws the sample. The two halves of a check are independent, so a
    /// suite may run them on different connections at once.
    func population(of check: CheckDefinition) -> PopulationOutcome {
        let started = Date()
        var outcome = PopulationOutcome()
        do {
            let population = try readOnlyStatement(check.population, part: "population", check: check.id)
            outcome.columns = population.columnNames
            var sampler = try Sampler<[SQLValue]>(period: periodLabel, checkID: check.id,
                                                  size: SampleSelection.size(for: check.frequency, severity: check.severity))
            var rowNumber = 0
            while try population.step() {
                rowNumber += 1
                sampler.offer(row: rowNumber) { (0..<population.columnCount).map { population.value(at: $0) } }
            }
            let drawn = sampler.finish()
            outcome.count = drawn.selection.populationCount
            outcome.sample = drawn.selection
            outcome.rows = drawn.rows
        } catch {
            outcome.errorMessage = "\(error)"
        }
        outcome.durationSeconds = Date().timeIntervalSince(started)
        return outcome
    }

    /// Runs the exceptions SQL, handing every row to `onException` as it is read.
    func exceptions(of check: CheckDefinition, onException: ([String], [SQLValue]) throws -> Void) -> ExceptionsOutcome {
        let started = Date()
        var outcome = ExceptionsOutcome()
        do {
            let exceptions = try readOnlyStatement(check.exceptions, part: "exceptions", check: check.id)
            outcome.columns = exceptions.columnNames
            guard outcome.columns.contains("reason") else {
                throw CheckError(check: check.id, message: "the exceptions SQL must return a 'reason' column; it returns \(outcome.columns.joined(separator: ", "))")
            }
            while try exceptions.step() {
                let row = (0..<exceptions.columnCount).map { exceptions.value(at: $0) }
                outcome.count += 1
                if outcome.firstRows.count < Self.reportedExceptionLimit { outcome.firstRows.append(row) }
                try onException(outcome.columns, row)
            }
        } catch {
            outcome.errorMessage = "\(error)"
        }
        outcome.durationSeconds = Date().timeIntervalSince(started)
        return outcome
    }

    /// The check's result from its two halves; `exceptions` is nil when they were not run because
    /// the population failed. An error in either half makes the whole check an error.
    static func result(of check: CheckDefinition, population: PopulationOutcome, exceptions: ExceptionsOutcome?) -> CheckResult {
        var result = CheckResult(check: check, status: .effective, populationCount: population.count, exceptionCount: 0,
                                 exceptionColumns: [], firstExceptions: [], sampleColumns: population.columns,
                                 sampleRows: population.rows, sample: population.sample, errorMessage: nil,
                                 durationSeconds: population.durationSeconds + (exceptions?.durationSeconds ?? 0))
        if let exceptions, population.errorMessage == nil {
            result.exceptionColumns = exceptions.columns
            result.exceptionCount = exceptions.count
            result.firstExceptions = exceptions.firstRows
        }
        if let message = population.errorMessage ?? exceptions?.errorMessage {
            result.status = .error
            result.errorMessage = message
            result.firstExceptions = []
            result.sampleRows = []
            result.sample = nil
        } else if result.exceptionCount > 0 {
            result.status = .exceptions
        } else if result.populationCount == 0 {
            result.status = .notTested
        }
        return result
    }

    private func readOnlyStatement(_ sql: String, part: String, check: String) throws -> Statement {
        let statement = try store.database.prepareSingle(sql)
        guard statement.isReadOnly else {
            throw CheckError(check: check, message: "the \(part) SQL would change the store; checks may only read")
        }
        return statement
    }

    static func trimmed(_ sql: String) -> String {
        var text = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        while text.hasSuffix(";") { text = String(text.dropLast()).trimmingCharacters(in: .whitespacesAndNewlines) }
        return text
    }
}

/// A check definition that cannot run as written.
public struct CheckError: Error, CustomStringConvertible, Sendable {
    public var check: String
    public var message: String
    public var description: String { "\(message) (check \(check))" }
}
