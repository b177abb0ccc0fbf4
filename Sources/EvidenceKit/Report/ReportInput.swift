/// Everything a build knows when it writes the report: the model behind `data/summary.json`.
public struct ReportInput {
    public var config: EvidenceConfig
    public var ingest: IngestSummary
    public var checks: [CheckResult]
    public var controls: [ControlResult]
    public var frameworks: [Framework]
    /// The bundle's generation time, UTC ms.
    public var asOf: Int64
    /// Nil when the bundle is unsigned.
    public var keyID: String?
    /// The inventory, change log and chart figures read from the store.
    public var facts: StoreFacts
}
