import Foundation

/// Runs every check against a finished store and writes each one's exceptions and sample as CSV
/// into the bundle: `checks/<id>/exceptions.csv` (every exception) and `checks/<id>/sample.csv`.
public struct CheckSuite {
    public let checks: [CheckDefinition]
    public var progress: (String) -> Void = { _ in }

    public init(checks: [CheckDefinition]) {
        self.checks = checks
    }

    /// Loads the checks shipped in (or configured as) the mappings folder.
    public static func load(mappings: String) throws -> CheckSuite {
        CheckSuite(checks: try CheckDefinition.loadAll(folder: mappings + "/checks"))
    }

    public func run(storePath: String, periodLabel: String, writer: BundleWriter) throws -> [CheckResult] {
        let store = try EvidenceStore(readingAt: storePath)
        let runner = CheckRunner(store: store, periodLabel: periodLabel)
        var results: [CheckResult] = []
        for check in checks {
            let folder = "checks/" + BundlePath.slug(check.id)
            let exceptions = try CSVWriter(path: try writer.fileURL(for: folder + "/exceptions.csv").path)
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
            try writer.write(CSVWriter.data(rows: sampleRows), to: folder + "/sample.csv")
            if result.status == .error { result.exceptionCount = 0 }
            progress("check \(check.id): \(result.status.rawValue), population \(result.populationCount), exceptions \(result.exceptionCount) (\(String(format: "%.2f", result.durationSeconds)) s)")
            results.append(result)
        }
        return results
    }
}
