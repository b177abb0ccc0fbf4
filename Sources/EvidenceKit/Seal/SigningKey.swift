internal import CCrypto
import Foundation

/// An Ed25519 private key that signs bundle manifests.
///
/// The OpenSSL `EVP_PKEY` is owned by this object and freed in `deinit`. It is never modified after
/// initialisation, and OpenSSL allows concurrent signing with a shared key, hence `@unchecked Sendable`.
public final class SigningKey: @unchecked Sendable {
    let pkey: OpaquePointer

    /// The matching public key.
    public let verifyingKey: VerifyingKey

    /// The key id of the matching public key (see ``VerifyingKey/keyID``).
    public var keyID: String { verifyingKey.keyID }

    /// Takes ownership of `pkey`, an Ed25519 private key, freeing it if the public half cannot be derived.
    init(taking pkey: OpaquePointer) throws(CryptoError) {
        do {
            self.verifyingKey = try Self.publicHalf(of: pkey)
            self.pkey = pkey
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
    }

    /// A key from its 32-byte raw secret (RFC 8032 encoding), for known-answer tests.
    convenience init(rawPrivateKey bytes: [UInt8]) throws(CryptoError) {
        let created = bytes.withUnsafeBufferPointer {
            EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
        }
        guard let created else { throw CryptoError.openSSL("creating an Ed25519 private key from raw bytes") }
        try self.init(taking: created)
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Generates a new key from OpenSSL's CSPRNG.
    public static func generate() throws(CryptoError) -> SigningKey {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw CryptoError.openSSL("creating an Ed25519 key generation context")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else {
            throw CryptoError.openSSL("initialising Ed25519 key generation")
        }
        var generated: OpaquePointer?
        guard EVP_PKEY_keygen(context, &generated) == 1, let generated else {
            throw CryptoError.openSSL("generating an Ed25519 key")
        }
        return try SigningKey(taking: generated)
    }

    /// Reads an unencrypted PEM private key (PKCS#8, as written by `keygen` or `openssl genpkey -algorithm ed25519`).
    ///
    /// Like ssh, refuses a file that group or others may read or write. Throws ``KeyFileError`` for loose
    /// permissions, an encrypted key, a public key or a key of another algorithm; ``FileAccessError`` when the
    /// file cannot be read; ``CryptoError`` with OpenSSL's message when it is not a PEM private key.
    public static func load(path: String) throws -> SigningKey {
        // A symbolic link is followed (keys often live on a secrets mount); the permissions checked are those
        // of the file actually opened, taken from the open descriptor so they cannot change in between.
        let file = try OwnedFileDescriptor.openForReading(path, followSymlinks: true)
        let info = try file.status()
        guard info.st_mode & S_IFMT == S_IFREG else { throw KeyFileError.notRegularFile(path: path) }
        let pem = try file.readAll(limit: 64 * 1024)
        // Saying "that is the public key" helps more than complaining about a public file's permissions.
        if isPublicKeyOnly(pem) { throw KeyFileError.publicKeyGivenForSigning(path: path) }
        guard info.st_mode & 0o077 == 0 else {
            throw KeyFileError.permissionsTooOpen(path: path, mode: UInt32(info.st_mode & 0o7777))
        }
        return try parse(pem: pem, path: path)
    }

    private static func isPublicKeyOnly(_ pem: Data) -> Bool {
        pem.range(of: Data("PRIVATE KEY-----".utf8)) == nil && pem.range(of: Data("PUBLIC KEY-----".utf8)) != nil
    }

    /// Parses PEM text; `path` names where it came from in errors.
    static func parse(pem: Data, path: String) throws -> SigningKey {
        if pem.range(of: Data("-----BEGIN ENCRYPTED PRIVATE KEY-----".utf8)) != nil
            || pem.range(of: Data("Proc-Type: 4,ENCRYPTED".utf8)) != nil
        {
            throw KeyFileError.encrypted(path: path)
        }
        if isPublicKeyOnly(pem) {
            throw KeyFileError.publicKeyGivenForSigning(path: path)
        }
        let bio = try MemoryBIO(reading: pem)
        ERR_clear_error()
        // A passphrase callback that declines, so OpenSSL never prompts on the terminal during a CI run.
        guard let pkey = PEM_read_bio_PrivateKey(bio.bio, nil, { _, _, _, _ in -1 }, nil) else {
            throw CryptoError.openSSL("reading a PEM private key from '\(path)'")
        }
        guard EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519 else {
            let type = VerifyingKey.keyTypeDescription(pkey)
            EVP_PKEY_free(pkey)
            throw KeyFileError.notEd25519(path: path, actualType: type)
        }
        return try SigningKey(taking: pkey)
    }

    /// The key as unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`), as `openssl pkey` reads it.
    public func pkcs8PEM() throws(CryptoError) -> Data {
        let bio = try MemoryBIO()
        guard PEM_write_bio_PrivateKey(bio.bio, pkey, nil, nil, 0, nil, nil) == 1 else {
            throw CryptoError.openSSL("encoding the private key as PEM")
        }
        return bio.contents()
    }

    /// The 64-byte Ed25519 signature over exactly `data` (pure Ed25519: no pre-hash, so deterministic).
    public func sign(_ data: Data) throws(CryptoError) -> Data {
        guard let context = EVP_MD_CTX_new() else { throw CryptoError.openSSL("allocating a signing context") }
        defer { EVP_MD_CTX_free(context) }
        // Ed25519 hashes internally; the digest must be NULL and the message passed in one call.
        guard EVP_DigestSignInit(context, nil, nil, nil, pkey) == 1 else {
            throw CryptoError.openSSL("initialising Ed25519 signing")
        }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = signature.count
        let result = data.withUnsafeBytes { message in
            VerifyingKey.withNonNullBytes(message) { base, count in
                signature.withUnsafeMutableBufferPointer {
                    EVP_DigestSign(context, $0.baseAddress, &length, base, count)
                }
            }
        }
        guard result == 1, length == 64 else { throw CryptoError.openSSL("signing with Ed25519") }
        return Data(signature)
    }

    private static func publicHalf(of pkey: OpaquePointer) throws(CryptoError) -> VerifyingKey {
        var raw = [UInt8](repeating: 0, count: 32)
        var length = raw.count
        guard EVP_PKEY_get_raw_public_key(pkey, &raw, &length) == 1, length == 32 else {
            throw CryptoError.openSSL("extracting the Ed25519 public key")
        }
        return try VerifyingKey(rawPublicKey: raw)
    }
}
