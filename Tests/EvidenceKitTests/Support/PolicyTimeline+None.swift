@testable import EvidenceKit

extension PolicyTimeline {
    /// No policy versions: every call is stored with no governing version, for tests of the audit load alone.
    static var none: PolicyTimeline {
        PolicyTimeline(versions: [], period: Period(label: "test", start: .min, end: .max))
    }
}
