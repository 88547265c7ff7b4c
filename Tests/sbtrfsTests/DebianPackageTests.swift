import Foundation
import Testing
import TestRig

/// `make deb`: the package dpkg-deb builds holds the binary, man pages, completions, systemd units
/// and docs; `dpkg -i` installs it on this machine, the installed sbtrfs runs, the units pass
/// `systemd-analyze verify`, the service's command writes node_exporter's textfile, and `dpkg -r`
/// leaves none of it behind. The binary packaged is the one under test (the release build takes
/// minutes; `make deb` without DEB_BIN packages that).
@Suite(.needsRig, .needsTool("/usr/bin/dpkg-deb", what: "dpkg-deb"))
struct DebianPackageTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let units = ["/lib/systemd/system/sbtrfs-metrics.service", "/lib/systemd/system/sbtrfs-metrics.timer"]

    /// dpkg refuses while apt runs elsewhere on the machine: wait for the lock (up to a minute).
    static func dpkg(_ arguments: [String]) throws -> ProcessResult {
        var result = try Rig.run(["dpkg"] + arguments)
        for _ in 0..<60 where result.status != 0 && result.stderr.contains("lock") {
            sleep(1)
            result = try Rig.run(["dpkg"] + arguments)
        }
        return result
    }

    static func installedStatus() throws -> String {
        try Rig.run(["dpkg-query", "-W", "-f=${Status}", "sbtrfs"]).stdout
    }

    @Test func debBuildsInstallsAndRemovesCleanly() throws {
        // Never replace a real installation of sbtrfs on the machine running the tests.
        guard !(try Self.installedStatus()).contains("installed") else {
            Issue.record("a package named sbtrfs is installed on this machine; remove it to run this test")
            return
        }
        let work = try Rig.sh("mktemp -d /tmp/sbtrfs-deb-XXXXXX").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let built = try Rig.run(["make", "-s", "-C", Self.repository, "deb", "DEB_BIN=\(Rig.sbtrfsPath)", "DEB_OUT=\(work)"])
        #expect(built.status == 0, "\(built)")
        let deb = try #require(built.stdout.split(separator: "\n").last.map(String.init))
        #expect(deb.hasSuffix(".deb") && FileManager.default.fileExists(atPath: deb), "\(built)")

        let version = try Rig.sbtrfs(["--version"]).stdout
        let fields = try Rig.run(["dpkg-deb", "-f", deb, "Package", "Version"]).stdout
        #expect(fields == "Package: sbtrfs\nVersion: \(version.replacingOccurrences(of: "sbtrfs v", with: ""))")
        let listing = try Rig.run(["dpkg-deb", "-c", deb]).stdout
        let manPages = try Rig.sbtrfs(["completion", "man"]).stdout.split(separator: "\n")
        var expected = ["./usr/bin/sbtrfs", "./usr/share/bash-completion/completions/sbtrfs",
                        "./usr/share/zsh/vendor-completions/_sbtrfs", "./usr/share/fish/vendor_completions.d/sbtrfs.fish",
                        "./usr/share/doc/sbtrfs/README.md", "./usr/share/doc/sbtrfs/Metrics.md",
                        "./usr/share/doc/sbtrfs/prometheus/sbtrfs.rules.yml"] + Self.units.map { "." + $0 }
        expected += manPages.map { "./usr/share/man/man8/\($0).8.gz" }
        for path in expected {
            #expect(listing.contains(" \(path)\n"), "\(path) missing from the package:\n\(listing)")
        }
        #expect(manPages.count >= 5)

        let install = try Self.dpkg(["-i", deb])
        #expect(install.status == 0, "\(install)")
        defer { if (try? Self.installedStatus())?.contains("installed") == true { _ = try? Self.dpkg(["-r", "sbtrfs"]) } }
        let files = try Rig.run(["dpkg", "-L", "sbtrfs"]).stdout.split(separator: "\n").map(String.init)
        #expect(files.contains("/usr/bin/sbtrfs"))
        let installed = try Rig.run(["/usr/bin/sbtrfs", "--version"])
        #expect(installed.status == 0 && installed.stdout == version, "\(installed)")
        #expect(try Rig.run(["man", "-w", "sbtrfs-filesystem"]).stdout.hasPrefix("/usr/share/man/man8/sbtrfs-filesystem.8"))

        if FileManager.default.isExecutableFile(atPath: "/usr/bin/systemd-analyze") {
            let verify = try Rig.run(["systemd-analyze", "verify"] + Self.units)
            #expect(verify.status == 0 && verify.stderr.isEmpty, "\(verify)")
        }
        // The service's own command line, run as systemd would (minus the sandbox).
        let service = try String(contentsOfFile: Self.units[0], encoding: .utf8)
        let exec = try #require(service.split(separator: "\n").first { $0.hasPrefix("ExecStart=") }?.dropFirst("ExecStart=".count))
        #expect(exec == "/usr/bin/sbtrfs filesystem metrics --all -o /var/lib/prometheus/node-exporter/sbtrfs.prom")
        let textfile = "/var/lib/prometheus/node-exporter/sbtrfs.prom"
        try FileManager.default.createDirectory(atPath: "/var/lib/prometheus/node-exporter", withIntermediateDirectories: true)
        // `--all` reports what is mounted: mount a filesystem of our own, so that the run does not
        // depend on other tests' mounts (CI failed once when none was mounted at that moment).
        try Rig.withFilesystem(FSSpec()) { fs in
            let uuid = try Rig.run(["findmnt", "-n", "-o", "UUID", fs.mountPoint]).stdout
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let ran = try Rig.run(exec.split(separator: " ").map(String.init))
            #expect(ran.status == 0, "\(ran)")
            let samples = try MetricsTests.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: textfile))))
            #expect(!uuid.isEmpty && samples.contains { $0.name == "sbtrfs_info" && $0.labels["uuid"] == uuid },
                    "no sbtrfs_info for \(uuid) in \(textfile)")
        }
        // As if the administrator had enabled the timer.
        try Rig.sh("mkdir -p /etc/systemd/system/timers.target.wants && ln -sf \(Self.units[1]) /etc/systemd/system/timers.target.wants/sbtrfs-metrics.timer")

        let remove = try Self.dpkg(["-r", "sbtrfs"])
        #expect(remove.status == 0, "\(remove)")
        #expect(try Self.installedStatus().isEmpty, "dpkg still knows the package")
        var isDirectory: ObjCBool = false
        let left = files.filter { FileManager.default.fileExists(atPath: $0, isDirectory: &isDirectory) && !isDirectory.boolValue }
        #expect(left.isEmpty, "left behind: \(left)")
        #expect(!FileManager.default.fileExists(atPath: "/usr/share/doc/sbtrfs"))
        #expect(!FileManager.default.fileExists(atPath: textfile))
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: "/etc/systemd/system/timers.target.wants/sbtrfs-metrics.timer")) == nil)
        #expect(try Rig.run(["sh", "-c", "ls /var/lib/dpkg/info/sbtrfs.* 2>/dev/null"]).stdout.isEmpty)
    }

    /// `make install` puts the units under PREFIX, with PREFIX's sbtrfs in ExecStart; `make uninstall` takes them away.
    @Test func installPlacesTheUnitsUnderPrefix() throws {
        let destdir = try Rig.sh("mktemp -d /tmp/sbtrfs-destdir-XXXXXX").stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        defer { try? FileManager.default.removeItem(atPath: destdir) }
        let make = ["make", "-s", "-C", Self.repository, "DESTDIR=\(destdir)", "PREFIX=/opt/sbtrfs-test"]
        let installed = try Rig.run(make + ["install-units"])
        #expect(installed.status == 0, "\(installed)")
        let unitdir = destdir + "/opt/sbtrfs-test/lib/systemd/system"
        let service = try String(contentsOfFile: unitdir + "/sbtrfs-metrics.service", encoding: .utf8)
        #expect(service.contains("\nExecStart=/opt/sbtrfs-test/bin/sbtrfs filesystem metrics --all -o /var/lib/prometheus/node-exporter/sbtrfs.prom\n"))
        #expect(service.contains("\nReadWritePaths=-/var/lib/prometheus/node-exporter\n") && !service.contains("@"))
        let timer = try String(contentsOfFile: unitdir + "/sbtrfs-metrics.timer", encoding: .utf8)
        #expect(timer.contains("\nOnUnitActiveSec=1min\n") && timer.contains("\nWantedBy=timers.target\n"))
        let removed = try Rig.run(make + ["uninstall"])
        #expect(removed.status == 0, "\(removed)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: unitdir).isEmpty)
    }
}
