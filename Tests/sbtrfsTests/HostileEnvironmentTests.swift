import Foundation
import Testing
import TestRig
@testable import sbtrfs

/// Every command of the tree in the places rescue shells and daemons run it: without /proc (a mount
/// namespace whose /proc is an empty tmpfs) and with almost no free file descriptors. Each run
/// either works as it does normally (same stdout) or says why in one `ERROR:` line and exits
/// non-zero; it never aborts and never falls back to the top-level usage (the command line lost).
@Suite struct HostileEnvironmentTests {
    /// Valid arguments for the commands on `m` (a scratch mount holding subvolume `sub`);
    /// `tag` keeps the names a changing command creates apart between runs. A command is
    /// `readOnly` when two runs print the same.
    static func cases(_ m: String, logical: String, tag: String) -> [String: (args: [String], readOnly: Bool)] {
        [
            "completion bash": (["completion", "bash"], true),
            "completion zsh": (["completion", "zsh"], true),
            "completion fish": (["completion", "fish"], true),
            "completion man": (["completion", "man"], true),
            "device stats": (["device", "stats", m], true),
            "replace status": (["replace", "status", m], true),
            "device usage": (["device", "usage", m], true),
            "filesystem compsize": (["filesystem", "compsize", m], true),
            "filesystem df": (["filesystem", "df", m], true),
            "filesystem defragment": (["filesystem", "defragment", "-v", "-r", m + "/sub"], true),
            "filesystem du": (["filesystem", "du", m], true),
            "filesystem show": (["filesystem", "show", m], true),
            "filesystem usage": (["filesystem", "usage", m], true),
            "filesystem usage-report": (["filesystem", "usage-report", m], true),
            "filesystem heatmap": (["filesystem", "heatmap", "--size", "6", "-o", "-", m], false),  // metadata moves on any commit
            "filesystem metrics": (["filesystem", "metrics", m], false),  // commit counters move
            "filesystem space-calculator": (["filesystem", "space-calculator", "-m", "dup", "-d", "single", "10G"], true),
            "inspect-internal search-metadata": (["inspect-internal", "search-metadata", "chunks", m], true),
            "inspect-internal inode-resolve": (["inspect-internal", "inode-resolve", "257", m + "/sub"], true),
            "inspect-internal logical-resolve": (["inspect-internal", "logical-resolve", logical, m], true),
            "inspect-internal min-dev-size": (["inspect-internal", "min-dev-size", m], true),
            "inspect-internal tree-sizes": (["inspect-internal", "tree-sizes", m], false),  // the fs changes between runs
            "inspect-internal free-space-fragmentation": (["inspect-internal", "free-space-fragmentation", m], false),
            "inspect-internal file-csum": (["inspect-internal", "file-csum", m + "/sub/f"], true),
            "inspect-internal rootid": (["inspect-internal", "rootid", m + "/sub"], true),
            "inspect-internal subvolid-resolve": (["inspect-internal", "subvolid-resolve", "256", m], true),
            "property get": (["property", "get", "-t", "subvol", m + "/sub", "ro"], true),
            "property set": (["property", "set", "-t", "subvol", m + "/sub", "ro", "false"], true),
            "property list": (["property", "list", "-t", "subvol", m + "/sub"], true),
            "subvolume create": (["subvolume", "create", "\(m)/new-\(tag)"], false),
            "subvolume delete": (["subvolume", "delete", "\(m)/del-\(tag)"], false),
            "subvolume list": (["subvolume", "list", m], false),
            "subvolume snapshot": (["subvolume", "snapshot", m + "/sub", "\(m)/snap-\(tag)"], false),
            "subvolume get-default": (["subvolume", "get-default", m], true),
            "subvolume set-default": (["subvolume", "set-default", "5", m], true),
            "subvolume find-new": (["subvolume", "find-new", m + "/sub", "0"], true),
            "subvolume show": (["subvolume", "show", m + "/sub"], true),
            "subvolume sync": (["subvolume", "sync", m], true),
            "subvolume orphan-cleaner-progress": (["subvolume", "orphan-cleaner-progress", m], false),
            "send": (["send", "-q", m + "/sub-ro"], true),
            // -m: the root mount named, so no mount table is needed; -q: a refusal is its ERROR line alone.
            "receive": (["receive", "-q", "-m", m, "-f", m + "/sub-ro.stream", "\(m)/recv-\(tag)"], true),
            "help": (["help", "--full"], true),
            "version": (["version"], true),
        ]
    }

    /// Runs `args` through `wrapper` (argv before the binary); a monitor gets SIGINT after a second.
    static func run(_ wrapper: [String], _ args: [String]) throws -> ProcessResult {
        let monitor = args.contains("orphan-cleaner-progress") ? ["timeout", "--preserve-status", "-s", "INT", "1"] : []
        return try Rig.run(monitor + wrapper + [Rig.sbtrfsPath] + args)
    }

    /// Each command under `wrapper`, against a normal run of the same command.
    static func everyCommand(under wrapper: [String], _ what: String) throws {
        // noatime: compsize, du and defragment read the trees first; their atime updates, committed by
        // another suite's sync(2) between a normal and a hostile run, would move metadata blocks.
        try Rig.withFilesystem(FSSpec(mountOptions: ["noatime"])) { fs in
            let m = fs.mountPoint
            try Rig.sh("btrfs -q subvolume create \(m)/sub && head -c 262144 /dev/urandom > \(m)/sub/f && sync"
                       + " && btrfs -q subvolume snapshot -r \(m)/sub \(m)/sub-ro && btrfs -q send -f \(m)/sub-ro.stream \(m)/sub-ro"
                       + " && mkdir \(m)/recv-normal \(m)/recv-hostile")
            // The file's first extent, from FIEMAP (on btrfs its "physical" offset is the logical address).
            let block = try Rig.sh("filefrag -v \(m)/sub/f | awk '$1 == \"0:\" { print $4 }'").stdout
            let logical = String((UInt64(block.prefix { $0.isNumber }) ?? 0) * 4096)
            let paths = commandPaths(CommandTree.root(), visibleOnly: false).map { $0.joined(separator: " ") }
            let known = cases(m, logical: logical, tag: "")
            #expect(Set(known.keys).isSubset(of: paths), "every case names a command of the tree")
            // Most commands have a case; one without (a new command, until it gets one) still shows
            // that its command line arrived: its --help is the same as in a normal run.
            #expect(paths.filter { known[$0] == nil }.count <= paths.count / 2, "most commands have a case")
            for name in paths.sorted() where known[name] == nil {
                let args = name.split(separator: " ").map(String.init) + ["--help"]
                let normal = try run([], args), hostile = try run(wrapper, args)
                #expect(hostile.status == normal.status && hostile.stdout == normal.stdout && hostile.stderr == normal.stderr,
                        "sbtrfs \(args.joined(separator: " ")) \(what)\n\(hostile)")
            }
            for name in paths.sorted() {
                guard known[name] != nil else { continue }
                if name == "subvolume delete" {
                    try Rig.sh("btrfs -q subvolume create \(m)/del-normal && btrfs -q subvolume create \(m)/del-hostile")
                }
                let normal = try run([], cases(m, logical: logical, tag: "normal")[name]!.args)
                let (args, readOnly) = cases(m, logical: logical, tag: "hostile")[name]!
                let hostile = try run(wrapper, args)
                let line = "sbtrfs \(args.joined(separator: " ")) \(what)"
                #expect([0, 130].contains(normal.status), "\(line): the case itself works\n\(normal)")
                #expect(!hostile.stdout.contains("Any command name can be shortened"),
                        "\(line): the command line was lost\n\(hostile)")
                if hostile.status == 0 || hostile.status == 130 {
                    if readOnly { #expect(hostile.stdout == normal.stdout, "\(line): differs from a normal run") }
                } else {
                    let lines = hostile.stderr.split(separator: "\n")
                    // stdout may hold what progs too prints before trying ("Create a snapshot of …").
                    #expect(lines.count == 1 && hostile.stderr.hasPrefix("ERROR: ") && hostile.status < 128,
                            "\(line): one ERROR line\n\(hostile)")
                }
            }
        }
    }

    /// Four descriptors: the three standard ones and one more (the dynamic loader needs it to map
    /// the libraries of a debug build; the static release binary also runs with three).
    @Test(.needsRig) func everyCommandWithFourFileDescriptors() throws {
        try Self.everyCommand(under: ["prlimit", "--nofile=4", "--"], "with RLIMIT_NOFILE 4")
    }

    /// Why a sanitized build cannot run without /proc: the runtime reads its options from
    /// /proc/self/environ, the binary's name from /proc/self/exe and the stack's bounds from
    /// /proc/self/maps, and writes warnings about each (and a leak checker's failure) to stderr.
    static let sanitizerNeedsProc = "its runtime reads /proc (options, binary name, stack bounds) and warns on stderr without it"

    /// /proc over-mounted by an empty tmpfs in a private mount namespace: the command line and
    /// everything that does not need the mount table work; the rest says that it needs it.
    @Test(.needsRig, .notSanitized(Self.sanitizerNeedsProc)) func everyCommandWithoutProc() throws {
        let hideProc = "mount --make-rprivate / && mount -t tmpfs none /proc && exec \"$@\""
        try Self.everyCommand(under: ["unshare", "-m", "sh", "-c", hideProc, "sh"], "without /proc")
    }

    /// What truly needs /proc names it: the mount table.
    @Test(.needsRig, .notSanitized(Self.sanitizerNeedsProc)) func mountTableErrorNamesProc() throws {
        try Rig.withFilesystem(FSSpec()) { fs in
            let hideProc = "mount --make-rprivate / && mount -t tmpfs none /proc && exec \"$@\""
            let r = try Rig.run(["unshare", "-m", "sh", "-c", hideProc, "sh", Rig.sbtrfsPath, "filesystem", "show"])
            #expect(r.status == 1 && r.stdout.isEmpty)
            #expect(r.stderr == "ERROR: cannot read the mount table /proc/self/mounts: No such file or directory\n")
            // The same command with /proc there lists the scratch filesystem.
            #expect(try Rig.sbtrfs(["filesystem", "show"]).stdout.contains(fs.devices[0]))
        }
    }
}
