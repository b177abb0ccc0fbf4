import Foundation

/// Loads the identity directory export (CSV) into `people` and `person_roles`.
final class DirectoryIngest {
    static let header = ["user_id", "name", "roles", "status", "terminated_at"]

    private let store: EvidenceStore
    private let errors: InputErrorLog

    init(store: EvidenceStore, errors: InputErrorLog) {
        self.store = store
        self.errors = errors
    }

    /// Reads the directory file; returns (records read, records rejected).
    func ingest(path: String, display: String, hasher: SHA256) throws -> (read: Int, rejected: Int) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw IngestError.unreadable(input: "directory", file: display, reason: error.localizedDescription)
        }
        hasher.update(data)
        var reader = CSVReader(data: data, file: display)
        var records: [CSVReader.Record] = []
        var unreadable = 0  // rows the CSV reader itself could not split
        while true {
            do {
                guard let record = try reader.next() else { break }
                records.append(record)
            } catch {
                unreadable += 1
                try errors.record(InputError(input: "directory", file: display, line: error.line, message: error.message))
            }
        }
        guard let header = records.first else {
            // Nothing was read, so nothing counts as rejected; the error alone fails --strict.
            try errors.record(InputError(input: "directory", file: display, line: 0, message: "the file holds no header; expected \(Self.header.joined(separator: ","))"))
            return (unreadable, unreadable)
        }
        guard header.fields.map({ $0.trimmingCharacters(in: .whitespaces) }) == Self.header else {
            try errors.record(InputError(input: "directory", file: display, line: header.line, message: "header is '\(FieldReader.shorten(header.fields.joined(separator: ",")))', expected '\(Self.header.joined(separator: ","))'"))
            // Without the expected header no column can be trusted, so every row is rejected with the file.
            let rows = records.count - 1 + unreadable
            return (rows, rows)
        }
        let insertPerson = try store.inserter("people", ["user_id", "name", "status", "terminated_at", "line"])
        let insertRole = try store.inserter("person_roles", ["user_id", "role"])
        var seen: [String: Int] = [:]
        var rejected = unreadable
        for record in records.dropFirst() {
            do {
                let person = try decode(record, display: display, seen: seen)
                seen[person.userID] = record.line
                try insertPerson.run([.text(person.userID), .text(person.name), .text(person.status), person.terminatedAt.sqlValue, .integer(Int64(record.line))])
                for role in person.roles { try insertRole.run([.text(person.userID), .text(role)]) }
            } catch let error as InputError {
                rejected += 1
                try errors.record(error)
            }
        }
        return (records.count - 1 + unreadable, rejected)
    }

    private struct Person {
        var userID: String
        var name: String
        var roles: [String]
        var status: String
        var terminatedAt: Int64?
    }

    private func decode(_ record: CSVReader.Record, display: String, seen: [String: Int]) throws(InputError) -> Person {
        func error(_ field: String?, _ message: String) -> InputError {
            InputError(input: "directory", file: display, line: record.line, field: field, message: message)
        }
        guard record.fields.count == Self.header.count else {
            throw error(nil, "expected \(Self.header.count) fields, found \(record.fields.count)")
        }
        let fields = record.fields
        let userID = fields[0]
        guard !userID.isEmpty else { throw error("user_id", "must not be empty") }
        if let first = seen[userID] {
            throw error("user_id", "'\(FieldReader.shorten(userID))' already appears on line \(first)")
        }
        let roles = fields[2].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let status = fields[3]
        guard status == "active" || status == "terminated" else {
            throw error("status", "'\(FieldReader.shorten(status))' is not one of active, terminated")
        }
        var terminatedAt: Int64?
        if !fields[4].isEmpty {
            guard let ms = Timestamp.parse(fields[4]) ?? Timestamp.parseDate(fields[4]) else {
                throw error("terminated_at", "'\(FieldReader.shorten(fields[4]))' is not an RFC 3339 timestamp")
            }
            terminatedAt = ms
        }
        if status == "terminated" && terminatedAt == nil {
            throw error("terminated_at", "is required when status is terminated")
        }
        if status == "active" && terminatedAt != nil {
            throw error("terminated_at", "must be empty when status is active")
        }
        return Person(userID: userID, name: fields[1], roles: Array(Set(roles)).sorted(), status: status, terminatedAt: terminatedAt)
    }
}
