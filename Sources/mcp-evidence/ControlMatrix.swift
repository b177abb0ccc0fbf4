import EvidenceKit

/// The control matrix `build` prints: one table per framework, then one line per check.
enum ControlMatrix {
    static func render(_ outcome: EvidenceBuild.Outcome) -> String {
        var out = ""
        for framework in outcome.frameworks {
            out += "\n\(framework.name) (\(framework.version))\n"
            let rows = outcome.controls.filter { $0.frameworkID == framework.id }.map { result in
                [result.control.id, badge(result.status), String(result.populationCount), String(result.exceptionCount),
                 String(result.observationCount), String(result.control.title.prefix(48))]
            }
            out += IngestReport.table(header: ["control", "status", "population", "exceptions", "observations", "title"], rows: rows)
        }
        out += "\nChecks\n"
        let rows = outcome.checks.map { result in
            [result.check.id, result.listsObservations ? "observations" : badge(result.status),
             result.check.kind.rawValue, String(result.populationCount), String(result.exceptionCount),
             String(format: "%.2f s", result.durationSeconds)]
        }
        out += IngestReport.table(header: ["check", "status", "kind", "population", "exceptions", "time"], rows: rows)
        for result in outcome.checks where result.status == .error {
            out += Console.styled("error in check \(result.check.id): \(result.errorMessage ?? "")", "1;31") + "\n"
        }
        return out
    }

    /// Plain text: colour codes would upset the column widths, and the matrix is often piped to CI logs.
    static func badge(_ status: CheckResult.Status) -> String {
        status == .effective ? status.rawValue : status.rawValue.uppercased()
    }
}
