import Foundation
import Testing
@testable import EvidenceKit

@Suite struct BundleVerifierTests {
    static let contents = [
        "index.html": "<html></html>\n", "controls.csv": "control,status\nCC6.1,effective\n",
        "checks/c1/exceptions.csv": "id,reason\n17,no approval\n", "inventory/tools.csv": "server,tool\ndb,query\n",
    ]

    /// Runs `body` with a freshly sealed bundle and its signing key.
    func withSealedBundle(signed: Bool = true, _ body: (URL, SigningKey) throws -> Void) throws {
        try withSealTestFolder { folder in
            let bundle = try sealSampleBundle(in: folder, files: Self.contents)
            let key = try SigningKey.generate()
            try BundleSealer.seal(bundle: bundle, manifest: BundleSealerTests.info, key: signed ? key : nil)
            try body(bundle, key)
        }
    }

    @Test func intactBundlePassesWithTrustedKey() throws {
        try withSealedBundle { bundle, key in
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(result.problems == [])
            #expect(result.warnings == [])
            #expect(result.isValid)
            #expect(result.signerKeyID == key.keyID)
            #expect(result.filesChecked == Self.contents.count + 2)
        }
    }

    @Test func withoutKeyItPassesButWarnsThatOriginIsUnproven() throws {
        try withSealedBundle { bundle, _ in
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: nil)
            #expect(result.problems == [])
            #expect(result.warnings == [
                "no --key given: the signature was checked against the bundle's own signer.pub.pem, which proves integrity, not origin; pass the signer's public key obtained out of band with --key",
            ])
        }
    }

    @Test func changedByteInACSVIsCaught() throws {
        try withSealedBundle { bundle, key in
            let url = bundle.appendingPathComponent("checks/c1/exceptions.csv")
            let original = try Data(contentsOf: url)
            var changed = original
            changed[changed.count - 2] ^= 0x20
            try changed.write(to: url)
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            let manifestHash = String(try SHA256.hex(of: original).prefix(12))
            let fileHash = String(try SHA256.hex(of: changed).prefix(12))
            #expect(result.problems == [
                "checks/c1/exceptions.csv: SHA-256 mismatch (manifest \(manifestHash).., file \(fileHash)..)",
            ])
        }
    }

    @Test func changedSizeIsCaught() throws {
        try withSealedBundle { bundle, key in
            let url = bundle.appendingPathComponent("controls.csv")
            try Data("control,status\n".utf8).write(to: url)
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(result.problems == ["controls.csv: size mismatch (manifest 31 bytes, file 15 bytes)"])
        }
    }

    @Test func deletedFileIsCaught() throws {
        try withSealedBundle { bundle, key in
            try FileManager.default.removeItem(at: bundle.appendingPathComponent("inventory/tools.csv"))
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(result.problems == ["inventory/tools.csv: listed in MANIFEST.json but missing"])
        }
    }

    @Test func addedFilesAreCaught() throws {
        try withSealedBundle { bundle, key in
            try Data("surprise".utf8).write(to: bundle.appendingPathComponent("extra.txt"))
            try Data("x".utf8).write(to: bundle.appendingPathComponent("checks/c1/extra.csv"))
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(result.problems == [
                "checks/c1/extra.csv: not listed in MANIFEST.json", "extra.txt: not listed in MANIFEST.json",
            ])
        }
    }

    @Test func editedManifestIsCaught() throws {
        try withSealedBundle { bundle, key in
            let url = bundle.appendingPathComponent("MANIFEST.json")
            let text = try String(contentsOf: url, encoding: .utf8)
            try Data(text.replacingOccurrences(of: "Acme Corp", with: "Acme Corq").utf8).write(to: url)
            for trusted in [key.verifyingKey, nil] {
                let result = BundleVerifier.verify(bundle: bundle, trustedKey: trusted)
                #expect(result.problems.contains("MANIFEST.sig: signature does not verify against \(key.keyID)"))
                #expect(result.problems.contains { $0.hasPrefix("SHA256SUMS: MANIFEST.json has SHA-256 ") })
                #expect(result.problems.count == 2)
            }
        }
    }

    @Test func signatureByAnotherKeyIsCaught() throws {
        try withSealedBundle { bundle, key in
            let manifest = try Data(contentsOf: bundle.appendingPathComponent("MANIFEST.json"))
            let forged = try SigningKey.generate().sign(manifest)
            try forged.write(to: bundle.appendingPathComponent("MANIFEST.sig"))
            #expect(BundleVerifier.verify(bundle: bundle, trustedKey: nil).problems == [
                "MANIFEST.sig: signature does not verify against \(key.keyID)",
            ])
            #expect(BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey).problems == [
                "MANIFEST.sig: signature does not verify against \(key.keyID)",
            ])
        }
    }

    @Test func truncatedSignatureIsCaught() throws {
        try withSealedBundle { bundle, key in
            let url = bundle.appendingPathComponent("MANIFEST.sig")
            try Data(contentsOf: url).prefix(63).write(to: url)
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(result.problems == ["MANIFEST.sig: 63 bytes, an Ed25519 signature has 64"])
        }
    }

    @Test func missingSignatureIsCaught() throws {
        try withSealedBundle { bundle, key in
            try FileManager.default.removeItem(at: bundle.appendingPathComponent("MANIFEST.sig"))
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(result.problems == ["MANIFEST.sig: missing"])
        }
    }

    @Test func wrongTrustedKeyIsCaught() throws {
        try withSealedBundle { bundle, key in
            let other = try SigningKey.generate().verifyingKey
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: other)
            #expect(result.problems == [
                "MANIFEST.json: names signer key id \(key.keyID), not the --key given (\(other.keyID))",
                "MANIFEST.sig: signature does not verify against \(other.keyID)",
                "SHA256SUMS.sig: signature does not verify against \(other.keyID)",
            ])
        }
    }

    @Test func bundleResealedByAnAttackerPassesOnlyWithoutATrustedKey() throws {
        try withSealedBundle { bundle, key in
            // The attacker edits evidence, throws away the seal and reseals with their own key.
            try Data("id,reason\n".utf8).write(to: bundle.appendingPathComponent("checks/c1/exceptions.csv"))
            for name in ["MANIFEST.json", "MANIFEST.sig", "SHA256SUMS", "SHA256SUMS.sig", "signer.pub.pem", "VERIFY.txt"] {
                try FileManager.default.removeItem(at: bundle.appendingPathComponent(name))
            }
            let attacker = try SigningKey.generate()
            try BundleSealer.seal(bundle: bundle, manifest: BundleSealerTests.info, key: attacker)

            let selfChecked = BundleVerifier.verify(bundle: bundle, trustedKey: nil)
            #expect(selfChecked.problems == [])
            #expect(selfChecked.warnings.count == 1)
            #expect(selfChecked.signerKeyID == attacker.keyID)

            let trusted = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(trusted.problems == [
                "MANIFEST.json: names signer key id \(attacker.keyID), not the --key given (\(key.keyID))",
                "MANIFEST.sig: signature does not verify against \(key.keyID)",
                "SHA256SUMS.sig: signature does not verify against \(key.keyID)",
            ])
        }
    }

    @Test func replacedEmbeddedPublicKeyIsCaught() throws {
        try withSealedBundle { bundle, key in
            let attacker = try SigningKey.generate()
            let pubURL = bundle.appendingPathComponent("signer.pub.pem")
            try attacker.verifyingKey.spkiPEM().write(to: pubURL)
            let manifest = try Data(contentsOf: bundle.appendingPathComponent("MANIFEST.json"))
            try attacker.sign(manifest).write(to: bundle.appendingPathComponent("MANIFEST.sig"))
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: nil)
            #expect(result.problems.contains("signer.pub.pem: key id \(attacker.keyID) does not match MANIFEST.json's signer key id \(key.keyID)"))
            #expect(result.problems.contains { $0.hasPrefix("signer.pub.pem: SHA-256 mismatch") })
        }
    }

    @Test func unsignedBundleIsAProblem() throws {
        try withSealedBundle(signed: false) { bundle, _ in
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: nil)
            #expect(result.problems.count == 1)
            #expect(result.problems.first?.hasPrefix("bundle is unsigned") == true)
            #expect(result.signerKeyID == nil)
            #expect(result.filesChecked == Self.contents.count + 1)
        }
    }

    @Test func manifestThatIsNotJSONIsReported() throws {
        try withSealedBundle { bundle, key in
            try Data("{\"format_version\": 1, \"files\": [".utf8).write(to: bundle.appendingPathComponent("MANIFEST.json"))
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(result.problems.count == 1)
            #expect(result.problems.first?.hasPrefix("MANIFEST.json: not valid JSON") == true)
        }
    }

    @Test(arguments: [
        #"[1, 2]"#, #"{"format_version": 3, "files": []}"#, #"{"format_version": 1}"#,
        #"{"format_version": 1, "files": [7], "signer": null}"#, #"{"format_version": 1, "files": [], "signer": 5}"#,
        #"{"format_version": 1, "files": [{"path": "a", "bytes": -1, "sha256": "x"}], "signer": null}"#,
        "deeply nested",
    ])
    func malformedManifestsGiveProblemsNotCrashes(json: String) throws {
        try withSealedBundle { bundle, key in
            let text = json == "deeply nested" ? String(repeating: "[", count: 100_000) : json
            try Data(text.utf8).write(to: bundle.appendingPathComponent("MANIFEST.json"))
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(!result.isValid)
            #expect(result.problems.first?.hasPrefix("MANIFEST.json: ") == true)
        }
    }

    @Test func signedManifestWithEscapingPathsIsRejected() throws {
        try withSealedBundle { bundle, key in
            let url = bundle.appendingPathComponent("MANIFEST.json")
            var object = try sealReadManifest(bundle)
            var files = try #require(object["files"] as? [[String: Any]])
            let hash = String(repeating: "0", count: 64)
            files.append(["path": "../outside.txt", "bytes": 1, "sha256": hash])
            files.append(["path": "/etc/passwd", "bytes": 1, "sha256": hash])
            files.append(["path": "MANIFEST.sig", "bytes": 64, "sha256": hash])
            files.append(["path": "controls.csv", "bytes": 33, "sha256": hash])
            object["files"] = files
            let edited = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            try edited.write(to: url)
            try key.sign(edited).write(to: bundle.appendingPathComponent("MANIFEST.sig"))

            let problems = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey).problems
            #expect(problems.contains("../outside.txt: path in MANIFEST.json is not allowed (the path contains '..')"))
            #expect(problems.contains("/etc/passwd: path in MANIFEST.json is not allowed (the path is absolute)"))
            #expect(problems.contains("MANIFEST.sig: must not be listed in MANIFEST.json"))
            #expect(problems.contains("controls.csv: listed more than once in MANIFEST.json"))
            #expect(!problems.contains { $0.contains("signature") })
        }
    }

    @Test func symbolicLinksInTheBundleAreCaught() throws {
        try withSealedBundle { bundle, key in
            let csv = bundle.appendingPathComponent("controls.csv")
            let moved = bundle.deletingLastPathComponent().appendingPathComponent("controls-elsewhere.csv")
            try FileManager.default.moveItem(at: csv, to: moved)
            try FileManager.default.createSymbolicLink(at: csv, withDestinationURL: moved)
            try FileManager.default.createSymbolicLink(
                at: bundle.appendingPathComponent("etc"), withDestinationURL: URL(fileURLWithPath: "/etc"))
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(result.problems == [
                "controls.csv: symbolic link; a bundle may contain only regular files and folders",
                "etc: symbolic link; a bundle may contain only regular files and folders",
            ])
        }
    }

    @Test func sha256SumsDisagreeingWithManifestIsCaught() throws {
        try withSealedBundle { bundle, key in
            let url = bundle.appendingPathComponent("SHA256SUMS")
            let original = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
            // index.html gets a wrong hash, controls.csv is dropped, an unknown file and a bad line are added.
            var lines: [String] = []
            for line in original where !line.hasSuffix("  controls.csv") {
                lines.append(line.hasSuffix("  index.html") ? String(repeating: "f", count: 64) + "  index.html" : line)
            }
            lines.append(String(repeating: "e", count: 64) + "  ghost.csv")
            lines.append("garbage")
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
            let problems = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey).problems
            #expect(problems.contains { $0.hasPrefix("SHA256SUMS: index.html has SHA-256 ffffffffffff.., but MANIFEST.json says ") })
            #expect(problems.contains("SHA256SUMS: lists ghost.csv, which MANIFEST.json does not"))
            #expect(problems.contains("SHA256SUMS: does not list controls.csv, which MANIFEST.json lists"))
            #expect(problems.contains("SHA256SUMS:\(lines.count): not a line of the form '<64 hex digits>  <path>'"))
            #expect(problems.contains("SHA256SUMS.sig: signature does not verify against \(key.keyID)"))
            #expect(problems.count == 5)

            try FileManager.default.removeItem(at: url)
            #expect(BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey).problems == ["SHA256SUMS: missing"])
        }
    }

    /// The offline check is `sha256sum -c SHA256SUMS`, so a SHA256SUMS rewritten to match an edited file
    /// must fail on its own signature, whatever the manifest says.
    @Test func sha256SumsRewrittenToMatchAnEditIsCaughtByItsSignature() throws {
        try withSealedBundle { bundle, key in
            try FileManager.default.removeItem(at: bundle.appendingPathComponent("SHA256SUMS.sig"))
            #expect(BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey).problems == ["SHA256SUMS.sig: missing"])
            try Data(repeating: 7, count: 64).write(to: bundle.appendingPathComponent("SHA256SUMS.sig"))
            #expect(BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey).problems
                == ["SHA256SUMS.sig: signature does not verify against \(key.keyID)"])
            try Data(repeating: 7, count: 63).write(to: bundle.appendingPathComponent("SHA256SUMS.sig"))
            #expect(BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey).problems
                == ["SHA256SUMS.sig: 63 bytes, an Ed25519 signature has 64"])
        }
    }

    @Test func formatOneBundleWithoutSumsSignatureStillVerifiesWithAWarning() throws {
        try withSealedBundle { bundle, key in
            // A bundle as format 1 sealed it: the same files, no SHA256SUMS.sig.
            let manifestURL = bundle.appendingPathComponent("MANIFEST.json")
            let manifest = try String(contentsOf: manifestURL, encoding: .utf8)
            let old = Data(manifest.replacingOccurrences(of: "\"format_version\" : 2", with: "\"format_version\" : 1").utf8)
            #expect(old != Data(manifest.utf8))
            try old.write(to: manifestURL)
            try key.sign(old).write(to: bundle.appendingPathComponent("MANIFEST.sig"))
            let sumsURL = bundle.appendingPathComponent("SHA256SUMS")
            let sums = try String(contentsOf: sumsURL, encoding: .utf8).split(separator: "\n").map { line in
                line.hasSuffix("  MANIFEST.json") ? "\(try SHA256.hex(of: old))  MANIFEST.json" : String(line)
            }
            try Data((sums.joined(separator: "\n") + "\n").utf8).write(to: sumsURL)
            try FileManager.default.removeItem(at: bundle.appendingPathComponent("SHA256SUMS.sig"))

            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(result.problems == [])
            #expect(result.warnings == ["SHA256SUMS.sig: absent, as in every format 1 bundle; the files were checked against the signed MANIFEST.json, but SHA256SUMS on its own is not signed"])
        }
    }

    @Test func sumsSignatureInAnUnsignedBundleIsAProblem() throws {
        try withSealedBundle(signed: false) { bundle, _ in
            try Data(repeating: 1, count: 64).write(to: bundle.appendingPathComponent("SHA256SUMS.sig"))
            let problems = BundleVerifier.verify(bundle: bundle, trustedKey: nil).problems
            #expect(problems.contains("SHA256SUMS.sig: present, but MANIFEST.json says the bundle is unsigned"))
        }
    }

    @Test func missingBundleOrManifestIsReported() throws {
        try withSealTestFolder { folder in
            let missing = folder.appendingPathComponent("nope")
            #expect(BundleVerifier.verify(bundle: missing, trustedKey: nil).problems == [
                "\(missing.path): not a bundle folder (missing, or not a folder)",
            ])
            let empty = try sealSampleBundle(in: folder, files: [:])
            #expect(BundleVerifier.verify(bundle: empty, trustedKey: nil).problems == ["MANIFEST.json: missing"])
        }
    }

    @Test func controlCharactersInNamesAreEscapedInProblems() throws {
        try withSealedBundle { bundle, key in
            try Data("x".utf8).write(to: bundle.appendingPathComponent("evil\u{1b}[2J.txt"))
            let result = BundleVerifier.verify(bundle: bundle, trustedKey: key.verifyingKey)
            #expect(result.problems == ["evil\\u{1b}[2J.txt: not listed in MANIFEST.json"])
        }
    }
}
