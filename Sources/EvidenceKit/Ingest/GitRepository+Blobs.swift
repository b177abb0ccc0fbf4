import Foundation

extension GitRepository {
    /// What reading one blob gave.
    enum Blob: Equatable {
        case content(Data)
        /// Not read because it is larger than the limit; carries its size in bytes.
        case tooLarge(Int)
        /// Not in the repository (a partial clone or a damaged object store) or not a blob.
        case missing
    }

    /// Reads blobs by id with two `git cat-file` processes for all of them: `--batch-check` for sizes,
    /// then `--batch` for the ones no larger than `maximumSize`.
    func readBlobs(_ ids: [String], maximumSize: Int) throws -> [String: Blob] {
        let unique = Array(Set(ids)).sorted()
        guard !unique.isEmpty else { return [:] }
        var result: [String: Blob] = [:]
        var wanted: [(id: String, size: Int)] = []

        let checkArguments = ["cat-file", "--batch-check=%(objectname) %(objecttype) %(objectsize)"]
        let request = Data(unique.map { $0 + "\n" }.joined().utf8)
        var check = GitOutputCursor(try run(checkArguments, input: request))
        func malformed(_ arguments: [String], _ detail: String) -> GitError {
            GitError(kind: .malformedOutput, repository: path, arguments: arguments, detail: detail)
        }
        for id in unique {
            guard let line = check.string(upTo: UInt8(ascii: "\n")) else {
                throw malformed(checkArguments, "no answer for object \(id)")
            }
            let parts = line.split(separator: " ")
            guard parts.first.map(String.init) == id else {
                throw malformed(checkArguments, "answer '\(line.prefix(200))' does not match object \(id)")
            }
            if parts.count == 3, parts[1] == "blob", let size = Int(parts[2]), size >= 0 {
                if size > maximumSize { result[id] = .tooLarge(size) } else { wanted.append((id, size)) }
            } else {
                result[id] = .missing
            }
        }
        guard !wanted.isEmpty else { return result }

        let batchArguments = ["cat-file", "--batch"]
        var batch = GitOutputCursor(try run(batchArguments, input: Data(wanted.map { $0.id + "\n" }.joined().utf8)))
        for (id, size) in wanted {
            guard let header = batch.string(upTo: UInt8(ascii: "\n")) else {
                throw malformed(batchArguments, "no answer for object \(id)")
            }
            guard header == "\(id) blob \(size)" else {
                throw malformed(batchArguments, "header '\(header.prefix(200))' does not match blob \(id) of \(size) bytes")
            }
            guard let content = batch.take(size), batch.peek == UInt8(ascii: "\n") else {
                throw malformed(batchArguments, "blob \(id) is truncated")
            }
            batch.skip()
            result[id] = .content(content)
        }
        return result
    }
}
