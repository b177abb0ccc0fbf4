import Foundation

/// Checks a sealed bundle the way an auditor would, and more strictly than `sha256sum -c`: the signatures,
/// every listed file's size and hash, SHA256SUMS against the manifest, and that nothing was added.
public enum BundleVerifier {
    /// Verifies `bundle`, never throwing: anything wrong, including unreadable or malformed files, is
    /// reported as a problem line.
    ///
    /// - Parameter trustedKey: the signer's public key obtained out of band (`--key`). Without it the
    ///   signature is checked against the bundle's own `signer.pub.pem`, which proves integrity, not origin,
    ///   and a warning says so. An unsigned bundle is always a problem.
    public static func verify(bundle: URL, trustedKey: VerifyingKey?) -> VerificationResult {
        var result = VerificationResult()
        var rootInfo = stat()
        guard lstat(bundle.path, &rootInfo) == 0, rootInfo.st_mode & S_IFMT == S_IFDIR else {
            result.problems.append("\(display(bundle.path)): not a bundle folder (missing, or not a folder)")
            return result
        }
        guard let manifestBytes = readSmallFile("MANIFEST.json", in: bundle, limit: 64 << 20, into: &result),
            let manifest = parseManifest(manifestBytes, into: &result)
        else { return result }
        result.signerKeyID = manifest.signer?.keyID

        let key = checkSignature(manifest: manifest, manifestBytes: manifestBytes, bundle: bundle, trustedKey: trustedKey, into: &result)
        checkSumsSignature(manifest: manifest, key: key, bundle: bundle, into: &result)

        let tree: BundleTree
        do {
            tree = try BundleTree.scan(bundle)
        } catch {
            result.problems.append("\(display(bundle.path)): cannot list the bundle's files (\(error))")
            return result
        }
        checkFiles(manifest: manifest, tree: tree, bundle: bundle, into: &result)
        checkSums(manifest: manifest, manifestBytes: manifestBytes, bundle: bundle, into: &result)
        // A symbolic link in place of MANIFEST.sig or signer.pub.pem is found both when reading it and when
        // walking the folder; say it once.
        var said = Set<String>()
        result.problems = result.problems.filter { said.insert($0).inserted }
        return result
    }

    // MARK: - Manifest

    private struct ListedFile {
        var path: String
        var bytes: Int
        var sha256: String
    }

    private struct Signer {
        var algorithm: String
        var keyID: String
        var publicKey: String
    }

    private struct ParsedManifest {
        var formatVersion = Manifest.formatVersion
        var files: [ListedFile] = []
        var signer: Signer?
        var signedFlag: Bool?
    }

    private static func parseManifest(_ bytes: Data, into result: inout VerificationResult) -> ParsedManifest? {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: bytes)
        } catch {
            result.problems.append("MANIFEST.json: not valid JSON (\(error.localizedDescription))")
            return nil
        }
        guard let root = object as? [String: Any] else {
            result.problems.append("MANIFEST.json: not a JSON object")
            return nil
        }
        guard let version = root["format_version"] as? Int, Manifest.readableFormatVersions.contains(version) else {
            let shown = root["format_version"].map { display("\($0)") } ?? "missing"
            let expected = Manifest.readableFormatVersions.map(String.init).joined(separator: " or ")
            result.problems.append("MANIFEST.json: format_version \(shown) is not supported (expected \(expected))")
            return nil
        }
        var manifest = ParsedManifest(formatVersion: version)
        guard let files = root["files"] as? [Any] else {
            result.problems.append("MANIFEST.json: 'files' is missing or not a list")
            return nil
        }
        for (index, element) in files.enumerated() {
            guard let entry = element as? [String: Any], let path = entry["path"] as? String,
                let size = entry["bytes"] as? Int, size >= 0,
                let hash = entry["sha256"] as? String, isSHA256Hex(hash)
            else {
                result.problems.append("MANIFEST.json: files[\(index)] needs a string 'path', a non-negative integer 'bytes' and a 64-digit lowercase hex 'sha256'")
                continue
            }
            manifest.files.append(ListedFile(path: path, bytes: size, sha256: hash))
        }
        if let signed = root["signed"] {
            guard let flag = signed as? Bool else {
                result.problems.append("MANIFEST.json: 'signed' is not true or false")
                return nil
            }
            manifest.signedFlag = flag
        }
        switch root["signer"] {
        case nil, is NSNull:
            break
        case let signer as [String: Any]:
            guard let algorithm = signer["algorithm"] as? String, let keyID = signer["key_id"] as? String,
                let publicKey = signer["public_key"] as? String
            else {
                result.problems.append("MANIFEST.json: 'signer' needs string fields 'algorithm', 'key_id' and 'public_key'")
                return nil
            }
            manifest.signer = Signer(algorithm: algorithm, keyID: keyID, publicKey: publicKey)
        default:
            result.problems.append("MANIFEST.json: 'signer' is neither an object nor null")
            return nil
        }
        return manifest
    }

    // MARK: - Signature

    /// Checks MANIFEST.sig and returns the key it was checked with, for SHA256SUMS.sig; nil when there is
    /// no key to check with (the problem is already reported).
    private static func checkSignature(
        manifest: ParsedManifest, manifestBytes: Data, bundle: URL, trustedKey: VerifyingKey?,
        into result: inout VerificationResult
    ) -> VerifyingKey? {
        guard let signer = manifest.signer, manifest.signedFlag != false else {
            result.problems.append("bundle is unsigned: MANIFEST.json names no signer, so nothing shows the files were not replaced wholesale or who produced them")
            if manifest.signer != nil {
                result.problems.append("MANIFEST.json: names a signer but says \"signed\": false")
            }
            if exists("MANIFEST.sig", in: bundle) {
                result.problems.append("MANIFEST.sig: present, but MANIFEST.json says the bundle is unsigned")
            }
            return nil
        }
        guard signer.algorithm == Manifest.algorithm else {
            result.problems.append("MANIFEST.json: signer algorithm '\(display(signer.algorithm))' is not supported (expected \(Manifest.algorithm))")
            return nil
        }
        let embedded = embeddedKey(signer, bundle: bundle, required: trustedKey == nil, into: &result)
        if let embedded, embedded.keyID != signer.keyID {
            result.problems.append("\(display(signer.publicKey)): key id \(embedded.keyID) does not match MANIFEST.json's signer key id \(display(signer.keyID))")
        }
        let key: VerifyingKey
        if let trustedKey {
            if trustedKey.keyID != signer.keyID {
                result.problems.append("MANIFEST.json: names signer key id \(display(signer.keyID)), not the --key given (\(trustedKey.keyID))")
            }
            key = trustedKey
        } else {
            result.warnings.append("no --key given: the signature was checked against the bundle's own \(display(signer.publicKey)), which proves integrity, not origin; pass the signer's public key obtained out of band with --key")
            guard let embedded else { return nil }
            key = embedded
        }
        checkDetachedSignature("MANIFEST.sig", over: manifestBytes, key: key, bundle: bundle, into: &result)
        return key
    }

    /// SHA256SUMS.sig makes the offline `sha256sum -c SHA256SUMS` trustworthy: SHA256SUMS lists
    /// MANIFEST.json, so the signed list covers every file. Format 1 bundles were sealed without it.
    private static func checkSumsSignature(
        manifest: ParsedManifest, key: VerifyingKey?, bundle: URL, into result: inout VerificationResult
    ) {
        let name = Manifest.sumsSignatureName
        guard manifest.signer != nil, manifest.signedFlag != false else {
            if exists(name, in: bundle) {
                result.problems.append("\(name): present, but MANIFEST.json says the bundle is unsigned")
            }
            return
        }
        if manifest.formatVersion < 2, !exists(name, in: bundle) {
            result.warnings.append("\(name): absent, as in every format 1 bundle; the files were checked against the signed MANIFEST.json, but SHA256SUMS on its own is not signed")
            return
        }
        guard let key, let sums = readSmallFile("SHA256SUMS", in: bundle, limit: 64 << 20, into: &result) else { return }
        checkDetachedSignature(name, over: sums, key: key, bundle: bundle, into: &result)
    }

    private static func checkDetachedSignature(
        _ name: String, over data: Data, key: VerifyingKey, bundle: URL, into result: inout VerificationResult
    ) {
        guard let signature = readSmallFile(name, in: bundle, limit: 4096, into: &result) else { return }
        guard signature.count == 64 else {
            result.problems.append("\(name): \(signature.count) bytes, an Ed25519 signature has 64")
            return
        }
        if !key.verify(signature: signature, data: data) {
            result.problems.append("\(name): signature does not verify against \(key.keyID)")
        }
    }

    /// Loads the public key the manifest points to; its absence is a problem only when it is the key to use.
    private static func embeddedKey(
        _ signer: Signer, bundle: URL, required: Bool, into result: inout VerificationResult
    ) -> VerifyingKey? {
        if let reason = BundlePath.problem(with: signer.publicKey) {
            result.problems.append("MANIFEST.json: signer public_key path '\(display(signer.publicKey))' is not allowed (\(reason))")
            return nil
        }
        guard required || exists(signer.publicKey, in: bundle) else { return nil }
        guard let pem = readSmallFile(signer.publicKey, in: bundle, limit: 64 * 1024, into: &result) else { return nil }
        do {
            return try VerifyingKey.parse(pem: pem, path: signer.publicKey)
        } catch {
            result.problems.append("\(display(signer.publicKey)): not a usable Ed25519 public key (\(error))")
            return nil
        }
    }

    // MARK: - Files

    private static func checkFiles(
        manifest: ParsedManifest, tree: BundleTree, bundle: URL, into result: inout VerificationResult
    ) {
        for link in tree.symbolicLinks {
            result.problems.append("\(display(link)): symbolic link; a bundle may contain only regular files and folders")
        }
        for special in tree.specialFiles {
            result.problems.append("\(display(special)): not a regular file or folder")
        }
        for name in tree.undecodableNames {
            result.problems.append("\(display(name)): file name is not valid UTF-8; not listed in MANIFEST.json")
        }
        let present = Set(tree.files)
        let links = Set(tree.symbolicLinks)
        var listed = Set<String>()
        for file in manifest.files {
            if let reason = BundlePath.problem(with: file.path) {
                result.problems.append("\(display(file.path)): path in MANIFEST.json is not allowed (\(reason))")
                continue
            }
            if Manifest.unlistedNames.contains(file.path) {
                result.problems.append("\(file.path): must not be listed in MANIFEST.json")
                continue
            }
            guard listed.insert(file.path).inserted else {
                result.problems.append("\(display(file.path)): listed more than once in MANIFEST.json")
                continue
            }
            guard present.contains(file.path) else {
                if !links.contains(file.path) {
                    result.problems.append("\(display(file.path)): listed in MANIFEST.json but missing")
                }
                continue
            }
            let digest: FileDigest
            do {
                digest = try FileDigest.of(path: bundle.appendingPathComponent(file.path).path)
            } catch {
                result.problems.append("\(display(file.path)): cannot be read (\(error))")
                continue
            }
            result.filesChecked += 1
            if digest.bytes != file.bytes {
                result.problems.append("\(display(file.path)): size mismatch (manifest \(file.bytes) bytes, file \(digest.bytes) bytes)")
            } else if digest.sha256 != file.sha256 {
                result.problems.append("\(display(file.path)): SHA-256 mismatch (manifest \(short(file.sha256)), file \(short(digest.sha256)))")
            }
        }
        for path in tree.files where !listed.contains(path) && !Manifest.unlistedNames.contains(path) {
            result.problems.append("\(display(path)): not listed in MANIFEST.json")
        }
    }

    // MARK: - SHA256SUMS

    private static func checkSums(
        manifest: ParsedManifest, manifestBytes: Data, bundle: URL, into result: inout VerificationResult
    ) {
        guard let sums = readSmallFile("SHA256SUMS", in: bundle, limit: 64 << 20, into: &result) else { return }
        var expected: [String: String] = [:]
        for file in manifest.files { expected[file.path] = file.sha256 }
        let manifestHash = (try? SHA256.hex(of: manifestBytes)) ?? ""
        var seen = Set<String>()
        for (number, line) in lines(of: sums).enumerated() {
            guard let (hash, path) = parseSumLine(line) else {
                result.problems.append("SHA256SUMS:\(number + 1): not a line of the form '<64 hex digits>  <path>'")
                continue
            }
            guard seen.insert(path).inserted else {
                result.problems.append("SHA256SUMS: lists \(display(path)) more than once")
                continue
            }
            if path == "MANIFEST.json" {
                if hash != manifestHash {
                    result.problems.append("SHA256SUMS: MANIFEST.json has SHA-256 \(short(hash)), but the file has \(short(manifestHash))")
                }
            } else if let listedHash = expected[path] {
                if hash != listedHash {
                    result.problems.append("SHA256SUMS: \(display(path)) has SHA-256 \(short(hash)), but MANIFEST.json says \(short(listedHash))")
                }
            } else {
                result.problems.append("SHA256SUMS: lists \(display(path)), which MANIFEST.json does not")
            }
        }
        for file in manifest.files where !seen.contains(file.path) && expected[file.path] != nil {
            if !Manifest.unlistedNames.contains(file.path) {
                result.problems.append("SHA256SUMS: does not list \(display(file.path)), which MANIFEST.json lists")
            }
            seen.insert(file.path)
        }
        if !seen.contains("MANIFEST.json") {
            result.problems.append("SHA256SUMS: does not list MANIFEST.json")
        }
    }

    /// Splits at newlines with memchr; a final line without a newline still counts.
    private static func lines(of data: Data) -> [Data] {
        data.withUnsafeBytes { raw -> [Data] in
            guard let base = raw.baseAddress else { return [] }
            var result: [Data] = []
            var start = 0
            while start < raw.count {
                if let hit = memchr(base + start, 0x0a, raw.count - start) {
                    let end = base.distance(to: UnsafeRawPointer(hit))
                    result.append(Data(bytes: base + start, count: end - start))
                    start = end + 1
                } else {
                    result.append(Data(bytes: base + start, count: raw.count - start))
                    break
                }
            }
            return result
        }
    }

    /// Parses `<hex>  <path>` (text mode) or `<hex> *<path>` (binary mode); escaped lines are not produced by
    /// the sealer and are rejected.
    private static func parseSumLine(_ line: Data) -> (String, String)? {
        guard line.count > 66, let text = String(data: line, encoding: .utf8) else { return nil }
        let hash = String(text.prefix(64))
        let rest = text.dropFirst(64)
        guard isSHA256Hex(hash), rest.hasPrefix("  ") || rest.hasPrefix(" *") else { return nil }
        return (hash, String(rest.dropFirst(2)))
    }

    // MARK: - Helpers

    private static func readSmallFile(
        _ name: String, in bundle: URL, limit: Int, into result: inout VerificationResult
    ) -> Data? {
        do {
            let file = try OwnedFileDescriptor.openForReading(bundle.appendingPathComponent(name).path)
            guard try file.status().st_mode & S_IFMT == S_IFREG else {
                result.problems.append("\(display(name)): not a regular file")
                return nil
            }
            return try file.readAll(limit: limit)
        } catch {
            switch error.code {
            case ENOENT: result.problems.append("\(display(name)): missing")
            case ELOOP: result.problems.append("\(display(name)): symbolic link; a bundle may contain only regular files and folders")
            default: result.problems.append("\(display(name)): cannot be read (\(error.reason))")
            }
        }
        return nil
    }

    private static func exists(_ name: String, in bundle: URL) -> Bool {
        var info = stat()
        return lstat(bundle.appendingPathComponent(name).path, &info) == 0
    }

    private static func isSHA256Hex(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// Enough of a hash to tell two apart at a glance.
    private static func short(_ hash: String) -> String {
        String(hash.prefix(12)) + ".."
    }

    /// A path from the bundle, with control characters escaped so a hostile name cannot rewrite the terminal.
    private static func display(_ text: String) -> String {
        ControlCharacters.escaped(text)
    }
}
