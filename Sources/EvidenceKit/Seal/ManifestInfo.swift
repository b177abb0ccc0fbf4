/// What the sealer writes into MANIFEST.json besides the bundle's own files.
public struct ManifestInfo: Sendable, Equatable {
    /// The organisation the evidence is about, as configured.
    public var organization: String
    /// The audit period's label, e.g. `2026-Q3`.
    public var periodLabel: String
    /// The period's first instant, RFC 3339.
    public var periodStart: String
    /// The period's end, RFC 3339, as the run defines it.
    public var periodEnd: String
    /// The run's reference time (`--as-of` or `SOURCE_DATE_EPOCH`), RFC 3339.
    public var asOf: String
    /// Every input read; written sorted by path.
    public var inputs: [ManifestInput]
    /// The policy repository's commit at the head of the branch read, when there is one.
    public var policyRepoHead: String?

    public init(
        organization: String, periodLabel: String, periodStart: String, periodEnd: String, asOf: String,
        inputs: [ManifestInput], policyRepoHead: String?
    ) {
        self.organization = organization
        self.periodLabel = periodLabel
        self.periodStart = periodStart
        self.periodEnd = periodEnd
        self.asOf = asOf
        self.inputs = inputs
        self.policyRepoHead = policyRepoHead
    }
}
