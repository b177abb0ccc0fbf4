internal import CCrypto
import Foundation

/// An Ed25519 public key: checks bundle signatures and identifies the signer by key id.
///
/// The OpenSSL `EVP_PKEY` is owned by this object and freed in `deinit`. It is never modified after
/// initialisation, and OpenSSL allows concurrent verification with a shared key, hence `@unchecked Sendable`.
public final class VerifyingKey: @unchecked Sendable {
    let pkey: OpaquePointer
    private let der: Data
    private let pem: Data

    /// `sha256:` followed by the lowercase hex SHA-256 of the key's SubjectPublicKeyInfo DER, i.e. what
    /// `openssl pkey -pubin -in KEY.pub.pem -outform DER | sha256sum` prints.
    public let keyID: String

    /// Takes ownership of `pkey`, freeing it if the key cannot be encoded.
    init(taking pkey: OpaquePointer) throws(CryptoError) {
        do {
            let der = try Self.encodeDER(pkey)
            self.der = der
            self.pem = try Self.encodePEM(pkey)
            self.keyID = "sha256:" + (try SHA256.hex(of: der))
            self.pkey = pkey
        } catch {
            EVP_PKEY_free(pkey)
            throw error
        }
    }

    /// A key from its 32 raw bytes (RFC 8032 encoding).
    convenience init(rawPublicKey bytes: [UInt8]) throws(CryptoError) {
        let created = bytes.withUnsafeBufferPointer {
            EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, $0.baseAddress, $0.count)
        }
        guard let created else { throw CryptoError.openSSL("creating an Ed25519 public key from raw bytes") }
        try self.init(taking: created)
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Reads a PEM public key (SubjectPublicKeyInfo, as written by `keygen` or `openssl pkey -pubout`).
    ///
    /// Throws ``KeyFileError`` for a private key or a key of another algorithm, ``FileAccessError`` when the
    /// file cannot be read, and ``CryptoError`` with OpenSSL's message when it is not a PEM public key.
    public static func load(path: String) throws -> VerifyingKey {
        let file = try OwnedFileDescriptor.openForReading(path, followSymlinks: true)
        let info = try file.status()
        guard info.st_mode & S_IFMT == S_IFREG else { throw KeyFileError.notRegularFile(path: path) }
        return try parse(pem: try file.readAll(limit: 64 * 1024), path: path)
    }

    /// Parses PEM text; `path` names where it came from in errors.
    static func parse(pem: Data, path: String) throws -> VerifyingKey {
        if pem.range(of: Data("PRIVATE KEY-----".utf8)) != nil {
            throw KeyFileError.privateKeyGivenForVerifying(path: path)
        }
        let bio = try MemoryBIO(reading: pem)
        ERR_clear_error()
        guard let pkey = PEM_read_bio_PUBKEY(bio.bio, nil, nil, nil) else {
            throw CryptoError.openSSL("reading a PEM public key from '\(path)'")
        }
        guard EVP_PKEY_get_base_id(pkey) == EVP_PKEY_ED25519 else {
            let type = keyTypeDescription(pkey)
            EVP_PKEY_free(pkey)
            throw KeyFileError.notEd25519(path: path, actualType: type)
        }
        return try VerifyingKey(taking: pkey)
    }

    /// The key as a PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`), as `openssl pkeyutl -pubin` reads it.
    public func spkiPEM() -> Data { pem }

    /// The key's DER SubjectPublicKeyInfo, the bytes the key id hashes.
    public func derBytes() -> Data { der }

    /// Whether `signature` is a valid Ed25519 signature by this key over exactly `data`.
    public func verify(signature: Data, data: Data) -> Bool {
        guard signature.count == 64, let context = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(context)
            // A failed verification leaves entries on OpenSSL's thread-local queue; they are not errors here.
            ERR_clear_error()
        }
        guard EVP_DigestVerifyInit(context, nil, nil, nil, pkey) == 1 else { return false }
        let result = signature.withUnsafeBytes { sig in
            data.withUnsafeBytes { message in
                Self.withNonNullBytes(message) { base, count in
                    EVP_DigestVerify(
                        context, sig.baseAddress?.assumingMemoryBound(to: UInt8.self), sig.count, base, count)
                }
            }
        }
        return result == 1
    }

    /// Calls `body` with a non-null pointer even for empty input, which some OpenSSL paths reject as NULL.
    static func withNonNullBytes<R>(
        _ bytes: UnsafeRawBufferPointer, _ body: (UnsafePointer<UInt8>, Int) -> R
    ) -> R {
        if let base = bytes.baseAddress, bytes.count > 0 {
            return body(base.assumingMemoryBound(to: UInt8.self), bytes.count)
        }
        var placeholder: UInt8 = 0
        return withUnsafePointer(to: &placeholder) { body($0, 0) }
    }

    /// OpenSSL's name for a key's algorithm, with its size and curve where known, e.g. "RSA (2048 bits)".
    static func keyTypeDescription(_ pkey: OpaquePointer) -> String {
        let name = EVP_PKEY_get0_type_name(pkey).map { String(cString: $0) } ?? "unknown"
        var details: [String] = []
        var group = [CChar](repeating: 0, count: 80)
        var length = 0
        if EVP_PKEY_get_group_name(pkey, &group, group.count, &length) == 1, length > 0 {
            details.append(String(decoding: group.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let bits = EVP_PKEY_get_bits(pkey)
        if bits > 0 { details.append("\(bits) bits") }
        ERR_clear_error()
        return details.isEmpty ? name : "\(name) (\(details.joined(separator: ", ")))"
    }

    private static func encodeDER(_ pkey: OpaquePointer) throws(CryptoError) -> Data {
        let length = i2d_PUBKEY(pkey, nil)
        guard length > 0 else { throw CryptoError.openSSL("encoding a public key as DER") }
        var bytes = [UInt8](repeating: 0, count: Int(length))
        let written = bytes.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_PUBKEY(pkey, &cursor)
        }
        guard written == length else { throw CryptoError.openSSL("encoding a public key as DER") }
        return Data(bytes)
    }

    private static func encodePEM(_ pkey: OpaquePointer) throws(CryptoError) -> Data {
        let bio = try MemoryBIO()
        guard PEM_write_bio_PUBKEY(bio.bio, pkey) == 1 else {
            throw CryptoError.openSSL("encoding a public key as PEM")
        }
        return bio.contents()
    }
}
