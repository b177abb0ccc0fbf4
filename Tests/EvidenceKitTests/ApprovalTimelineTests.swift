import Testing
@testable import EvidenceKit

struct ApprovalTimelineTests {
    static let day: Int64 = 86_400_000

    func event(_ line: Int, _ day: Int64, _ kind: String, tool: String = "db", actor: String = "u1",
               role: String = "security", tier: Int64? = nil, outcome: String? = nil, expiresDay: Int64? = nil) -> ToolEvent {
        ToolEvent(line: line, timestamp: day * Self.day, event: kind, toolServer: "srv", toolName: tool, actor: actor,
                  actorRole: role, purpose: nil, owner: nil, dataClassification: nil, riskTier: tier, outcome: outcome,
                  ticket: nil, expires: expiresDay.map { $0 * Self.day })
    }

    @Test func approvalRunsUntilExpiry() {
        let timeline = ApprovalTimeline(events: [
            event(1, 1, "registered", actor: "owner", tier: 2),
            event(2, 2, "approved", tier: 2, expiresDay: 30),
        ], statusAt: 40 * Self.day)
        #expect(timeline.approvals.count == 1)
        #expect(timeline.approvals[0].validFrom == 2 * Self.day)
        #expect(timeline.approvals[0].validTo == 30 * Self.day)
        #expect(timeline.approvals[0].endedBy == "expired")
        #expect(timeline.tools["srv.db"]?.status == "expired")
        #expect(timeline.tools["srv.db"]?.registeredBy == "owner")
    }

    @Test func passingReviewExtendsAndFailingReviewEnds() {
        let extended = ApprovalTimeline(events: [
            event(1, 2, "approved", tier: 1, expiresDay: 30),
            event(2, 20, "reviewed", outcome: "pass", expiresDay: 90),
        ], statusAt: 40 * Self.day)
        #expect(extended.approvals[0].validTo == 90 * Self.day)
        #expect(extended.tools["srv.db"]?.status == "approved")
        #expect(extended.tools["srv.db"]?.lastReviewedAt == 20 * Self.day)

        let failed = ApprovalTimeline(events: [
            event(1, 2, "approved", tier: 1, expiresDay: 30),
            event(2, 20, "reviewed", outcome: "fail"),
        ], statusAt: 40 * Self.day)
        #expect(failed.approvals[0].validTo == 20 * Self.day)
        #expect(failed.approvals[0].endedBy == "review-failed")
    }

    @Test func reviewAfterExpiryDoesNotRevive() {
        let timeline = ApprovalTimeline(events: [
            event(1, 2, "approved", tier: 1, expiresDay: 10),
            event(2, 20, "reviewed", outcome: "pass", expiresDay: 90),
        ], statusAt: 40 * Self.day)
        #expect(timeline.approvals[0].validTo == 10 * Self.day)
        #expect(timeline.tools["srv.db"]?.status == "expired")
    }

    @Test func revocationDecommissionAndSupersession() {
        let timeline = ApprovalTimeline(events: [
            event(3, 5, "approved", tier: 2),
            event(1, 1, "approved", tier: 2),
            event(4, 8, "revoked"),
            event(5, 9, "approved", tool: "other", tier: 1),
            event(6, 12, "decommissioned", tool: "other"),
        ], statusAt: 40 * Self.day)
        // Events replay in time order, whatever their order in the file.
        #expect(timeline.approvals.map(\.validFrom) == [1 * Self.day, 5 * Self.day, 9 * Self.day])
        #expect(timeline.approvals.map(\.endedBy) == ["superseded", "revoked", "decommissioned"])
        #expect(timeline.approvals.map(\.validTo) == [5 * Self.day, 8 * Self.day, 12 * Self.day])
        #expect(timeline.tools["srv.db"]?.status == "revoked")
        #expect(timeline.tools["srv.other"]?.status == "decommissioned")
        #expect(timeline.tools["srv.db"]?.registeredAt == nil)
    }

    @Test func rejectedToolWithoutApproval() {
        let timeline = ApprovalTimeline(events: [
            event(1, 1, "registered", tier: 3),
            event(2, 3, "rejected"),
        ], statusAt: 40 * Self.day)
        #expect(timeline.approvals.isEmpty)
        #expect(timeline.tools["srv.db"]?.status == "rejected")
    }
}
