import Foundation
@testable import EvidenceKit

// This file is compiled twice: into the tests, which replay the crashes fuzzing found
// (Tests/Fixtures/hostile/fuzz/), and, through symbolic links, into the libFuzzer targets under Fuzz/
// (built by scripts/fuzz.sh). It must not import Testing.

/// What one fuzz input is run through. Every path here is a way hostile bytes reach the tool; a
/// run may end in an error of any kind, but never in a crash, a hang or unbounded memory.
enum HostileFuzzHarness {
    /// A scratch folder for one process (or one replay), removed by the caller when done and in any
    /// case with the process's `TestFolder` root.
    static func scratchFolder() throws -> URL {
        try TestFolder.make("hostile-fuzz")
    }

    // MARK: JSON lines

    /// The JSON-lines readers, on `bytes` as a line, as a file of lines and as every input file kind:
    /// the parser and every typed field accessor, the line reader (plain or gzip, with a tiny line limit
    /// and chunk size so lines cross chunks and overflow), and the audit, approval, review and directory
    /// ingesters writing to `store` (an in-memory one), which is emptied again afterwards.
    static func jsonLines(_ bytes: UnsafeRawBufferPointer, scratch: URL, store: EvidenceStore) {
        let parser = JSONLineParser()
        exerciseFields(bytes, parser: parser, line: 1)
        var start = 0
        var number = 0
        while start < bytes.count, let base = bytes.baseAddress {
            number += 1
            let end = memchr(base + start, 0x0A, bytes.count - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? bytes.count
            exerciseFields(UnsafeRawBufferPointer(rebasing: bytes[start..<end]), parser: parser, line: number)
            start = end + 1
        }

        let path = scratch.appendingPathComponent("input.jsonl").path
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { return }
        // The ingesters below read with the real limits; this pass makes lines cross chunks and overflow.
        if let reader = try? LineReader(path: path, maxLineLength: 64, chunkSize: 7) {
            try? reader.forEachLine(onRawBytes: { _ in }, onOversizedLine: { _, _ in }) { line, lineNumber in
                exerciseFields(line, parser: parser, line: lineNumber)
            }
            precondition(reader.carryCapacity <= reader.maxLineLength, "the line buffer outgrew the line limit")
        }

        // The store runs without a journal, so ROLLBACK cannot be trusted; the rows are deleted instead.
        defer {
            try? store.database.execute("""
                DELETE FROM call_rows; DELETE FROM call_details; DELETE FROM input_errors; DELETE FROM tool_events; DELETE FROM tools;
                DELETE FROM approvals; DELETE FROM policy_reviews; DELETE FROM people; DELETE FROM person_roles;
                """)
        }
        do {
            try store.database.execute("BEGIN")
            defer { try? store.database.execute("COMMIT") }
            let errors = try InputErrorLog(store: store, limit: 10_000)
            let audit = try AuditIngest(store: store, errors: errors, policies: .none)
            _ = try? audit.ingest([AuditIngest.File(path: path, display: "fuzz.jsonl", fileID: 1)])
            if let hasher = try? SHA256() {
                _ = try? ApprovalIngest(store: store, errors: errors)
                    .ingest(path: path, display: "fuzz.jsonl", fileID: 2, hasher: hasher, periodEnd: 1_790_812_800_000)
                _ = try? ReviewIngest(store: store, errors: errors).ingest(path: path, display: "fuzz.jsonl", fileID: 3, hasher: hasher)
                _ = try? DirectoryIngest(store: store, errors: errors).ingest(path: path, display: "fuzz.csv", hasher: hasher)
            }
        } catch {
            // Store failures are not what is being fuzzed.
        }
    }

    /// Parses one line and reads every field with every accessor, as the ingesters might.
    private static func exerciseFields(_ line: UnsafeRawBufferPointer, parser: JSONLineParser, line number: Int) {
        guard let fields = try? parser.parseObject(line) else { return }
        let record = FieldReader(fields, input: "fuzz", file: "fuzz.jsonl", line: number)
        for field in fields {
            let key = field.key
            _ = try? record.string(key)
            _ = try? record.nonEmptyString(key)
            _ = try? record.nullableString(key)
            _ = try? record.timestamp(key)
            _ = try? record.optionalExpiry(key)
            _ = try? record.number(key)
            _ = try? record.optionalInteger(key)
            _ = try? record.integer(key, range: 1...3)
            _ = try? record.oneOf(key, ["allow", "deny"])
            _ = field.value.jsonText
            if case .string(let text) = field.value, let ms = Timestamp.parse(text) {
                precondition(Timestamp.parse(Timestamp.format(ms)) == ms, "a parsed timestamp does not survive formatting")
            }
        }
        _ = record.extras(excluding: AuditReader.known)
        _ = try? ApprovalIngest.decode(record)
    }

    // MARK: Templates

    /// The template renderer, two ways: `bytes` (after the first byte) as a template rendered with
    /// `model` when the first byte is even; when it is odd, as hostile text (at most 16 KiB) placed in
    /// every string of `model` and rendered through one of `templates`, chosen by the first byte.
    /// Templates are read from `scratch`, which holds `style.css`.
    static func template(_ bytes: UnsafeRawBufferPointer, scratch: URL, model: TemplateValue, templates: [String: Data]) {
        guard let first = bytes.first else { return }
        let renderer = TemplateRenderer(folder: scratch)
        if first % 2 == 0 {
            guard FileManager.default.createFile(atPath: scratch.appendingPathComponent("fuzz.html").path,
                                                 contents: Data(bytes.dropFirst())) else { return }
            _ = try? renderer.render(template: "fuzz.html", model: model)
        } else {
            // Every string of the model gets the text, so its size is capped to keep each run short;
            // large values are the subject of ReportHostileDataTests.
            let text = String(decoding: bytes.dropFirst().prefix(16 << 10), as: UTF8.self)
            let names = templates.keys.sorted()
            guard !names.isEmpty, let data = templates[names[Int(first / 2) % names.count]] else { return }
            let name = names[Int(first / 2) % names.count]
            guard FileManager.default.createFile(atPath: scratch.appendingPathComponent(name).path, contents: data) else { return }
            _ = try? renderer.render(template: name, model: replacingStrings(in: model, with: text))
        }
    }

    /// `model` with every string replaced by `text` and every number set from its length, keeping
    /// the shape (so templates still find their paths) while the values are the fuzzer's.
    static func replacingStrings(in model: TemplateValue, with text: String) -> TemplateValue {
        switch model {
        case .string: .string(text)
        case .int: .int(Int64(text.utf8.count) * 1_000_000_007 - 500_000_000_000)
        case .double: .double(Double(text.utf8.count) / 3 - 1e3)
        case .array(let items): .array(items.map { replacingStrings(in: $0, with: text) })
        case .object(let members): .object(members.mapValues { replacingStrings(in: $0, with: text) })
        default: model
        }
    }

    /// A template model read from JSON (a bundle's `data/summary.json` has the shape templates expect).
    static func model(json: Data) throws -> TemplateValue {
        try JSONDecoder().decode(ModelJSON.self, from: json).value
    }

    private struct ModelJSON: Decodable {
        let value: TemplateValue

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if container.decodeNil() {
                value = .null
            } else if let flag = try? container.decode(Bool.self) {
                value = .bool(flag)
            } else if let number = try? container.decode(Int64.self) {
                value = .int(number)
            } else if let number = try? container.decode(Double.self) {
                value = .double(number)
            } else if let text = try? container.decode(String.self) {
                value = .string(text)
            } else if let items = try? container.decode([ModelJSON].self) {
                value = .array(items.map(\.value))
            } else {
                value = .object(try container.decode([String: ModelJSON].self).mapValues(\.value))
            }
        }
    }
}
