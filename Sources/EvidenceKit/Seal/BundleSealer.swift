import Foundation

/// Seals a finished bundle folder: lists and hashes every file in MANIFEST.json, signs the manifest, and
/// writes the files an auditor needs to check it with standard tools.
public enum BundleSealer {
    /// Seals `bundle` in place, writing `signer.pub.pem` (when signed), `VERIFY.txt`, `MANIFEST.json`,
    /// `MANIFEST.sig` (when signed), `SHA256SUMS` and `SHA256SUMS.sig` (when signed).
    ///
    /// Every regular file in the folder, including `signer.pub.pem` and `VERIFY.txt`, is listed in the
    /// manifest. Refuses a folder containing symbolic links, special files, names that are not UTF-8 or paths
    /// `sha256sum` would have to escape, and a folder already holding any of the files written here. The output
    /// depends only on the folder's contents, `info` and `key`, so sealing identical folders gives identical bytes.
    ///
    /// - Parameter key: the signing key, or `nil` for an unsigned bundle (integrity via SHA256SUMS only).
    public static func seal(bundle: URL, manifest info: ManifestInfo, key: SigningKey?) throws {
        var rootInfo = stat()
        guard lstat(bundle.path, &rootInfo) == 0, rootInfo.st_mode & S_IFMT == S_IFDIR else {
            throw BundleError.notAFolder(path: bundle.path)
        }
        let written = [Manifest.publicKeyName, Manifest.instructionsName] + Manifest.unlistedNames.sorted()
        for name in written {
            var info = stat()
            if lstat(bundle.appendingPathComponent(name).path, &info) == 0 {
                throw BundleError.alreadySealed(path: bundle.path, file: name)
            }
        }

        if let key {
            try create(Manifest.publicKeyName, in: bundle, contents: key.verifyingKey.spkiPEM())
        }
        try create(Manifest.instructionsName, in: bundle, contents: Data(verifyText(info: info, keyID: key?.keyID).utf8))

        let tree = try BundleTree.scan(bundle)
        if let link = tree.symbolicLinks.first { throw BundleError.symbolicLink(path: link) }
        if let special = tree.specialFiles.first { throw BundleError.notRegularFile(path: special) }
        if let name = tree.undecodableNames.first { throw BundleError.nameNotUTF8(folder: bundle.path, escapedName: name) }
        var files: [Manifest.File] = []
        for path in tree.files where !Manifest.unlistedNames.contains(path) {
            if let reason = BundlePath.problem(with: path) { throw BundleError.invalidPath(path: path, reason: reason) }
            let digest = try FileDigest.of(path: bundle.appendingPathComponent(path).path)
            files.append(Manifest.File(path: path, bytes: digest.bytes, sha256: digest.sha256))
        }

        let signer = key.map {
            Manifest.Signer(algorithm: Manifest.algorithm, keyID: $0.keyID, publicKey: Manifest.publicKeyName)
        }
        let manifestBytes = try Manifest(info: info, files: files, signer: signer).encoded()
        try create("MANIFEST.json", in: bundle, contents: manifestBytes)

        if let key {
            try create("MANIFEST.sig", in: bundle, contents: try checkedSignature(of: manifestBytes, by: key, for: "MANIFEST.sig"))
        }

        var sums = files.map { ($0.path, $0.sha256) }
        sums.append(("MANIFEST.json", try SHA256.hex(of: manifestBytes)))
        sums.sort { BundlePath.precedes($0.0, $1.0) }
        let sumsBytes = Data(sums.map { "\($0.1)  \($0.0)\n" }.joined().utf8)
        try create("SHA256SUMS", in: bundle, contents: sumsBytes)
        if let key {
            try create(Manifest.sumsSignatureName, in: bundle,
                       contents: try checkedSignature(of: sumsBytes, by: key, for: Manifest.sumsSignatureName))
        }
    }

    /// Signs `data` and checks the signature: that costs microseconds and catches a faulty signer before it ships.
    private static func checkedSignature(of data: Data, by key: SigningKey, for name: String) throws -> Data {
        let signature = try key.sign(data)
        guard key.verifyingKey.verify(signature: signature, data: data) else {
            throw CryptoError(operation: "checking the new \(name)", libraryMessage: "the signature does not verify")
        }
        return signature
    }

    private static func create(_ name: String, in bundle: URL, contents: Data) throws {
        let path = bundle.appendingPathComponent(name).path
        do {
            try OwnedFileDescriptor.createFile(path, contents: contents, mode: 0o644)
        } catch {
            if error.code == EEXIST { throw BundleError.alreadySealed(path: bundle.path, file: name) }
            throw error
        }
    }
}
