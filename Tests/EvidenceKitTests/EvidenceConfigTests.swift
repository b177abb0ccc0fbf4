import Foundation
import Testing
@testable import EvidenceKit

/// A throwaway folder laid out like an organisation's evidence inputs.
private final class ConfigFixture {
    let folder: String

    init(name: String = "config") throws {
        folder = try TestFolder.make(name).path
        for file in ["audit/2026-07.jsonl", "audit/2026-08.jsonl.gz", "audit/2026-09.jsonl", "approvals.jsonl",
                     "directory.csv", "pr-reviews.jsonl", "policy-repo/policies/db.yaml"] {
            try write("", to: file)
        }
        try FileManager.default.createDirectory(atPath: folder + "/audit/archive.jsonl", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: folder) }

    func write(_ text: String, to relative: String) throws {
        let path = folder + "/" + relative
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Parses config text as if it were `evidence.yaml` in this folder, naming it just `evidence.yaml` in errors.
    func parse(_ text: String) throws -> EvidenceConfig {
        let document = try YAMLDocument(text: text, file: "evidence.yaml")
        return try EvidenceConfig.parse(document.root, file: "evidence.yaml", baseDirectory: folder)
    }

    func error(_ text: String) -> ConfigError? {
        do {
            _ = try parse(text)
            Issue.record("expected a config error for:\n\(text)")
        } catch let error as ConfigError {
            return error
        } catch {
            Issue.record("unexpected error \(error)")
        }
        return nil
    }
}

private let designExample = """
    organization: Acme Corp
    period: 2026-Q3
    frameworks: [soc2, iso27001, eu-ai-act]
    inputs:
      audit: [audit/*.jsonl, audit/*.jsonl.gz]      # a string or a list; globs
      approvals: approvals.jsonl
      directory: directory.csv
      policies: {repo: policy-repo, path: policies, branch: main}
      reviews: pr-reviews.jsonl        # optional
    approval_rules: {1: [auto, team-lead, security], 2: [team-lead, security], 3: [security]}
    signing: {key: keys/evidence.pem}
    output: out

    """

private let minimal = """
    organization: Acme Corp
    period: 2026-Q3
    inputs:
      audit: audit/2026-07.jsonl
      approvals: approvals.jsonl
      directory: directory.csv
      policies: {repo: policy-repo}

    """

@Suite struct EvidenceConfigTests {
    @Test func loadsTheDesignExample() throws {
        let fixture = try ConfigFixture()
        try fixture.write(designExample, to: "evidence.yaml")
        let config = try EvidenceConfig.load(path: fixture.folder + "/evidence.yaml")
        let base = fixture.folder

        #expect(config.file == fixture.folder + "/evidence.yaml")
        #expect(config.baseDirectory == base)
        #expect(config.organization == "Acme Corp")
        #expect(config.period == (try Period.parse("2026-Q3")))
        #expect(config.frameworks == ["soc2", "iso27001", "eu-ai-act"])
        #expect(config.inputs.audit.map(\.pattern) == ["audit/*.jsonl", "audit/*.jsonl.gz"])
        #expect(config.inputs.audit.allSatisfy { $0.isGlob })
        #expect(config.inputs.audit[0].files.map(\.display) == ["audit/2026-07.jsonl", "audit/2026-09.jsonl"],
                "sorted, and the folder audit/archive.jsonl is not an input")
        #expect(config.inputs.audit[1].files.map(\.display) == ["audit/2026-08.jsonl.gz"])
        #expect(config.inputs.auditFiles.map(\.display) == ["audit/2026-07.jsonl", "audit/2026-08.jsonl.gz", "audit/2026-09.jsonl"])
        #expect(config.inputs.auditFiles.first?.absolute == base + "/audit/2026-07.jsonl")
        #expect(config.inputs.approvals == EvidenceConfig.FilePath(absolute: base + "/approvals.jsonl", display: "approvals.jsonl"))
        #expect(config.inputs.directory.absolute == base + "/directory.csv")
        #expect(config.inputs.policies == EvidenceConfig.PolicySource(
            repo: EvidenceConfig.FilePath(absolute: base + "/policy-repo", display: "policy-repo"), path: "policies", branch: "main"))
        #expect(config.inputs.reviews?.display == "pr-reviews.jsonl")
        #expect(config.approvalRules == EvidenceConfig.defaultApprovalRules)
        #expect(config.signingKey == EvidenceConfig.FilePath(absolute: base + "/keys/evidence.pem", display: "keys/evidence.pem"),
                "the key need not exist yet")
        #expect(config.output == EvidenceConfig.FilePath(absolute: base + "/out", display: "out"))
        #expect(config.thresholds == EvidenceConfig.Thresholds(logGapHours: 24, maxSessionHours: 12, reviewDays: 90))
        #expect(config.workingHours == nil)
    }

    @Test func optionalKeysTakeTheirDefaults() throws {
        let fixture = try ConfigFixture()
        let config = try fixture.parse(minimal)
        #expect(config.frameworks == nil)
        #expect(config.approvalRules == [1: ["auto", "team-lead", "security"], 2: ["team-lead", "security"], 3: ["security"]])
        #expect(config.signingKey == nil)
        #expect(config.output.display == "out")
        #expect(config.inputs.policies.path == "policies" && config.inputs.policies.branch == "main")
        #expect(config.inputs.reviews == nil)
        #expect(config.inputs.audit == [EvidenceConfig.AuditSource(
            pattern: "audit/2026-07.jsonl", isGlob: false,
            files: [EvidenceConfig.FilePath(absolute: fixture.folder + "/audit/2026-07.jsonl", display: "audit/2026-07.jsonl")])])
        #expect(config.thresholds == EvidenceConfig.Thresholds())
        #expect(config.workingHours == nil)
    }

    @Test func periodCanBeOverriddenFromTheCommandLine() throws {
        let fixture = try ConfigFixture()
        var config = try fixture.parse(minimal)
        config.period = try Period.parse("2026-07")
        #expect(config.period.label == "2026-07")
        #expect(config.period.end == Timestamp.parseDate("2026-08-01"))
    }

    @Test func periodMayBeARangeOfDays() throws {
        let fixture = try ConfigFixture()
        let config = try fixture.parse(minimal.replacingOccurrences(of: "period: 2026-Q3", with: "period: {from: 2026-07-01, to: 2026-09-30}"))
        #expect(config.period.label == "2026-07-01..2026-09-30")
        #expect(config.period == (try Period.parse("2026-Q3").with(label: "2026-07-01..2026-09-30")))
        for form in ["2026", "2026-07", "'2026-Q3'"] {
            #expect(throws: Never.self) { try fixture.parse(minimal.replacingOccurrences(of: "2026-Q3", with: form)) }
        }
    }

    @Test func pathsResolveAgainstTheConfigFolderAndAbsolutePathsStay() throws {
        let fixture = try ConfigFixture()
        let outside = try ConfigFixture(name: "outside")
        try fixture.write("", to: "sub/dir/approvals.jsonl")
        let text = minimal
            .replacingOccurrences(of: "approvals: approvals.jsonl", with: "approvals: ./approvals.jsonl")
            .replacingOccurrences(of: "directory: directory.csv", with: "directory: \(outside.folder)/directory.csv")
            .replacingOccurrences(of: "audit: audit/2026-07.jsonl", with: "audit: ../../audit/*.jsonl")
            .replacingOccurrences(of: "{repo: policy-repo}", with: "{repo: ../../policy-repo/}")
        try fixture.write(text, to: "sub/dir/evidence.yaml")
        let config = try EvidenceConfig.load(path: fixture.folder + "/sub/./dir/evidence.yaml")
        #expect(config.baseDirectory == fixture.folder + "/sub/dir")
        #expect(config.inputs.approvals == EvidenceConfig.FilePath(absolute: fixture.folder + "/sub/dir/approvals.jsonl",
                                                                   display: "approvals.jsonl"))
        #expect(config.inputs.policies.repo.display == "../../policy-repo/")
        #expect(FileManager.default.fileExists(atPath: config.inputs.policies.repo.absolute))
        #expect(config.inputs.directory == EvidenceConfig.FilePath(absolute: outside.folder + "/directory.csv",
                                                                   display: outside.folder + "/directory.csv"))
        #expect(config.inputs.auditFiles.map(\.display) == ["../../audit/2026-07.jsonl", "../../audit/2026-09.jsonl"])
        #expect(config.inputs.auditFiles.allSatisfy { FileManager.default.fileExists(atPath: $0.absolute) })
    }

    @Test func relativeInputsAreLookedUpNextToTheConfigNotTheWorkingDirectory() throws {
        let fixture = try ConfigFixture()
        try fixture.write("", to: "nested/approvals.jsonl")
        try fixture.write("", to: "nested/directory.csv")
        try FileManager.default.createDirectory(atPath: fixture.folder + "/nested/policy-repo", withIntermediateDirectories: true)
        try fixture.write("", to: "nested/audit/2026-07.jsonl")
        try fixture.write(minimal, to: "nested/evidence.yaml")
        let config = try EvidenceConfig.load(path: fixture.folder + "/nested/evidence.yaml")
        #expect(config.inputs.approvals.absolute == fixture.folder + "/nested/approvals.jsonl")
        #expect(config.inputs.policies.repo.absolute == fixture.folder + "/nested/policy-repo")
    }

    @Test func configGivenRelativeToTheWorkingDirectoryResolvesToAnAbsoluteFolder() {
        let cwd = FileManager.default.currentDirectoryPath
        #expect(EvidenceConfig.folder(of: "examples/./acme/evidence.yaml") == cwd + "/examples/acme")
        #expect(EvidenceConfig.folder(of: "evidence.yaml") == cwd)
        #expect(EvidenceConfig.folder(of: "/etc//evidence.yaml") == "/etc")
    }

    @Test func globsSortInByteOrderAndMayMatchNothing() throws {
        let fixture = try ConfigFixture(name: "glob[1]*?")
        for name in ["b.jsonl", "a.jsonl", "B.jsonl", "a10.jsonl", "a2.jsonl", "é.jsonl"] {
            try fixture.write("", to: "logs/\(name)")
        }
        let text = minimal.replacingOccurrences(of: "audit: audit/2026-07.jsonl",
                                                with: "audit: [logs/*.jsonl, logs/a*.jsonl, none/*.jsonl, logs/?.gz]")
        let config = try fixture.parse(text)
        #expect(config.inputs.audit[0].files.map(\.display)
                == ["logs/B.jsonl", "logs/a.jsonl", "logs/a10.jsonl", "logs/a2.jsonl", "logs/b.jsonl", "logs/é.jsonl"],
                "byte order, whatever the locale; the fixture folder's own [ ] * ? are not wildcards")
        #expect(config.inputs.audit[1].files.count == 3)
        #expect(config.inputs.audit[2].files.isEmpty)
        #expect(config.inputs.audit[3].files.isEmpty)
        #expect(config.inputs.auditFiles.count == 6, "overlapping globs list each file once")
    }

    /// An unreadable folder is a permission problem, not an empty match. Root reads every folder, so this
    /// runs only for other users.
    @Test(.enabled(if: getuid() != 0, "root can read any folder"))
    func anUnreadableAuditFolderIsNamedAsSuch() throws {
        let fixture = try ConfigFixture()
        try fixture.write("", to: "locked/a.jsonl")
        let locked = fixture.folder + "/locked"
        chmod(locked, 0o000)
        defer { chmod(locked, 0o755) }
        let error = try #require(fixture.error(minimal.replacingOccurrences(of: "audit: audit/2026-07.jsonl", with: "audit: [locked/*.jsonl]")))
        #expect(error.key == "inputs.audit" && error.message.contains("permission denied"), "\(error)")
    }

    @Test func missingLiteralPathsNameTheKeyAndLine() throws {
        let fixture = try ConfigFixture()
        let audit = try #require(fixture.error(minimal.replacingOccurrences(of: "audit/2026-07.jsonl", with: "audit/2026-10.jsonl")))
        #expect(audit.kind == .missingPath)
        #expect(audit.key == "inputs.audit")
        #expect(audit.line == 4)
        #expect(audit.description.hasPrefix("evidence.yaml:4: key 'inputs.audit' names 'audit/2026-10.jsonl', which does not exist"))

        let approvals = try #require(fixture.error(minimal.replacingOccurrences(of: "approvals.jsonl", with: "approval.jsonl")))
        #expect(approvals.kind == .missingPath && approvals.key == "inputs.approvals" && approvals.line == 5)

        let folder = try #require(fixture.error(minimal.replacingOccurrences(of: "audit/2026-07.jsonl", with: "audit")))
        #expect(folder.kind == .invalidValue && folder.message.contains("is a folder"))

        let repo = try #require(fixture.error(minimal.replacingOccurrences(of: "{repo: policy-repo}", with: "{repo: approvals.jsonl}")))
        #expect(repo.key == "inputs.policies.repo" && repo.message.contains("not a git repository folder"))

        let reviews = try #require(fixture.error(minimal + "  reviews: reviews.jsonl\n"))
        #expect(reviews.kind == .missingPath && reviews.key == "inputs.reviews" && reviews.line == 8)
    }

    @Test func unknownKeysAreErrorsWithSuggestions() throws {
        let fixture = try ConfigFixture()
        let typo = try #require(fixture.error(minimal.replacingOccurrences(of: "organization:", with: "organisation:")))
        #expect(typo.kind == .unknownKey)
        #expect(typo.description == "evidence.yaml:1: unknown key 'organisation'; did you mean 'organization'?")

        let nested = try #require(fixture.error(minimal.replacingOccurrences(of: "  approvals:", with: "  approval:")))
        #expect(nested.description == "evidence.yaml:5: unknown key 'inputs.approval'; did you mean 'inputs.approvals'?")

        let dashed = try #require(fixture.error(minimal + "approval-rules: {1: [auto]}\n"))
        #expect(dashed.message.contains("did you mean 'approval_rules'?"))

        let far = try #require(fixture.error(minimal + "colour: blue\n"))
        #expect(far.line == 8)
        #expect(far.message.hasPrefix("unknown key 'colour'; expected one of organization, period"))

        let deep = try #require(fixture.error(minimal + "thresholds: {log_gap_hours: 2, review_dayz: 3}\n"))
        #expect(deep.key == "thresholds.review_dayz" && deep.message.contains("did you mean 'thresholds.review_days'?"))
    }

    @Test func wrongTypesNameFileLineKeyAndExpectation() throws {
        let fixture = try ConfigFixture()
        let frameworks = try #require(fixture.error(designExample.replacingOccurrences(
            of: "frameworks: [soc2, iso27001, eu-ai-act]", with: "frameworks: {soc2: yes}")))
        #expect(frameworks.kind == .wrongType)
        #expect(frameworks.description == "evidence.yaml:3: key 'frameworks' must be a list of strings, found a mapping")

        let item = try #require(fixture.error(designExample.replacingOccurrences(
            of: "[soc2, iso27001, eu-ai-act]", with: "[soc2, [iso27001]]")))
        #expect(item.description == "evidence.yaml:3: key 'frameworks' must be a list of strings, but item 2 is a list")

        let organization = try #require(fixture.error(minimal.replacingOccurrences(of: "Acme Corp", with: "[Acme]")))
        #expect(organization.description == "evidence.yaml:1: key 'organization' must be a string, found a list")

        let inputs = try #require(fixture.error("organization: A\nperiod: 2026\ninputs: audit.jsonl\n"))
        #expect(inputs.description == "evidence.yaml:3: key 'inputs' must be a mapping, found a string")

        let audit = try #require(fixture.error(minimal.replacingOccurrences(of: "audit: audit/2026-07.jsonl", with: "audit: {a: b}")))
        #expect(audit.message == "key 'inputs.audit' must be a string or a list of strings, found a mapping")

        let threshold = try #require(fixture.error(minimal + "thresholds:\n  review_days: ninety\n"))
        #expect(threshold.description == "evidence.yaml:9: key 'thresholds.review_days' must be a whole number, found a string")

        let quoted = try #require(fixture.error(minimal + "thresholds: {review_days: \"90\"}\n"))
        #expect(quoted.kind == .wrongType, "a quoted number is a string")

        let zero = try #require(fixture.error(minimal + "thresholds: {log_gap_hours: 0}\n"))
        #expect(zero.kind == .invalidValue)

        let root = try #require(fixture.error("- organization: Acme\n"))
        #expect(root.kind == .wrongType && root.message.contains("found a list"))

        let period = try #require(fixture.error(minimal.replacingOccurrences(of: "period: 2026-Q3", with: "period: [2026]")))
        #expect(period.kind == .wrongType && period.line == 2)
    }

    @Test func periodErrorsAreLocated() throws {
        let fixture = try ConfigFixture()
        let quarter = try #require(fixture.error(minimal.replacingOccurrences(of: "2026-Q3", with: "2026-Q5")))
        #expect(quarter.description == "evidence.yaml:2: period '2026-Q5' names quarter 5; quarters are Q1 to Q4")

        let month = try #require(fixture.error(minimal.replacingOccurrences(of: "2026-Q3", with: "2026-13")))
        #expect(month.line == 2 && month.message.contains("month 13"))

        let backwards = try #require(fixture.error(minimal.replacingOccurrences(
            of: "period: 2026-Q3", with: "period:\n  from: 2026-09-30\n  to: 2026-07-01")))
        #expect(backwards.line == 3 && backwards.message.contains("after its last day"))

        let extra = try #require(fixture.error(minimal.replacingOccurrences(
            of: "period: 2026-Q3", with: "period: {from: 2026-07-01, until: 2026-09-30}")))
        #expect(extra.kind == .unknownKey && extra.key == "period.until")

        let missingTo = try #require(fixture.error(minimal.replacingOccurrences(of: "period: 2026-Q3", with: "period: {from: 2026-07-01}")))
        #expect(missingTo.kind == .missingKey && missingTo.key == "period.to")

        // Text around '..' that is not two dates is named as a whole, not as an empty start date.
        for text in ["../../x", "..", "a..b", "../2026-07-01"] {
            #expect(throws: ConfigError.self) { try Period.parse(text) }
            do { _ = try Period.parse(text) } catch {
                #expect(error.message == "period '\(text)' is not a year (2026), a quarter (2026-Q3), a month (2026-07) or a range of days (2026-07-01..2026-09-30)")
            }
        }
        #expect(try Period.parse("2026-07-01..2026-07-01").label == "2026-07-01..2026-07-01")
    }

    @Test func requiredKeysAreReportedMissing() throws {
        let fixture = try ConfigFixture()
        let organization = try #require(fixture.error(minimal.replacingOccurrences(of: "organization: Acme Corp\n", with: "")))
        #expect(organization.kind == .missingKey)
        #expect(organization.description == "evidence.yaml:1: required key 'organization' is missing")

        let empty = try #require(fixture.error(minimal.replacingOccurrences(of: "Acme Corp", with: "")))
        #expect(empty.kind == .missingKey, "an empty value is null, so the key counts as absent")

        let blank = try #require(fixture.error(minimal.replacingOccurrences(of: "Acme Corp", with: "''")))
        #expect(blank.kind == .invalidValue && blank.message == "key 'organization' must not be empty")

        let repo = try #require(fixture.error(minimal.replacingOccurrences(of: "{repo: policy-repo}", with: "{path: policies}")))
        #expect(repo.description == "evidence.yaml:7: required key 'inputs.policies.repo' is missing")

        let directory = try #require(fixture.error(minimal.replacingOccurrences(of: "  directory: directory.csv\n", with: "")))
        #expect(directory.key == "inputs.directory" && directory.line == 4)

        let nothing = try #require(fixture.error("# nothing yet\n"))
        #expect(nothing.kind == .missingKey && nothing.message.contains("empty"))
    }

    @Test func approvalRulesAreValidated() throws {
        let fixture = try ConfigFixture()
        let custom = try fixture.parse(minimal + "approval_rules:\n  1: [auto]\n  2: [owner, security]\n  3: [ciso]\n")
        #expect(custom.approvalRules == [1: ["auto"], 2: ["owner", "security"], 3: ["ciso"]])

        let tier = try #require(fixture.error(minimal + "approval_rules: {1: [a], 2: [b], 3: [c], 4: [d]}\n"))
        #expect(tier.description == "evidence.yaml:8: tier '4' must be 1, 2 or 3")

        let missingTier = try #require(fixture.error(minimal + "approval_rules: {1: [a], 2: [b]}\n"))
        #expect(missingTier.kind == .missingKey && missingTier.message.contains("tier 3"))

        let emptyRole = try #require(fixture.error(minimal + "approval_rules: {1: [a, ''], 2: [b], 3: [c]}\n"))
        #expect(emptyRole.message == "key 'approval_rules.1' must be a list of strings, but item 2 is empty")

        let noRoles = try #require(fixture.error(minimal + "approval_rules: {1: [], 2: [b], 3: [c]}\n"))
        #expect(noRoles.message.contains("at least one role"))

        let repeated = try #require(fixture.error(minimal + "approval_rules: {1: [a, a], 2: [b], 3: [c]}\n"))
        #expect(repeated.message.contains("role 'a' twice"))

        let same = try #require(fixture.error(minimal + "approval_rules: {1: [a], 01: [b], 2: [b], 3: [c]}\n"))
        #expect(same.message.contains("tier 1 is given twice"))

        let notList = try #require(fixture.error(minimal + "approval_rules: [auto]\n"))
        #expect(notList.kind == .wrongType)
    }

    @Test func thresholdsAndWorkingHours() throws {
        let fixture = try ConfigFixture()
        let config = try fixture.parse(minimal + """
            thresholds: {log_gap_hours: 6, review_days: 30}
            working_hours:
              start: "07:30"
              end: 24:00
              days: [fri, Mon, wed]
              timezone_offset: -05:00

            """)
        #expect(config.thresholds == EvidenceConfig.Thresholds(logGapHours: 6, maxSessionHours: 12, reviewDays: 30))
        #expect(config.workingHours == EvidenceConfig.WorkingHours(startMinute: 450, endMinute: 1440, days: [.mon, .wed, .fri],
                                                                   timezoneOffsetMinutes: -300))

        let defaults = try fixture.parse(minimal + "working_hours: {}\n")
        #expect(defaults.workingHours == EvidenceConfig.WorkingHours(startMinute: 480, endMinute: 1140,
                                                                     days: [.mon, .tue, .wed, .thu, .fri], timezoneOffsetMinutes: 0))

        let badTime = try #require(fixture.error(minimal + "working_hours: {start: 8am}\n"))
        #expect(badTime.key == "working_hours.start" && badTime.message.contains("HH:MM"))
        let backwards = try #require(fixture.error(minimal + "working_hours: {start: \"19:00\", end: \"08:00\"}\n"))
        #expect(backwards.message.contains("end after they start"))
        let badDay = try #require(fixture.error(minimal + "working_hours: {days: [monday]}\n"))
        #expect(badDay.message.contains("'monday' is not a day"))
        let badOffset = try #require(fixture.error(minimal + "working_hours: {timezone_offset: +25:00}\n"))
        #expect(badOffset.key == "working_hours.timezone_offset")
    }

    @Test func hostileNamesAreRefused() throws {
        let fixture = try ConfigFixture()
        let framework = try #require(fixture.error(minimal + "frameworks: [../../etc/passwd]\n"))
        #expect(framework.kind == .invalidValue && framework.key == "frameworks")
        let twice = try #require(fixture.error(minimal + "frameworks: [soc2, soc2]\n"))
        #expect(twice.message.contains("listed twice"))
        let none = try #require(fixture.error(minimal + "frameworks: []\n"))
        #expect(none.key == "frameworks" && none.message.contains("lists no framework"))
        let branch = try #require(fixture.error(minimal.replacingOccurrences(of: "{repo: policy-repo}", with: "{repo: policy-repo, branch: --all}")))
        #expect(branch.key == "inputs.policies.branch")
        let path = try #require(fixture.error(minimal.replacingOccurrences(of: "{repo: policy-repo}", with: "{repo: policy-repo, path: ../secrets}")))
        #expect(path.key == "inputs.policies.path")
        let shorthand = try fixture.parse(minimal.replacingOccurrences(of: "{repo: policy-repo}", with: "policy-repo"))
        #expect(shorthand.inputs.policies.repo.display == "policy-repo")
    }

    @Test func yamlProblemsBecomeConfigErrors() throws {
        let fixture = try ConfigFixture()
        try fixture.write("organization: Acme\n\tperiod: 2026-Q3\n", to: "tabs.yaml")
        #expect {
            try EvidenceConfig.load(path: fixture.folder + "/tabs.yaml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.kind == .syntax && error.line == 2 && error.file == fixture.folder + "/tabs.yaml"
                && error.message.contains("tab")
        }
        try fixture.write(minimal + "organization: Other\n", to: "dupe.yaml")
        #expect {
            try EvidenceConfig.load(path: fixture.folder + "/dupe.yaml")
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.kind == .syntax && error.line == 8 && error.message.contains("'organization' appears twice (first at line 1)")
        }
        #expect {
            try EvidenceConfig.load(path: fixture.folder + "/missing.yaml")
        } throws: { error in
            (error as? ConfigError)?.kind == .unreadable
        }
        try fixture.write("a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                          + "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                          + "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
                          to: "bomb.yaml")
        #expect {
            try EvidenceConfig.load(path: fixture.folder + "/bomb.yaml")
        } throws: { error in
            (error as? ConfigError)?.kind == .syntax && "\(error)".contains("alias bomb")
        }
    }
}

extension Period {
    fileprivate func with(label: String) -> Period { Period(label: label, start: start, end: end) }
}
