import Foundation

/// Headless Chromium from the system packages (`scripts/browser-check.sh --install` installs it), run
/// with the network blocked: every request goes to a proxy that refuses (127.0.0.1:9) and every host
/// name resolves to nothing, so nothing can leave the machine whatever a page asks for.
///
/// What a page attempted is read back from Chromium itself: the NetLog (`--log-net-log`) records every
/// URL request with its initiator, and `--enable-logging=stderr` writes each console message as a
/// `CONSOLE` line. The net::ERR lines of the log are not used: Chromium does not log failed
/// subresource loads there, so their absence would prove nothing.
struct HeadlessChromium {
    /// The browser found on PATH as `chromium` or `chromium-browser`, or nil.
    static let executable: String? = {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for name in ["chromium", "chromium-browser"] {
            for folder in path.split(separator: ":") {
                let candidate = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
        }
        return nil
    }()

    /// One page rendered: what Chromium wrote and what it logged.
    struct Run {
        var log: String
        var netLog: Data?
    }

    let executable: String
    /// Scratch folder for profiles and logs.
    let work: URL
    /// A run that takes longer than this is stopped and fails; a page renders in about a second.
    var timeout: TimeInterval = 90

    static let blockedNetwork = [
        "--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
        "--no-first-run", "--no-default-browser-check",
    ]

    /// A PNG screenshot of `page` at 1280×2000, recording the NetLog.
    func screenshot(_ page: URL, to png: URL) throws -> Run {
        let netLog = work.appendingPathComponent(png.deletingPathExtension().lastPathComponent + ".netlog.json")
        let log = try run(page, name: png.lastPathComponent, extra: [
            "--window-size=1280,2000", "--screenshot=\(png.path)", "--log-net-log=\(netLog.path)",
        ])
        return Run(log: log, netLog: try? Data(contentsOf: netLog))
    }

    /// `page` printed to PDF with the page's own @page settings and no browser header or footer.
    func printPDF(_ page: URL, to pdf: URL) throws -> Run {
        let netLog = work.appendingPathComponent(pdf.deletingPathExtension().lastPathComponent + "-pdf.netlog.json")
        let log = try run(page, name: pdf.lastPathComponent, extra: [
            "--no-pdf-header-footer", "--print-to-pdf=\(pdf.path)", "--log-net-log=\(netLog.path)",
        ])
        return Run(log: log, netLog: try? Data(contentsOf: netLog))
    }

    private func run(_ page: URL, name: String, extra: [String]) throws -> String {
        let profile = work.appendingPathComponent("profile-\(name)")
        let logURL = work.appendingPathComponent("\(name).log")
        guard FileManager.default.createFile(atPath: logURL.path, contents: nil) else {
            throw ChromiumError(message: "cannot create the log file \(logURL.path)")
        }
        let logHandle = try FileHandle(forWritingTo: logURL)
        defer { try? logHandle.close() }

        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             "--enable-logging=stderr", "--v=0", "--user-data-dir=\(profile.path)"]
            + Self.blockedNetwork + extra + [page.absoluteString]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = logHandle
        let finished = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in finished.signal() }
        try process.run()
        if finished.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            finished.wait()
            throw ChromiumError(message: "chromium did not finish rendering \(page.lastPathComponent) within \(Int(timeout)) s")
        }
        let log = (try? String(contentsOf: logURL, encoding: .utf8)) ?? ""
        guard process.terminationStatus == 0 else {
            throw ChromiumError(message: "chromium exited with status \(process.terminationStatus) for \(page.lastPathComponent): \(log.suffix(2000))")
        }
        return log
    }

    /// The console messages in a Chromium log (`...:INFO:CONSOLE:12] "message", source: ...`).
    static func consoleMessages(in log: String) -> [String] {
        log.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
    }

    /// The URLs of the requests a page started, from a NetLog: every URL_REQUEST_START_JOB with an
    /// initiator. Chromium's own background requests (update checks and the like) have the initiator
    /// "not an origin" and are left out; they go to the refusing proxy all the same.
    static func pageRequests(inNetLog data: Data) throws -> [String] {
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let constants = root["constants"] as? [String: Any],
              let types = constants["logEventTypes"] as? [String: Int],
              let startJob = types["URL_REQUEST_START_JOB"],
              let events = root["events"] as? [[String: Any]]
        else { throw ChromiumError(message: "the NetLog does not have the expected constants and events") }
        var urls: [String] = []
        for event in events where (event["type"] as? Int) == startJob {
            guard let params = event["params"] as? [String: Any], let url = params["url"] as? String else { continue }
            let initiator = params["initiator"] as? String
            let isolation = params["network_isolation_key"] as? String ?? ""
            if (initiator != nil && initiator != "not an origin") || isolation.contains("file:") {
                urls.append(url)
            }
        }
        return urls
    }

    /// The number of page objects (`/Type /Page`, not `/Pages`) in a PDF that Chromium wrote.
    static func pdfPageCount(_ data: Data) -> Int {
        let text = String(decoding: data, as: Unicode.ASCII.self)
        guard let pattern = try? NSRegularExpression(pattern: "/Type\\s*/Page(?![A-Za-z])") else { return -1 }
        return pattern.numberOfMatches(in: text, range: NSRange(text.startIndex..., in: text))
    }
}

struct ChromiumError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
