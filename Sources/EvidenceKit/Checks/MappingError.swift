/// A check or framework file under `mappings/` that cannot be used, located by file, line and key.
public struct MappingError: Error, CustomStringConvertible, Sendable, Equatable {
    public var file: String
    public var line: Int
    public var key: String?
    public var message: String

    public var description: String {
        let location = line > 0 ? "\(file):\(line)" : file
        return key.map { "\(location): key '\($0)': \(message)" } ?? "\(location): \(message)"
    }
}
