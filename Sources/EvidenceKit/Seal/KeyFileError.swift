/// A key file that cannot be created or used, naming the file and what is wrong with it.
public enum KeyFileError: Error, CustomStringConvertible, Sendable, Equatable {
    /// `keygen` would overwrite an existing file.
    case fileExists(path: String)
    /// A private key file that group or others may read or write.
    case permissionsTooOpen(path: String, mode: UInt32)
    /// The file holds a key of another algorithm; `actualType` is OpenSSL's name for it, e.g. "RSA (2048 bits)".
    case notEd25519(path: String, actualType: String)
    /// The path is a folder, device or other non-regular file.
    case notRegularFile(path: String)
    /// The private key is encrypted with a passphrase, which unattended runs cannot supply.
    case encrypted(path: String)
    /// A public key file was given where the private key is needed.
    case publicKeyGivenForSigning(path: String)
    /// A private key file was given where a public key is expected.
    case privateKeyGivenForVerifying(path: String)

    public var description: String {
        switch self {
        case .fileExists(let path):
            return "Key file '\(path)' already exists; refusing to overwrite it (move it away or choose another --out prefix)."
        case .permissionsTooOpen(let path, let mode):
            let octal = String(mode & 0o7777, radix: 8)
            let padded = String(repeating: "0", count: max(0, 4 - octal.count)) + octal
            return "Permissions \(padded) for '\(path)' are too open; the private key must be readable only by its owner (chmod 600 '\(path)')."
        case .notEd25519(let path, let actualType):
            return "Key file '\(path)' holds a key of type \(actualType), but mcp-evidence signs with Ed25519 only (create one with `mcp-evidence keygen --out PREFIX`)."
        case .notRegularFile(let path):
            return "Key file '\(path)' is not a regular file."
        case .encrypted(let path):
            return "Key file '\(path)' is encrypted with a passphrase; mcp-evidence needs an unencrypted PKCS#8 key protected by file permissions (chmod 600)."
        case .publicKeyGivenForSigning(let path):
            return "Key file '\(path)' holds a public key, but signing needs the private key (the PREFIX.pem written by keygen, not PREFIX.pub.pem)."
        case .privateKeyGivenForVerifying(let path):
            return "Key file '\(path)' holds a private key; verification needs only the public key (the PREFIX.pub.pem written by keygen), and private keys should not be handed around."
        }
    }
}
