/// The seeded random sample of a check's population that the auditor tests by hand.
///
/// Method (stated in the report so it can be re-performed with nothing but a script):
/// the seed is the SHA-256 of the period label followed directly by the check id
/// (`printf '%s' 2026-Q3tool-approved-at-call | sha256sum`); its first 8 bytes, big-endian, are
/// the 64-bit number S. Rows are numbered 1…N in the population query's order, and row i gets the
/// key `splitmix64(S + i × 0x9E3779B97F4A7C15)` (the i-th output of a SplitMix64 generator seeded
/// with S). The sample is the `size` rows with the smallest keys, listed by row number.
///
/// One pass over the population is enough, so the sample costs no more than counting the rows.
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

    init(seed: String, populationCount: Int, rowNumbers: [Int]) {
        self.seed = seed
        self.populationCount = populationCount
        self.rowNumbers = rowNumbers
    }

    /// Draws the sample for a population of known size (the streaming `Sampler` gives the same rows).
    public init(period: String, checkID: String, populationCount: Int, size: Int) throws(CryptoError) {
        var sampler = try Sampler<Void>(period: period, checkID: checkID, size: size)
        for row in stride(from: 1, through: populationCount, by: 1) { sampler.offer(row: row) { () } }
        self = sampler.finish().selection
    }
}

/// Streams a population once and keeps the rows of the sample (bottom-k by SplitMix64 key).
struct Sampler<Row> {
    static var golden: UInt64 { 0x9E37_79B9_7F4A_7C15 }

    let seedHex: String
    let seed: UInt64
    let size: Int
    private(set) var count = 0
    /// Kept rows sorted by key, at most `size`.
    private var kept: [(key: UInt64, row: Int, value: Row)] = []

    init(period: String, checkID: String, size: Int) throws(CryptoError) {
        let digest = try SHA256()
        var text = period + checkID
        text.withUTF8 { digest.update(UnsafeRawBufferPointer($0)) }
        let bytes = digest.finalize()
        seedHex = bytes.hexString
        seed = bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        self.size = max(size, 0)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    func key(forRow row: Int) -> UInt64 { Self.mix(seed &+ UInt64(row) &* Self.golden) }

    /// Counts row `row` (1-based, in order) and keeps it when its key is among the smallest; `value`
    /// is only evaluated for rows that are kept.
    mutating func offer(row: Int, _ value: () throws -> Row) rethrows {
        count = row
        guard size > 0 else { return }
        let key = key(forRow: row)
        if kept.count == size, let last = kept.last, (key, row) >= (last.key, last.row) { return }
        let position = kept.firstIndex { (key, row) < ($0.key, $0.row) } ?? kept.count
        kept.insert((key, row, try value()), at: position)
        if kept.count > size { kept.removeLast() }
    }

    func finish() -> (selection: SampleSelection, rows: [Row]) {
        let byRow = kept.sorted { $0.row < $1.row }
        return (SampleSelection(seed: seedHex, populationCount: count, rowNumbers: byRow.map(\.row)), byRow.map(\.value))
    }
}
