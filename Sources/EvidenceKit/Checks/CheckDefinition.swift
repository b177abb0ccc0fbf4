import Foundation

/// An automated test procedure, loaded from `mappings/checks/<id>.yaml`: the population it tests
/// and the exceptions it finds, both as read-only SQL against the evidence store.
public struct CheckDefinition: Sendable, Equatable {
    /// How often the control operates; it sets the sample size, as audit firms do.
    public enum Frequency: String, Sendable, CaseIterable {
        case multipleTimesPerDay = "multiple-times-per-day"
        case daily, weekly, monthly, quarterly, annual
    }

    public enum Severity: String, Sendable, CaseIterable {
        case high, medium, low
    }

    /// A control check fails its controls when it finds exceptions; an observation only reports.
    public enum Kind: String, Sendable, CaseIterable {
        case control, observation
    }

    static let knownKeys: Set<String> = ["id", "title", "description", "kind", "frequency", "severity", "population", "exceptions"]

    public var id: String
    public var title: String
    public var description: String
    public var kind: Kind
    public var frequency: Frequency
    public var severity: Severity
    /// SQL selecting the rows tested, in a stable order (sampling numbers rows in this order).
    public var population: String
    /// SQL selecting the rows that fail, with a `reason` column.
    public var exceptions: String
    /// The file it was loaded from, relative to the mappings folder.
    public var file: String
    /// The file's bytes as read (empty for a definition made in code).
    public var definitionBytes = Data()

    /// Loads one check file.
    public static func load(path: String, display: String) throws(MappingError) -> CheckDefinition {
        let document: YAMLDocument
        do {
            document = try YAMLDocument(contentsOfFile: path, displayName: display)
        } catch {
            throw MappingError(file: display, line: error.line, key: nil, message: error.message)
        }
        let reader = MappingReader(document: document)
        try reader.rejectUnknownKeys(knownKeys)
        let id = try reader.identifier("id")
        let expected = (display as NSString).lastPathComponent.replacingOccurrences(of: ".yaml", with: "")
        guard id == expected else {
            throw MappingError(file: display, line: reader.line(of: "id"), key: "id", message: "id '\(id)' must match the file name '\(expected).yaml'")
        }
        return CheckDefinition(
            id: id, title: try reader.string("title"), description: try reader.string("description"),
            kind: try reader.enumValue("kind", default: .control), frequency: try reader.enumValue("frequency", default: nil),
            severity: try reader.enumValue("severity", default: nil), population: try reader.string("population"),
            exceptions: try reader.string("exceptions"), file: display, definitionBytes: document.bytes)
    }

    /// Loads every `*.yaml` under `folder`, sorted by id.
    public static func loadAll(folder: String, displayPrefix: String = "checks") throws(MappingError) -> [CheckDefinition] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        } catch {
            throw MappingError(file: folder, line: 0, key: nil, message: "cannot list the checks folder: \(error.localizedDescription)")
        }
        var checks: [CheckDefinition] = []
        for name in names {
            checks.append(try load(path: folder + "/" + name, display: displayPrefix + "/" + name))
        }
        return checks.sorted { $0.id < $1.id }
    }
}
