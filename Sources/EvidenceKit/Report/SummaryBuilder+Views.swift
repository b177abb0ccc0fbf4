/// Fields that exist for the HTML views: in-page anchors and links, and small totals the templates
/// cannot compute themselves (the template language has no arithmetic and no string building).
extension SummaryBuilder {
    /// The fragment id of a check's section in the report: `check-<slug>`.
    static func checkAnchor(_ id: String) -> String { "check-" + BundlePath.slug(id) }

    /// The fragment id of a framework control's row in the control matrix: `control-<framework>-<slug>`.
    static func controlAnchor(framework: String, control: String) -> String {
        "control-" + BundlePath.slug(framework) + "-" + BundlePath.slug(control)
    }

    /// The controls a check evidences, each with a link to its row in the control matrix, in
    /// framework order and then the framework file's order.
    func controlReferences() -> [String: [TemplateValue]] {
        var map: [String: [TemplateValue]] = [:]
        for framework in input.frameworks {
            for control in framework.controls {
                let reference: TemplateValue = .object([
                    "framework": .string(framework.id), "control": .string(control.id),
                    "label": .string("\(framework.id) \(control.id)"),
                    "href": .string("#" + Self.controlAnchor(framework: framework.id, control: control.id)),
                ])
                for check in control.checks { map[check, default: []].append(reference) }
            }
        }
        return map
    }

    /// The checks a control rests on, each with its status and a link to its section.
    func checkReferences(_ ids: [String]) -> TemplateValue {
        .array(ids.map { id in
            let result = input.checks.first { $0.check.id == id }
            return .object([
                "id": .string(id), "href": .string("#" + Self.checkAnchor(id)),
                "status": Self.text(result?.status.rawValue),
                "status_label": Self.text(result.map { Self.statusLabel($0.status, kind: $0.check.kind) }),
                "is_observation": .bool(result?.check.kind == .observation),
                "exceptions": Self.int(result?.exceptionCount ?? 0),
            ])
        })
    }

    /// How many checks ended in each status; observation checks are counted apart.
    func checkCounts() -> TemplateValue {
        let controls = input.checks.filter { $0.check.kind == .control }
        let observations = input.checks.filter { $0.check.kind == .observation }
        return .object([
            "total": Self.int(input.checks.count),
            "controls": Self.int(controls.count),
            "effective": Self.int(controls.filter { $0.status == .effective }.count),
            "exceptions": Self.int(controls.filter { $0.status == .exceptions }.count),
            "not_tested": Self.int(controls.filter { $0.status == .notTested }.count),
            "error": Self.int(input.checks.filter { $0.status == .error }.count),
            "observation_checks": Self.int(observations.count),
            "observations": Self.int(observations.reduce(0) { $0 + $1.exceptionCount }),
            "exception_rows": Self.int(controls.reduce(0) { $0 + $1.exceptionCount }),
        ])
    }

    /// The inputs added up: files, bytes, records read and rejected.
    func inputTotals() -> TemplateValue {
        let files = input.ingest.files
        return .object([
            "files": Self.int(files.count),
            "bytes": .int(files.reduce(0) { $0 + $1.bytes }),
            "records_read": Self.int(files.reduce(0) { $0 + $1.recordsRead }),
            "records_rejected": Self.int(files.reduce(0) { $0 + $1.recordsRejected }),
        ])
    }

    /// The sample-size table the checks use, so the report states the sizes the code draws.
    static func sampleSizes() -> TemplateValue {
        .array(CheckDefinition.Frequency.allCases.map { frequency in
            .object([
                "frequency": .string(frequency.rawValue),
                "low": int(SampleSelection.size(for: frequency, severity: .low)),
                "medium": int(SampleSelection.size(for: frequency, severity: .medium)),
                "high": int(SampleSelection.size(for: frequency, severity: .high)),
            ])
        })
    }
}
