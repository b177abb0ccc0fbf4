import Foundation

/// Typed access to the top-level keys of a mappings YAML file, with located errors.
struct MappingReader {
    let document: YAMLDocument

    var root: YAMLNode { document.root }

    func error(_ node: YAMLNode?, _ key: String?, _ message: String) -> MappingError {
        MappingError(file: document.file, line: node?.line ?? root.line, key: key, message: message)
    }

    func line(of key: String) -> Int { root[key]?.line ?? root.line }

    func rejectUnknownKeys(_ known: Set<String>) throws(MappingError) {
        guard let entries = root.mapping else {
            throw error(root, nil, "expected a mapping at the top level, found \(root.kindDescription)")
        }
        for entry in entries where !known.contains(entry.key.string ?? "") {
            throw error(entry.key, entry.key.string, "unknown key; expected one of \(known.sorted().joined(separator: ", "))")
        }
    }

    func string(_ key: String) throws(MappingError) -> String {
        guard let node = root[key] else { throw error(root, key, "required key is missing") }
        guard let text = node.string, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw error(node, key, "must be a non-empty string, found \(node.kindDescription)")
        }
        return text
    }

    /// A name used in file and folder names: letters, digits, `.`, `_` and `-` only.
    func identifier(_ key: String) throws(MappingError) -> String {
        let text = try string(key)
        guard Identifier.isValid(text), text.count <= 64 else {
            throw error(root[key], key, "'\(text)' may hold only letters, digits, '.', '_' and '-', and must not start with '.'")
        }
        return text
    }

    func enumValue<T: RawRepresentable & CaseIterable>(_ key: String, default fallback: T?) throws(MappingError) -> T where T.RawValue == String {
        guard let node = root[key] else {
            if let fallback { return fallback }
            throw error(root, key, "required key is missing; expected one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let text = node.string, let value = T(rawValue: text) else {
            throw error(node, key, "'\(node.string ?? node.kindDescription)' is not one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}

