/// Identifies this tool in manifests and reports.
public enum Generator {
    /// The tool's name as written into every bundle.
    public static let name = "mcp-evidence"
    /// The tool's version as written into every bundle.
    public static let version = "0.1.0"
}
