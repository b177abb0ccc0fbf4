internal import CSQLite
internal import CXML2
internal import CCrypto
internal import CYAML
internal import CZlib

/// Versions of the system C libraries this build links, shown in reports and `--version`.
public enum LibraryVersions {
    /// One `name version` entry per linked C library, in a fixed order.
    public static var all: [String] {
        [
            "sqlite \(String(cString: sqlite3_libversion()))",
            "libxml2 \(LIBXML_DOTTED_VERSION)",
            "openssl \(String(cString: OpenSSL_version(numericCast(OPENSSL_VERSION))))",
            "libyaml \(String(cString: yaml_get_version_string()))",
            "zlib \(String(cString: zlibVersion()))",
        ]
    }
}
