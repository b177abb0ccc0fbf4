import Foundation

/// One `build`: ingest every input into a fresh store, write the bundle's files into a temporary
/// folder, seal it, and rename it into place. Nothing appears under the bundle's name unless the
/// whole run succeeded.
public struct EvidenceBuild {
    /// Choices the command line can override.
    public struct Options: Sendable {
        /// Folder the bundle is created in; nil means the config's `output`.
        public var outputFolder: String?
        /// Private key to sign with; nil means the config's `signing.key`.
        public var keyPath: String?
        /// The bundle's generation time in UTC ms; nil means now.
        public var asOf: Int64?
        /// Fail instead of building when any input record is rejected.
        public var strict = false
        /// Ship the evidence store in the bundle.
        public var keepDatabase = false
        /// Replace an existing bundle.
        public var force = false
        /// The folder holding `checks/` and the framework files; nil means the shipped `mappings/`.
        public var mappingsFolder: String?
        /// The report templates; nil means the shipped `templates/`.
        public var templatesFolder: String?

        public init() {}
    }

    /// What a build produced.
    public struct Outcome: Sendable {
        public var bundle: URL
        public var summary: IngestSummary
        public var checks: [CheckResult]
        public var controls: [ControlResult]
        public var frameworks: [Framework]
        /// Nil when the bundle is unsigned.
        public var keyID: String?
        /// Wall-clock seconds per stage (ingest, checks, report, seal), for progress and benchmarks.
        public var stageSeconds: [(stage: String, seconds: Double)] = []
        /// Problems that did not stop the build, such as folders left by a stopped build and removed.
        public var warnings: [String] = []
    }

    public let config: EvidenceConfig
    public let options: Options
    /// Receives one line per step, for progress on stderr.
    public var progress: @Sendable (String) -> Void = { _ in }

    public init(config: EvidenceConfig, options: Options) {
        self.config = config
        self.options = options
    }

    /// The bundle folder's name: `<organisation slug>-<period label>`.
    /// `<organisation>-<period>` as slugs. An organisation name with no ASCII letter or digit (株式会社…)
    /// has no slug of its own, so it is named by a hash instead: two such organisations must not write to
    /// the same folder and replace each other's bundles with `--force`.
    public var bundleName: String {
        let hashed = (try? SHA256.hex(of: Data(config.organization.utf8))).map { "org-" + $0.prefix(12) } ?? "unnamed"
        return BundlePath.slug(config.organization, fallback: hashed) + "-" + BundlePath.slug(config.period.label)
    }

    public func run() throws -> Outcome {
        let outputFolder = options.outputFolder.map { URL(fileURLWithPath: $0) } ?? URL(fileURLWithPath: config.output.absolute)
        let destination = outputFolder.appendingPathComponent(bundleName, isDirectory: true)
        let key = try loadKey()
        let mappings = try ResourceLocator.folder("mappings", explicit: options.mappingsFolder)
        let templates = try ResourceLocator.folder("templates", explicit: options.templatesFolder)
        var suite = try CheckSuite.load(mappings: mappings)
        suite.progress = progress
        let frameworks = try Framework.loadAll(folder: mappings, ids: config.frameworks)
        let knownChecks = Set(suite.checks.map(\.id))
        if let problem = frameworks.flatMap({ $0.validate(knownChecks: knownChecks) }).first {
            throw problem
        }
        let writer = try BundleWriter(destination: destination, force: options.force)
        try writeDefinitions(suite: suite, frameworks: frameworks, writer: writer)
        let scratchFolder = try ScratchFolder.create()
        defer { scratchFolder.remove() }
        let scratch = scratchFolder.url

        let storePath = scratch.appendingPathComponent("evidence.sqlite").path
        var stages = StageClock()
        var ingestor = Ingestor(config: config)
        ingestor.progress = progress
        let summary: IngestSummary
        do {
            // Scoped so the read-write connection is closed before the checks open the store read-only.
            let store = try EvidenceStore(creatingAt: storePath)
            summary = try ingestor.ingest(into: store)
            stages.lap("ingest")
            if options.strict && summary.errorCount > 0 {
                throw BuildError.strictInputErrors(count: summary.errorCount, first: summary.errors.first)
            }
            try writeDataFiles(store: store, summary: summary, writer: writer)
        }
        // The report's figures from the store do not depend on the checks: read on a third connection meanwhile.
        let (checkResults, facts) = try StoreFacts.read(storePath: storePath) {
            try suite.run(storePath: storePath, periodLabel: config.period.label, writer: writer)
        }
        stages.lap("checks")
        let byID = Dictionary(uniqueKeysWithValues: checkResults.map { ($0.check.id, $0) })
        let controls = frameworks.flatMap { ControlResult.evaluate($0, results: byID) }
        try writer.write(Self.controlsCSV(controls, frameworks: frameworks), to: "controls.csv")
        let asOf = options.asOf ?? Int64(Date().timeIntervalSince1970 * 1000)
        var warnings: [String] = []
        if asOf < config.period.end {
            // Allowed, for a readiness run during the quarter, but the reader of the bundle must not take it
            // for the period's evidence: calls after the as-of time may be in it, and later ones are not.
            warnings.append("the bundle is dated \(Timestamp.format(asOf)), before the period ends at \(Timestamp.format(config.period.end)): it is an interim report on an incomplete period")
        }
        if options.keepDatabase {
            // Copied file to file: the store can be gigabytes and must not pass through memory.
            try FileManager.default.copyItem(at: URL(fileURLWithPath: storePath), to: try writer.fileURL(for: "data/evidence.sqlite"))
        }
        let report = ReportInput(config: config, ingest: summary, checks: checkResults, controls: controls, frameworks: frameworks,
                                 asOf: asOf, keyID: key?.keyID, facts: facts)
        try ReportWriter(templatesFolder: templates).write(report, to: writer)
        stages.lap("report")
        let info = ManifestInfo(
            organization: config.organization, periodLabel: config.period.label,
            periodStart: Timestamp.format(config.period.start), periodEnd: Timestamp.format(config.period.end),
            asOf: Timestamp.format(asOf),
            inputs: summary.files.map {
                ManifestInput(path: $0.path, bytes: Int($0.bytes), sha256: $0.sha256, recordsRead: $0.recordsRead, recordsRejected: $0.recordsRejected)
            },
            policyRepoHead: summary.policyHead)
        try BundleSealer.seal(bundle: writer.temporaryFolder, manifest: info, key: key)
        try writer.commit()
        stages.lap("seal")
        return Outcome(bundle: destination, summary: summary, checks: checkResults, controls: controls, frameworks: frameworks,
                       keyID: key?.keyID, stageSeconds: stages.laps, warnings: warnings + writer.warnings)
    }

    static func controlsCSV(_ controls: [ControlResult], frameworks: [Framework]) -> Data {
        var rows: [[CSVWriter.Cell]] = [["framework", "framework_version", "control", "title", "status", "checks", "population", "exceptions", "observations", "cross_references"]]
        let versions = Dictionary(uniqueKeysWithValues: frameworks.map { ($0.id, $0.version) })
        for result in controls {
            rows.append([
                .text(result.frameworkID), .text(versions[result.frameworkID] ?? ""), .text(result.control.id), .text(result.control.title),
                .text(result.status.rawValue), .text(result.control.checks.joined(separator: ";")),
                .integer(Int64(result.populationCount)), .integer(Int64(result.exceptionCount)), .integer(Int64(result.observationCount)),
                .text(result.control.also.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ";")),
            ])
        }
        return CSVWriter.data(rows: rows)
    }

    private func loadKey() throws -> SigningKey? {
        if let path = options.keyPath { return try SigningKey.load(path: path) }
        guard let configured = config.signingKey else { return nil }
        guard FileManager.default.fileExists(atPath: configured.absolute) else {
            throw BuildError.missingKey(path: configured.display)
        }
        return try SigningKey.load(path: configured.absolute)
    }

    /// The configuration and the check and framework definitions the build ran, byte for byte as it read
    /// them, so the signed bundle shows what was tested and with which settings (the report prints the check
    /// SQL; the files also hold the thresholds, working hours and the control mappings). Settings given on
    /// the command line instead are in the report and summary.json (`overrides`).
    private func writeDefinitions(suite: CheckSuite, frameworks: [Framework], writer: BundleWriter) throws {
        if !config.fileBytes.isEmpty { try writer.write(Data(config.fileBytes), to: "config/evidence.yaml") }
        for check in suite.checks.sorted(by: { $0.id < $1.id }) where !check.definitionBytes.isEmpty {
            try writer.write(check.definitionBytes, to: "mappings/" + check.file)
        }
        for framework in frameworks.sorted(by: { $0.id < $1.id }) where !framework.definitionBytes.isEmpty {
            try writer.write(framework.definitionBytes, to: "mappings/\(framework.id).yaml")
        }
    }

    private func writeDataFiles(store: EvidenceStore, summary: IngestSummary, writer: BundleWriter) throws {
        // Streamed row by row: a hostile log can hold up to a million rejected lines (InputErrorLog's limit),
        // which held in memory as rows and then as CSV text took 900 MB.
        let errors = try store.database.prepare("SELECT input, file, line, coalesce(field, ''), message FROM input_errors ORDER BY input, file, line, id")
        let csv = try CSVWriter(path: try writer.fileURL(for: "data/input-errors.csv").path)
        try csv.writeRow(["input", "file", "line", "field", "message"])
        while try errors.step() {
            try csv.writeRow([.text(errors.value(at: 0).description), .text(errors.value(at: 1).description), .integer(errors.value(at: 2).int64 ?? 0),
                              .text(errors.value(at: 3).description), .text(errors.value(at: 4).description)])
        }
        try csv.close()

        var inputs: [[CSVWriter.Cell]] = [["input", "path", "bytes", "sha256", "records_read", "records_rejected"]]
        for file in summary.files {
            inputs.append([.text(file.input), .text(file.path), .integer(file.bytes), .text(file.sha256),
                           .integer(Int64(file.recordsRead)), .integer(Int64(file.recordsRejected))])
        }
        try writer.write(CSVWriter.data(rows: inputs), to: "data/inputs.csv")
    }
}

/// Measures consecutive stages of a build.
struct StageClock {
    private var last = Date()
    private(set) var laps: [(stage: String, seconds: Double)] = []

    mutating func lap(_ stage: String) {
        let now = Date()
        laps.append((stage, now.timeIntervalSince(last)))
        last = now
    }
}
