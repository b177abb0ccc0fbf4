import Foundation
import Testing
@testable import EvidenceKit

/// A real git repository in a temporary folder, built commit by commit with fixed identities and dates.
private final class PolicyRepoFixture {
    let root: String
    let path: String
    let home: String

    /// 2026-06-01T10:00:00Z, before a 2026-Q3 period.
    static let june1: Int64 = 1_780_308_000
    /// 2026-07-01T00:00:00Z, the start of 2026-Q3.
    static let july1: Int64 = 1_782_864_000

    init() throws {
        root = try TestFolder.make("policy-history").path
        path = root + "/policy-repo"
        home = root + "/home"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home, withIntermediateDirectories: true)
        try git("init", "-q", "-b", "main")
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    /// The environment the code under test gets: a PATH to find git and a HOME without any git config.
    var environment: [String: String] {
        ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": home]
    }

    @discardableResult
    func git(_ arguments: String..., author: String = "Alice Admin <alice@acme.example>",
             committer: String? = nil, at seconds: Int64 = june1) throws -> String {
        func split(_ ident: String) -> (String, String) {
            let parts = ident.split(separator: "<")
            return (parts[0].trimmingCharacters(in: .whitespaces), String(parts[1].dropLast()))
        }
        let (authorName, authorEmail) = split(author)
        let (committerName, committerEmail) = split(committer ?? author)
        var env = environment
        env["GIT_CONFIG_NOSYSTEM"] = "1"
        env["GIT_CONFIG_GLOBAL"] = "/dev/null"
        env["GIT_AUTHOR_NAME"] = authorName
        env["GIT_AUTHOR_EMAIL"] = authorEmail
        env["GIT_COMMITTER_NAME"] = committerName
        env["GIT_COMMITTER_EMAIL"] = committerEmail
        env["GIT_AUTHOR_DATE"] = "@\(seconds) +0200"
        env["GIT_COMMITTER_DATE"] = "@\(seconds) +0200"
        return try Self.run("/usr/bin/env", ["git", "-C", path] + arguments, environment: env)
    }

    func write(_ relativePath: String, _ text: String) throws {
        let full = path + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
    }

    func commitAll(_ message: String, author: String = "Alice Admin <alice@acme.example>",
                   committer: String? = nil, at seconds: Int64) throws {
        try git("add", "-A")
        try git("commit", "-q", "-m", message, author: author, committer: committer, at: seconds)
    }

    func revParse(_ revision: String) throws -> String {
        try git("rev-parse", "--verify", revision).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws -> String {
        let output = try ExternalTool.capture(executable, arguments, environment: environment)
        guard output.status == 0 else {
            throw GitError(kind: .commandFailed, repository: "fixture", arguments: arguments, exitCode: output.status)
        }
        return output.stdoutText
    }

    static let databasePolicy = "tool: database.query\nroles: [analyst, dba]\n"
    static let databasePolicyTightened = "tool: database.query\nroles: [dba]\n"
    static let filesPolicy = "tool: files.read\nroles: [engineer]\n"
    static let filesPolicyHotfix = "tool: files.read\nroles: [engineer, analyst]\n"
    static let slackPolicy = "tool: slack.post\nroles: [support]\n"
    static let crmPolicy = "tool: crm.*\nroles: [sales]\n"
    static let oddName = "policies/sales tëam/crm \"quoted\" ‘notes’ ü.yaml"
    static let squashMessage = """
        Tighten roles (#13)

        Drop analyst access to production queries.

        Reviewed-by: Erin Reviewer <erin@acme.example>
        Reviewed-by: Frank Second <frank@acme.example>
        Reason: least privilege for
          the analytics team
        """

    /// The full scenario: initial import, README-only change, a feature branch merged with --no-ff as
    /// pull request 12, a squash commit for pull request 13 with trailers, a direct push, a file with an
    /// awkward name, a deletion and a symbolic link to /etc/passwd.
    static func full() throws -> PolicyRepoFixture {
        let repo = try PolicyRepoFixture()
        let hour: Int64 = 3600
        try repo.write("README.md", "# Policies\n")
        try repo.write("policies/database.query.yaml", databasePolicy)
        try repo.write("policies/files.read.yaml", filesPolicy)
        try repo.write("policies/NOTES.md", "Owners: security\n")
        try repo.commitAll("Add initial policies", at: june1)

        try repo.write("README.md", "# Policies\n\nSee policies/.\n")
        try repo.commitAll("Update README", at: july1 + 1 * hour)

        try repo.git("checkout", "-q", "-b", "acme/x")
        try repo.write("policies/slack.post.yaml", slackPolicy)
        try repo.commitAll("Add Slack policy", author: "Bob Builder <bob@acme.example>", at: july1 + 2 * hour)
        try repo.git("checkout", "-q", "main")
        try repo.git(
            "merge", "-q", "--no-ff", "-m", "Merge pull request #12 from acme/x", "acme/x",
            author: "Bob Builder <bob@acme.example>", committer: "GitHub <noreply@github.com>", at: july1 + 3 * hour)

        try repo.write("policies/database.query.yaml", databasePolicyTightened)
        try repo.commitAll(
            squashMessage, author: "Carol Coder <carol@acme.example>", committer: "GitHub <noreply@github.com>",
            at: july1 + 4 * hour)

        try repo.write("policies/files.read.yaml", filesPolicyHotfix)
        try repo.commitAll("Hotfix: let analysts read files", author: "Dave Direct <dave@acme.example>", at: july1 + 5 * hour)

        try repo.write(oddName, crmPolicy)
        try repo.commitAll("Add CRM policy", at: july1 + 6 * hour)

        try FileManager.default.removeItem(atPath: repo.path + "/policies/files.read.yaml")
        try repo.commitAll("Remove files.read policy", at: july1 + 7 * hour)

        try FileManager.default.createSymbolicLink(atPath: repo.path + "/policies/passwd.yaml", withDestinationPath: "/etc/passwd")
        try repo.commitAll("Link system accounts", at: july1 + 8 * hour)
        return repo
    }
}

private func text(_ data: Data?) -> String? { data.map { String(decoding: $0, as: UTF8.self) } }

private func gitError(_ body: () throws -> Void) -> GitError? {
    do {
        try body()
        return nil
    } catch let error as GitError {
        return error
    } catch {
        Issue.record("expected a GitError, got \(error)")
        return nil
    }
}

@Test func policyHistoryReadsEveryCommitTouchingThePolicyPath() throws {
    let repo = try PolicyRepoFixture.full()
    let history = try PolicyHistory(repository: repo.path, branch: "main", path: "policies", environment: repo.environment)
    let hour: Int64 = 3_600_000
    let july1 = PolicyRepoFixture.july1 * 1000

    #expect(history.headCommit == (try repo.revParse("main")))
    #expect(history.path == "policies")
    #expect(history.isShallow == false)
    #expect(history.commits.map(\.subject) == [
        "Add initial policies", "Add Slack policy", "Merge pull request #12 from acme/x", "Tighten roles (#13)",
        "Hotfix: let analysts read files", "Add CRM policy", "Remove files.read policy", "Link system accounts",
    ])
    #expect(history.commits.map(\.committerTime) == [PolicyRepoFixture.june1 * 1000] + (2...8).map { july1 + Int64($0) * hour })
    #expect(history.commits.map(\.isMainline) == [true, false, true, true, true, true, true, true])
    #expect(history.commits.map(\.pullRequest) == [nil, nil, 12, 13, nil, nil, nil, nil])
    #expect(history.commits.map(\.isMerge) == [false, false, true, false, false, false, false, false])

    let initial = history.commits[0]
    #expect(initial.sha == (try repo.revParse("main~7")))
    #expect(initial.parents == [])
    #expect(initial.authorName == "Alice Admin")
    #expect(initial.authorEmail == "alice@acme.example")
    #expect(initial.authorTime == 1_780_308_000_000)
    #expect(initial.message == "Add initial policies\n")
    #expect(initial.trailers == [])
    #expect(initial.files.map(\.path) == ["policies/NOTES.md", "policies/database.query.yaml", "policies/files.read.yaml"])
    #expect(initial.files.map(\.status) == [.added, .added, .added])
    #expect(initial.files.map(\.mode) == ["100644", "100644", "100644"])
    #expect(initial.files.map { text($0.content) } == [nil, PolicyRepoFixture.databasePolicy, PolicyRepoFixture.filesPolicy])
    #expect(initial.files.map(\.problem) == [nil, nil, nil])
    #expect(initial.files[1].blobSHA == (try repo.revParse("main~7:policies/database.query.yaml")))

    let feature = history.commits[1]
    #expect(feature.sha == (try repo.revParse("acme/x")))
    #expect(feature.authorName == "Bob Builder")
    #expect(feature.files.map(\.path) == ["policies/slack.post.yaml"])

    let merge = history.commits[2]
    #expect(merge.parents == [try repo.revParse("main~6"), try repo.revParse("acme/x")])
    #expect(merge.authorName == "Bob Builder")
    #expect(merge.committerName == "GitHub")
    #expect(merge.committerEmail == "noreply@github.com")
    #expect(merge.files.count == 1)
    #expect(merge.files.first?.path == "policies/slack.post.yaml")
    #expect(merge.files.first?.status == .added)
    #expect(text(merge.files.first?.content) == PolicyRepoFixture.slackPolicy)

    let squash = history.commits[3]
    #expect(squash.authorName == "Carol Coder")
    #expect(squash.authorEmail == "carol@acme.example")
    #expect(squash.authorTime == july1 + 4 * hour)
    #expect(squash.committerName == "GitHub")
    #expect(squash.message == PolicyRepoFixture.squashMessage + "\n")
    #expect(squash.trailers == [
        .init(key: "Reviewed-by", value: "Erin Reviewer <erin@acme.example>"),
        .init(key: "Reviewed-by", value: "Frank Second <frank@acme.example>"),
        .init(key: "Reason", value: "least privilege for the analytics team"),
    ])
    #expect(squash.reviewedBy == ["Erin Reviewer <erin@acme.example>", "Frank Second <frank@acme.example>"])
    #expect(squash.reasons == ["least privilege for the analytics team"])
    #expect(squash.approvedBy == [])
    #expect(squash.files.map(\.status) == [.modified])
    #expect(text(squash.files.first?.content) == PolicyRepoFixture.databasePolicyTightened)

    let direct = history.commits[4]
    #expect(direct.parents == [squash.sha])
    #expect(direct.authorName == "Dave Direct")
    #expect(direct.committerName == "Dave Direct")
    #expect(direct.trailers == [])
    #expect(direct.files.map(\.path) == ["policies/files.read.yaml"])
    #expect(text(direct.files.first?.content) == PolicyRepoFixture.filesPolicyHotfix)

    let crm = history.commits[5]
    #expect(crm.files.map(\.path) == [PolicyRepoFixture.oddName])
    #expect(text(crm.files.first?.content) == PolicyRepoFixture.crmPolicy)

    let deletion = history.commits[6]
    #expect(deletion.files.count == 1)
    #expect(deletion.files.first?.path == "policies/files.read.yaml")
    #expect(deletion.files.first?.status == .deleted)
    #expect(deletion.files.first?.content == nil)
    #expect(deletion.files.first?.problem == nil)
    #expect(deletion.files.first?.blobSHA == direct.files.first?.blobSHA)

    let link = history.commits[7]
    #expect(link.files.count == 1)
    #expect(link.files.first?.path == "policies/passwd.yaml")
    #expect(link.files.first?.mode == "120000")
    #expect(link.files.first?.content == nil)
    #expect(link.files.first?.problem == "is a symbolic link; policy files must be regular files")
}

@Test func policyHistoryFiltersByCommitterTime() throws {
    let repo = try PolicyRepoFixture.full()
    let history = try PolicyHistory(repository: repo.path, branch: "main", path: "./policies/", environment: repo.environment)
    let july1 = PolicyRepoFixture.july1 * 1000
    let hour: Int64 = 3_600_000
    #expect(history.path == "policies")
    #expect(history.commits(committedIn: july1..<(july1 + 4 * hour)).map(\.subject) == [
        "Add Slack policy", "Merge pull request #12 from acme/x",
    ])
    #expect(history.commits(committedIn: 0..<july1).map(\.subject) == ["Add initial policies"])
}

@Test func policyHistoryOfTheWholeRepositoryIncludesFilesOutsidePolicies() throws {
    let repo = try PolicyRepoFixture.full()
    let history = try PolicyHistory(repository: repo.path, branch: "main", path: "", environment: repo.environment)
    #expect(history.commits.map(\.subject).contains("Update README"))
    #expect(history.commits[0].files.map(\.path) == [
        "README.md", "policies/NOTES.md", "policies/database.query.yaml", "policies/files.read.yaml",
    ])
}

@Test func policyHistoryReportsOversizedFilesInsteadOfReadingThem() throws {
    let repo = try PolicyRepoFixture()
    try repo.write("policies/big.yaml", String(repeating: "#", count: 100) + "\n")
    try repo.write("policies/small.yml", "tool: a.b\n")
    try repo.commitAll("Add policies", at: PolicyRepoFixture.july1)
    let history = try PolicyHistory(
        repository: repo.path, branch: "main", path: "policies", maximumFileSize: 50, environment: repo.environment)
    let files = try #require(history.commits.first).files
    #expect(files.map(\.path) == ["policies/big.yaml", "policies/small.yml"])
    #expect(files.map(\.problem) == ["is 101 bytes, larger than the 50-byte limit for policy files", nil])
    #expect(files.map { text($0.content) } == [nil, "tool: a.b\n"])
}

@Test func policyHistoryDropsMergesThatChangeNothingUnderThePath() throws {
    let repo = try PolicyRepoFixture()
    try repo.write("policies/a.yaml", "tool: a.b\n")
    try repo.commitAll("Add a", at: PolicyRepoFixture.july1)
    try repo.git("checkout", "-q", "-b", "docs")
    try repo.write("README.md", "docs\n")
    try repo.commitAll("Docs", at: PolicyRepoFixture.july1 + 60)
    try repo.git("checkout", "-q", "main")
    try repo.write("policies/a.yaml", "tool: a.b\nroles: [x]\n")
    try repo.commitAll("Change a", at: PolicyRepoFixture.july1 + 120)
    try repo.git("merge", "-q", "--no-ff", "-m", "Merge branch 'docs'", "docs", at: PolicyRepoFixture.july1 + 180)
    let history = try PolicyHistory(repository: repo.path, branch: "main", path: "policies", environment: repo.environment)
    #expect(history.commits.map(\.subject) == ["Add a", "Change a"])
}

@Test func policyHistoryAcceptsRemoteTrackingBranchesAndRevisions() throws {
    let repo = try PolicyRepoFixture()
    try repo.write("policies/a.yaml", "tool: a.b\n")
    try repo.commitAll("Add a", at: PolicyRepoFixture.july1)
    let head = try repo.revParse("main")
    try repo.git("update-ref", "refs/remotes/origin/main", head)
    try repo.git("tag", "v1")
    for branch in ["origin/main", "v1", head] {
        let history = try PolicyHistory(repository: repo.path, branch: branch, path: "policies", environment: repo.environment)
        #expect(history.headCommit == head)
        #expect(history.commits.count == 1)
    }
}

@Test func policyHistoryRejectsMissingRepositoriesAndBranches() throws {
    let repo = try PolicyRepoFixture.full()
    let missing = repo.root + "/no-such-repo"
    let noRepo = gitError { _ = try PolicyHistory(repository: missing, branch: "main", path: "policies", environment: repo.environment) }
    #expect(noRepo?.kind == .repositoryNotFound)
    #expect(noRepo?.description == "policy repository '\(missing)' does not exist.")

    let noBranch = gitError { _ = try PolicyHistory(repository: repo.path, branch: "release", path: "policies", environment: repo.environment) }
    #expect(noBranch?.kind == .branchNotFound)
    #expect(noBranch?.description == "policy repository '\(repo.path)' has no branch 'release'.")

    let dashed = gitError { _ = try PolicyHistory(repository: repo.path, branch: "--output=/tmp/x", path: "policies", environment: repo.environment) }
    #expect(dashed?.kind == .invalidArgument)

    let plain = gitError { _ = try PolicyHistory(repository: repo.home, branch: "main", path: "policies", environment: repo.environment) }
    #expect(plain?.kind == .notARepository)
    #expect(plain?.description.hasPrefix("policy repository '\(repo.home)' is not the top folder of a git repository: fatal: not a git repository") == true)

    // A folder inside a repository is not the repository: git must not walk up to the enclosing one.
    let inside = repo.path + "/policies"
    let subfolder = gitError { _ = try PolicyHistory(repository: inside, branch: "main", path: ".", environment: repo.environment) }
    #expect(subfolder?.kind == .notARepository)

    let file = repo.path + "/README.md"
    let notFolder = gitError { _ = try PolicyHistory(repository: file, branch: "main", path: "policies", environment: repo.environment) }
    #expect(notFolder?.description == "policy repository '\(file)' is not a folder.")

    let noGit = gitError { _ = try PolicyHistory(repository: repo.path, branch: "main", path: "policies", environment: ["PATH": repo.home]) }
    #expect(noGit?.kind == .gitNotFound)
}

@Test func policyHistoryRejectsPathsThatLeaveTheRepository() throws {
    let repo = try PolicyRepoFixture()
    for bad in ["../policies", "policies/../../etc", "/etc"] {
        let error = gitError { _ = try PolicyHistory(repository: repo.path, branch: "main", path: bad, environment: repo.environment) }
        #expect(error?.kind == .invalidArgument, "\(bad)")
    }
    try repo.write("README.md", "x\n")
    try repo.commitAll("Add README", at: PolicyRepoFixture.july1)
    let typo = gitError { _ = try PolicyHistory(repository: repo.path, branch: "main", path: "policy", environment: repo.environment) }
    #expect(typo?.description == "cannot read policy repository '\(repo.path)': policy path 'policy' has never held a file on branch 'main'.")
    let dotdot = gitError { _ = try PolicyHistory(repository: repo.path, branch: "main", path: "a/../b", environment: repo.environment) }
    #expect(dotdot?.description == "cannot read policy repository '\(repo.path)': policy path 'a/../b' must not contain '..' components.")
}

@Test(.enabled(if: getuid() == 0, "needs root to give the repository to another user"))
func policyHistoryExplainsDubiousOwnershipAndHonoursSafeDirectory() throws {
    let repo = try PolicyRepoFixture()
    try repo.write("policies/a.yaml", "tool: a.b\n")
    try repo.commitAll("Add a", at: PolicyRepoFixture.july1)
    try PolicyRepoFixture.run("/usr/bin/env", ["chown", "-R", "65534:65534", repo.path])
    let resolved = URL(fileURLWithPath: repo.path).resolvingSymlinksInPath().path

    let refused = gitError { _ = try PolicyHistory(repository: repo.path, branch: "main", path: "policies", environment: repo.environment) }
    #expect(refused?.kind == .dubiousOwnership)
    #expect(refused?.description.hasPrefix(
        "git refuses to read policy repository '\(repo.path)' because it is owned by another user; run as its owner "
            + "or trust it with `git config --global --add safe.directory '\(resolved)'`: fatal: detected dubious ownership") == true)

    // The user's own global safe.directory decision is honoured; nothing else from that file is read.
    try Data("[safe]\n\tdirectory = \(resolved)\n[log]\n\tshowSignature = true\n".utf8)
        .write(to: URL(fileURLWithPath: repo.home + "/.gitconfig"))
    let history = try PolicyHistory(repository: repo.path, branch: "main", path: "policies", environment: repo.environment)
    #expect(history.commits.map(\.subject) == ["Add a"])
}

@Test func pullRequestNumbersComeFromMergeAndSquashSubjects() {
    #expect(PolicyCommit.pullRequestNumber(subject: "Merge pull request #12 from acme/x") == 12)
    #expect(PolicyCommit.pullRequestNumber(subject: "Tighten roles (#13)") == 13)
    #expect(PolicyCommit.pullRequestNumber(subject: "Tighten roles (#13)  ") == 13)
    #expect(PolicyCommit.pullRequestNumber(subject: "Fix (#7) typo") == nil)
    #expect(PolicyCommit.pullRequestNumber(subject: "Merge pull request #12x from a") == nil)
    #expect(PolicyCommit.pullRequestNumber(subject: "Refs (#)") == nil)
    #expect(PolicyCommit.pullRequestNumber(subject: "Huge (#99999999999999999999)") == nil)
    #expect(PolicyCommit.pullRequestNumber(subject: "Zero (#0)") == nil)
    #expect(PolicyCommit.pullRequestNumber(subject: "Hotfix: let analysts read files") == nil)
}

@Test func gitLogParserRejectsTruncatedOutput() {
    let fail = { (detail: String) in GitError(kind: .malformedOutput, repository: "r", arguments: ["log"], detail: detail) }
    #expect(throws: GitError.self) { _ = try GitLogParser.parse(Data("abc\0def\0".utf8), fail: fail) }
    let fields = [String(repeating: "a", count: 40), "", "n", "e", "1", "n", "e", "x", "s", "", "s\n"]
    let notANumber = Data((fields.joined(separator: "\0") + "\0\0").utf8)
    #expect(throws: GitError.self) { _ = try GitLogParser.parse(notANumber, fail: fail) }
    let good = Data((fields.joined(separator: "\0").replacingOccurrences(of: "\0x\0", with: "\02\0") + "\0\0").utf8)
    #expect((try? GitLogParser.parse(good, fail: fail))?.first?.committerTime == 2000)
}

@Test func aShallowCloneIsRefusedWithTheCommandThatFetchesTheRest() throws {
    let repo = try PolicyRepoFixture.full()
    let shallow = repo.root + "/shallow"
    try PolicyRepoFixture.run("/usr/bin/env", ["git", "clone", "-q", "--depth", "2", "--branch", "main", "file://" + repo.path, shallow],
                              environment: repo.environment)
    let history = try PolicyHistory(repository: shallow, branch: "main", path: "policies", environment: repo.environment)
    #expect(history.isShallow)
    #expect(history.commits.count < (try PolicyHistory(repository: repo.path, branch: "main", path: "policies", environment: repo.environment)).commits.count)

    let source = EvidenceConfig.PolicySource(repo: EvidenceConfig.FilePath(absolute: shallow, display: "shallow"))
    #expect(throws: IngestError.self) { try PolicyIngest.readHistory(source, environment: repo.environment) }
    do {
        _ = try PolicyIngest.readHistory(source, environment: repo.environment)
    } catch {
        #expect(error.description == "Cannot read the policies input 'shallow': it is a shallow clone, so the policy history before its oldest commit is missing; fetch all of it (git -C 'shallow' fetch --unshallow, or fetch-depth: 0 in CI).")
    }
    // The full repository is read as before.
    let full = EvidenceConfig.PolicySource(repo: EvidenceConfig.FilePath(absolute: repo.path, display: "policy-repo"))
    #expect(try PolicyIngest.readHistory(full, environment: repo.environment).isShallow == false)
}
