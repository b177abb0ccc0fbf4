internal import CCrypto
import Foundation

/// A streaming SHA-256 over OpenSSL's EVP interface, so inputs are hashed while they are read.
///
/// The digest context is a C handle owned by this object and freed in `deinit`.
public final class SHA256 {
    /// The provider's SHA-256, fetched once: `EVP_sha256()` is a legacy handle that OpenSSL 3 looks up
    /// again on every `EVP_DigestInit_ex`, which cost about a third of hashing a million audit lines.
    /// Immutable once fetched and thread-safe in OpenSSL 3, so it is shared by every context.
    private nonisolated(unsafe) static let algorithm: OpaquePointer? = EVP_MD_fetch(nil, "SHA256", nil)

    private let context: OpaquePointer
    /// Bytes hashed so far, so a file's size and hash come from the same read.
    public private(set) var byteCount: Int64 = 0

    /// Starts a new digest.
    public init() throws(CryptoError) {
        guard let context = EVP_MD_CTX_new() else {
            throw CryptoError.openSSL("allocating a SHA-256 context")
        }
        self.context = context
        guard let algorithm = Self.algorithm, EVP_DigestInit_ex2(context, algorithm, nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw CryptoError.openSSL("initialising SHA-256")
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Starts over, reusing the context: hashing millions of short lines with one context avoids
    /// an allocation per line.
    public func reset() {
        // A null algorithm re-initialises the context with the one it already holds, keeping its
        // provider state instead of freeing and fetching it again.
        _ = EVP_DigestInit_ex2(context, nil, nil)
        byteCount = 0
    }

    /// Adds bytes to the digest.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        byteCount += Int64(bytes.count)
        // EVP_DigestUpdate only fails on a context that was never initialised, which init rules out.
        _ = EVP_DigestUpdate(context, base, bytes.count)
    }

    /// Adds bytes to the digest.
    public func update(_ data: Data) {
        data.withUnsafeBytes { update($0) }
    }

    /// Finishes the digest and returns its 32 bytes; the object must not be updated afterwards.
    public func finalize() -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: 32) { buffer, count in
            finalize(into: buffer.baseAddress!)
            count = 32
        }
    }

    /// Finishes the digest into 32 bytes at `output`, for callers hashing millions of lines that would
    /// otherwise allocate an array per digest.
    func finalize(into output: UnsafeMutablePointer<UInt8>) {
        var length: UInt32 = 0
        _ = EVP_DigestFinal_ex(context, output, &length)
    }

    /// The lowercase hex SHA-256 of `data`.
    public static func hex(of data: Data) throws(CryptoError) -> String {
        let hasher = try SHA256()
        hasher.update(data)
        return hasher.finalize().hexString
    }
}

extension Sequence where Element == UInt8 {
    /// Lowercase hexadecimal, two digits per byte.
    public var hexString: String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
