import Foundation
import Testing
@testable import EvidenceKit

/// Hostile policy repositories: YAML that bombs or has the wrong shape, and symbolic links that point
/// out of the repository. Policy files are read from git objects, never from the working tree, so a
/// link is reported and nothing it points to is ever read.
struct HostilePolicyTests {
    static let outsidePolicy = "tool: db.query\nroles: [anyone]\n"

    /// Every YAML file in the corpus's policies/ folder, committed in one commit.
    @Test func aliasBombsAndWrongTypesAreNamedAndTheGoodPoliciesStillLoad() throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        let folder = HostileWorkspace.corpus.appendingPathComponent("policies").path
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files["policies/" + name] = try HostileWorkspace.fixture("policies/" + name)
        }
        #expect(files.count == 9)
        try workspace.commitPolicies(files, message: "Add hostile policies")
        let at = "@" + (try workspace.headPrefix())

        let started = Date()
        let (summary, store) = try workspace.ingest()
        #expect(Date().timeIntervalSince(started) < 10, "the alias bomb must be refused, not expanded")
        #expect(try HostileWorkspace.inputErrors(store) == [
            "policy-repo/policies/alias-bomb.yaml\(at):10: expanding aliases would produce more than 1000000 nodes; the document looks like an alias bomb",
            "policy-repo/policies/constraints-list.yaml\(at):3: field 'constraints': must be a mapping, found a list",
            "policy-repo/policies/duplicate-key.yaml\(at):3: mapping key 'tool' appears twice (first at line 1)",
            "policy-repo/policies/invalid-utf8.yaml\(at):2: invalid leading UTF-8 octet (byte value 255) at byte offset 28",
            "policy-repo/policies/review-date.yaml\(at):3: field 'review.next_review': must be a date YYYY-MM-DD, found '2026-13-01'",
            "policy-repo/policies/roles-nested.yaml\(at):4: field 'roles': each role must be a non-empty string, found a list",
            "policy-repo/policies/roles-string.yaml\(at):2: field 'roles': must be a list of role names, found a string",
            "policy-repo/policies/tool-number.yaml\(at):1: field 'tool': must be 'server.tool' or 'server.*', found '42'",
        ])
        // The two versions of db.query and the policy whose anchors are used sensibly all load.
        let valid = try store.database.query("SELECT tool, group_concat(role, ',') FROM policy_versions JOIN policy_version_roles ON version_id = id WHERE valid = 1 GROUP BY id ORDER BY valid_from, tool").rows
        #expect(valid == [
            [.text("db.query"), .text("engineer,security")], [.text("db.anchored"), .text("engineer,security")],
            [.text("db.query"), .text("security")],
        ])
        // A rejected version is still recorded (content and hash) so the auditor sees what was committed.
        #expect(try store.database.scalar("SELECT count(*) FROM policy_versions WHERE valid = 0") == .integer(8))
        let policies = try #require(summary.files.first { $0.input == "policies" })
        #expect(policies.recordsRead == 11)
        #expect(policies.recordsRejected == 8)

        let (error, leftovers) = workspace.strictBuild()
        #expect((error as? BuildError).map { "\($0)" }?.hasPrefix("--strict: 8 input records were rejected") == true)
        #expect(leftovers == [])
    }

    /// A folder outside the repository holding a policy that would let anyone run db.query.
    static func makeOutside(_ workspace: HostileWorkspace) throws -> URL {
        let outside = workspace.root.appendingPathComponent("outside")
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        try Data(outsidePolicy.utf8).write(to: outside.appendingPathComponent("db.query.yaml"))
        return outside
    }

    static func expectNothingFromOutside(_ store: EvidenceStore) throws {
        let contents = try store.database.query("SELECT coalesce(content, '') FROM policy_versions").rows.compactMap { $0[0].string }
        #expect(!contents.contains { $0.contains("anyone") || $0.contains("root:") })
        #expect(try store.database.scalar("SELECT count(*) FROM policy_version_roles WHERE role = 'anyone'") == .integer(0))
    }

    @Test func symbolicLinksOutOfTheRepositoryAreReportedAndNeverFollowed() throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        let outside = try Self.makeOutside(workspace)
        let links = [
            "policies/passwd.yaml": "/etc/passwd",
            "policies/escape.yaml": "../../outside/db.query.yaml",
            "policies/shared": outside.path,
        ]
        for (link, destination) in links {
            try FileManager.default.createSymbolicLink(atPath: workspace.repoPath + "/" + link, withDestinationPath: destination)
        }
        try workspace.git(["add", "-A"])
        try workspace.git(["commit", "-q", "-m", "Share policies"])
        let at = "@" + (try workspace.headPrefix())

        let (summary, store) = try workspace.ingest()
        #expect(try HostileWorkspace.inputErrors(store) == [
            "policy-repo/policies/escape.yaml\(at): is a symbolic link; policy files must be regular files",
            "policy-repo/policies/passwd.yaml\(at): is a symbolic link; policy files must be regular files",
            "policy-repo/policies/shared\(at): is a symbolic link; policy files must be regular files",
        ])
        try Self.expectNothingFromOutside(store)
        #expect(try store.database.scalar("SELECT count(*) FROM policy_versions WHERE valid = 1") == .integer(2))
        #expect(summary.files.first { $0.input == "policies" }?.recordsRejected == 3)

        let (error, leftovers) = workspace.strictBuild()
        #expect((error as? BuildError).map { "\($0)" } == "--strict: 3 input records were rejected, the first at policy-repo/policies/escape.yaml\(at): is a symbolic link; policy files must be regular files; no bundle was written.")
        #expect(leftovers == [])
    }

    /// Replacing the whole policy folder by a link ends the versions it held and is reported, rather than
    /// leaving a history in which policies silently stop existing.
    @Test func aPolicyPathThatBecomesALinkOutOfTheRepositoryIsReported() throws {
        let workspace = try HostileWorkspace()
        defer { workspace.remove() }
        let outside = try Self.makeOutside(workspace)
        try workspace.git(["rm", "-q", "-r", "policies"])
        try FileManager.default.createSymbolicLink(atPath: workspace.repoPath + "/policies", withDestinationPath: outside.path)
        try workspace.git(["add", "-A"], date: "2026-08-15T00:00:00Z")
        try workspace.git(["commit", "-q", "-m", "Move policies to the shared folder"], date: "2026-08-15T00:00:00Z")
        let at = "@" + (try workspace.headPrefix())

        let (_, store) = try workspace.ingest()
        #expect(try HostileWorkspace.inputErrors(store) == [
            "policy-repo/policies\(at): is a symbolic link; policy files must be regular files",
        ])
        try Self.expectNothingFromOutside(store)
        #expect(try store.database.scalar("SELECT max(valid_to) FROM policy_versions") == .integer(Timestamp.parse("2026-08-15T00:00:00Z")!))
        #expect(try store.database.scalar("SELECT count(*) FROM policy_versions WHERE valid_to IS NULL") == .integer(0))

        let (error, leftovers) = workspace.strictBuild()
        #expect(error is BuildError)
        #expect(leftovers == [])
    }
}
