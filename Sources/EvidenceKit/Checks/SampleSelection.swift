/// The seeded random sample of a check's population that the auditor tests by hand.
///
/// Method (stated in the report so it can be re-performed): the seed is the SHA-256 of the period
/// label followed directly by the check id (`printf '%s' 2026-Q3tool-approved-at-call | sha256sum`);
/// its first 8 bytes, big-endian, seed a SplitMix64 generator; Robert Floyd's algorithm draws `size`
/// distinct row numbers from 1…N, where rows are numbered in the population query's order.
public struct SampleSelection: Sendable, Equatable {
    /// Hex SHA-256 of period label + check id.
    public let seed: String
    /// Population size N.
    public let populationCount: Int
    /// Row numbers drawn, 1-based, ascending.
    public let rowNumbers: [Int]

    /// Sample sizes by how often the control operates; within each range, higher severity samples more.
    public static func size(for frequency: CheckDefinition.Frequency, severity: CheckDefinition.Severity) -> Int {
        let (low, medium, high): (Int, Int, Int) = switch frequency {
        case .multipleTimesPerDay: (25, 40, 60)
        case .daily: (20, 30, 40)
        case .weekly: (5, 10, 15)
        case .monthly: (2, 3, 5)
        case .quarterly: (2, 2, 2)
        case .annual: (1, 1, 1)
        }
        return switch severity {
        case .low: low
        case .medium: medium
        case .high: high
        }
    }

    public init(period: String, checkID: String, populationCount: Int, size: Int) throws(CryptoError) {
        let digest = try SHA256()
        var text = period + checkID
        text.withUTF8 { digest.update(UnsafeRawBufferPointer($0)) }
        let bytes = digest.finalize()
        seed = bytes.hexString
        self.populationCount = populationCount
        var state = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        let n = min(size, populationCount)
        var chosen = Set<Int>()
        // Floyd: for j in N-n+1 ... N, draw t in 1...j; take t unless already taken, else j.
        if n > 0 {
            for j in (populationCount - n + 1)...populationCount {
                let t = Int(next() % UInt64(j)) + 1
                chosen.insert(chosen.contains(t) ? j : t)
            }
        }
        rowNumbers = chosen.sorted()
    }
}
