import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension EvidenceConfig {
    /// Reads, validates and resolves a config file.
    ///
    /// Relative paths are resolved against the file's folder. Literal input paths must exist; each
    /// `inputs.audit` glob is expanded with glob(3) and may match nothing (see ``AuditSource/files``).
    /// Every error names the file, line and key at fault.
    /// - Parameter path: the config file, absolute or relative to the working directory; shown as given in errors.
    public static func load(path: String) throws(ConfigError) -> EvidenceConfig {
        let document: YAMLDocument
        do {
            document = try YAMLDocument(contentsOfFile: path)
        } catch {
            throw ConfigError(yaml: error)
        }
        var config = try parse(document.root, file: path, baseDirectory: folder(of: path))
        config.fileBytes = Array(document.bytes)
        return config
    }

    /// Validates an already parsed config; `baseDirectory` must be absolute. Touches the file system to
    /// check literal paths and expand globs.
    public static func parse(_ root: YAMLNode, file: String, baseDirectory: String) throws(ConfigError) -> EvidenceConfig {
        try ConfigReader(file: file, base: baseDirectory).config(root)
    }

    /// The absolute, lexically cleaned folder holding `path`.
    static func folder(of path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var components = absolute.split(separator: "/").filter { $0 != "." }
        if !components.isEmpty { components.removeLast() }
        return "/" + components.joined(separator: "/")
    }
}

extension ConfigError {
    /// Re-expresses a YAML failure of the config file.
    init(yaml error: YAMLError) {
        let column = error.column > 0 ? " (column \(error.column))" : ""
        self.init(kind: error.kind == .unreadable ? .unreadable : .syntax, file: error.file, line: error.line,
                  message: error.message + column)
    }
}

/// Walks the YAML tree of `evidence.yaml`, producing located errors.
private struct ConfigReader {
    let file: String
    let base: String
    /// `base` with exactly one trailing slash, ready for joining.
    private var prefix: String { base.hasSuffix("/") ? base : base + "/" }

    private static let topKeys = ["organization", "period", "frameworks", "inputs", "approval_rules", "signing",
                                  "output", "thresholds", "working_hours"]

    func config(_ root: YAMLNode) throws(ConfigError) -> EvidenceConfig {
        if root.isNull {
            throw ConfigError(kind: .missingKey, file: file,
                              message: "the config file is empty; it needs at least organization, period and inputs")
        }
        let keys = try entries(root, key: "", allowed: Self.topKeys, required: ["organization", "period", "inputs"])

        var config = EvidenceConfig(
            file: file, baseDirectory: base,
            organization: try string(keys["organization"], key: "organization"),
            period: try period(keys["period"]),
            frameworks: try keys["frameworks"].map { node throws(ConfigError) in try frameworks(node) },
            inputs: try inputs(keys["inputs"]),
            output: resolve(try keys["output"].map { node throws(ConfigError) in try string(node, key: "output") } ?? "out"))
        if let node = keys["approval_rules"] { config.approvalRules = try approvalRules(node) }
        if let node = keys["signing"] {
            let signing = try entries(node, key: "signing", allowed: ["key"], required: ["key"])
            config.signingKey = resolve(try string(signing["key"], key: "signing.key"))
        }
        if let node = keys["thresholds"] { config.thresholds = try thresholds(node) }
        if let node = keys["working_hours"] { config.workingHours = try workingHours(node) }
        return config
    }

    // MARK: Sections

    private func period(_ node: YAMLNode?) throws(ConfigError) -> Period {
        guard let node else { throw missing("period", at: nil) }
        do throws(ConfigError) {
            if node.mapping != nil {
                let range = try entries(node, key: "period", allowed: ["from", "to"], required: ["from", "to"])
                return try Period.days(from: try string(range["from"], key: "period.from"),
                                       to: try string(range["to"], key: "period.to"))
            }
            guard let text = node.string else {
                throw wrongType("period", expected: "a period such as 2026-Q3 or a mapping {from, to}", found: node)
            }
            return try Period.parse(text)
        } catch {
            // Period's own errors carry no location; give them the node's.
            guard error.file.isEmpty else { throw error }
            var located = error
            located.file = file
            located.line = node.line
            throw located
        }
    }

    private func frameworks(_ node: YAMLNode) throws(ConfigError) -> [String] {
        let ids = try stringList(node, key: "frameworks", allowSingle: false)
        // An empty list would build a report that maps its evidence to no control at all.
        guard !ids.isEmpty else {
            throw invalid("frameworks", at: node, "lists no framework; name at least one (e.g. [soc2]) or leave the key out for all of them")
        }
        var seen = Set<String>()
        for (id, item) in zip(ids, node.sequence ?? []) {
            // Framework ids become file names under mappings/, so they may not climb out of it.
            guard Identifier.isValid(id) else {
                throw invalid("frameworks", at: item, "framework id '\(id)' may hold only letters, digits, '.', '-' and '_' and may not start with '.'")
            }
            guard seen.insert(id).inserted else { throw invalid("frameworks", at: item, "framework '\(id)' is listed twice") }
        }
        return ids
    }

    private func inputs(_ node: YAMLNode?) throws(ConfigError) -> EvidenceConfig.Inputs {
        guard let node else { throw missing("inputs", at: nil) }
        let keys = try entries(node, key: "inputs", allowed: ["audit", "approvals", "directory", "policies", "reviews"],
                               required: ["audit", "approvals", "directory", "policies"])
        guard let auditNode = keys["audit"] else { throw missing("inputs.audit", at: node) }
        let patterns = try stringList(auditNode, key: "inputs.audit", allowSingle: true)
        let items = auditNode.sequence ?? [auditNode]
        var audit: [EvidenceConfig.AuditSource] = []
        for (pattern, item) in zip(patterns, items) {
            audit.append(try auditSource(pattern, at: item))
        }
        return EvidenceConfig.Inputs(
            audit: audit,
            approvals: try existingFile(keys["approvals"], key: "inputs.approvals"),
            directory: try existingFile(keys["directory"], key: "inputs.directory"),
            policies: try policies(keys["policies"]),
            reviews: try keys["reviews"].map { node throws(ConfigError) in try existingFile(node, key: "inputs.reviews") })
    }

    private func policies(_ node: YAMLNode?) throws(ConfigError) -> EvidenceConfig.PolicySource {
        guard let node else { throw missing("inputs.policies", at: nil) }
        // A bare string is shorthand for {repo: <string>}.
        if node.scalar != nil {
            return EvidenceConfig.PolicySource(repo: try existingFolder(node, key: "inputs.policies"))
        }
        let keys = try entries(node, key: "inputs.policies", allowed: ["repo", "path", "branch"], required: ["repo"])
        var source = EvidenceConfig.PolicySource(repo: try existingFolder(keys["repo"], key: "inputs.policies.repo"))
        if let pathNode = keys["path"] {
            let text = try string(pathNode, key: "inputs.policies.path")
            let parts = text.split(separator: "/").filter { $0 != "." }
            guard !text.hasPrefix("/"), !text.hasPrefix("-"), !parts.contains("..") else {
                throw invalid("inputs.policies.path", at: pathNode,
                              "'\(text)' must be a folder inside the repository: relative, without '..' and not starting with '-'")
            }
            source.path = parts.isEmpty ? "." : parts.joined(separator: "/")
        }
        if let branchNode = keys["branch"] {
            let branch = try string(branchNode, key: "inputs.policies.branch")
            // The branch is handed to git, so nothing that git could read as an option or a range.
            guard !branch.hasPrefix("-"), !branch.contains(".."),
                  !branch.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F || "~^:?*[\\".unicodeScalars.contains($0) })
            else {
                throw invalid("inputs.policies.branch", at: branchNode, "'\(branch)' is not a valid git branch name")
            }
            source.branch = branch
        }
        return source
    }

    private func approvalRules(_ node: YAMLNode) throws(ConfigError) -> [Int: [String]] {
        guard let entries = node.mapping else {
            throw wrongType("approval_rules", expected: "a mapping from risk tier (1, 2, 3) to a list of roles", found: node)
        }
        var rules: [Int: [String]] = [:]
        for entry in entries {
            let keyText = entry.key.string ?? ""
            guard let tier = entry.key.int ?? Int(keyText), (1...3).contains(tier) else {
                throw invalid("approval_rules", at: entry.key, "tier '\(keyText)' must be 1, 2 or 3")
            }
            guard rules[tier] == nil else { throw invalid("approval_rules", at: entry.key, "tier \(tier) is given twice") }
            let key = "approval_rules.\(tier)"
            let roles = try stringList(entry.value, key: key, allowSingle: false)
            guard !roles.isEmpty else { throw invalid(key, at: entry.value, "tier \(tier) must list at least one role") }
            if let repeated = roles.enumerated().first(where: { roles[..<$0.offset].contains($0.element) })?.element {
                throw invalid(key, at: entry.value, "tier \(tier) lists role '\(repeated)' twice")
            }
            rules[tier] = roles
        }
        for tier in 1...3 where rules[tier] == nil {
            throw ConfigError(kind: .missingKey, file: file, line: node.line, key: "approval_rules",
                              message: "key 'approval_rules' must give the roles for tier \(tier) (tiers 1, 2 and 3 are all required)")
        }
        return rules
    }

    private func thresholds(_ node: YAMLNode) throws(ConfigError) -> EvidenceConfig.Thresholds {
        let keys = try entries(node, key: "thresholds", allowed: ["log_gap_hours", "max_session_hours", "review_days"], required: [])
        var result = EvidenceConfig.Thresholds()
        if let value = keys["log_gap_hours"] { result.logGapHours = try positive(value, key: "thresholds.log_gap_hours") }
        if let value = keys["max_session_hours"] { result.maxSessionHours = try positive(value, key: "thresholds.max_session_hours") }
        if let value = keys["review_days"] { result.reviewDays = try positive(value, key: "thresholds.review_days") }
        return result
    }

    private func workingHours(_ node: YAMLNode) throws(ConfigError) -> EvidenceConfig.WorkingHours {
        let keys = try entries(node, key: "working_hours", allowed: ["start", "end", "days", "timezone_offset"], required: [])
        var result = EvidenceConfig.WorkingHours()
        if let value = keys["start"] { result.startMinute = try clockTime(value, key: "working_hours.start") }
        if let value = keys["end"] { result.endMinute = try clockTime(value, key: "working_hours.end") }
        guard result.startMinute < result.endMinute else {
            throw invalid("working_hours", at: keys["end"] ?? keys["start"] ?? node,
                          "working hours must end after they start on the same day (use 24:00 for midnight)")
        }
        if let value = keys["days"] {
            var days: [EvidenceConfig.Weekday] = []
            let names = try stringList(value, key: "working_hours.days", allowSingle: false)
            for (name, item) in zip(names, value.sequence ?? []) {
                guard let day = EvidenceConfig.Weekday.allCases.first(where: { $0.name == name.lowercased() }) else {
                    throw invalid("working_hours.days", at: item, "'\(name)' is not a day; use mon, tue, wed, thu, fri, sat or sun")
                }
                guard !days.contains(day) else { throw invalid("working_hours.days", at: item, "'\(name)' is listed twice") }
                days.append(day)
            }
            guard !days.isEmpty else { throw invalid("working_hours.days", at: value, "at least one working day is needed") }
            result.days = days.sorted()
        }
        if let value = keys["timezone_offset"] {
            let text = try string(value, key: "working_hours.timezone_offset")
            guard let minutes = Self.offsetMinutes(text) else {
                throw invalid("working_hours.timezone_offset", at: value, "'\(text)' must be an offset from UTC such as +02:00 or -05:00")
            }
            result.timezoneOffsetMinutes = minutes
        }
        return result
    }

    // MARK: Paths

    /// Joins a written path with the config's folder, keeping the written form for display.
    private func resolve(_ written: String) -> EvidenceConfig.FilePath {
        if written.hasPrefix("/") { return EvidenceConfig.FilePath(absolute: written, display: written) }
        var display = Substring(written)
        while display.hasPrefix("./") { display = display.dropFirst(2).drop { $0 == "/" } }
        if display.isEmpty || display == "." { return EvidenceConfig.FilePath(absolute: base, display: ".") }
        return EvidenceConfig.FilePath(absolute: prefix + display, display: String(display))
    }

    private func existingFile(_ node: YAMLNode?, key: String) throws(ConfigError) -> EvidenceConfig.FilePath {
        guard let node else { throw missing(key, at: nil) }
        let path = resolve(try string(node, key: key))
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.absolute, isDirectory: &isFolder) else {
            throw ConfigError(kind: .missingPath, file: file, line: node.line, key: key,
                              message: "key '\(key)' names '\(path.display)', which does not exist (looked for \(path.absolute))")
        }
        guard !isFolder.boolValue else {
            throw invalid(key, at: node, "'\(path.display)' is a folder, not a file")
        }
        return path
    }

    private func existingFolder(_ node: YAMLNode?, key: String) throws(ConfigError) -> EvidenceConfig.FilePath {
        guard let node else { throw missing(key, at: nil) }
        let path = resolve(try string(node, key: key))
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path.absolute, isDirectory: &isFolder) else {
            throw ConfigError(kind: .missingPath, file: file, line: node.line, key: key,
                              message: "key '\(key)' names '\(path.display)', which does not exist (looked for \(path.absolute))")
        }
        guard isFolder.boolValue else { throw invalid(key, at: node, "'\(path.display)' is a file, not a git repository folder") }
        return path
    }

    private func auditSource(_ pattern: String, at node: YAMLNode) throws(ConfigError) -> EvidenceConfig.AuditSource {
        guard pattern.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) else {
            let path = try existingFile(node, key: "inputs.audit")
            return EvidenceConfig.AuditSource(pattern: pattern, isGlob: false, files: [path])
        }
        let relative = !pattern.hasPrefix("/")
        // The config's folder is literal text, so its own glob characters must not act as wildcards.
        let escapedBase = base.reduce(into: "") { result, character in
            if "\\*?[".contains(character) { result.append("\\") }
            result.append(character)
        }
        let separator = escapedBase.hasSuffix("/") ? "" : "/"
        let matches = try expandGlob(relative ? escapedBase + separator + pattern : pattern, at: node)
        var files: [EvidenceConfig.FilePath] = []
        for match in matches {
            var isFolder: ObjCBool = false
            // Folders matched by a wildcard (audit/*) are not inputs.
            guard FileManager.default.fileExists(atPath: match, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            let display = relative && match.hasPrefix(prefix) ? String(match.dropFirst(prefix.count)) : match
            files.append(EvidenceConfig.FilePath(absolute: match, display: display))
        }
        files.sort { $0.absolute.utf8.lexicographicallyPrecedes($1.absolute.utf8) }
        return EvidenceConfig.AuditSource(pattern: pattern, isGlob: true, files: files)
    }

    private func expandGlob(_ pattern: String, at node: YAMLNode) throws(ConfigError) -> [String] {
        var found = glob_t()
        defer { globfree(&found) }
        // A folder the pattern must search but may not read stops the expansion: without this, glob skips
        // it and the pattern seems to match nothing. A folder that does not exist still just matches nothing.
        let status = glob(pattern, 0, { _, code in code == EACCES || code == EPERM ? 1 : 0 }, &found)
        switch status {
        case 0:
            break
        case GLOB_NOMATCH:
            return []
        default:
            let reason = status == GLOB_NOSPACE ? "out of memory" : "a folder on its path cannot be read (permission denied)"
            throw invalid("inputs.audit", at: node, "expanding '\(pattern)' failed: \(reason)")
        }
        var paths: [String] = []
        for index in 0..<Int(found.gl_pathc) {
            if let path = found.gl_pathv[index] { paths.append(String(cString: path)) }
        }
        return paths
    }

    // MARK: Typed values

    /// The keys of a mapping, after rejecting unknown keys and checking required ones.
    /// A key whose value is null counts as absent.
    private func entries(_ node: YAMLNode, key: String, allowed: [String], required: [String]) throws(ConfigError) -> [String: YAMLNode] {
        guard let entries = node.mapping else {
            if key.isEmpty {
                throw ConfigError(kind: .wrongType, file: file, line: node.line,
                                  message: "the config must be a mapping of keys such as organization and period, found \(node.kindDescription)")
            }
            throw wrongType(key, expected: "a mapping", found: node)
        }
        var result: [String: YAMLNode] = [:]
        for entry in entries {
            guard let name = entry.key.string else {
                throw ConfigError(kind: .wrongType, file: file, line: entry.key.line, key: key.isEmpty ? nil : key,
                                  message: "keys\(key.isEmpty ? "" : " of '\(key)'") must be names, found \(entry.key.kindDescription)")
            }
            let path = Self.join(key, name)
            guard allowed.contains(name) else {
                var message = "unknown key '\(path)'"
                if let suggestion = Suggestion.nearest(to: name, in: allowed) { message += "; did you mean '\(Self.join(key, suggestion))'?" }
                else { message += "; expected one of \(allowed.joined(separator: ", "))" }
                throw ConfigError(kind: .unknownKey, file: file, line: entry.key.line, key: path, message: message)
            }
            if !entry.value.isNull { result[name] = entry.value }
        }
        for name in required where result[name] == nil {
            throw missing(Self.join(key, name), at: node)
        }
        return result
    }

    /// A non-empty scalar.
    private func string(_ node: YAMLNode?, key: String) throws(ConfigError) -> String {
        guard let node else { throw missing(key, at: nil) }
        guard let text = node.string else { throw wrongType(key, expected: "a string", found: node) }
        guard !text.isEmpty else { throw invalid(key, at: node, "key '\(key)' must not be empty") }
        return text
    }

    /// A list of non-empty strings, or (with `allowSingle`) one string standing for a list of one.
    private func stringList(_ node: YAMLNode, key: String, allowSingle: Bool) throws(ConfigError) -> [String] {
        let expected = allowSingle ? "a string or a list of strings" : "a list of strings"
        guard let items = node.sequence else {
            if allowSingle, node.scalar != nil { return [try string(node, key: key)] }
            throw wrongType(key, expected: expected, found: node)
        }
        var strings: [String] = []
        for (index, item) in items.enumerated() {
            guard let text = item.string, !text.isEmpty else {
                throw ConfigError(kind: .wrongType, file: file, line: item.line, key: key,
                                  message: "key '\(key)' must be \(expected), but item \(index + 1) is \(item.string == nil ? item.kindDescription : "empty")")
            }
            strings.append(text)
        }
        return strings
    }

    private func positive(_ node: YAMLNode, key: String) throws(ConfigError) -> Int {
        guard let value = node.int else { throw wrongType(key, expected: "a whole number", found: node) }
        guard (1...100_000).contains(value) else { throw invalid(key, at: node, "key '\(key)' must be between 1 and 100000, found \(value)") }
        return value
    }

    /// `HH:MM` as minutes after midnight; `24:00` is allowed as the end of the day.
    private func clockTime(_ node: YAMLNode, key: String) throws(ConfigError) -> Int {
        let text = try string(node, key: key)
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.utf8.count == 2 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let hour = Int(parts[0]), let minute = Int(parts[1]), minute < 60, hour < 24 || (hour == 24 && minute == 0)
        else {
            throw invalid(key, at: node, "key '\(key)' must be a time of day HH:MM such as 08:00, found '\(text)'")
        }
        return hour * 60 + minute
    }

    private static func offsetMinutes(_ text: String) -> Int? {
        if text == "Z" || text == "z" { return 0 }
        let bytes = Array(text.utf8)
        guard bytes.count == 6, bytes[0] == UInt8(ascii: "+") || bytes[0] == UInt8(ascii: "-"), bytes[3] == UInt8(ascii: ":"),
              let hour = Int(String(decoding: bytes[1...2], as: UTF8.self)), let minute = Int(String(decoding: bytes[4...5], as: UTF8.self)),
              bytes[1...2].allSatisfy({ $0 >= 48 && $0 <= 57 }), bytes[4...5].allSatisfy({ $0 >= 48 && $0 <= 57 }),
              hour <= 14, minute <= 59
        else { return nil }
        return (bytes[0] == UInt8(ascii: "-") ? -1 : 1) * (hour * 60 + minute)
    }

    // MARK: Errors

    private func wrongType(_ key: String, expected: String, found node: YAMLNode) -> ConfigError {
        ConfigError(kind: .wrongType, file: file, line: node.line, key: key,
                    message: "key '\(key)' must be \(expected), found \(node.kindDescription)")
    }

    private func missing(_ key: String, at parent: YAMLNode?) -> ConfigError {
        ConfigError(kind: .missingKey, file: file, line: parent?.line ?? 0, key: key, message: "required key '\(key)' is missing")
    }

    private func invalid(_ key: String, at node: YAMLNode, _ message: String) -> ConfigError {
        ConfigError(kind: .invalidValue, file: file, line: node.line, key: key, message: message)
    }

    private static func join(_ parent: String, _ key: String) -> String {
        parent.isEmpty ? key : parent + "." + key
    }
}
