import EvidenceKit
import Foundation

/// Steps the commands share: loading the config with command-line overrides, and the bundle's date.
enum RunSetup {
    /// A bad `--period` is a usage error (exit 2), like any other bad option value.
    static func loadConfig(_ arguments: ParsedArguments, spec: CommandSpec) throws -> EvidenceConfig {
        var config = try EvidenceConfig.load(path: arguments["config"] ?? "evidence.yaml")
        if let period = arguments["period"] {
            do {
                config.period = try Period.parse(period)
                config.commandLineOverrides["period"] = period
            } catch {
                throw UsageError.invalid(spec, "--period: \(error.message)")
            }
        }
        return config
    }
}

extension RunSetup {
    /// The bundle's generation time: `--as-of`, else SOURCE_DATE_EPOCH (reproducible builds), else nil (now).
    static func asOf(_ arguments: ParsedArguments) throws -> Int64? {
        if let text = arguments["as-of"] {
            guard let ms = Timestamp.parse(text) ?? Timestamp.parseDate(text) else {
                throw UsageError.invalid(BuildCommand.spec, "--as-of '\(text)' is not an RFC 3339 time such as 2026-10-01T00:00:00Z")
            }
            return ms
        }
        if let epoch = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"], !epoch.isEmpty {
            guard let seconds = Int64(epoch), seconds >= 0, seconds < 253_402_300_800 else {
                throw UsageError.invalid(BuildCommand.spec, "SOURCE_DATE_EPOCH '\(epoch)' is not a count of seconds since 1970")
            }
            return seconds * 1000
        }
        return nil
    }
}
