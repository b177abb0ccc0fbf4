import Foundation
import Testing
@testable import EvidenceKit

struct BackgroundResultTests {
    struct Failure: Error, Equatable { var code: Int }

    @Test func theValueComesFromAnotherThreadAndCanBeReadAgain() throws {
        let caller = pthread_self()
        let result = BackgroundResult(name: "background result test") { () -> (Bool, Int) in
            (pthread_equal(pthread_self(), caller) == 0, (1...1000).reduce(0, +))
        }
        result.wait()
        result.wait()
        let (elsewhere, sum) = try result.value()
        #expect(elsewhere, "the work ran on a thread of its own")
        #expect(sum == 500_500)
        #expect(try result.value().1 == 500_500)
    }

    @Test func anErrorIsRethrownToEveryReader() {
        let result = BackgroundResult<Int>(name: "test") { throw Failure(code: 7) }
        #expect(throws: Failure(code: 7)) { try result.value() }
        #expect(throws: Failure(code: 7)) { try result.value() }
    }

    @Test func waitingBlocksUntilTheWorkIsDone() throws {
        let started = Date()
        let result = BackgroundResult(name: "test") { () -> Date in
            Thread.sleep(forTimeInterval: 0.2)
            return Date()
        }
        let finished = try result.value()
        #expect(finished.timeIntervalSince(started) >= 0.2)
        #expect(Date() >= finished)
    }
}
