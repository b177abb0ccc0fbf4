import Foundation
import Testing
@testable import EvidenceKit

@Suite struct SigningKeyTests {
    // RFC 8032 section 7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72).
    static let vector1Secret = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
    static let vector1Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    static let vector1Signature =
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
    static let vector2Secret = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
    static let vector2Signature =
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"

    @Test func rfc8032TestVector1() throws {
        let key = try SigningKey(rawPrivateKey: sealHexBytes(Self.vector1Secret))
        let signature = try key.sign(Data())
        #expect(signature.hexString == Self.vector1Signature)
        // The SubjectPublicKeyInfo DER ends with the 32 raw public key bytes.
        #expect(key.verifyingKey.derBytes().suffix(32).hexString == Self.vector1Public)
        #expect(key.verifyingKey.verify(signature: signature, data: Data()))
        let publicOnly = try VerifyingKey(rawPublicKey: sealHexBytes(Self.vector1Public))
        #expect(publicOnly.keyID == key.keyID)
        #expect(publicOnly.verify(signature: Data(sealHexBytes(Self.vector1Signature)), data: Data()))
    }

    @Test func rfc8032TestVector2() throws {
        let key = try SigningKey(rawPrivateKey: sealHexBytes(Self.vector2Secret))
        #expect(try key.sign(Data([0x72])).hexString == Self.vector2Signature)
    }

    @Test func signAndVerifyRoundTrip() throws {
        let key = try SigningKey.generate()
        let message = Data("MANIFEST bytes\n".utf8)
        let signature = try key.sign(message)
        #expect(signature.count == 64)
        #expect(key.verifyingKey.verify(signature: signature, data: message))

        var flippedMessage = message
        flippedMessage[0] ^= 1
        #expect(!key.verifyingKey.verify(signature: signature, data: flippedMessage))
        var flippedSignature = signature
        flippedSignature[10] ^= 0x80
        #expect(!key.verifyingKey.verify(signature: flippedSignature, data: message))
        #expect(!key.verifyingKey.verify(signature: signature.prefix(63), data: message))
        #expect(!key.verifyingKey.verify(signature: Data(), data: message))
        #expect(!(try SigningKey.generate()).verifyingKey.verify(signature: signature, data: message))
    }

    @Test func signingIsDeterministic() throws {
        let key = try SigningKey.generate()
        let message = Data(repeating: 0x41, count: 100_000)
        #expect(try key.sign(message) == key.sign(message))
        #expect(try key.sign(message) != SigningKey.generate().sign(message))
    }

    @Test func keyIDIsSHA256OfSubjectPublicKeyInfo() throws {
        let key = try SigningKey(rawPrivateKey: sealHexBytes(Self.vector1Secret))
        let der = key.verifyingKey.derBytes()
        #expect(der.count == 44)
        #expect(key.keyID == "sha256:" + (try SHA256.hex(of: der)))
        let pem = String(decoding: key.verifyingKey.spkiPEM(), as: UTF8.self)
        #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
        #expect(pem.hasSuffix("-----END PUBLIC KEY-----\n"))
    }

    @Test func keygenWritesPrivateKeyOwnerOnlyAndReadablePublicKey() throws {
        try withSealTestFolder { folder in
            let prefix = folder.appendingPathComponent("keys/evidence").path
            let files = try KeyFiles.generate(prefix: prefix)
            #expect(files.privateKeyPath == prefix + ".pem")
            #expect(files.publicKeyPath == prefix + ".pub.pem")
            #expect(try sealFileMode(files.privateKeyPath) == 0o600)
            let publicMode = try sealFileMode(files.publicKeyPath)
            #expect(publicMode & 0o400 != 0)
            #expect(publicMode & 0o022 == 0)

            let privatePEM = try String(contentsOfFile: files.privateKeyPath, encoding: .utf8)
            #expect(privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
            let signing = try SigningKey.load(path: files.privateKeyPath)
            let verifying = try VerifyingKey.load(path: files.publicKeyPath)
            #expect(signing.keyID == files.keyID)
            #expect(verifying.keyID == files.keyID)
            #expect(files.keyID.hasPrefix("sha256:") && files.keyID.count == 7 + 64)
            let message = Data("x".utf8)
            #expect(verifying.verify(signature: try signing.sign(message), data: message))
        }
    }

    @Test func keygenRefusesToOverwriteEitherFile() throws {
        try withSealTestFolder { folder in
            let prefix = folder.appendingPathComponent("evidence").path
            try Data("keep me".utf8).write(to: URL(fileURLWithPath: prefix + ".pub.pem"))
            #expect(throws: KeyFileError.fileExists(path: prefix + ".pub.pem")) {
                try KeyFiles.generate(prefix: prefix)
            }
            #expect(!FileManager.default.fileExists(atPath: prefix + ".pem"))
            #expect(try String(contentsOfFile: prefix + ".pub.pem", encoding: .utf8) == "keep me")

            let other = folder.appendingPathComponent("other").path
            _ = try KeyFiles.generate(prefix: other)
            let before = try Data(contentsOf: URL(fileURLWithPath: other + ".pem"))
            let error = #expect(throws: KeyFileError.self) { try KeyFiles.generate(prefix: other) }
            #expect(error?.description.contains("'\(other).pem' already exists") == true)
            #expect(try Data(contentsOf: URL(fileURLWithPath: other + ".pem")) == before)
        }
    }

    @Test(arguments: [0o644 as mode_t, 0o640, 0o604, 0o620, 0o602, 0o700])
    func loadRefusesPrivateKeyOpenToOthers(mode: mode_t) throws {
        try withSealTestFolder { folder in
            let files = try KeyFiles.generate(prefix: folder.appendingPathComponent("k").path)
            #expect(chmod(files.privateKeyPath, mode) == 0)
            if mode & 0o077 == 0 {
                _ = try SigningKey.load(path: files.privateKeyPath)
                return
            }
            #expect(throws: KeyFileError.permissionsTooOpen(path: files.privateKeyPath, mode: UInt32(mode))) {
                try SigningKey.load(path: files.privateKeyPath)
            }
        }
    }

    @Test func permissionsMessageReadsLikeSSH() {
        let error = KeyFileError.permissionsTooOpen(path: "keys/evidence.pem", mode: 0o644)
        #expect(error.description == "Permissions 0644 for 'keys/evidence.pem' are too open; the private key must be readable only by its owner (chmod 600 'keys/evidence.pem').")
    }

    @Test func loadRejectsKeysOfOtherAlgorithmsNamingFileAndType() throws {
        try withSealTestFolder { folder in
            let ec = try sealWriteKeyFile(Self.ecP256PrivatePEM, named: "ec.pem", in: folder)
            let error = #expect(throws: KeyFileError.self) { try SigningKey.load(path: ec) }
            #expect(error == .notEd25519(path: ec, actualType: "EC (prime256v1, 256 bits)"))
            #expect(error?.description.contains("'\(ec)'") == true)

            let x25519 = try sealWriteKeyFile(Self.x25519PrivatePEM, named: "x.pem", in: folder)
            #expect(throws: KeyFileError.notEd25519(path: x25519, actualType: "X25519 (253 bits)")) {
                try SigningKey.load(path: x25519)
            }
            let x25519Public = try sealWriteKeyFile(Self.x25519PublicPEM, named: "x.pub.pem", in: folder)
            #expect(throws: KeyFileError.notEd25519(path: x25519Public, actualType: "X25519 (253 bits)")) {
                try VerifyingKey.load(path: x25519Public)
            }
        }
    }

    @Test func loadExplainsSwappedEncryptedAndGarbageKeyFiles() throws {
        try withSealTestFolder { folder in
            let files = try KeyFiles.generate(prefix: folder.appendingPathComponent("k").path)
            #expect(throws: KeyFileError.publicKeyGivenForSigning(path: files.publicKeyPath)) {
                try SigningKey.load(path: files.publicKeyPath)
            }
            #expect(throws: KeyFileError.privateKeyGivenForVerifying(path: files.privateKeyPath)) {
                try VerifyingKey.load(path: files.privateKeyPath)
            }
            let encrypted = try sealWriteKeyFile(Self.encryptedPEM, named: "enc.pem", in: folder)
            #expect(throws: KeyFileError.encrypted(path: encrypted)) { try SigningKey.load(path: encrypted) }

            let garbage = try sealWriteKeyFile("not a key at all\n", named: "garbage.pem", in: folder)
            let error = #expect(throws: CryptoError.self) { try SigningKey.load(path: garbage) }
            #expect(error?.description.contains(garbage) == true)
            #expect(error?.libraryMessage.isEmpty == false)
            let publicGarbage = try sealWriteKeyFile("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n", named: "g.pub.pem", in: folder)
            #expect(throws: CryptoError.self) { try VerifyingKey.load(path: publicGarbage) }

            let missing = folder.appendingPathComponent("missing.pem").path
            let notFound = #expect(throws: FileAccessError.self) { try SigningKey.load(path: missing) }
            #expect(notFound?.code == ENOENT)
            #expect(throws: KeyFileError.notRegularFile(path: folder.path)) { try VerifyingKey.load(path: folder.path) }
        }
    }

    @Test(.enabled(if: SealTestTool.path("openssl") != nil, "openssl binary not found on PATH; skipping interoperability check"))
    func keysInteroperateWithOpenSSLCommandLine() throws {
        try withSealTestFolder { folder in
            // A key made by openssl loads here, and openssl reads the files keygen writes.
            let opensslKey = folder.appendingPathComponent("openssl.pem").path
            try SealTestTool.run("openssl", ["genpkey", "-algorithm", "ed25519", "-out", opensslKey], in: folder).expectSuccess()
            #expect(chmod(opensslKey, 0o600) == 0)
            let loaded = try SigningKey.load(path: opensslKey)
            let message = Data("interop".utf8)
            #expect(loaded.verifyingKey.verify(signature: try loaded.sign(message), data: message))

            let files = try KeyFiles.generate(prefix: folder.appendingPathComponent("ours").path)
            let derived = try SealTestTool.run("openssl", ["pkey", "-in", files.privateKeyPath, "-pubout"], in: folder)
            try derived.expectSuccess()
            #expect(derived.stdout == (try Data(contentsOf: URL(fileURLWithPath: files.publicKeyPath))))

            let der = folder.appendingPathComponent("pub.der").path
            try SealTestTool.run("openssl", ["pkey", "-pubin", "-in", files.publicKeyPath, "-outform", "DER", "-out", der], in: folder).expectSuccess()
            #expect("sha256:" + (try SHA256.hex(of: Data(contentsOf: URL(fileURLWithPath: der)))) == files.keyID)
        }
    }

    static let ecP256PrivatePEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgigmLDNsX6ICs7u5x
        w9QFyT4kGQm/70aJIK/FFEeuSNuhRANCAARAe/vf/BAWbw59L+jKRizIUfbSfhgb
        8SMz92fAUxqNKU0EQjv7b1kHl2CSfaf1CmeeRuMHxrrxAtGkhhdDkq80
        -----END PRIVATE KEY-----

        """
    static let x25519PrivatePEM = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VuBCIEICCb2aCkhzSUhcQTxW7Qg5IiwWPK+up+HKDLkvB5M9Zn
        -----END PRIVATE KEY-----

        """
    static let x25519PublicPEM = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VuAyEACG2dAndW8zxk86UlRyxg8gJ26A73QLfeYFImA8BRhmI=
        -----END PUBLIC KEY-----

        """
    /// An Ed25519 key encrypted with the passphrase "x".
    static let encryptedPEM = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAgETs5DFr6dlQICCAAw
        DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEEKBmtE7nATDgvcS87qpOaCcEQF4u
        dxdWkHe+I9wB808i6YPASl8Q2l7uGkLKWU7hyKUSES93UEz6a02YBoL+doFDJwC0
        hGFNGmM2Gsge4IZntEA=
        -----END ENCRYPTED PRIVATE KEY-----

        """
}

/// Writes a key fixture with owner-only permissions, so only the content is under test.
private func sealWriteKeyFile(_ text: String, named name: String, in folder: URL) throws -> String {
    let path = folder.appendingPathComponent(name).path
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    #expect(chmod(path, 0o600) == 0)
    return path
}
