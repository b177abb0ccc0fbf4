/// The outcome of checking a bundle: every problem found, one line each, and warnings that do not make the
/// bundle invalid but limit what the check proves.
public struct VerificationResult: Sendable, Equatable {
    /// One line per problem, starting with the file at fault, e.g.
    /// `inventory/tools.csv: listed in MANIFEST.json but missing`.
    public var problems: [String] = []
    /// One line per caveat, e.g. that no trusted key was given.
    public var warnings: [String] = []
    /// The signer's key id as MANIFEST.json names it, when it names one.
    public var signerKeyID: String?
    /// How many files listed in MANIFEST.json were hashed and compared.
    public var filesChecked = 0

    /// Whether the bundle passed every check.
    public var isValid: Bool { problems.isEmpty }

    public init() {}
}
