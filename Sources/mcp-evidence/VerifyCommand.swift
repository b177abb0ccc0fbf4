import EvidenceKit
import Foundation

/// `mcp-evidence verify`: check a bundle's signature, every file's hash, and that nothing was added.
enum VerifyCommand: Command {
    static let spec = CommandSpec(
        name: "verify",
        abstract: "Verify a bundle's signature and the size and SHA-256 of every file.",
        discussion: "Prints one line per problem and exits with 3 on any. Without --key the signature is checked against the bundle's own signer.pub.pem, which proves integrity but not origin.",
        positionals: [("bundle", "The bundle folder.", true)],
        options: [.init(name: "key", valueName: "pub.pem", help: "The signer's public key, obtained out of band.", defaultValue: nil)])

    static func run(_ arguments: ParsedArguments) throws -> ExitCode {
        let bundle = URL(fileURLWithPath: arguments.positionals[0])
        let key = try arguments["key"].map { try VerifyingKey.load(path: $0) }
        let result = BundleVerifier.verify(bundle: bundle, trustedKey: key)
        for warning in result.warnings { Console.warning(warning) }
        for problem in result.problems { print("FAIL \(problem)") }
        if result.isValid {
            print("OK \(result.filesChecked) files verified\(result.signerKeyID.map { ", signed by \($0)" } ?? "")")
            return .success
        }
        print("\(result.problems.count) problem\(result.problems.count == 1 ? "" : "s") found in \(bundle.path)")
        return .verificationFailed
    }
}
