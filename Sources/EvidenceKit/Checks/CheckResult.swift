/// The outcome of running one check against the evidence store.
public struct CheckResult: Sendable {
    public enum Status: String, Sendable, Comparable {
        case effective
        case exceptions
        case notTested = "not-tested"
        case error

        /// Worse outcomes sort later: an error hides more than exceptions do.
        var rank: Int {
            switch self {
            case .notTested: 0
            case .effective: 1
            case .exceptions: 2
            case .error: 3
            }
        }

        public static func < (lhs: Status, rhs: Status) -> Bool { lhs.rank < rhs.rank }
    }

    public var check: CheckDefinition
    public var status: Status
    public var populationCount: Int
    public var exceptionCount: Int
    /// Column names of the exceptions query.
    public var exceptionColumns: [String]
    /// The first exceptions, for the report (all of them go to the CSV).
    public var firstExceptions: [[SQLValue]]
    public var sampleColumns: [String]
    public var sampleRows: [[SQLValue]]
    public var sample: SampleSelection?
    /// SQLite's message when the check's SQL failed.
    public var errorMessage: String?
    /// Wall-clock time; printed on the console, never written into the bundle (it would break determinism).
    public var durationSeconds: Double

    /// An observation check that listed events: shown as "observations", not "exceptions", since they are
    /// for a person to judge and never fail a control.
    public var listsObservations: Bool { check.kind == .observation && status == .exceptions }
}
