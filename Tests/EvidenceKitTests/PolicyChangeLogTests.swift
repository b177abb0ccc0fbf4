import Foundation
import Testing
@testable import EvidenceKit

/// The change log names the same author policy-change-approved judges: for a merge commit, the author
/// of the merged branch's tip. Showing the merge commit's author instead made a reviewed change look
/// self-approved (PR #13: merged by the reviewer, written by someone else).
struct PolicyChangeLogTests {
    @Test func mergeCommitsShowTheBranchAuthorAndWhoMerged() throws {
        let acme = try AcmeRun.get()
        let store = try EvidenceStore(readingAt: acme.storePath)
        let rows = try StoreFacts(store: store).policyChangeRows
        func row(pr: Int64) throws -> [SQLValue] { try #require(rows.first { $0[5].int64 == pr }) }

        let pr13 = try row(pr: 13)
        #expect(pr13[10].int64 == 1)
        #expect(pr13[3].string == "chloe.dubois-martin@acme.example")
        #expect(pr13[11].string == "grace.liu@acme.example")
        let pr15 = try row(pr: 15)
        #expect(pr15[3].string == "priya.natarajan@acme.example")
        #expect(pr15[11].string == "aisha.rahman@acme.example")
        // A squash-merged PR is an ordinary commit: its own author, nobody shown as merging it.
        let pr14 = try row(pr: 14)
        #expect(pr14[10].int64 == 0)
        #expect(pr14[3].string == "sofia.romano@acme.example")
        #expect(pr14[11] == .null)

        // Every row's author is the one the check's SQL works out.
        let judged = try store.database.query("""
            SELECT c.sha, coalesce(CASE WHEN c.is_merge = 1 THEN (SELECT p.author_email FROM policy_commits p WHERE p.sha = substr(c.parents, 42, 40)) END,
                                   c.author_email)
            FROM policy_commits c WHERE c.in_period = 1 AND c.first_parent = 1 ORDER BY c.committed_at, c.sha
            """).rows
        #expect(rows.map { [$0[0], $0[3]] } == judged)
    }
}
