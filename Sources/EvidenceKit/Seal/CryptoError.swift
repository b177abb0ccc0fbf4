internal import CCrypto

/// A failure inside OpenSSL libcrypto, carrying OpenSSL's own error text.
public struct CryptoError: Error, CustomStringConvertible, Sendable {
    /// What was being done, e.g. "signing MANIFEST.json".
    public let operation: String
    /// OpenSSL's error queue, drained at the time of the failure.
    public let libraryMessage: String

    public var description: String {
        libraryMessage.isEmpty ? "OpenSSL failed while \(operation)." : "OpenSSL failed while \(operation): \(libraryMessage)."
    }

    /// Builds an error from OpenSSL's thread-local error queue, emptying it.
    static func openSSL(_ operation: String) -> CryptoError {
        var messages: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            var buffer = [CChar](repeating: 0, count: 256)
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return CryptoError(operation: operation, libraryMessage: messages.joined(separator: "; "))
    }
}
