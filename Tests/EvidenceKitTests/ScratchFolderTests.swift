import Foundation
import Testing
@testable import EvidenceKit

/// A killed build leaves its store (gigabytes at audit-log scale) in the temporary folder; the next
/// build removes such folders, and only those.
struct ScratchFolderTests {
    @Test func foldersOfBuildsThatNoLongerRunAreRemovedAndNothingElse() throws {
        let parent = try TestFolder.make("scratch-test")
        defer { try? FileManager.default.removeItem(at: parent) }
        // Above the kernel's largest pid (4194304), so never a running process.
        let abandoned = "mcp-evidence-99999999-\(UUID().uuidString)"
        let mine = "mcp-evidence-\(getpid())-\(UUID().uuidString)"
        let others = ["mcp-evidence-1-\(UUID().uuidString)", "mcp-evidence-99999999-not-a-uuid", "mcp-evidence-bench.ab12", "unrelated"]
        for name in [abandoned, mine] + others {
            try FileManager.default.createDirectory(at: parent.appendingPathComponent(name), withIntermediateDirectories: true)
            try Data("x".utf8).write(to: parent.appendingPathComponent(name).appendingPathComponent("evidence.sqlite"))
        }

        let created = try ScratchFolder.create(in: parent)

        #expect(ScratchFolder.removeAbandoned(in: parent) == [])
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: parent.path))
        #expect(left == Set([mine, created.url.lastPathComponent] + others), "only the abandoned folder is gone (pid 1 always runs)")
        created.remove()
        #expect(!FileManager.default.fileExists(atPath: created.url.path))
    }

    @Test func onlyTheNamesThisToolGivesCarryAnOwner() {
        let uuid = UUID().uuidString
        #expect(ScratchFolder.owner(of: "mcp-evidence-42-\(uuid)") == 42)
        #expect(ScratchFolder.owner(of: "mcp-evidence-0-\(uuid)") == nil)
        #expect(ScratchFolder.owner(of: "mcp-evidence--5-\(uuid)") == nil)
        #expect(ScratchFolder.owner(of: "mcp-evidence-42") == nil)
        #expect(ScratchFolder.owner(of: "mcp-evidence-git-\(uuid)") == nil)
        #expect(ScratchFolder.owner(of: "other-42-\(uuid)") == nil)
    }
}
