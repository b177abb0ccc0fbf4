import EvidenceKit

/// `mcp-evidence keygen`: create the Ed25519 key pair that signs bundles.
enum KeygenCommand: Command {
    static let spec = CommandSpec(
        name: "keygen",
        abstract: "Create an Ed25519 signing key pair (PREFIX.pem, PREFIX.pub.pem).",
        discussion: "The private key is written with mode 0600; existing files are never overwritten. Give auditors PREFIX.pub.pem (or its key id) through a channel other than the bundle.",
        positionals: [],
        options: [.init(name: "out", valueName: "prefix", help: "Path prefix of the two key files, e.g. keys/evidence.", defaultValue: nil)])

    static func run(_ arguments: ParsedArguments) throws -> ExitCode {
        guard let prefix = arguments["out"] else { throw UsageError.invalid(spec, "missing '--out <prefix>'") }
        let files = try KeyFiles.generate(prefix: prefix)
        print("Private key: \(files.privateKeyPath) (mode 0600; keep it secret)")
        print("Public key:  \(files.publicKeyPath)")
        print("Key id:      \(files.keyID)")
        return .success
    }
}
