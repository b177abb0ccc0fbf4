import Foundation

/// Finds the folders the tool ships with (`mappings/`, `templates/`) at run time.
///
/// Order: an explicit path; the environment (`MCP_EVIDENCE_HOME`); the working directory; the
/// source checkout this binary was built from (so `swift run` works from anywhere).
public enum ResourceLocator {
    public static func folder(_ name: String, explicit: String? = nil) throws(ResourceError) -> String {
        if let explicit {
            guard isDirectory(explicit) else { throw ResourceError(name: name, tried: [explicit]) }
            return explicit
        }
        var candidates: [String] = []
        if let home = ProcessInfo.processInfo.environment["MCP_EVIDENCE_HOME"], !home.isEmpty {
            candidates.append(home + "/" + name)
        }
        candidates.append(FileManager.default.currentDirectoryPath + "/" + name)
        // Sources/EvidenceKit/Checks/ResourceLocator.swift → package root.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(packageRoot.appendingPathComponent(name).path)
        for candidate in candidates where isDirectory(candidate) { return candidate }
        throw ResourceError(name: name, tried: candidates)
    }

    private static func isDirectory(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
    }
}

/// A shipped folder that could not be found.
public struct ResourceError: Error, CustomStringConvertible, Sendable {
    public var name: String
    public var tried: [String]
    public var description: String {
        "Cannot find the '\(name)' folder; looked in \(tried.map { "'\($0)'" }.joined(separator: ", ")). Set MCP_EVIDENCE_HOME to the folder that holds it."
    }
}
