import Foundation
import Testing
import TestRig
@testable import sbtrfs

/// Every command of the tree run by a normal user on a scratch filesystem, with valid arguments
/// (HostileEnvironmentTests' table, and here the commands it leaves out): no trap, and either
/// success or one `ERROR:` line (warnings aside) that names the kernel's refusal; commands that
/// change things change nothing.
@Suite(.needsRig) struct UnprivilegedCommandTests {
    static let user = "nobody"

    /// Cases for the commands the hostile-environment table has none for, and ones that must
    /// really try a change (`ro true`: setting `ro false` on a writable subvolume asks nothing).
    static func extraCases(_ m: String, vaddr: String, device: String) -> [String: [String]] {
        [
            "device add": ["device", "add", "-f", device, m],
            "device remove": ["device", "remove", "1", m],
            "device delete": ["device", "delete", "1", m],
            "device replace": ["device", "replace", "status", m],
            "device scan": ["device", "scan", device],
            "device ready": ["device", "ready", device],
            "replace start": ["replace", "start", "1", device, m],
            "replace cancel": ["replace", "cancel", m],
            "balance start": ["balance", "start", "-d", m],
            "balance --full-balance": ["balance", "--full-balance", m],
            "balance status": ["balance", "status", m],
            "balance pause": ["balance", "pause", m],
            "balance resume": ["balance", "resume", m],
            "balance cancel": ["balance", "cancel", m],
            "balance least-used": ["balance", "least-used", "--dry-run", m],
            "filesystem dedupe": ["filesystem", "dedupe", m + "/sub/f", "0", "4096", m + "/sub/g", "0"],
            // One file: each file refused is an ERROR line of its own (progs' per-file errors).
            "filesystem defragment": ["filesystem", "defragment", "-v", m + "/sub/f"],
            "filesystem label": ["filesystem", "label", m, "user-label"],
            "filesystem resize": ["filesystem", "resize", "-1M", m],
            "filesystem sync": ["filesystem", "sync", m],
            "inspect-internal block-group-files": ["inspect-internal", "block-group-files", vaddr, m],
            "property set": ["property", "set", "-t", "subvol", m + "/sub", "ro", "true"],
            "qgroup assign": ["qgroup", "assign", "0/256", "1/1", m],
            "qgroup remove": ["qgroup", "remove", "0/256", "1/1", m],
            "qgroup create": ["qgroup", "create", "1/1", m],
            "qgroup destroy": ["qgroup", "destroy", "1/1", m],
            "qgroup limit": ["qgroup", "limit", "1G", "0/256", m],
            "qgroup show": ["qgroup", "show", m],
            "qgroup clear-stale": ["qgroup", "clear-stale", m],
            "quota enable": ["quota", "enable", m],
            "quota disable": ["quota", "disable", m],
            "quota rescan": ["quota", "rescan", m],
            "scrub start": ["scrub", "start", "-B", m],
            "scrub resume": ["scrub", "resume", "-B", m],
            "scrub status": ["scrub", "status", m],
            "scrub cancel": ["scrub", "cancel", m],
            "subvolume set-received-uuid": ["subvolume", "set-received-uuid", "0b8e5c86-1d8f-4b3a-9a51-6e0d8f7f3e21", "7", "1234.5", m + "/sub"],
        ]
    }

    /// Invocations that are no command path of their own (progs' `btrfs balance <path>`).
    static func extraInvocations(_ m: String) -> [[String]] { [["balance", m]] }

    /// A trap: SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV.
    static let trapStatuses: Set<Int32> = [132, 133, 134, 135, 136, 139]

    /// What root sees of everything a refused command could have changed.
    static func state(_ m: String) throws -> String {
        let script = """
            m=$1
            btrfs subvolume list -a "$m" | sed 's/ gen [0-9]*//'; btrfs filesystem label "$m"; btrfs property get "$m/sub" ro
            btrfs qgroup show "$m" 2>&1; btrfs filesystem show --raw "$m" | grep -o 'devid *[0-9]* size [0-9]*'; btrfs subvolume get-default "$m"
            btrfs balance status "$m"; btrfs subvolume show "$m/sub" | grep -i received; sha256sum "$m/sub/f" "$m/sub/g"
            ls "$m"
            """
        return try Rig.run(["/bin/sh", "-c", script, "sh", m]).stdout
    }

    static func command(_ path: [String], in group: Group) -> Command? {
        guard let first = path.first, let node = group.children.first(where: { $0.name == first }) else { return nil }
        switch node {
        case .group(let sub): return command(Array(path.dropFirst()), in: sub)
        case .command(let c): return path.count == 1 ? c : nil
        }
    }

    @Test func everyCommandAsNormalUser() throws {
        try Rig.withFilesystem(FSSpec()) { fs in
            let m = fs.mountPoint
            // A scrub record (root's, mode 0600) for `scrub status` to be refused.
            try Rig.sh("""
                btrfs -q subvolume create \(m)/sub && head -c 262144 /dev/urandom > \(m)/sub/f && cp \(m)/sub/f \(m)/sub/g \
                && btrfs -q subvolume create \(m)/del-user && btrfs -q subvolume snapshot -r \(m)/sub \(m)/sub-ro \
                && sync && btrfs scrub start -B \(m) > /dev/null \
                && btrfs -q send -f \(m)/sub-ro.stream \(m)/sub-ro && chmod 644 \(m)/sub-ro.stream && mkdir \(m)/recv-user
                """)
            let block = try Rig.sh("filefrag -v \(m)/sub/f | awk '$1 == \"0:\" { print $4 }'").stdout
            let logical = String((UInt64(block.prefix { $0.isNumber }) ?? 0) * 4096)
            let chunks = try Rig.python("""
                import btrfs, sys
                print([c.vaddr for c in btrfs.FileSystem(sys.argv[1]).chunks() if c.type & 1][0])
                """, args: [m])
            let vaddr = chunks.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(chunks.status == 0 && !vaddr.isEmpty, "\(chunks)")

            let root = CommandTree.root()
            let paths = commandPaths(root, visibleOnly: false)
            var cases = HostileEnvironmentTests.cases(m, logical: logical, tag: "user").mapValues(\.args)
            cases.merge(Self.extraCases(m, vaddr: vaddr, device: fs.devices[0])) { _, extra in extra }
            let uncovered = paths.map { $0.joined(separator: " ") }.filter { cases[$0] == nil }
            #expect(uncovered.isEmpty, "commands without a case here or in HostileEnvironmentTests: \(uncovered)")

            let before = try Self.state(m)
            var runs: [[String]] = Self.extraInvocations(m)
            for path in paths {
                // A new command without a case still has to get as far as its --help.
                guard let args = cases[path.joined(separator: " ")] else {
                    runs.append(path + ["--help"])
                    continue
                }
                runs.append(args)
                if Self.command(path, in: root)?.supportsJSON == true { runs.append(["--format", "json"] + args) }
            }
            var refused = 0
            for args in runs {
                let monitor = args.contains("orphan-cleaner-progress") ? ["timeout", "--preserve-status", "-s", "INT", "1"] : []
                let r = try Rig.run(monitor + [Rig.sbtrfsPath] + args, asUser: Self.user)
                let line = "sbtrfs \(args.joined(separator: " ")) as \(Self.user)"
                #expect(!Self.trapStatuses.contains(r.status) && !r.stderr.contains("Fatal error"), "\(line): a trap\n\(r)")
                if r.status == 0 || (r.status == 130 && !monitor.isEmpty) {
                    if args.first == "--format" && !args.contains("heatmap") {
                        #expect((try? JSONSerialization.jsonObject(with: Data(r.stdoutBytes))) != nil, "\(line): not JSON\n\(r)")
                    }
                    continue
                }
                refused += 1
                let lines = r.stderr.split(separator: "\n")
                let errors = lines.filter { $0.hasPrefix("ERROR: ") }
                // filesystem defragment ends with progs' count of the files that failed.
                let summary = { (line: Substring) in line.hasPrefix("total ") && line.hasSuffix(" failures") }
                #expect(errors.count == 1 && lines.allSatisfy { $0.hasPrefix("ERROR: ") || $0.hasPrefix("WARNING: ") || summary($0) },
                        "\(line): one ERROR line (and warnings)\n\(r)")
                let why = errors.first.map(String.init) ?? ""
                #expect(["Operation not permitted", "Permission denied", "permission", "root"].contains { why.contains($0) },
                        "\(line): the ERROR line does not say that privileges are needed\n\(r)")
            }
            #expect(refused > 20, "the user was refused only \(refused) times: the cases do not reach the kernel")
            expectSameText(try Self.state(m), before, "what root sees after the user's commands")
        }
    }
}
