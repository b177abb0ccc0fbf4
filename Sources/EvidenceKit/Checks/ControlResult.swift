/// A framework control's status for the period, derived from the results of its checks.
///
/// Status: `error` when any of its checks could not run or does not exist; `exceptions` when any control
/// check found exceptions; `not-tested` when none of its control checks had a population, or it has
/// no control check at all; otherwise `effective`. Observation checks never change the status: their
/// rows are counted as observations for the auditor's attention, and events listed for a person to
/// judge do not show that a control operated.
public struct ControlResult: Sendable {
    public var frameworkID: String
    public var control: Framework.Control
    public var status: CheckResult.Status
    public var populationCount: Int
    public var exceptionCount: Int
    public var observationCount: Int
    /// Check ids the control names that are not among the checks that ran.
    public var missingChecks: [String]

    public static func evaluate(_ framework: Framework, results: [String: CheckResult]) -> [ControlResult] {
        framework.controls.map { control in
            let ran = control.checks.compactMap { results[$0] }
            let controlChecks = ran.filter { $0.check.kind == .control }
            let observations = ran.filter { $0.check.kind == .observation }
            let missing = control.checks.filter { results[$0] == nil }
            var status: CheckResult.Status
            if !missing.isEmpty || ran.contains(where: { $0.status == .error }) {
                status = .error
            } else if controlChecks.contains(where: { $0.exceptionCount > 0 }) {
                status = .exceptions
            } else if controlChecks.allSatisfy({ $0.status == .notTested }) {
                // Also a control with observation checks only: nothing tested it, whatever they listed.
                status = .notTested
            } else {
                status = .effective
            }
            return ControlResult(
                frameworkID: framework.id, control: control, status: status,
                populationCount: controlChecks.reduce(0) { $0 + $1.populationCount },
                exceptionCount: controlChecks.reduce(0) { $0 + $1.exceptionCount },
                observationCount: observations.reduce(0) { $0 + $1.exceptionCount },
                missingChecks: missing)
        }
    }
}
