import Foundation

/// The pair of PEM files `mcp-evidence keygen` writes: `PREFIX.pem` (private) and `PREFIX.pub.pem` (public).
public struct KeyFiles: Sendable, Equatable {
    /// `PREFIX.pem`: unencrypted PKCS#8, mode 0600.
    public let privateKeyPath: String
    /// `PREFIX.pub.pem`: SubjectPublicKeyInfo, for auditors and `verify --key`.
    public let publicKeyPath: String
    /// The new key's id (see ``VerifyingKey/keyID``).
    public let keyID: String

    /// Generates an Ed25519 key and writes both files, creating the prefix's folder (mode 0700) if missing.
    ///
    /// Refuses to overwrite: if either file exists, nothing is written and ``KeyFileError/fileExists(path:)``
    /// names it. The private key file is created with mode 0600 in the same `open` call that creates it, so it
    /// is never readable by others, not even briefly. If the public file cannot be written, the private one is
    /// removed again so no half-made pair is left behind.
    public static func generate(prefix: String) throws -> KeyFiles {
        let privatePath = prefix + ".pem"
        let publicPath = prefix + ".pub.pem"
        for path in [privatePath, publicPath] {
            var info = stat()
            if lstat(path, &info) == 0 { throw KeyFileError.fileExists(path: path) }
        }
        let key = try SigningKey.generate()
        let privatePEM = try key.pkcs8PEM()
        let folder = (privatePath as NSString).deletingLastPathComponent
        if !folder.isEmpty {
            do {
                try FileManager.default.createDirectory(
                    atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw FileAccessError("create folder", path: folder, reason: error.localizedDescription)
            }
        }
        do {
            try OwnedFileDescriptor.createFile(privatePath, contents: privatePEM, mode: 0o600)
        } catch {
            if error.code == EEXIST { throw KeyFileError.fileExists(path: privatePath) }
            throw error
        }
        do {
            try OwnedFileDescriptor.createFile(publicPath, contents: key.verifyingKey.spkiPEM(), mode: 0o644)
        } catch {
            unlink(privatePath)
            if error.code == EEXIST { throw KeyFileError.fileExists(path: publicPath) }
            throw error
        }
        return KeyFiles(privateKeyPath: privatePath, publicKeyPath: publicPath, keyID: key.keyID)
    }
}
