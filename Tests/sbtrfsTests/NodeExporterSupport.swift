import Foundation
import TestRig

/// A node_exporter of the test's own on 127.0.0.1:<free port>, its textfile collector reading
/// `textfileDirectory`; never the packaged service (which may or may not run on this machine).
/// Only the btrfs and textfile collectors run, and the btrfs collector sees only the filesystem
/// under test, through a sysfs of its own: node_exporter 1.5 panics (and exits) on a btrfs whose
/// label is not UTF-8, and other tests mount such filesystems at the same time.
final class NodeExporter {
    static let binary = "/usr/bin/prometheus-node-exporter"
    let process = Process()
    let port: Int
    let logURL: URL

    /// Starts it and waits until it answers; a port taken between choosing and binding is
    /// tried again with another.
    static func start(textfileDirectory: String, filesystem uuid: String, btrfsCollector: Bool = true) throws -> NodeExporter {
        let sysfs = textfileDirectory + ".sysfs"
        try FileManager.default.createDirectory(atPath: sysfs + "/fs/btrfs", withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: sysfs + "/fs/btrfs/" + uuid) {
            try FileManager.default.createSymbolicLink(atPath: sysfs + "/fs/btrfs/" + uuid, withDestinationPath: "/sys/fs/btrfs/" + uuid)
        }
        let arguments = ["--path.sysfs=" + sysfs, "--collector.disable-defaults", "--collector.textfile"]
            + (btrfsCollector ? ["--collector.btrfs"] : [])
        var lastLog = ""
        for _ in 0..<3 {
            let exporter = try NodeExporter(textfileDirectory: textfileDirectory, arguments: arguments)
            if exporter.waitUntilListening() { return exporter }
            lastLog = exporter.stop()
        }
        throw RigError("node_exporter did not start:\n\(lastLog)")
    }

    private init(textfileDirectory: String, arguments: [String]) throws {
        port = try Self.freePort()
        logURL = URL(fileURLWithPath: textfileDirectory + "/../node_exporter-\(port).log")
        _ = FileManager.default.createFile(atPath: logURL.path, contents: nil)
        let log = try FileHandle(forWritingTo: logURL)
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = ["--web.listen-address=127.0.0.1:\(port)",
                             "--collector.textfile.directory=\(textfileDirectory)"] + arguments
        process.standardOutput = log
        process.standardError = log
        try process.run()
        try? log.close()
    }

    /// A port the kernel just handed out on the loopback address (bound, read, released).
    static func freePort() throws -> Int {
        let r = try Rig.python("import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
        guard r.status == 0, let port = Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            throw RigError("no free port: \(r)")
        }
        return port
    }

    private func waitUntilListening() -> Bool {
        for _ in 0..<100 {
            if !process.isRunning { return false }
            if log.contains("Listening on") { return true }
            usleep(50_000)
        }
        return false
    }

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    /// GET /metrics over HTTP on the loopback address.
    func scrape() throws -> [UInt8] {
        let r = try Rig.python("""
            import sys, urllib.request
            sys.stdout.buffer.write(urllib.request.urlopen('http://127.0.0.1:\(port)/metrics', timeout=20).read())
            """)
        guard r.status == 0 else { throw RigError("scrape of 127.0.0.1:\(port) failed: \(r)\nnode_exporter log:\n\(log)") }
        return r.stdoutBytes
    }

    /// Stops it (SIGTERM, then waits) and returns its log; the log file is removed.
    @discardableResult
    func stop() -> String {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        let text = log
        try? FileManager.default.removeItem(at: logURL)
        return text
    }
}
