import Foundation
import Testing
@testable import EvidenceKit

@Suite struct BundleSealerTests {
    static let info = ManifestInfo(
        organization: "Acme Corp", periodLabel: "2026-Q3", periodStart: "2026-07-01T00:00:00.000Z",
        periodEnd: "2026-09-30T23:59:59.999Z", asOf: "2026-10-01T00:00:00.000Z",
        inputs: [
            ManifestInput(path: "directory.csv", bytes: 120, sha256: String(repeating: "b", count: 64), recordsRead: 4, recordsRejected: 0),
            ManifestInput(path: "audit/2026-07.jsonl", bytes: 9000, sha256: String(repeating: "a", count: 64), recordsRead: 30, recordsRejected: 2),
        ],
        policyRepoHead: nil)

    @Test func manifestIsExactlyTheDocumentedFormat() throws {
        try withSealTestFolder { folder in
            let bundle = try sealSampleBundle(in: folder, files: ["controls.csv": "id,status\n"])
            let key = try SigningKey(rawPrivateKey: sealHexBytes(SigningKeyTests.vector1Secret))
            try BundleSealer.seal(bundle: bundle, manifest: Self.info, key: key)

            let manifest = try String(contentsOf: bundle.appendingPathComponent("MANIFEST.json"), encoding: .utf8)
            let publicKeyHash = try SHA256.hex(of: key.verifyingKey.spkiPEM())
            let verifyHash = try SHA256.hex(of: Data(contentsOf: bundle.appendingPathComponent("VERIFY.txt")))
            let verifySize = try Data(contentsOf: bundle.appendingPathComponent("VERIFY.txt")).count
            let expected = """
                {
                  "as_of" : "2026-10-01T00:00:00.000Z",
                  "files" : [
                    {
                      "bytes" : \(verifySize),
                      "path" : "VERIFY.txt",
                      "sha256" : "\(verifyHash)"
                    },
                    {
                      "bytes" : 10,
                      "path" : "controls.csv",
                      "sha256" : "\(try SHA256.hex(of: Data("id,status\n".utf8)))"
                    },
                    {
                      "bytes" : 113,
                      "path" : "signer.pub.pem",
                      "sha256" : "\(publicKeyHash)"
                    }
                  ],
                  "format_version" : 2,
                  "generator" : {
                    "name" : "\(Generator.name)",
                    "version" : "\(Generator.version)"
                  },
                  "inputs" : [
                    {
                      "bytes" : 9000,
                      "path" : "audit/2026-07.jsonl",
                      "records_read" : 30,
                      "records_rejected" : 2,
                      "sha256" : "\(String(repeating: "a", count: 64))"
                    },
                    {
                      "bytes" : 120,
                      "path" : "directory.csv",
                      "records_read" : 4,
                      "records_rejected" : 0,
                      "sha256" : "\(String(repeating: "b", count: 64))"
                    }
                  ],
                  "organization" : "Acme Corp",
                  "period" : {
                    "end" : "2026-09-30T23:59:59.999Z",
                    "label" : "2026-Q3",
                    "start" : "2026-07-01T00:00:00.000Z"
                  },
                  "policy_repo_head" : null,
                  "signed" : true,
                  "signer" : {
                    "algorithm" : "Ed25519",
                    "key_id" : "\(key.keyID)",
                    "public_key" : "signer.pub.pem"
                  }
                }

                """
            #expect(manifest == expected)
        }
    }

    @Test func listsEveryFileSortedBytewiseWithSizesAndHashes() throws {
        try withSealTestFolder { folder in
            let contents = [
                "index.html": "<html></html>\n", "Zeta.csv": "z\n", "checks/c1/exceptions.csv": "id,reason\n1,late\n",
                "checks/c1/sample.csv": "id\n", "checks/c10/sample.csv": "id\n", "checks-summary.csv": "x\n",
                "data/caf\u{e9}.csv": "\u{e9}\n", "empty.csv": "",
            ]
            let bundle = try sealSampleBundle(in: folder, files: contents)
            try BundleSealer.seal(bundle: bundle, manifest: Self.info, key: try SigningKey.generate())
            let manifest = try sealReadManifest(bundle)
            let files = try #require(manifest["files"] as? [[String: Any]])
            let paths = files.compactMap { $0["path"] as? String }
            #expect(paths == [
                "VERIFY.txt", "Zeta.csv", "checks-summary.csv", "checks/c1/exceptions.csv", "checks/c1/sample.csv",
                "checks/c10/sample.csv", "data/caf\u{e9}.csv", "empty.csv", "index.html", "signer.pub.pem",
            ])
            for file in files {
                let path = try #require(file["path"] as? String)
                let data = try Data(contentsOf: bundle.appendingPathComponent(path))
                #expect(file["bytes"] as? Int == data.count, "\(path)")
                #expect(file["sha256"] as? String == (try SHA256.hex(of: data)), "\(path)")
            }
            let inputs = try #require(manifest["inputs"] as? [[String: Any]])
            #expect(inputs.compactMap { $0["path"] as? String } == ["audit/2026-07.jsonl", "directory.csv"])
        }
    }

    @Test func sha256SumsCoversListedFilesAndManifest() throws {
        try withSealTestFolder { folder in
            let bundle = try sealSampleBundle(in: folder, files: ["b.csv": "b\n", "a/x.csv": "x\n"])
            try BundleSealer.seal(bundle: bundle, manifest: Self.info, key: try SigningKey.generate())
            let sums = try String(contentsOf: bundle.appendingPathComponent("SHA256SUMS"), encoding: .utf8)
            var expected = ""
            for path in ["MANIFEST.json", "VERIFY.txt", "a/x.csv", "b.csv", "signer.pub.pem"] {
                expected += "\(try SHA256.hex(of: Data(contentsOf: bundle.appendingPathComponent(path))))  \(path)\n"
            }
            #expect(sums == expected)
        }
    }

    @Test func signatureIsOverManifestBytes() throws {
        try withSealTestFolder { folder in
            let bundle = try sealSampleBundle(in: folder, files: ["a.csv": "a\n"])
            let key = try SigningKey.generate()
            try BundleSealer.seal(bundle: bundle, manifest: Self.info, key: key)
            let manifest = try Data(contentsOf: bundle.appendingPathComponent("MANIFEST.json"))
            let signature = try Data(contentsOf: bundle.appendingPathComponent("MANIFEST.sig"))
            #expect(signature.count == 64)
            #expect(signature == (try key.sign(manifest)))
            #expect(manifest.last == 0x0a)
            let sums = try Data(contentsOf: bundle.appendingPathComponent("SHA256SUMS"))
            let sumsSignature = try Data(contentsOf: bundle.appendingPathComponent("SHA256SUMS.sig"))
            #expect(key.verifyingKey.verify(signature: sumsSignature, data: sums))
            #expect(try sealReadManifest(bundle)["format_version"] as? Int == 2)
            let publicKey = try Data(contentsOf: bundle.appendingPathComponent("signer.pub.pem"))
            #expect(publicKey == key.verifyingKey.spkiPEM())
        }
    }

    @Test func sealingIdenticalFoldersGivesIdenticalBytes() throws {
        try withSealTestFolder { folder in
            let key = try SigningKey.generate()
            let contents = ["index.html": "<p>hi</p>\n", "checks/c1/exceptions.csv": "id\n1\n", "controls.csv": "c\n"]
            let first = try sealSampleBundle(in: folder, name: "one", files: contents)
            let second = try sealSampleBundle(in: folder, name: "two", files: contents)
            try BundleSealer.seal(bundle: first, manifest: Self.info, key: key)
            try BundleSealer.seal(bundle: second, manifest: Self.info, key: key)
            for name in ["MANIFEST.json", "SHA256SUMS", "MANIFEST.sig", "SHA256SUMS.sig", "VERIFY.txt", "signer.pub.pem"] {
                let a = try Data(contentsOf: first.appendingPathComponent(name))
                let b = try Data(contentsOf: second.appendingPathComponent(name))
                #expect(a == b, "\(name) differs between two seals of identical folders")
            }
        }
    }

    @Test func verifyTextExplainsCommandsKeyIDAndOrigin() throws {
        try withSealTestFolder { folder in
            let bundle = try sealSampleBundle(in: folder, files: ["a.csv": "a\n"])
            let key = try SigningKey.generate()
            try BundleSealer.seal(bundle: bundle, manifest: Self.info, key: key)
            let text = try String(contentsOf: bundle.appendingPathComponent("VERIFY.txt"), encoding: .utf8)
            #expect(text.contains("openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin -in MANIFEST.json -sigfile MANIFEST.sig"))
            #expect(text.contains("openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin -in SHA256SUMS -sigfile SHA256SUMS.sig"))
            #expect(text.contains("sha256sum -c SHA256SUMS"))
            #expect(text.contains("mcp-evidence verify <bundle> --key <trusted-pub.pem>"))
            #expect(text.contains(key.keyID))
            #expect(text.contains("out of band"))
            #expect(text.contains("find . ! -type d | wc -l"))
            // Origin is checked by comparing the keys themselves; the key id in this file is the sealer's word.
            #expect(text.contains("openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum"))
            #expect(text.contains("compare the keys, not this text"))
            #expect(text.contains("INTEGRITY IS NOT ORIGIN"))
            #expect(!text.contains("UNSIGNED"))
        }
    }

    @Test func unsignedBundleSaysSoLoudly() throws {
        try withSealTestFolder { folder in
            let bundle = try sealSampleBundle(in: folder, files: ["a.csv": "a\n"])
            try BundleSealer.seal(bundle: bundle, manifest: Self.info, key: nil)
            let manifest = try sealReadManifest(bundle)
            #expect(manifest["signer"] is NSNull)
            #expect(manifest["signed"] as? Bool == false)
            let fm = FileManager.default
            #expect(!fm.fileExists(atPath: bundle.appendingPathComponent("MANIFEST.sig").path))
            #expect(!fm.fileExists(atPath: bundle.appendingPathComponent("SHA256SUMS.sig").path))
            #expect(!fm.fileExists(atPath: bundle.appendingPathComponent("signer.pub.pem").path))
            let text = try String(contentsOf: bundle.appendingPathComponent("VERIFY.txt"), encoding: .utf8)
            #expect(text.contains("THIS BUNDLE IS UNSIGNED"))
            #expect(text.contains("Only sha256sum integrity is available"))
            #expect(text.contains("sha256sum -c SHA256SUMS"))
            #expect(!text.contains("openssl pkeyutl"))
        }
    }

    @Test func policyRepoHeadIsRecordedWhenKnown() throws {
        try withSealTestFolder { folder in
            let bundle = try sealSampleBundle(in: folder, files: ["a.csv": "a\n"])
            var info = Self.info
            info.policyRepoHead = "0123456789abcdef0123456789abcdef01234567"
            try BundleSealer.seal(bundle: bundle, manifest: info, key: nil)
            #expect(try sealReadManifest(bundle)["policy_repo_head"] as? String == info.policyRepoHead)
        }
    }

    @Test func refusesSymbolicLinksAndUnsafeNames() throws {
        try withSealTestFolder { folder in
            let linked = try sealSampleBundle(in: folder, name: "linked", files: ["a.csv": "a\n"])
            try FileManager.default.createSymbolicLink(atPath: linked.appendingPathComponent("data").path, withDestinationPath: "/etc")
            #expect(throws: BundleError.symbolicLink(path: "data")) {
                try BundleSealer.seal(bundle: linked, manifest: Self.info, key: nil)
            }
            #expect(!FileManager.default.fileExists(atPath: linked.appendingPathComponent("MANIFEST.json").path))

            let odd = try sealSampleBundle(in: folder, name: "odd", files: ["new\nline.csv": "a\n"])
            let error = #expect(throws: BundleError.self) {
                try BundleSealer.seal(bundle: odd, manifest: Self.info, key: nil)
            }
            guard case .invalidPath(let path, _) = error else {
                Issue.record("expected invalidPath, got \(String(describing: error))")
                return
            }
            #expect(path == "new\nline.csv")

            let slash = try sealSampleBundle(in: folder, name: "slash", files: ["back\\slash.csv": "a\n"])
            #expect(throws: BundleError.self) { try BundleSealer.seal(bundle: slash, manifest: Self.info, key: nil) }
        }
    }

    @Test func refusesAnAlreadySealedFolderOrAMissingOne() throws {
        try withSealTestFolder { folder in
            let bundle = try sealSampleBundle(in: folder, files: ["a.csv": "a\n"])
            try BundleSealer.seal(bundle: bundle, manifest: Self.info, key: nil)
            #expect(throws: BundleError.alreadySealed(path: bundle.path, file: "VERIFY.txt")) {
                try BundleSealer.seal(bundle: bundle, manifest: Self.info, key: nil)
            }
            let missing = folder.appendingPathComponent("nowhere")
            #expect(throws: BundleError.notAFolder(path: missing.path)) {
                try BundleSealer.seal(bundle: missing, manifest: Self.info, key: nil)
            }
        }
    }

    @Test(.enabled(if: SealTestTool.path("openssl") != nil && SealTestTool.path("sha256sum") != nil,
                   "openssl or sha256sum binary not found on PATH; skipping the standard-tools verification"))
    func standardToolsVerifySealedBundle() throws {
        try withSealTestFolder { folder in
            let bundle = try sealSampleBundle(in: folder, files: [
                "index.html": "<html></html>\n", "checks/c1/exceptions.csv": "id,reason\n1,late\n", "data/summary.json": "{}\n",
            ])
            let key = try SigningKey.generate()
            try BundleSealer.seal(bundle: bundle, manifest: Self.info, key: key)

            let openssl = try SealTestTool.run("openssl", [
                "pkeyutl", "-verify", "-pubin", "-inkey", "signer.pub.pem", "-rawin", "-in", "MANIFEST.json",
                "-sigfile", "MANIFEST.sig",
            ], in: bundle)
            try openssl.expectSuccess()
            #expect(String(decoding: openssl.stdout, as: UTF8.self).contains("Signature Verified Successfully"))
            try SealTestTool.run("sha256sum", ["-c", "--strict", "SHA256SUMS"], in: bundle).expectSuccess()
            try Self.verifySums(in: bundle).expectSuccess()
            // VERIFY.txt's step 3, run as written: the count holds, and only the three files that cannot list
            // themselves are named.
            #expect(try Self.surplus(in: bundle) == 0)
            let unlisted = try SealTestTool.run("sh", ["-c", Self.addedFilesCommand], in: bundle)
            try unlisted.expectSuccess()
            #expect(String(decoding: unlisted.stdout, as: UTF8.self) == "MANIFEST.sig\nSHA256SUMS\nSHA256SUMS.sig\n")
            try Data("x\n".utf8).write(to: bundle.appendingPathComponent("checks/added.csv"))
            #expect(try Self.surplus(in: bundle) == 1)
            let added = try SealTestTool.run("sh", ["-c", Self.addedFilesCommand], in: bundle)
            #expect(String(decoding: added.stdout, as: UTF8.self) == "MANIFEST.sig\nSHA256SUMS\nSHA256SUMS.sig\nchecks/added.csv\n")
            try FileManager.default.removeItem(at: bundle.appendingPathComponent("checks/added.csv"))
            // What slipped past the name comparison alone: a name whose two lines cancel out in uniq -u,
            // and a symbolic link, which find -type f never listed. The count catches both.
            let sneaky = bundle.appendingPathComponent("added.csv\n__added.csv")
            try Data("x\n".utf8).write(to: sneaky)
            let cancelled = try SealTestTool.run("sh", ["-c", Self.addedFilesCommand], in: bundle)
            #expect(String(decoding: cancelled.stdout, as: UTF8.self) == "MANIFEST.sig\nSHA256SUMS\nSHA256SUMS.sig\n", "the names alone miss it")
            #expect(try Self.surplus(in: bundle) == 2)
            try FileManager.default.removeItem(at: sneaky)
            try FileManager.default.createSymbolicLink(atPath: bundle.appendingPathComponent("link.csv").path, withDestinationPath: "index.html")
            #expect(try Self.surplus(in: bundle) == 1)
            try FileManager.default.removeItem(at: bundle.appendingPathComponent("link.csv"))

            // The key id VERIFY.txt tells auditors to compute matches the manifest's.
            let der = try SealTestTool.run("openssl", ["pkey", "-pubin", "-in", "signer.pub.pem", "-outform", "DER"], in: bundle)
            try der.expectSuccess()
            #expect("sha256:" + (try SHA256.hex(of: der.stdout)) == key.keyID)

            // Negative controls: the same commands fail once the bundle is touched.
            let csv = bundle.appendingPathComponent("checks/c1/exceptions.csv")
            try Data("id,reason\n1,fine\n".utf8).write(to: csv)
            #expect(try SealTestTool.run("sha256sum", ["-c", "SHA256SUMS"], in: bundle).status != 0)
            // The edit with SHA256SUMS rewritten to match passes sha256sum, so the signature over the
            // list must be what fails.
            let sumsURL = bundle.appendingPathComponent("SHA256SUMS")
            let sums = try String(contentsOf: sumsURL, encoding: .utf8)
            let forged = try sums.split(separator: "\n").map { line in
                line.hasSuffix("  checks/c1/exceptions.csv")
                    ? "\(try SHA256.hex(of: Data(contentsOf: csv)))  checks/c1/exceptions.csv" : String(line)
            }.joined(separator: "\n") + "\n"
            #expect(forged != sums)
            try Data(forged.utf8).write(to: sumsURL)
            try SealTestTool.run("sha256sum", ["-c", "SHA256SUMS"], in: bundle).expectSuccess()
            #expect(try Self.verifySums(in: bundle).status != 0)
            let manifestURL = bundle.appendingPathComponent("MANIFEST.json")
            var manifest = try Data(contentsOf: manifestURL)
            manifest[manifest.count - 3] ^= 0x01
            try manifest.write(to: manifestURL)
            let tampered = try SealTestTool.run("openssl", [
                "pkeyutl", "-verify", "-pubin", "-inkey", "signer.pub.pem", "-rawin", "-in", "MANIFEST.json",
                "-sigfile", "MANIFEST.sig",
            ], in: bundle)
            #expect(tampered.status != 0)
        }
    }
}

extension BundleSealerTests {
    /// VERIFY.txt's step 3: names in the folder that SHA256SUMS does not list, and the reverse.
    static let addedFilesCommand = "{ cut -c67- SHA256SUMS; find . ! -type d | cut -c3-; } | LC_ALL=C sort | uniq -u"

    /// VERIFY.txt's step 3 count: `find . ! -type d | wc -l` minus (`wc -l < SHA256SUMS` + 3), which must be 0.
    static func surplus(in bundle: URL) throws -> Int {
        let found = try SealTestTool.run("sh", ["-c", "find . ! -type d | wc -l"], in: bundle)
        let listed = try SealTestTool.run("sh", ["-c", "wc -l < SHA256SUMS"], in: bundle)
        func number(_ output: SealTestTool.Outcome) -> Int {
            Int(String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
        }
        return number(found) - number(listed) - 3
    }

    /// VERIFY.txt's second openssl command: the signature over SHA256SUMS.
    static func verifySums(in bundle: URL) throws -> SealTestTool.Outcome {
        try SealTestTool.run("openssl", [
            "pkeyutl", "-verify", "-pubin", "-inkey", "signer.pub.pem", "-rawin", "-in", "SHA256SUMS",
            "-sigfile", "SHA256SUMS.sig",
        ], in: bundle)
    }
}

// MARK: - Helpers shared by the Seal tests

/// Runs `body` with a fresh empty folder that is removed afterwards.
func withSealTestFolder<R>(_ body: (URL) throws -> R) throws -> R {
    let folder = try TestFolder.make("seal-tests")
    defer { try? FileManager.default.removeItem(at: folder) }
    return try body(folder.resolvingSymlinksInPath())
}

/// Creates `folder/name` holding `files` (relative path → UTF-8 content).
func sealSampleBundle(in folder: URL, name: String = "bundle", files: [String: String]) throws -> URL {
    let bundle = folder.appendingPathComponent(name, isDirectory: true)
    try FileManager.default.createDirectory(at: bundle, withIntermediateDirectories: true)
    for (path, content) in files {
        let url = bundle.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }
    return bundle
}

func sealReadManifest(_ bundle: URL) throws -> [String: Any] {
    let data = try Data(contentsOf: bundle.appendingPathComponent("MANIFEST.json"))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

func sealHexBytes(_ hex: String) -> [UInt8] {
    var bytes: [UInt8] = []
    var index = hex.startIndex
    while index < hex.endIndex {
        let next = hex.index(index, offsetBy: 2)
        bytes.append(UInt8(hex[index..<next], radix: 16) ?? 0)
        index = next
    }
    return bytes
}

func sealFileMode(_ path: String) throws -> mode_t {
    var info = stat()
    guard lstat(path, &info) == 0 else { throw FileAccessError("inspect", path: path) }
    return info.st_mode & 0o7777
}

/// Finds and runs external command-line tools for interoperability tests.
enum SealTestTool {
    struct Outcome {
        var status: Int32
        var stdout: Data
        var stderr: String

        /// Records the failure with the tool's stderr and stops the test, since later steps depend on it.
        func expectSuccess(sourceLocation: SourceLocation = #_sourceLocation) throws {
            #expect(status == 0, "exit \(status): \(stderr)", sourceLocation: sourceLocation)
            if status != 0 { throw Failure(status: status) }
        }
    }

    struct Failure: Error { var status: Int32 }

    static func path(_ name: String) -> String? { ExternalTool.path(name) }

    @discardableResult
    static func run(_ name: String, _ arguments: [String], in folder: URL) throws -> Outcome {
        let output = try ExternalTool.capture(try #require(path(name), "\(name) not found on PATH"), arguments, in: folder)
        return Outcome(status: output.status, stdout: output.stdout, stderr: output.stderrText)
    }
}
