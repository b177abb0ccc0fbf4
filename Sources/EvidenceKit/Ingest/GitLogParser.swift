import Foundation

/// Parses `git log -z --raw --format=GitLogParser.format` output into commit records.
///
/// Each commit is `fieldCount` NUL-terminated fields, the NUL that `-z` puts after every commit,
/// and then, after a newline, zero or more raw diff entries `:<old mode> <new mode> <old id> <new id> <status>`
/// NUL `<path>` NUL. Commit messages cannot contain NUL, so counting fields is unambiguous; the next
/// record starts with a hex commit id, never with the `:` of a diff entry.
enum GitLogParser {
    /// The `--format` string; field order matches `Record`.
    static let format = [
        "%H", "%P", "%an", "%ae", "%at", "%cn", "%ce", "%ct", "%s",
        "%(trailers:only=true,unfold=true,key_value_separator=%x1f)", "%B",
    ].map { $0 + "%x00" }.joined()
    private static let fieldCount = 11

    /// One commit as git printed it.
    struct Record: Equatable {
        var sha: String
        var parents: [String]
        var authorName: String
        var authorEmail: String
        var authorTime: Int64
        var committerName: String
        var committerEmail: String
        var committerTime: Int64
        var subject: String
        var trailers: [PolicyCommit.Trailer]
        var message: String
        var changes: [Change]
    }

    /// One raw diff entry.
    struct Change: Equatable {
        var oldMode: String
        var newMode: String
        var oldBlob: String
        var newBlob: String
        /// The status letter: `A`, `M`, `D` or `T`.
        var status: String
        var path: String
    }

    /// Parses the whole output. `fail` builds the error for a malformed record from a description.
    static func parse(_ data: Data, fail: (String) -> GitError) throws -> [Record] {
        var cursor = GitOutputCursor(data)
        var records: [Record] = []
        while !cursor.isAtEnd {
            let number = records.count + 1
            var fields: [Data] = []
            fields.reserveCapacity(fieldCount)
            for index in 0..<fieldCount {
                guard let field = cursor.next(upTo: 0) else {
                    throw fail("commit record \(number) ends after \(index) of \(fieldCount) fields")
                }
                fields.append(field)
            }
            // The NUL `-z` puts after each commit's formatted text.
            if let byte = cursor.peek {
                guard byte == 0 else { throw fail("commit record \(number) is not followed by a NUL") }
                cursor.skip()
            }
            while cursor.peek == UInt8(ascii: "\n") { cursor.skip() }
            var changes: [Change] = []
            while cursor.peek == UInt8(ascii: ":") {
                guard let meta = cursor.string(upTo: 0), let path = cursor.string(upTo: 0) else {
                    throw fail("commit record \(number) has a truncated diff entry")
                }
                changes.append(try change(meta: meta, path: path, record: number, fail: fail))
            }
            records.append(try record(fields, changes: changes, number: number, fail: fail))
        }
        return records
    }

    private static func record(_ fields: [Data], changes: [Change], number: Int, fail: (String) -> GitError) throws -> Record {
        let text = fields.map { String(decoding: $0, as: UTF8.self) }
        let sha = text[0]
        guard GitRepository.isObjectID(sha) else { throw fail("commit record \(number) starts with '\(sha.prefix(80))', not a commit id") }
        let parents = text[1].split(separator: " ").map(String.init)
        guard parents.allSatisfy({ GitRepository.isObjectID($0) }) else {
            throw fail("commit \(sha) has a malformed parent list '\(text[1].prefix(200))'")
        }
        func milliseconds(_ value: String, _ what: String) throws -> Int64 {
            guard let seconds = Int64(value) else { throw fail("commit \(sha) has \(what) time '\(value.prefix(40))', not a number") }
            let (ms, overflow) = seconds.multipliedReportingOverflow(by: 1000)
            guard !overflow else { throw fail("commit \(sha) has \(what) time \(seconds), out of range") }
            return ms
        }
        return Record(
            sha: sha, parents: parents,
            authorName: text[2], authorEmail: text[3], authorTime: try milliseconds(text[4], "author"),
            committerName: text[5], committerEmail: text[6], committerTime: try milliseconds(text[7], "committer"),
            subject: text[8], trailers: trailers(fields[9]), message: text[10], changes: changes)
    }

    /// Trailers as git formatted them: one per line, key and value split by U+001F.
    private static func trailers(_ data: Data) -> [PolicyCommit.Trailer] {
        var lines = GitOutputCursor(data)
        var result: [PolicyCommit.Trailer] = []
        while !lines.isAtEnd {
            let line = lines.next(upTo: UInt8(ascii: "\n")) ?? lines.rest()
            var parts = GitOutputCursor(line)
            guard let key = parts.string(upTo: 0x1F) else { continue }
            let value = String(decoding: parts.rest(), as: UTF8.self)
            result.append(PolicyCommit.Trailer(
                key: key.trimmingCharacters(in: .whitespaces), value: value.trimmingCharacters(in: .whitespaces)))
        }
        return result
    }

    private static func change(meta: String, path: String, record: Int, fail: (String) -> GitError) throws -> Change {
        let parts = meta.dropFirst().split(separator: " ", omittingEmptySubsequences: false)
        let isMode = { (mode: Substring) in mode.utf8.count == 6 && mode.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x37 } }
        guard parts.count == 5, isMode(parts[0]), isMode(parts[1]),
            GitRepository.isObjectID(parts[2]), GitRepository.isObjectID(parts[3]),
            ["A", "M", "D", "T"].contains(parts[4]), !path.isEmpty
        else { throw fail("commit record \(record) has a malformed diff entry '\(meta.prefix(200))' for '\(path.prefix(200))'") }
        return Change(
            oldMode: String(parts[0]), newMode: String(parts[1]), oldBlob: String(parts[2]), newBlob: String(parts[3]),
            status: String(parts[4]), path: path)
    }
}
