internal import CCrypto
import Foundation

/// An OpenSSL memory BIO, freed in `deinit`, used to move PEM text between OpenSSL and `Data`.
final class MemoryBIO {
    let bio: OpaquePointer
    /// Keeps the bytes a read-only BIO points into alive for the BIO's lifetime.
    private let backing: UnsafeMutableRawBufferPointer?

    /// An empty BIO for OpenSSL to write into.
    init() throws(CryptoError) {
        guard let bio = BIO_new(BIO_s_mem()) else { throw CryptoError.openSSL("allocating a memory BIO") }
        self.bio = bio
        self.backing = nil
    }

    /// A read-only BIO over a private copy of `data`.
    init(reading data: Data) throws(CryptoError) {
        let copy = UnsafeMutableRawBufferPointer.allocate(byteCount: max(data.count, 1), alignment: 1)
        data.withUnsafeBytes { source in
            if let base = source.baseAddress { copy.baseAddress?.copyMemory(from: base, byteCount: source.count) }
        }
        guard data.count <= Int(Int32.max), let bio = BIO_new_mem_buf(copy.baseAddress, Int32(data.count)) else {
            copy.deallocate()
            throw CryptoError.openSSL("allocating a memory BIO")
        }
        self.bio = bio
        self.backing = copy
    }

    deinit {
        BIO_free(bio)
        backing?.deallocate()
    }

    /// Everything written into the BIO so far.
    func contents() -> Data {
        var pointer: UnsafeMutablePointer<CChar>?
        let length = ccrypto_bio_get_mem_data(bio, &pointer)
        guard let pointer, length > 0 else { return Data() }
        return Data(bytes: pointer, count: length)
    }
}
