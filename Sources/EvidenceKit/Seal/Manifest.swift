import Foundation

/// The MANIFEST.json document as written by the sealer (format version 2: version 1 had no SHA256SUMS.sig).
///
/// Encoded with sorted keys and fixed formatting so the same bundle always produces the same bytes; absent
/// values are written as explicit `null` so every manifest has the same shape.
struct Manifest: Encodable {
    static let formatVersion = 2
    /// The verifier still reads format 1: bundles are kept for years after they are sealed.
    static let readableFormatVersions = 1...2
    /// Files the manifest covers only indirectly: itself, its signature, the sums file that lists it, and
    /// the sums file's signature.
    static let unlistedNames: Set<String> = ["MANIFEST.json", "MANIFEST.sig", "SHA256SUMS", sumsSignatureName]
    /// The Ed25519 signature over SHA256SUMS: without it, `sha256sum -c` checks the files against a list
    /// anyone could have rewritten, and nothing offline ties that list to the signed manifest.
    static let sumsSignatureName = "SHA256SUMS.sig"
    static let publicKeyName = "signer.pub.pem"
    static let instructionsName = "VERIFY.txt"
    static let algorithm = "Ed25519"

    struct File: Encodable {
        var path: String
        var bytes: Int
        var sha256: String
    }

    struct Signer: Encodable {
        var algorithm: String
        var keyID: String
        var publicKey: String

        enum CodingKeys: String, CodingKey {
            case algorithm, keyID = "key_id", publicKey = "public_key"
        }
    }

    var info: ManifestInfo
    var files: [File]
    var signer: Signer?

    enum CodingKeys: String, CodingKey {
        case formatVersion = "format_version", generator, organization, period, asOf = "as_of", files, inputs
        case policyRepoHead = "policy_repo_head", signer, signed
    }

    private struct GeneratorField: Encodable {
        var name: String
        var version: String
    }

    private struct PeriodField: Encodable {
        var label: String
        var start: String
        var end: String
    }

    private struct InputField: Encodable {
        var input: ManifestInput

        enum CodingKeys: String, CodingKey {
            case path, bytes, sha256, recordsRead = "records_read", recordsRejected = "records_rejected"
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(input.path, forKey: .path)
            try container.encode(input.bytes, forKey: .bytes)
            try container.encode(input.sha256, forKey: .sha256)
            try container.encode(input.recordsRead, forKey: .recordsRead)
            try container.encode(input.recordsRejected, forKey: .recordsRejected)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(Self.formatVersion, forKey: .formatVersion)
        try container.encode(GeneratorField(name: Generator.name, version: Generator.version), forKey: .generator)
        try container.encode(info.organization, forKey: .organization)
        try container.encode(
            PeriodField(label: info.periodLabel, start: info.periodStart, end: info.periodEnd), forKey: .period)
        try container.encode(info.asOf, forKey: .asOf)
        try container.encode(files.sorted { BundlePath.precedes($0.path, $1.path) }, forKey: .files)
        let inputs = info.inputs.sorted {
            $0.path == $1.path ? BundlePath.precedes($0.sha256, $1.sha256) : BundlePath.precedes($0.path, $1.path)
        }
        try container.encode(inputs.map(InputField.init), forKey: .inputs)
        if let head = info.policyRepoHead {
            try container.encode(head, forKey: .policyRepoHead)
        } else {
            try container.encodeNil(forKey: .policyRepoHead)
        }
        if let signer {
            try container.encode(signer, forKey: .signer)
        } else {
            try container.encodeNil(forKey: .signer)
        }
        try container.encode(signer != nil, forKey: .signed)
    }

    /// The exact bytes of MANIFEST.json: sorted keys, pretty-printed, unescaped slashes, trailing newline.
    func encoded() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        var data = try encoder.encode(self)
        data.append(0x0a)
        return data
    }
}
