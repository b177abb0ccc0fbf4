import Foundation

/// Which policy version governs a call: mappings/SCHEMA.md's `call_policy` rule, worked out in memory
/// while the audit logs load, so each call is stored with its version instead of the store deriving a
/// table of a million rows after the load (about a fifth of the index phase at 1M records).
///
/// The rule, per call in the period: among the parseable versions for the call's exact
/// (`tool_server`, `tool_name`) in force at its `ts`, the one with the latest `valid_from`, then the
/// highest id; if there is none, the same among the server's `*` versions; else none. The answer can
/// only change where one of those versions starts or ends, so it is evaluated once per span between
/// such instants and each call finds its span by binary search. Names are compared as bytes, as
/// SQLite compares text.
///
/// Used by one thread (the audit inserter): lookups fill a cache of spans per pair, emptied when it
/// holds `cacheLimit` pairs, so a log naming millions of distinct tools cannot grow memory with them.
final class PolicyTimeline {
    /// A parseable policy version, with its `policy_versions.id`.
    struct Version: Sendable, Equatable {
        var id: Int64
        var server: String
        var name: String
        var validFrom: Int64
        var validTo: Int64?

        func isInForce(at time: Int64) -> Bool {
            validFrom <= time && (validTo.map { time < $0 } ?? true)
        }
    }

    private struct Pair: Hashable {
        var server: [UInt8]
        var name: [UInt8]
    }

    /// One pair's answer: `versionIDs[k]` holds from `starts[k]` until `starts[k + 1]`.
    private struct Spans {
        var pair: Pair
        var starts: [Int64]
        var versionIDs: [Int64?]

        func versionID(at time: Int64) -> Int64? {
            // The last start at or before `time`; starts[0] is Int64.min, so there always is one.
            var low = 0, high = starts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if starts[middle] <= time { low = middle } else { high = middle - 1 }
            }
            return versionIDs[low]
        }
    }

    private let period: Period
    private let versionsByPair: [Pair: [Version]]
    /// Spans of the pairs seen since the cache was last emptied, by a hash of their bytes (`key(server:name:)`).
    private var cache: [Int: [Spans]] = [:]
    /// Per server, the spans of its `*` versions alone, which every pair of the server without
    /// versions of its own shares: worked out once, however many such tools a log names.
    private var wildcardOnly: [[UInt8]: Spans] = [:]
    private var cachedPairs = 0
    private let cacheLimit: Int
    private static let wildcard = Array("*".utf8)

    /// - Parameters:
    ///   - versions: the parseable versions; unparseable ones govern nothing and are left out.
    ///   - period: calls outside it have no governing version (`call_policy` has no row for them).
    ///   - cacheLimit: pairs kept before the cache is emptied (lowered by tests).
    init(versions: [Version], period: Period, cacheLimit: Int = 10_000) {
        self.period = period
        self.cacheLimit = cacheLimit
        versionsByPair = Dictionary(grouping: versions) { Pair(server: Array($0.server.utf8), name: Array($0.name.utf8)) }
    }

    /// The id of the version governing a call to `server`.`name` at `time`, or nil when none does or
    /// the call is outside the period.
    func versionID(server: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, at time: Int64) -> Int64? {
        guard period.contains(time) else { return nil }
        let key = Self.key(server: server, name: name)
        if let candidates = cache[key] {
            for spans in candidates where Self.equal(spans.pair.server, server) && Self.equal(spans.pair.name, name) {
                return spans.versionID(at: time)
            }
        }
        let spans = makeSpans(Pair(server: Array(server), name: Array(name)))
        if cachedPairs >= cacheLimit {
            cache.removeAll(keepingCapacity: true)
            wildcardOnly.removeAll(keepingCapacity: true)
            cachedPairs = 0
        }
        cache[key, default: []].append(spans)
        cachedPairs += 1
        return spans.versionID(at: time)
    }

    /// The same lookup for text values (tests and callers without byte buffers).
    func versionID(server: String, name: String, at time: Int64) -> Int64? {
        var server = server, name = name
        return server.withUTF8 { serverBytes in
            name.withUTF8 { nameBytes in
                versionID(server: UnsafeRawBufferPointer(serverBytes), name: UnsafeRawBufferPointer(nameBytes), at: time)
            }
        }
    }

    private func makeSpans(_ pair: Pair) -> Spans {
        let exact = versionsByPair[pair] ?? []
        let server = pair.name == Self.wildcard ? [] : versionsByPair[Pair(server: pair.server, name: Self.wildcard)] ?? []
        guard exact.isEmpty else { return Self.spans(pair, exact: exact, server: server) }
        if let shared = wildcardOnly[pair.server] {
            return Spans(pair: pair, starts: shared.starts, versionIDs: shared.versionIDs)
        }
        let spans = Self.spans(pair, exact: [], server: server)
        wildcardOnly[pair.server] = spans
        cachedPairs += 1
        return spans
    }

    /// SCHEMA.md's rule evaluated at every instant where one of `exact` or `server` starts or ends.
    private static func spans(_ pair: Pair, exact: [Version], server: [Version]) -> Spans {
        var cuts: Set<Int64> = [Int64.min]
        for version in exact + server {
            cuts.insert(version.validFrom)
            if let validTo = version.validTo { cuts.insert(validTo) }
        }
        var spans = Spans(pair: pair, starts: [], versionIDs: [])
        for start in cuts.sorted() {
            let id = governing(exact, at: start) ?? governing(server, at: start)
            // Neighbouring spans with the same answer are one span.
            if let last = spans.versionIDs.last, last == id { continue }
            spans.starts.append(start)
            spans.versionIDs.append(id)
        }
        return spans
    }

    /// The version in force at `time` with the latest `valid_from`, then the highest id.
    private static func governing(_ versions: [Version], at time: Int64) -> Int64? {
        versions.filter { $0.isInForce(at: time) }.max { ($0.validFrom, $0.id) < ($1.validFrom, $1.id) }?.id
    }

    /// The server, a byte that UTF-8 never uses, and the name, through Swift's `Hasher`: seeded per
    /// process, so tool names in a hostile log cannot be chosen to collide and make lookups linear.
    private static func key(server: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: server)
        hasher.combine(UInt8(0xFF))
        hasher.combine(bytes: name)
        return hasher.finalize()
    }

    private static func equal(_ stored: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard stored.count == bytes.count else { return false }
        guard let other = bytes.baseAddress, !bytes.isEmpty else { return true }  // both empty
        return stored.withUnsafeBytes { memcmp($0.baseAddress!, other, bytes.count) == 0 }
    }
}
