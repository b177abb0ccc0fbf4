import Foundation
@testable import EvidenceKit

/// Where every test makes its temporary folders, so that a test run leaves nothing behind in the
/// system's temporary folder.
///
/// They all live under one root per process, named as `ScratchFolder` names a build's store
/// (`mcp-evidence-<pid>-<uuid>`). The root is removed when the process exits; a process killed by a
/// timeout or a crash cannot do that, but the next build or test run does, because
/// `ScratchFolder.create()` removes such folders whose process no longer runs.
///
/// Also compiled, through symbolic links, into the fuzz targets under Fuzz/ (HostileFuzzHarness uses
/// it), so it must not import Testing.
enum TestFolder {
    /// This process's root, made on first use; making it also removes the roots of killed runs.
    /// A failure is kept so that every `make` reports it rather than the process stopping.
    static let root: Result<URL, any Error> = Result {
        let url = try ScratchFolder.create().url
        // A C function pointer cannot capture; it reads the root again, which is set by then.
        atexit {
            if case .success(let url) = TestFolder.root { try? FileManager.default.removeItem(at: url) }
        }
        return url
    }

    /// A new empty folder `<name>-<uuid>` under the root. A test may remove it when done; whatever
    /// it leaves goes with the root.
    static func make(_ name: String) throws -> URL {
        let folder = try root.get().appendingPathComponent("\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}
