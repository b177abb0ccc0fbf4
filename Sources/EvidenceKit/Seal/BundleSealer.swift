import Foundation

/// Seals a finished bundle folder: lists and hashes every file in MANIFEST.json, signs the manifest, and
/// writes the files an auditor needs to check it with standard tools.
public enum BundleSealer {
    /// Seals `bundle` in place, writing `signer.pub.pem` (when signed), `VERIFY.txt`, `MANIFEST.json`,
    /// `MANIFEST.sig` (when signed) and `SHA256SUMS`.
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
            let signature = try key.sign(manifestBytes)
            // Checking our own signature costs microseconds and catches a faulty signer before it ships.
            guard key.verifyingKey.verify(signature: signature, data: manifestBytes) else {
                throw CryptoError(operation: "checking the new MANIFEST.sig", libraryMessage: "the signature does not verify")
            }
            try create("MANIFEST.sig", in: bundle, contents: signature)
        }

        var sums = files.map { ($0.path, $0.sha256) }
        sums.append(("MANIFEST.json", try SHA256.hex(of: manifestBytes)))
        sums.sort { BundlePath.precedes($0.0, $1.0) }
        let text = sums.map { "\($0.1)  \($0.0)\n" }.joined()
        try create("SHA256SUMS", in: bundle, contents: Data(text.utf8))
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
