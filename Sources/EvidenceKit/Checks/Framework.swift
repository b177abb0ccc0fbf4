import Foundation

/// A compliance framework (SOC 2, ISO/IEC 27001, ...) as a list of controls, each evidenced by checks.
///
/// Frameworks are data, not code: one YAML file per framework in the mappings folder
/// (`mappings/<id>.yaml`), written by compliance engineers. The file format is
///
///     id: soc2
///     name: SOC 2 — Trust Services Criteria
///     version: "TSC 2017 (points of focus revised 2022)"
///     source: AICPA TSP section 100          # optional
///     controls:
///       - id: CC6.1
///         title: Logical access security
///         summary: One sentence in our own words.
///         checks: [tool-approved-at-call, caller-role-allowed]
///         also: {iso27001_2013: A.9.4.1}     # optional cross references
///
/// Ids (of frameworks, controls, checks and cross-reference keys) hold only `A-Z a-z 0-9 . - _`; a
/// framework's id must equal its file name without `.yaml`, because the config names frameworks by id.
public struct Framework: Sendable, Equatable {
    /// One control of a framework and the checks whose results evidence it.
    public struct Control: Sendable, Equatable {
        /// The framework's own reference, e.g. `CC6.1`, `5.15`, `Art.12`, `AC-2`.
        public var id: String
        public var title: String
        /// A one-sentence paraphrase of what the control asks and what the checks test.
        public var summary: String
        /// Check ids (`mappings/checks/<id>.yaml`), in the order written; never empty.
        public var checks: [String]
        /// Cross references to other frameworks or editions, e.g. `["iso27001_2013": "A.9.4.1"]`.
        public var also: [String: String]
        /// The 1-based line where the control starts in its file.
        public var line: Int
        /// The line of each entry of ``checks``, so unknown check ids can be located.
        var checkLines: [Int]

        public init(id: String, title: String, summary: String, checks: [String], also: [String: String] = [:],
                    line: Int = 0) {
            self.init(id: id, title: title, summary: summary, checks: checks, also: also, line: line,
                      checkLines: Array(repeating: line, count: checks.count))
        }

        init(id: String, title: String, summary: String, checks: [String], also: [String: String], line: Int,
             checkLines: [Int]) {
            self.id = id
            self.title = title
            self.summary = summary
            self.checks = checks
            self.also = also
            self.line = line
            self.checkLines = checkLines
        }
    }

    /// The framework's id, equal to its file name without `.yaml` (e.g. `soc2`).
    public var id: String
    /// The name shown in reports.
    public var name: String
    /// The edition or version mapped, e.g. `2022` or `Revision 5`.
    public var version: String
    /// Where the framework is published, when given.
    public var source: String?
    /// Controls in file order.
    public var controls: [Control]
    /// The file the framework was read from, as the caller named it.
    public var file: String
    /// The file's bytes as read (empty for a framework made in code).
    public var definitionBytes = Data()

    public init(id: String, name: String, version: String, source: String? = nil, controls: [Control], file: String = "") {
        self.id = id
        self.name = name
        self.version = version
        self.source = source
        self.controls = controls
        self.file = file
    }

    /// Reads and validates one framework file.
    ///
    /// Every error names the file, line and key at fault: unknown keys, values of the wrong type, missing
    /// or empty values, ids with characters outside `[A-Za-z0-9._-]`, duplicate control ids and controls
    /// without checks. Check ids are not compared with the existing checks here; see ``validate(knownChecks:)``.
    /// - Parameter path: the file, shown as given in errors.
    public static func load(path: String) throws(FrameworkError) -> Framework {
        let document: YAMLDocument
        do {
            document = try YAMLDocument(contentsOfFile: path)
        } catch {
            throw FrameworkError(yaml: error)
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem = name.hasSuffix(".yaml") ? String(name.dropLast(5)) : nil
        var framework = try FrameworkReader(file: path, expectedID: stem).framework(document.root)
        framework.definitionBytes = document.bytes
        return framework
    }

    /// Loads the frameworks of a mappings folder, sorted by id.
    ///
    /// - Parameters:
    ///   - folder: the mappings folder; only the `*.yaml` files directly inside it are frameworks (check
    ///     definitions live in its `checks/` subfolder and are never read here).
    ///   - ids: the frameworks wanted (as in the config's `frameworks` key), or nil for every framework file.
    /// - Throws: ``FrameworkError`` for an unreadable folder, an id without a file (naming the frameworks
    ///   that do exist) or the first invalid framework file.
    public static func loadAll(folder: String, ids: [String]? = nil) throws(FrameworkError) -> [Framework] {
        let available = try availableIDs(in: folder)
        let wanted: [String]
        if let ids {
            for id in ids where !Identifier.isValid(id) {
                throw FrameworkError(kind: .invalidValue, file: folder,
                                     message: "framework id \(FrameworkReader.shown(id)) may hold only letters, digits, '.', '-' and '_' and may not start with '.'")
            }
            for id in ids where !available.contains(id) {
                let list = available.isEmpty ? "none" : available.joined(separator: ", ")
                throw FrameworkError(kind: .unknownFramework, file: folder,
                                     message: "framework '\(id)' has no mapping file \(id).yaml; available frameworks: \(list)")
            }
            wanted = Array(Set(ids))
        } else {
            wanted = available
        }
        var frameworks: [Framework] = []
        for id in wanted {
            frameworks.append(try load(path: join(folder, id + ".yaml")))
        }
        return frameworks.sorted { $0.id.utf8.lexicographicallyPrecedes($1.id.utf8) }
    }

    /// The ids of the framework files directly inside `folder`, sorted.
    public static func availableIDs(in folder: String) throws(FrameworkError) -> [String] {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
            throw FrameworkError(kind: .unreadable, file: folder, message: "the mappings folder does not exist or is not a folder")
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder)
        } catch {
            throw FrameworkError(kind: .unreadable, file: folder, message: "cannot list the mappings folder: \(error.localizedDescription)")
        }
        var ids: [String] = []
        for name in names where name.hasSuffix(".yaml") && !name.hasPrefix(".") {
            var entryIsFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: join(folder, name), isDirectory: &entryIsFolder),
                  !entryIsFolder.boolValue
            else { continue }
            ids.append(String(name.dropLast(5)))
        }
        return ids.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// Reports every control that refers to a check id not in `knownChecks`, in file order.
    public func validate(knownChecks: Set<String>) -> [FrameworkError] {
        var errors: [FrameworkError] = []
        let sortedKnown = knownChecks.sorted()
        for control in controls {
            for (index, check) in control.checks.enumerated() where !knownChecks.contains(check) {
                var message = "control '\(control.id)' refers to unknown check '\(check)'"
                if let suggestion = Suggestion.nearest(to: check, in: sortedKnown) {
                    message += "; did you mean '\(suggestion)'?"
                } else if sortedKnown.isEmpty {
                    message += "; no checks are defined"
                }
                let line = control.checkLines.indices.contains(index) ? control.checkLines[index] : control.line
                errors.append(FrameworkError(kind: .unknownCheck, file: file, line: line,
                                             key: "controls[\(control.id)].checks", message: message))
            }
        }
        return errors
    }

    private static func join(_ folder: String, _ name: String) -> String {
        folder.hasSuffix("/") ? folder + name : folder + "/" + name
    }
}

/// Walks the YAML tree of one framework file, producing located errors.
private struct FrameworkReader {
    let file: String
    /// The id the file name implies, when the file is named `<id>.yaml`.
    let expectedID: String?

    private static let topKeys = ["id", "name", "version", "source", "controls"]
    private static let controlKeys = ["id", "title", "summary", "checks", "also"]

    func framework(_ root: YAMLNode) throws(FrameworkError) -> Framework {
        guard root.mapping != nil else {
            throw FrameworkError(kind: .wrongType, file: file, line: root.line,
                                 message: "a framework file must be a mapping with id, name, version and controls, found \(root.kindDescription)")
        }
        let keys = try entries(root, path: "", allowed: Self.topKeys, required: ["id", "name", "version", "controls"])
        let id = try identifier(keys["id"], key: "id", what: "framework id")
        if let expectedID, id != expectedID, let node = keys["id"] {
            throw FrameworkError(kind: .invalidValue, file: file, line: node.line, key: "id",
                                 message: "framework id '\(id)' must match the file name \(expectedID).yaml")
        }
        let name = try text(keys["name"], key: "name")
        let version = try text(keys["version"], key: "version")
        let source = try keys["source"].map { node throws(FrameworkError) in try text(node, key: "source") }

        guard let controlsNode = keys["controls"], let items = controlsNode.sequence else {
            throw wrongType("controls", expected: "a list of controls", found: keys["controls"] ?? root)
        }
        guard !items.isEmpty else {
            throw FrameworkError(kind: .invalidValue, file: file, line: controlsNode.line, key: "controls",
                                 message: "key 'controls' must list at least one control")
        }
        var controls: [Framework.Control] = []
        var firstLines: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let control = try self.control(item, position: index + 1)
            if let first = firstLines[control.id] {
                throw FrameworkError(kind: .duplicateControl, file: file, line: item["id"]?.line ?? item.line,
                                     key: "controls[\(control.id)].id",
                                     message: "control id '\(control.id)' is used twice (first at line \(first))")
            }
            firstLines[control.id] = item["id"]?.line ?? item.line
            controls.append(control)
        }
        return Framework(id: id, name: name, version: version, source: source, controls: controls, file: file)
    }

    private func control(_ node: YAMLNode, position: Int) throws(FrameworkError) -> Framework.Control {
        guard node.mapping != nil else {
            throw FrameworkError(kind: .wrongType, file: file, line: node.line, key: "controls[\(position)]",
                                 message: "control \(position) must be a mapping with id, title, summary and checks, found \(node.kindDescription)")
        }
        // Name the control by its id in later errors when the id is usable, else by its position.
        let label = node["id"]?.string.flatMap { Identifier.isValid($0) ? $0 : nil } ?? String(position)
        let path = "controls[\(label)]"
        let keys = try entries(node, path: path, allowed: Self.controlKeys, required: ["id", "title", "summary", "checks"])
        let id = try identifier(keys["id"], key: path + ".id", what: "control id")
        let title = try text(keys["title"], key: path + ".title")
        let summary = try text(keys["summary"], key: path + ".summary")

        let checksKey = path + ".checks"
        guard let checksNode = keys["checks"], let items = checksNode.sequence else {
            throw wrongType(checksKey, expected: "a list of check ids", found: keys["checks"] ?? node)
        }
        guard !items.isEmpty else {
            throw FrameworkError(kind: .invalidValue, file: file, line: checksNode.line, key: checksKey,
                                 message: "key '\(checksKey)' must list at least one check id")
        }
        var checks: [String] = []
        var lines: [Int] = []
        for item in items {
            let check = try identifier(item, key: checksKey, what: "check id")
            guard !checks.contains(check) else {
                throw FrameworkError(kind: .invalidValue, file: file, line: item.line, key: checksKey,
                                     message: "control '\(id)' lists check '\(check)' twice")
            }
            checks.append(check)
            lines.append(item.line)
        }

        var also: [String: String] = [:]
        if let alsoNode = keys["also"] {
            let alsoKey = path + ".also"
            guard let entries = alsoNode.mapping else {
                throw wrongType(alsoKey, expected: "a mapping of cross references such as {iso27001_2013: A.9.4.1}", found: alsoNode)
            }
            for entry in entries {
                let name = try identifier(entry.key, key: alsoKey, what: "cross-reference key")
                also[name] = try text(entry.value, key: alsoKey + "." + name)
            }
        }
        return Framework.Control(id: id, title: title, summary: summary, checks: checks, also: also,
                                 line: node.line, checkLines: lines)
    }

    // MARK: Typed values

    /// The keys of a mapping, after rejecting unknown keys and checking required ones.
    /// A key whose value is null counts as absent.
    private func entries(_ node: YAMLNode, path: String, allowed: [String], required: [String]) throws(FrameworkError) -> [String: YAMLNode] {
        var result: [String: YAMLNode] = [:]
        for entry in node.mapping ?? [] {
            guard let name = entry.key.string else {
                throw FrameworkError(kind: .wrongType, file: file, line: entry.key.line, key: path.isEmpty ? nil : path,
                                     message: "keys\(path.isEmpty ? "" : " of '\(path)'") must be names, found \(entry.key.kindDescription)")
            }
            let full = Self.join(path, name)
            guard allowed.contains(name) else {
                var message = "unknown key \(Self.shown(full))"
                if let suggestion = Suggestion.nearest(to: name, in: allowed) {
                    message += "; did you mean '\(Self.join(path, suggestion))'?"
                } else {
                    message += "; expected one of \(allowed.joined(separator: ", "))"
                }
                throw FrameworkError(kind: .unknownKey, file: file, line: entry.key.line, key: full, message: message)
            }
            if !entry.value.isNull { result[name] = entry.value }
        }
        for name in required where result[name] == nil {
            let full = Self.join(path, name)
            throw FrameworkError(kind: .missingKey, file: file, line: node.line, key: full,
                                 message: "required key '\(full)' is missing")
        }
        return result
    }

    /// A non-empty scalar, trimmed (folded `>` scalars end in a newline).
    private func text(_ node: YAMLNode?, key: String) throws(FrameworkError) -> String {
        guard let node else {
            throw FrameworkError(kind: .missingKey, file: file, key: key, message: "required key '\(key)' is missing")
        }
        guard let raw = node.string else { throw wrongType(key, expected: "a string", found: node) }
        let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !value.isEmpty else {
            throw FrameworkError(kind: .invalidValue, file: file, line: node.line, key: key, message: "key '\(key)' must not be empty")
        }
        return value
    }

    /// A scalar that is a valid id; `what` names it in errors ("control id", "check id", ...).
    private func identifier(_ node: YAMLNode?, key: String, what: String) throws(FrameworkError) -> String {
        guard let node else {
            throw FrameworkError(kind: .missingKey, file: file, key: key, message: "required key '\(key)' is missing")
        }
        guard let value = node.string else {
            throw FrameworkError(kind: .wrongType, file: file, line: node.line, key: key,
                                 message: "\(what) in key '\(key)' must be a string, found \(node.kindDescription)")
        }
        guard Identifier.isValid(value) else {
            throw FrameworkError(kind: .invalidValue, file: file, line: node.line, key: key,
                                 message: "\(what) \(Self.shown(value)) in key '\(key)' may hold only letters, digits, '.', '-' and '_' and may not start with '.'")
        }
        return value
    }

    private func wrongType(_ key: String, expected: String, found node: YAMLNode) -> FrameworkError {
        FrameworkError(kind: .wrongType, file: file, line: node.line, key: key,
                       message: "key '\(key)' must be \(expected), found \(node.kindDescription)")
    }

    // MARK: Helpers

    /// A value quoted for an error message: control characters replaced, long values cut.
    static func shown(_ text: String) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.prefix(61).map {
            $0.properties.generalCategory == .control ? "?" : $0
        }))
        return cleaned.unicodeScalars.count > 60 ? "'\(String(cleaned.prefix(60)))…'" : "'\(cleaned)'"
    }

    private static func join(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }

}
