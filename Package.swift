// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "mcp-evidence",
    platforms: [.macOS(.v14)],
    products: [
        .library(name: "EvidenceKit", targets: ["EvidenceKit"]),
        .executable(name: "mcp-evidence", targets: ["mcp-evidence"]),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite", path: "Sources/CSQLite", pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"]), .brew(["sqlite"])]),
        .systemLibrary(
            name: "CXML2", path: "Sources/CXML2", pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"]), .brew(["libxml2"])]),
        .systemLibrary(
            name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]),
        .systemLibrary(
            name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
            providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),
        .systemLibrary(
            name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]),
        .target(
            name: "EvidenceKit",
            dependencies: ["CSQLite", "CXML2", "CCrypto", "CYAML", "CZlib"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "mcp-evidence",
            dependencies: ["EvidenceKit"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .testTarget(
            name: "EvidenceKitTests",
            dependencies: ["EvidenceKit"],
            swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
