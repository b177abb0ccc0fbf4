internal import CCrypto
import Foundation

/// A streaming SHA-256 over OpenSSL's EVP interface, so inputs are hashed while they are read.
///
/// The digest context is a C handle owned by this object and freed in `deinit`.
public final class SHA256 {
    private let context: OpaquePointer
    /// Bytes hashed so far, so a file's size and hash come from the same read.
    public private(set) var byteCount: Int64 = 0

    /// Starts a new digest.
    public init() throws(CryptoError) {
        guard let context = EVP_MD_CTX_new() else {
            throw CryptoError.openSSL("allocating a SHA-256 context")
        }
        self.context = context
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            EVP_MD_CTX_free(context)
            throw CryptoError.openSSL("initialising SHA-256")
        }
    }

    deinit { EVP_MD_CTX_free(context) }

    /// Starts over, reusing the context: hashing millions of short lines with one context avoids
    /// an allocation per line.
    public func reset() {
        _ = EVP_DigestInit_ex(context, EVP_sha256(), nil)
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
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        _ = digest.withUnsafeMutableBufferPointer { EVP_DigestFinal_ex(context, $0.baseAddress, &length) }
        return digest
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
