import EvidenceKit

/// The plain-text account of an ingestion that `validate` and `build` print.
enum IngestReport {
    static func render(_ summary: IngestSummary, config: EvidenceConfig) -> String {
        var out = "\(config.organization), period \(config.period.label) (\(config.period.firstDay) to \(config.period.lastDay), UTC)\n\n"
        let rows = summary.perInput.map { [$0.input, String($0.files), String($0.read), String($0.rejected)] }
        out += table(header: ["input", "files", "records", "rejected"], rows: rows)
        out += "\n"
        let tables = ["calls", "tools", "approvals", "tool_events", "people", "policy_commits", "policy_versions", "policy_reviews"]
        out += table(header: ["store table", "rows"], rows: tables.map { [$0, String(summary.tableCounts[$0] ?? 0)] })
        if let head = summary.policyHead {
            out += "\npolicy repository HEAD: \(head)\n"
        }
        for pattern in summary.unmatchedAuditPatterns {
            out += "\n" + Console.styled("inputs.audit pattern '\(ControlCharacters.escaped(pattern))' matches no file", "1;33") + "\n"
        }
        if summary.errorCount == 0 {
            out += "\nNo input records were rejected.\n"
        } else {
            out += "\n" + Console.styled("Rejected input records: \(summary.errorCount)", "1;31") + "\n"
            for error in summary.errors {
                out += "  \(error)\n"
            }
            if summary.errorCount > summary.errors.count {
                out += "  … and \(summary.errorCount - summary.errors.count) more (all are in data/input-errors.csv of the bundle)\n"
            }
        }
        return out
    }

    /// A left-aligned text table; numbers are right-aligned.
    static func table(header: [String], rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return ([line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")] + rows.map(line))
            .joined(separator: "\n") + "\n"
    }
}
