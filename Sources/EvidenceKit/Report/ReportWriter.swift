import Foundation

/// Writes the bundle's views of one run: `data/summary.json` (the model), the auditor report
/// `index.html`, `board-summary.html`, and the inventory and change-log CSVs.
public struct ReportWriter {
    public let templates: URL

    public init(templatesFolder: String) {
        templates = URL(fileURLWithPath: templatesFolder)
    }

    public func write(_ input: ReportInput, to writer: BundleWriter) throws {
        let builder = SummaryBuilder(input: input)
        let model = try builder.build()
        try writer.write(model.jsonData(), to: "data/summary.json")
        let renderer = TemplateRenderer(folder: templates)
        try writer.write(try renderer.render(template: "report.html", model: model), to: "index.html")
        try writer.write(try renderer.render(template: "board-summary.html", model: model), to: "board-summary.html")
        try writer.write(csv(builder.toolRows, header: SummaryBuilder.toolColumns, times: [8, 9, 11, 12, 13]), to: "inventory/tools.csv")
        try writer.write(csv(builder.policyChangeRows,
                             header: ["sha", "landed_at", "author_name", "author_email", "subject", "pr_number", "reason",
                                      "trailer_reviewers", "pr_approvals", "files", "is_merge", "merged_by"],
                             times: [1]),
                         to: "changes/policy-changes.csv")
    }

    /// Query rows as CSV; columns at `times` hold UTC ms and are written as RFC 3339.
    private func csv(_ result: [[SQLValue]], header: [String], times: Set<Int>) -> Data {
        var rows: [[CSVWriter.Cell]] = [header.map { .text($0) }]
        for row in result {
            rows.append(row.enumerated().map { index, value in
                if times.contains(index), let ms = value.int64 { return .text(Timestamp.format(ms)) }
                return CSVWriter.Cell(value)
            })
        }
        return CSVWriter.data(rows: rows)
    }
}
