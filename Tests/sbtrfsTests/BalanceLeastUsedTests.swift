import Foundation
import Testing
import TestRig

/// `balance least-used` against python-btrfs's btrfs-balance-least-used: the same order (its own
/// heap code run on the same filesystem), about the same space won back on a twin, every file
/// intact; SIGINT cancels the relocation at hand and leaves no balance behind.
@Suite(.needsRig, .needsTool("/usr/bin/btrfs-balance-least-used", what: "python3-btrfs"))
struct BalanceLeastUsedTests {
    typealias Background = BalanceFixture.Background
    static let program = "/usr/bin/btrfs-balance-least-used"

    /// Every line python-btrfs's program prints on a run that ends well, for `-u usage`.
    static func isProgramLine(_ line: Substring, usage: Int) -> Bool {
        let pattern = #"^(Loading block group objects with used_pct <= "# + "\(usage)" + #" \.\.\. found \d+|Balance block group vaddr \d+ used_pct \d+ \.\.\. duration \d+ sec total \d+|(Postponing|Ignoring) block group vaddr \d+ used_pct changed \d+ -> \d+|Nothing to do, least used block group has used_pct \d+)$"#
        return line.range(of: pattern, options: .regularExpression) != nil
    }

    /// python-btrfs's program, its own functions, walking its heap as it would but balancing
    /// nothing: the lines it would print, `Would balance` where it would balance.
    static func pythonOrder(_ mnt: String, usage: Int) throws -> String {
        let r = try Rig.python("""
            import btrfs, heapq, sys, importlib.machinery, importlib.util
            loader = importlib.machinery.SourceFileLoader('least_used', sys.argv[1])
            spec = importlib.util.spec_from_loader('least_used', loader)
            program = importlib.util.module_from_spec(spec)
            loader.exec_module(program)
            max_used_pct = int(sys.argv[3])
            with btrfs.FileSystem(sys.argv[2]) as fs:
                min_used_pct, block_groups = program.load_block_groups(fs, max_used_pct)
                if len(block_groups) == 0:
                    print("Nothing to do, least used block group has used_pct {}".format(min_used_pct))
                while len(block_groups) > 0:
                    used_pct, bg = block_groups[0]
                    program_balance = btrfs.ioctl.balance_v2
                    def dry(fd, data_args=None, **kwargs):
                        print("\\rWould balance block group vaddr {} used_pct {}".format(data_args.vstart, used_pct))
                        raise KeyboardInterrupt
                    btrfs.ioctl.balance_v2 = dry
                    try:
                        program.balance_one_block_group(fs, block_groups, max_used_pct)
                    except KeyboardInterrupt:
                        pass
                    btrfs.ioctl.balance_v2 = program_balance
            """, args: [program, mnt, "\(usage)"])
        guard r.status == 0 else { throw RigError("python dry run failed: \(r)") }
        // Its "Balance block group … ..." prefix and " duration" suffix around the dry line go.
        return r.stdout.split(separator: "\n", omittingEmptySubsequences: false).compactMap { line -> String? in
            if let dry = line.range(of: "\rWould balance ") { return "Would balance " + line[dry.upperBound...] }
            return line.hasPrefix(" duration") ? nil : String(line)
        }.joined(separator: "\n")
    }

    @Test func dryRunListsPythonsOrderAndChangesNothing() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let mnt = fs.mountPoint
            try BalanceFixture.fragment(mnt, files: 150)
            let before = try BalanceFixture.chunkTree(mnt)
            for usage in [100, 50, 0] {
                let ours = try Rig.sbtrfs(["balance", "least-used", "--dry-run", "-u", "\(usage)", mnt])
                #expect(ours.status == 0 && ours.stderr.isEmpty, "\(ours)")
                expectSameText(ours.stdout, try Self.pythonOrder(mnt, usage: usage), "least-used --dry-run -u \(usage)")
            }
            #expect(try BalanceFixture.chunkTree(mnt) == before, "--dry-run changed the chunk tree")
            // -u must be a percentage (python-btrfs takes 200, and negative numbers).
            for bad in [["-u", "101", mnt], ["-u", "200", mnt], ["-u", "-1", mnt], ["-u", "abc", mnt], ["-u", "", mnt],
                        ["--usage=1e2", mnt], ["--bogus", mnt], ["-u"], ["-u", "50"], [], ["/nonexistent"], ["/proc"],
                        [mnt, mnt], ["--dry-run=1", mnt]] {
                let args = ["balance", "least-used"] + bad
                let r = try Rig.sbtrfs(args)
                #expect(r.status == 1 && r.stdout.isEmpty && !r.stderr.isEmpty, "\(args): \(r)")
                #expect(!r.stderr.contains("Fatal error"), "\(args): \(r)")
            }
            #expect(try BalanceFixture.chunkTree(mnt) == before, "a refused least-used changed the chunk tree")
        }
    }

    @Test func packsTwinAsPythonDoesAndKeepsEveryFile() throws {
        try BalanceFixture.withTwins(FSSpec(deviceSize: 1 << 30), populate: { try BalanceFixture.fragment($0) }) { a, b in
            let sums = try BalanceFixture.checksums(b.mountPoint)
            let allocatedBefore = try BalanceFixture.allocatedData(b.mountPoint)
            let theirs = try Rig.run(["/usr/bin/python3", Self.program, "-u", "60", a.mountPoint])
            let ours = try Rig.sbtrfs(["balance", "least-used", "-u", "60", b.mountPoint])
            #expect(theirs.status == 0 && ours.status == 0, "\(theirs)\n\(ours)")
            let lines = ours.stdout.split(separator: "\n")
            #expect(!lines.isEmpty && lines.allSatisfy { Self.isProgramLine($0, usage: 60) }, "\(ours.stdout)")
            let ourAllocated = try BalanceFixture.allocatedData(b.mountPoint)
            let theirAllocated = try BalanceFixture.allocatedData(a.mountPoint)
            #expect(ourAllocated < allocatedBefore, "nothing was won back: \(ourAllocated) of \(allocatedBefore)")
            let difference = ourAllocated > theirAllocated ? ourAllocated - theirAllocated : theirAllocated - ourAllocated
            #expect(difference * 100 <= allocatedBefore * 5,
                    "ours \(ourAllocated) vs python-btrfs's \(theirAllocated) bytes of data allocated (from \(allocatedBefore))")
            #expect(try BalanceFixture.checksums(b.mountPoint) == sums, "a file changed")
            #expect(try Rig.run(["btrfs", "balance", "status", b.mountPoint]).status == 0)
        }
    }

    @Test func sigintCancelsTheRelocationAndLeavesNoBalance() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let mnt = fs.mountPoint
            try BalanceFixture.slowToRelocate(mnt)
            try Rig.python("""
                import os, sys
                for i in range(0, 120):
                    if i % 3: os.unlink(os.path.join(sys.argv[1], 'f' + str(i)))
                """, args: [mnt])
            try Rig.sh("sync")
            let sums = try BalanceFixture.checksums(mnt)
            for signal in [SIGINT, SIGTERM] {
                let run = try Background([Rig.sbtrfsPath, "balance", "least-used", mnt])
                // In the middle: the first relocation has begun.
                #expect(try Background.poll { run.stdout.contains("Balance block group vaddr") })
                run.send(signal)
                #expect(run.wait() == 130, "\(run.stdout)\(run.stderr)")
                let lines = run.stdout.split(separator: "\n")
                #expect(lines.last == "Exiting...", "\(run.stdout)")
                let name = signal == SIGINT ? "SIGINT" : "SIGTERM"
                #expect(lines.contains { $0.hasPrefix("Interrupted by \(name): balanced ") }, "\(run.stdout)")
                let found = lines.first.flatMap { $0.split(separator: " ").last }.flatMap { Int($0) } ?? 0
                let done = lines.filter { $0.contains(" sec total ") }.count
                #expect(done < found, "it ran to the end before the signal: \(run.stdout)")
                #expect(run.stderr.isEmpty, "\(run.stderr)")
                let status = try Rig.run(["btrfs", "balance", "status", mnt])
                #expect(status.status == 0 && status.stdout.hasPrefix("No balance found"), "left behind: \(status)")
            }
            #expect(try BalanceFixture.checksums(mnt) == sums, "a file changed")
        }
    }

    @Test func terminalShowsOneLiveProgressLine() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 1 << 30)) { fs in
            let mnt = fs.mountPoint
            try BalanceFixture.fragment(mnt, files: 150)
            // script(1) gives the command a terminal; its output is what the terminal got.
            let r = try Rig.run(["script", "-q", "-e", "-c", "\(Rig.sbtrfsPath) balance least-used \(mnt)", "/dev/null"])
            #expect(r.status == 0, "\(r)")
            let text = r.stdout.replacingOccurrences(of: "\r\n", with: "\n")
            #expect(text.contains("\r\u{1B}[K"), "no progress line was erased: \(text.debugDescription)")
            #expect(text.contains("block group 1/"), "\(text.debugDescription)")
            // Without the progress lines and their erasing, python-btrfs's lines remain, each whole.
            let plain = text.replacingOccurrences(of: #"block group \d+/\d+[^\r\n]*"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: "\r\u{1B}[K", with: "")
            let lines = plain.split(separator: "\n")
            #expect(lines.first?.hasPrefix("Loading block group objects with used_pct <= 100 ... found ") == true, "\(plain.debugDescription)")
            #expect(lines.allSatisfy { Self.isProgramLine($0, usage: 100) }, "\(plain.debugDescription)")
            #expect(text.hasSuffix("\u{1B}[K"), "the last progress line stayed: \(text.debugDescription)")
        }
    }
}
