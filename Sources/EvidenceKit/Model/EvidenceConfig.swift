/// The contents of `evidence.yaml`, validated, with every path resolved against the config file's folder.
///
/// Load it with ``load(path:)``. Command-line overrides assign the fields directly, e.g.
/// `config.period = try Period.parse("2026-07")`.
public struct EvidenceConfig: Sendable, Equatable {
    /// A path from the config: the absolute form to open and the config-relative form to show in reports.
    public struct FilePath: Sendable, Hashable, CustomStringConvertible {
        /// Absolute path (the config's folder joined with the written path, unless that was absolute).
        public var absolute: String
        /// The path as the config wrote it (or, for a glob match, relative to the config's folder);
        /// absolute paths stay absolute.
        public var display: String

        public init(absolute: String, display: String) {
            self.absolute = absolute
            self.display = display
        }

        public var description: String { display }
    }

    /// One entry of `inputs.audit` and the files it names.
    public struct AuditSource: Sendable, Equatable {
        /// The entry as written, e.g. `audit/*.jsonl`.
        public var pattern: String
        /// Whether the entry contains glob characters (`*`, `?`, `[`); a literal must exist, a glob may match nothing.
        public var isGlob: Bool
        /// Regular files the entry names, sorted by absolute path in byte order. Empty for a glob that
        /// matched nothing: the caller decides how to report that.
        public var files: [FilePath]

        public init(pattern: String, isGlob: Bool, files: [FilePath]) {
            self.pattern = pattern
            self.isGlob = isGlob
            self.files = files
        }
    }

    /// Where the policy repository is and which part of its history to read.
    public struct PolicySource: Sendable, Equatable {
        /// The git repository's folder.
        public var repo: FilePath
        /// Folder inside the repository holding the policy files; relative, without `..`. Default `policies`.
        public var path: String
        /// Branch whose history is read. Default `main`.
        public var branch: String

        public init(repo: FilePath, path: String = "policies", branch: String = "main") {
            self.repo = repo
            self.path = path
            self.branch = branch
        }
    }

    /// The input files named under `inputs`.
    public struct Inputs: Sendable, Equatable {
        /// Every `inputs.audit` entry in the order written.
        public var audit: [AuditSource]
        public var approvals: FilePath
        public var directory: FilePath
        public var policies: PolicySource
        /// Optional PR review export.
        public var reviews: FilePath?

        public init(audit: [AuditSource], approvals: FilePath, directory: FilePath, policies: PolicySource, reviews: FilePath? = nil) {
            self.audit = audit
            self.approvals = approvals
            self.directory = directory
            self.policies = policies
            self.reviews = reviews
        }

        /// Every audit file named by any entry, once each, sorted by absolute path in byte order.
        public var auditFiles: [FilePath] {
            var seen = Set<String>()
            return audit.flatMap(\.files)
                .filter { seen.insert($0.absolute).inserted }
                .sorted { $0.absolute.utf8.lexicographicallyPrecedes($1.absolute.utf8) }
        }
    }

    /// Limits used by the time-based checks.
    public struct Thresholds: Sendable, Equatable {
        /// Longest silence in an audit log before it counts as a gap.
        public var logGapHours: Int
        /// Longest agent session before it is flagged.
        public var maxSessionHours: Int
        /// Longest time between periodic reviews of a tool or policy.
        public var reviewDays: Int

        public init(logGapHours: Int = 24, maxSessionHours: Int = 12, reviewDays: Int = 90) {
            self.logGapHours = logGapHours
            self.maxSessionHours = maxSessionHours
            self.reviewDays = reviewDays
        }
    }

    /// A day of the week, numbered as ISO 8601 does (Monday 1 ... Sunday 7).
    public enum Weekday: Int, Sendable, CaseIterable, Comparable {
        case mon = 1, tue, wed, thu, fri, sat, sun

        /// The three-letter lowercase name used in `evidence.yaml`.
        public var name: String { String(describing: self) }

        public static func < (lhs: Weekday, rhs: Weekday) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// The organisation's working hours, for out-of-hours checks.
    public struct WorkingHours: Sendable, Equatable {
        /// Minutes after local midnight when work starts (`08:00` is 480).
        public var startMinute: Int
        /// Minutes after local midnight when work ends, exclusive, greater than `startMinute` (`24:00` is 1440).
        public var endMinute: Int
        /// Working days, sorted Monday first, without repeats.
        public var days: [Weekday]
        /// Local time minus UTC, in minutes (`+02:00` is 120).
        public var timezoneOffsetMinutes: Int

        public init(startMinute: Int = 480, endMinute: Int = 1140, days: [Weekday] = [.mon, .tue, .wed, .thu, .fri],
                    timezoneOffsetMinutes: Int = 0) {
            self.startMinute = startMinute
            self.endMinute = endMinute
            self.days = days
            self.timezoneOffsetMinutes = timezoneOffsetMinutes
        }
    }

    /// The config file as the user named it, used in messages.
    public var file: String
    /// The absolute folder holding the config file; relative paths are resolved against it.
    public var baseDirectory: String
    public var organization: String
    /// The audit period; the CLI's `--period` replaces it.
    public var period: Period
    /// Framework ids to report on, in the order written; nil when the key is absent (report on every framework).
    public var frameworks: [String]?
    public var inputs: Inputs
    /// Roles allowed to approve a tool, by risk tier 1...3. Always holds all three tiers.
    public var approvalRules: [Int: [String]]
    /// The signing key from `signing.key`, if given (its existence is checked when signing, not here,
    /// since CI often supplies the key later or through `--key`).
    public var signingKey: FilePath?
    /// Where bundles are written. Default `out`.
    public var output: FilePath
    public var thresholds: Thresholds
    /// nil when `working_hours` is absent.
    public var workingHours: WorkingHours?
    /// The config file's bytes as read (empty for a config made in code).
    public var fileBytes: [UInt8] = []
    /// Settings given on the command line in place of the file's, by option name (`period`), as written
    /// there, so the report can say the bundle was not built with the file's settings alone.
    public var commandLineOverrides: [String: String] = [:]

    /// `{1: [auto, team-lead, security], 2: [team-lead, security], 3: [security]}`.
    public static let defaultApprovalRules: [Int: [String]] = [
        1: ["auto", "team-lead", "security"],
        2: ["team-lead", "security"],
        3: ["security"],
    ]

    public init(file: String, baseDirectory: String, organization: String, period: Period, frameworks: [String]?,
                inputs: Inputs, approvalRules: [Int: [String]] = EvidenceConfig.defaultApprovalRules,
                signingKey: FilePath? = nil, output: FilePath, thresholds: Thresholds = Thresholds(),
                workingHours: WorkingHours? = nil) {
        self.file = file
        self.baseDirectory = baseDirectory
        self.organization = organization
        self.period = period
        self.frameworks = frameworks
        self.inputs = inputs
        self.approvalRules = approvalRules
        self.signingKey = signingKey
        self.output = output
        self.thresholds = thresholds
        self.workingHours = workingHours
    }
}
