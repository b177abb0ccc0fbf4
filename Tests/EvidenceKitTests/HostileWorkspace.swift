import Foundation
@testable import EvidenceKit

/// A `MiniOrg` whose inputs are swapped for files from the hostile corpus (`Tests/Fixtures/hostile`) or
/// for files a test writes, with helpers to ingest it, list what was rejected, and build it with `--strict`.
struct HostileWorkspace {
    static let corpus = AcmeRun.packageRoot.appendingPathComponent("Tests/Fixtures/hostile")

    let org: MiniOrg
    var root: URL { org.root }

    /// A fresh organisation: one good audit line in `audit/gateway.jsonl`, good approvals, directory,
    /// reviews and a two-commit policy repository.
    init() throws {
        org = try MiniOrg(auditLines: [MiniOrg.call("2026-07-01T08:00:00Z")])
    }

    func remove() { org.remove() }

    /// The bytes of a corpus file, e.g. `audit/bom.jsonl`.
    static func fixture(_ name: String) throws -> Data {
        try Data(contentsOf: corpus.appendingPathComponent(name))
    }

    /// Copies corpus file `name` into the workspace at `relativePath`, replacing what was there.
    func install(_ name: String, as relativePath: String) throws {
        try write(try Self.fixture(name), to: relativePath)
    }

    func write(_ data: Data, to relativePath: String) throws {
        let url = root.appendingPathComponent(relativePath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url)
    }

    func write(_ text: String, to relativePath: String) throws {
        try write(Data(text.utf8), to: relativePath)
    }

    func delete(_ relativePath: String) throws {
        try FileManager.default.removeItem(at: root.appendingPathComponent(relativePath))
    }

    /// Rewrites `evidence.yaml`; every value is written as a double-quoted YAML string.
    func writeConfig(audit: [String] = ["audit/*.jsonl"], approvals: String = "approvals.jsonl",
                     directory: String = "directory.csv", reviews: String? = "pr-reviews.jsonl",
                     repo: String = "policy-repo", path: String = "policies", branch: String = "main") throws {
        func quoted(_ text: String) -> String {
            "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
        }
        var text = """
        organization: Mini Org
        period: 2026-Q3
        frameworks: [soc2]
        inputs:
          audit: [\(audit.map(quoted).joined(separator: ", "))]
          approvals: \(quoted(approvals))
          directory: \(quoted(directory))
          policies: {repo: \(quoted(repo)), path: \(quoted(path)), branch: \(quoted(branch))}

        """
        if let reviews { text += "  reviews: \(quoted(reviews))\n" }
        text += "output: out\n"
        try write(text, to: "evidence.yaml")
    }

    var repoPath: String { root.appendingPathComponent("policy-repo").path }

    /// Runs git in the policy repository with a fixed identity and date and no user or system config.
    @discardableResult
    func git(_ arguments: [String], date: String = "2026-07-20T12:00:00Z") throws -> String {
        try ExternalTool.git(in: repoPath, arguments, date: date, home: root)
    }

    /// Writes `files` (paths relative to the repository) and commits everything on the current branch.
    func commitPolicies(_ files: [String: Data], message: String, date: String = "2026-07-20T12:00:00Z") throws {
        for (path, data) in files.sorted(by: { $0.key < $1.key }) {
            try write(data, to: "policy-repo/" + path)
        }
        try git(["add", "-A"], date: date)
        try git(["commit", "-q", "-m", message], date: date)
    }

    /// The twelve-character commit id `git` shows for the branch head, as policy errors name it.
    func headPrefix() throws -> String {
        String(try git(["rev-parse", "HEAD"]).prefix(12))
    }

    func ingest() throws -> (summary: IngestSummary, store: EvidenceStore) {
        try org.ingest()
    }

    /// Every rejected record as `InputError.description`, in the order the bundle's input-errors.csv lists them.
    static func inputErrors(_ store: EvidenceStore, input: String? = nil) throws -> [String] {
        var sql = "SELECT input, file, line, field, message FROM input_errors"
        if let input { sql += " WHERE input = '\(input)'" }
        sql += " ORDER BY input, file, line, id"
        return try store.database.query(sql).rows.map { row in
            InputError(input: row[0].string ?? "", file: row[1].string ?? "", line: Int(row[2].int64 ?? -1),
                       field: row[3].string, message: row[4].string ?? "").description
        }
    }

    /// Builds the workspace with `--strict` into `out-strict` and returns what the build threw, or nil
    /// when it succeeded; `leftovers` lists whatever the failed build left in the output folder.
    func strictBuild() -> (error: (any Error)?, leftovers: [String]) {
        var options = EvidenceBuild.Options()
        options.strict = true
        options.outputFolder = root.appendingPathComponent("out-strict").path
        options.asOf = Timestamp.parse("2026-10-01T00:00:00Z")
        options.templatesFolder = AcmeRun.packageRoot.appendingPathComponent("templates").path
        options.mappingsFolder = AcmeRun.packageRoot.appendingPathComponent("mappings").path
        var thrown: (any Error)?
        do {
            _ = try EvidenceBuild(config: try EvidenceConfig.load(path: org.configPath), options: options).run()
        } catch {
            thrown = error
        }
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: options.outputFolder!)) ?? []
        return (thrown, leftovers.sorted())
    }
}
