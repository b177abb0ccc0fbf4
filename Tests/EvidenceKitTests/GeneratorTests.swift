import Testing
@testable import EvidenceKit

@Test func generatorHasName() {
    #expect(Generator.name == "mcp-evidence")
}
