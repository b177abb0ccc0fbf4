import Foundation
import Testing
@testable import EvidenceKit

@Test func sha256MatchesKnownVectors() throws {
    #expect(try SHA256.hex(of: Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    #expect(try SHA256.hex(of: Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
}

@Test func sha256StreamsAcrossUpdates() throws {
    let hasher = try SHA256()
    hasher.update(Data("a".utf8))
    hasher.update(Data("bc".utf8))
    #expect(hasher.finalize().hexString == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
}
