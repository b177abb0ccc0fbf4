/// A build that stopped before writing a bundle.
public enum BuildError: Error, CustomStringConvertible, Sendable {
    case strictInputErrors(count: Int, first: InputError?)
    case missingKey(path: String)

    public var description: String {
        switch self {
        case .strictInputErrors(let count, let first):
            "--strict: \(count) input record\(count == 1 ? " was" : "s were") rejected\(first.map { ", the first at \($0)" } ?? ""); no bundle was written."
        case .missingKey(let path):
            "The signing key '\(path)' named in the config does not exist; create one with 'mcp-evidence keygen --out \(path.hasSuffix(".pem") ? String(path.dropLast(4)) : path)', or remove signing.key to build unsigned."
        }
    }
}
