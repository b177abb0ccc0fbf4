// swift-tools-version: 6.1
import Foundation
import PackageDescription

// libFuzzer targets for mcp-evidence, kept out of the root package because an executable whose
// `main` comes from libFuzzer only links with `-sanitize=fuzzer`. Build and run them with
// scripts/fuzz.sh; a normal `swift build` at the root never sees them.
//
// The root package is a path dependency; its identity is the name of the folder it is checked out in.
let rootIdentity = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().lastPathComponent

let package = Package(
    name: "mcp-evidence-fuzz",
    platforms: [.macOS(.v14)],
    dependencies: [.package(path: "..")],
    targets: [
        // Each target holds its libFuzzer entry point and, as a symbolic link, the harness the tests
        // share (Tests/EvidenceKitTests/HostileFuzzHarness.swift).
        .executableTarget(
            name: "FuzzJSONLines",
            dependencies: [.product(name: "EvidenceKit", package: rootIdentity)],
            swiftSettings: [.swiftLanguageMode(.v6)]),
        .executableTarget(
            name: "FuzzTemplates",
            dependencies: [.product(name: "EvidenceKit", package: rootIdentity)],
            swiftSettings: [.swiftLanguageMode(.v6)]),
    ]
)
