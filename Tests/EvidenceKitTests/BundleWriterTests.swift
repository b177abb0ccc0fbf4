import Foundation
import Testing
@testable import EvidenceKit

@Suite struct BundleWriterTests {
    /// A build killed outright leaves `.<name>.tmp-<pid>-<hex>` beside the bundles; the next build of the
    /// same bundle removes it, and nothing else, and says so.
    @Test func foldersLeftByStoppedBuildsOfThisBundleAreRemoved() throws {
        try withSealTestFolder { folder in
            let out = folder.appendingPathComponent("out")
            // 99999999 is above the kernel's largest pid, so never a running process; pid 1 always runs.
            let abandoned = [".acme-2026-Q3.tmp-99999999-1f2e", ".acme-2026-Q3.tmp-99999999-1f2f@\(BundleWriter.host)"]
            let movedAside = ".acme-2026-Q3.old-99999999-ab@\(BundleWriter.host)"
            // Another machine's build may be running whatever its pid says here: never judged.
            let kept = [".acme-2026-Q3.tmp-1-1f2e", ".acme-2026-Q3.tmp-\(getpid())-77", ".other-2026-Q3.tmp-99999999-1f2e",
                        ".acme-2026-Q3.tmp-99999999-xyz", "acme-2026-Q2", ".acme-2026-Q3.tmp-99999999-1f30@another-host",
                        ".acme-2026-Q3.old-99999999-ab@another-host"]
            for name in abandoned + [movedAside] + kept {
                try FileManager.default.createDirectory(at: out.appendingPathComponent(name), withIntermediateDirectories: true)
                try Data("partial\n".utf8).write(to: out.appendingPathComponent(name).appendingPathComponent("controls.csv"))
            }
            // No bundle at the destination: the folder moved aside may be the only copy of it, so it stays.
            let first = try BundleWriter(destination: out.appendingPathComponent("acme-2026-Q3"), force: false)
            #expect(TemporaryPaths.registered.contains(first.temporaryFolder.path))
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out.path)) == Set(kept + [movedAside, first.temporaryFolder.lastPathComponent]))
            #expect(first.warnings == abandoned.map {
                "removed \(out.appendingPathComponent($0).path), left by a build of this bundle that was stopped"
            } + [
                "\(out.appendingPathComponent(movedAside).path) holds an earlier bundle that a stopped build had moved aside and no bundle replaced; it was left in place (rename it to acme-2026-Q3 to restore it)",
            ])
            try first.write(Data("{}\n".utf8), to: "MANIFEST.json")
            try first.commit()
            #expect(!TemporaryPaths.registered.contains(first.temporaryFolder.path))

            // With a bundle in place, it is garbage.
            let second = try BundleWriter(destination: out.appendingPathComponent("acme-2026-Q3"), force: true)
            #expect(second.warnings == ["removed \(out.appendingPathComponent(movedAside).path), left by a build of this bundle that was stopped"])
            #expect(Set(try FileManager.default.contentsOfDirectory(atPath: out.path)) == Set(kept + ["acme-2026-Q3", second.temporaryFolder.lastPathComponent]))
            second.abort()
            #expect(!TemporaryPaths.registered.contains(second.temporaryFolder.path))
        }
    }

    /// What a signal handler removes (`TemporaryPaths.removeAll()`, tested through the command line
    /// because in this process it would remove every test's folders): the folders being written, until
    /// they are committed or aborted.
    @Test func temporaryFoldersAreRegisteredUntilCommittedOrAborted() throws {
        try withSealTestFolder { folder in
            let committed = try BundleWriter(destination: folder.appendingPathComponent("one"), force: false)
            let aborted = try BundleWriter(destination: folder.appendingPathComponent("two"), force: false)
            let scratch = try ScratchFolder.create(in: folder, removingAbandoned: false)
            #expect(TemporaryPaths.registered.isSuperset(of: [committed.temporaryFolder.path, aborted.temporaryFolder.path, scratch.url.path]))
            try committed.write(Data("x\n".utf8), to: "a.csv")
            try committed.commit()
            aborted.abort()
            scratch.remove()
            #expect(TemporaryPaths.registered.isDisjoint(with: [committed.temporaryFolder.path, aborted.temporaryFolder.path, scratch.url.path]))
        }
    }

    @Test func writesIntoTemporaryFolderAndRenamesOnCommit() throws {
        try withSealTestFolder { folder in
            let destination = folder.appendingPathComponent("out/acme-2026-Q3")
            let writer = try BundleWriter(destination: destination, force: false)
            let temporary = writer.temporaryFolder
            #expect(temporary.deletingLastPathComponent().path == destination.deletingLastPathComponent().path)
            #expect(temporary.lastPathComponent.hasPrefix(".acme-2026-Q3.tmp-\(getpid())-"))
            #expect(temporary.lastPathComponent.hasSuffix("@\(BundleWriter.host)"))
            #expect(BundleWriter.owner(of: temporary.lastPathComponent, bundle: "acme-2026-Q3") == getpid())
            #expect(BundleWriter.owner(of: temporary.lastPathComponent, bundle: "acme-2026-Q3", host: "elsewhere") == nil)
            #expect(!FileManager.default.fileExists(atPath: destination.path))

            try writer.write(Data("<html></html>\n".utf8), to: "index.html")
            try writer.write(Data("id\n".utf8), to: "checks/c1/exceptions.csv")
            try Data("streamed\n".utf8).write(to: try writer.fileURL(for: "checks/c1/sample.csv"))
            #expect(!FileManager.default.fileExists(atPath: destination.path), "nothing is visible before commit")

            try writer.commit()
            #expect(try String(contentsOf: destination.appendingPathComponent("checks/c1/exceptions.csv"), encoding: .utf8) == "id\n")
            #expect(try String(contentsOf: destination.appendingPathComponent("checks/c1/sample.csv"), encoding: .utf8) == "streamed\n")
            #expect(!FileManager.default.fileExists(atPath: temporary.path))
            #expect(try sealLeftovers(in: destination.deletingLastPathComponent()).isEmpty)
            #expect(writer.warnings.isEmpty)
            #expect(throws: BundleError.writerFinished(path: destination.path)) { try writer.write(Data(), to: "late.txt") }
        }
    }

    @Test func existingDestinationWithoutForceFailsBeforeTouchingAnything() throws {
        try withSealTestFolder { folder in
            let destination = folder.appendingPathComponent("bundle")
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
            try Data("old".utf8).write(to: destination.appendingPathComponent("MANIFEST.json"))
            let before = try FileManager.default.contentsOfDirectory(atPath: folder.path)

            let error = #expect(throws: BundleError.destinationExists(path: destination.path)) {
                try BundleWriter(destination: destination, force: false)
            }
            #expect(error?.description == "Bundle already exists at \(destination.path); pass --force to replace it.")
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == before)
            #expect(try String(contentsOf: destination.appendingPathComponent("MANIFEST.json"), encoding: .utf8) == "old")
        }
    }

    @Test func destinationAppearingBeforeCommitIsNotReplacedWithoutForce() throws {
        try withSealTestFolder { folder in
            let destination = folder.appendingPathComponent("bundle")
            let writer = try BundleWriter(destination: destination, force: false)
            try writer.write(Data("new".utf8), to: "a.txt")
            try FileManager.default.createDirectory(at: destination, withIntermediateDirectories: false)
            try Data("other run".utf8).write(to: destination.appendingPathComponent("MANIFEST.json"))
            #expect(throws: BundleError.destinationExists(path: destination.path)) { try writer.commit() }
            writer.abort()
            #expect(try String(contentsOf: destination.appendingPathComponent("MANIFEST.json"), encoding: .utf8) == "other run")
            #expect(try sealLeftovers(in: folder).isEmpty)
        }
    }

    @Test func forceReplacesAnEarlierBundleAndLeavesNothingBehind() throws {
        try withSealTestFolder { folder in
            let destination = folder.appendingPathComponent("bundle")
            let first = try BundleWriter(destination: destination, force: false)
            try first.write(Data("v1".utf8), to: "MANIFEST.json")
            try first.write(Data("old only".utf8), to: "old.txt")
            try first.commit()

            let second = try BundleWriter(destination: destination, force: true)
            try second.write(Data("v2".utf8), to: "MANIFEST.json")
            try second.commit()
            #expect(try String(contentsOf: destination.appendingPathComponent("MANIFEST.json"), encoding: .utf8) == "v2")
            #expect(!FileManager.default.fileExists(atPath: destination.appendingPathComponent("old.txt").path))
            #expect(try sealLeftovers(in: folder).isEmpty)
            #expect(second.warnings.isEmpty)
        }
    }

    @Test func forceRefusesToDeleteSomethingThatIsNotABundle() throws {
        try withSealTestFolder { folder in
            let home = folder.appendingPathComponent("documents")
            try FileManager.default.createDirectory(at: home, withIntermediateDirectories: false)
            try Data("precious".utf8).write(to: home.appendingPathComponent("thesis.txt"))
            #expect(throws: BundleError.destinationNotABundle(path: home.path)) {
                try BundleWriter(destination: home, force: true)
            }
            let file = folder.appendingPathComponent("notes.txt")
            try Data("precious".utf8).write(to: file)
            #expect(throws: BundleError.destinationNotABundle(path: file.path)) {
                try BundleWriter(destination: file, force: true)
            }
            #expect(FileManager.default.fileExists(atPath: home.appendingPathComponent("thesis.txt").path))
            #expect(try sealLeftovers(in: folder).isEmpty)

            // An empty folder (say, made by hand for --out) may be replaced.
            let empty = folder.appendingPathComponent("empty")
            try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: false)
            let writer = try BundleWriter(destination: empty, force: true)
            try writer.write(Data("x".utf8), to: "a.txt")
            try writer.commit()
            #expect(FileManager.default.fileExists(atPath: empty.appendingPathComponent("a.txt").path))
        }
    }

    @Test func abortAndDeinitRemoveTheTemporaryFolder() throws {
        try withSealTestFolder { folder in
            let destination = folder.appendingPathComponent("bundle")
            let writer = try BundleWriter(destination: destination, force: false)
            try writer.write(Data("x".utf8), to: "deep/er/file.txt")
            writer.abort()
            writer.abort()
            #expect(try sealLeftovers(in: folder).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: destination.path))
            #expect(throws: BundleError.writerFinished(path: destination.path)) { try writer.commit() }

            func abandon() throws {
                let dropped = try BundleWriter(destination: destination, force: false)
                try dropped.write(Data("x".utf8), to: "file.txt")
            }
            try abandon()
            #expect(try sealLeftovers(in: folder).isEmpty)
            #expect(!FileManager.default.fileExists(atPath: destination.path))
        }
    }

    @Test(arguments: [
        "../escape.txt", "/etc/passwd", "a/../../escape.txt", "a//b.txt", "a/", "./a.txt", "a/./b.txt", "",
        "back\\slash.txt", "new\nline.txt", "tab\there.txt", "nul\u{0}.txt", "esc\u{1b}[31m.txt", "del\u{7f}.txt",
    ])
    func unsafePathsAreRejected(path: String) throws {
        try withSealTestFolder { folder in
            let writer = try BundleWriter(destination: folder.appendingPathComponent("sub/bundle"), force: false)
            defer { writer.abort() }
            let error = #expect(throws: BundleError.self) { try writer.write(Data("x".utf8), to: path) }
            guard case .invalidPath(let rejected, _) = error else {
                Issue.record("expected invalidPath for \(path.debugDescription), got \(String(describing: error))")
                return
            }
            #expect(rejected == path)
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("sub/escape.txt").path))
            #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("escape.txt").path))
            #expect(try FileManager.default.contentsOfDirectory(atPath: writer.temporaryFolder.path).isEmpty)
        }
    }

    @Test func safeUnusualNamesAreAccepted() throws {
        try withSealTestFolder { folder in
            let writer = try BundleWriter(destination: folder.appendingPathComponent("bundle"), force: false)
            defer { writer.abort() }
            for path in ["caf\u{e9}.csv", "..hidden", "a..b/c", ".gitkeep", "name with spaces.csv"] {
                try writer.write(Data("x".utf8), to: path)
                #expect(FileManager.default.fileExists(atPath: writer.temporaryFolder.appendingPathComponent(path).path))
            }
        }
    }

    @Test func writingTheSamePathTwiceIsAnError() throws {
        try withSealTestFolder { folder in
            let writer = try BundleWriter(destination: folder.appendingPathComponent("bundle"), force: false)
            defer { writer.abort() }
            try writer.write(Data("first".utf8), to: "a/b.csv")
            #expect(throws: BundleError.fileExists(path: "a/b.csv")) { try writer.write(Data("second".utf8), to: "a/b.csv") }
            #expect(try String(contentsOf: writer.temporaryFolder.appendingPathComponent("a/b.csv"), encoding: .utf8) == "first")
        }
    }

    @Test func doesNotWriteThroughASymbolicLinkedFolder() throws {
        try withSealTestFolder { folder in
            let outside = folder.appendingPathComponent("outside")
            try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: false)
            let writer = try BundleWriter(destination: folder.appendingPathComponent("bundle"), force: false)
            defer { writer.abort() }
            try FileManager.default.createSymbolicLink(
                at: writer.temporaryFolder.appendingPathComponent("checks"), withDestinationURL: outside)
            #expect(throws: FileAccessError.self) { try writer.write(Data("x".utf8), to: "checks/leak.csv") }
            try FileManager.default.createSymbolicLink(
                at: writer.temporaryFolder.appendingPathComponent("link.csv"),
                withDestinationURL: outside.appendingPathComponent("target.csv"))
            #expect(throws: BundleError.fileExists(path: "link.csv")) { try writer.write(Data("x".utf8), to: "link.csv") }
            #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty)
        }
    }
}

/// Temporary or set-aside folders a writer left in `folder`.
private func sealLeftovers(in folder: URL) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.contains(".tmp-") || $0.contains(".old-") }
}
