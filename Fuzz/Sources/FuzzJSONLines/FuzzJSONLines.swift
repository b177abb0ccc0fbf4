import Foundation
@testable import EvidenceKit

// libFuzzer entry point for the JSON-lines readers; see HostileFuzzHarness.jsonLines.

/// One scratch folder and one in-memory store for the whole fuzzing process.
private let scratch: URL = {
    do { return try HostileFuzzHarness.scratchFolder() } catch { fatalError("cannot create the scratch folder: \(error)") }
}()
nonisolated(unsafe) private let store: EvidenceStore = {
    do { return try EvidenceStore(creatingAt: ":memory:") } catch { fatalError("cannot create the in-memory store: \(error)") }
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONLines(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    HostileFuzzHarness.jsonLines(UnsafeRawBufferPointer(start: data, count: size), scratch: scratch, store: store)
    return 0
}
