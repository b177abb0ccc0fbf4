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
        let started = Date()
        var result = CheckResult(check: check, status: .effective, populationCount: 0, exceptionCount: 0, exceptionColumns: [],
                                 firstExceptions: [], sampleColumns: [], sampleRows: [], sample: nil, errorMessage: nil,
                                 durationSeconds: 0)
        do {
            let population = try readOnlyStatement(check.population, part: "population", check: check.id)
            result.sampleColumns = population.columnNames
            var sampler = try Sampler<[SQLValue]>(period: periodLabel, checkID: check.id,
                                                  size: SampleSelection.size(for: check.frequency, severity: check.severity))
            var rowNumber = 0
            while try population.step() {
                rowNumber += 1
                sampler.offer(row: rowNumber) { (0..<population.columnCount).map { population.value(at: $0) } }
            }
            let drawn = sampler.finish()
            result.populationCount = drawn.selection.populationCount
            result.sample = drawn.selection
            result.sampleRows = drawn.rows

            let exceptions = try readOnlyStatement(check.exceptions, part: "exceptions", check: check.id)
            result.exceptionColumns = exceptions.columnNames
            guard result.exceptionColumns.contains("reason") else {
                throw CheckError(check: check.id, message: "the exceptions SQL must return a 'reason' column; it returns \(result.exceptionColumns.joined(separator: ", "))")
            }
            while try exceptions.step() {
                let row = (0..<exceptions.columnCount).map { exceptions.value(at: $0) }
                result.exceptionCount += 1
                if result.firstExceptions.count < Self.reportedExceptionLimit { result.firstExceptions.append(row) }
                try onException(result.exceptionColumns, row)
            }

            if result.exceptionCount > 0 {
                result.status = .exceptions
            } else if result.populationCount == 0 {
                result.status = .notTested
            }
        } catch {
            result.status = .error
            result.errorMessage = "\(error)"
            result.firstExceptions = []
            result.sampleRows = []
            result.sample = nil
        }
        result.durationSeconds = Date().timeIntervalSince(started)
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
