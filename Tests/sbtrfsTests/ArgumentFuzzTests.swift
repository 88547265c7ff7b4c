import Foundation
import Testing
import TestRig
import Btrfs
@testable import sbtrfs

/// Random argument vectors (bytes, not only UTF-8) for every command of the tree, run as child
/// processes: a trap kills the child with a signal instead of the test runner. Every run must end
/// with a status of its own (never a signal) within the time limit; any status is its own (progs
/// itself exits 255 for a bad qgroup id), a signal is detected as a signal. Seeded, so a failure names
/// the seed and the case that reproduce it.
@Suite struct ArgumentFuzzTests {
    /// What a child did.
    struct Outcome {
        var status: Int32
        var signal: Int32?
        var timedOut: Bool
        var stderr: [UInt8]
    }

    /// SplitMix64: deterministic, so a failing case can be replayed from its seed.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    }

    /// Runs `argv` (bytes; argv[0] is the program) with stdin and stdout on /dev/null, stderr to a
    /// file; kills it after `timeout` seconds.
    static func spawn(_ argv: [[UInt8]], timeout: Double = 30) throws -> Outcome {
        let errPath = NSTemporaryDirectory() + "sbtrfs-fuzz-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).err"
        defer { unlink(errPath) }
        // The test runner may block or ignore signals; the child gets the defaults, so a trap
        // (or a kill) ends it as it would end it from a shell.
        let pid = try Rig.spawn(argv, stdout: "/dev/null", stderr: errPath)
        var status: Int32 = 0
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while waitpid(pid, &status, WNOHANG) == 0 {
            if Date() > deadline {
                kill(pid, SIGKILL)
                waitpid(pid, &status, 0)
                timedOut = true
                break
            }
            usleep(500)
        }
        let stderr = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: errPath)))) ?? []
        let signaled = (status & 0x7F) != 0 && (status & 0x7F) != 0x7F
        return Outcome(status: (status >> 8) & 0xFF, signal: signaled ? status & 0x7F : nil,
                       timedOut: timedOut, stderr: stderr)
    }

    /// Every command path of the tree (and the groups themselves), as tokens.
    static let monitors: Set<String> = ["orphan-cleaner-progress"]

    static func commandPaths() -> [(path: [String], command: Command?)] {
        var result: [(path: [String], command: Command?)] = []
        func walk(_ group: Group, _ prefix: [String]) {
            result.append((prefix, nil))
            for child in group.children {
                switch child {
                case .group(let g): walk(g, prefix + [g.name])
                // A progress monitor runs until interrupted: a time-out there is its normal life.
                case .command(let c) where Self.monitors.contains(c.name): continue
                case .command(let c): result.append((prefix + [c.name], c))
                }
            }
        }
        walk(CommandTree.root(), [])
        return result
    }

    /// Tokens any argument may be: numbers at the edges, sizes, profiles, paths, odd bytes.
    static let generic: [String] = [
        "--", "-", "", "--help", "--full", "--format", "--format=json", "json", "text", "-v", "-q", "--log", "--log=debug",
        "0", "1", "-1", "-0", "+5", "0x10", "010", "1_000", "1__0", " 5 ", "1e308", "nan", "inf", "-inf",
        "9223372036854775807", "9223372036854775808", "18446744073709551615", "18446744073709551616",
        "99999999999999999999999999", "-9223372036854775808", "1k", "1K", "1G", "1kB", "1KiB", "1EiB", "7E", "16E",
        "20EiB", "100T", "5P", "single", "dup", "raid0", "raid1", "raid1c3", "raid1c4", "raid5", "raid6", "raid10",
        "raid7", "RAID1", "/nonexistent", "/dev/null", "/proc", "/proc/self/mounts", "/sys", "%s%n%x", "\\", "'", "\"",
        "é", "\u{10FFFF}", "-\u{10FF80}",
    ]

    static func randomBytes(_ rng: inout Random) -> [UInt8] {
        (0..<rng.below(10)).map { _ in UInt8(truncatingIfNeeded: max(1, rng.next() & 0xFF)) }
    }

    /// Option tokens of `command`: every spelling getopt takes, with and without values.
    static func optionTokens(_ command: Command?) -> [String] {
        guard let command else { return [] }
        var tokens: [String] = []
        for spec in command.allOptions {
            if let s = spec.short {
                tokens += ["-\(s)", "-\(s)1", "-\(s)x", "-\(s)\(s)"]
            }
            if let l = spec.long {
                tokens += ["--\(l)", "--\(l)=", "--\(l)=1", "--\(l)=x", "--" + l.prefix(max(1, l.count - 2))]
            }
        }
        return tokens
    }

    /// One random argv for `path`, with `paths` as the places operands may name.
    static func randomArguments(_ rng: inout Random, path: [String], command: Command?, paths: [String]) -> [[UInt8]] {
        var args: [[UInt8]] = []
        if rng.chance(15) { args.append(Array(rng.pick(["-v", "-q", "--format=json", "--log=quiet", "--bogus"]).utf8)) }
        for (i, token) in path.enumerated() {
            // Sometimes an abbreviation of the token, as progs takes unique prefixes.
            let t = rng.chance(10) && token.count > 1 && i < path.count ? String(token.prefix(1 + rng.below(token.count - 1))) : token
            args.append(Array(t.utf8))
        }
        let options = optionTokens(command)
        for _ in 0..<rng.below(7) {
            let roll = rng.below(100)
            var token: [UInt8]
            switch roll {
            case ..<35 where !options.isEmpty: token = Array(rng.pick(options).utf8)
            case ..<55: token = Array(rng.pick(paths).utf8)
            case ..<85: token = rng.pick(generic).pathBytes
            default: token = randomBytes(&rng)
            }
            if rng.chance(5) { token += randomBytes(&rng) }
            args.append(token)
        }
        return args
    }

    static func describe(_ argv: [[UInt8]]) -> String {
        argv.map { String(reflecting: String(decoding: $0, as: UTF8.self)) }.joined(separator: " ")
    }

    /// Thousands of random command lines; `paths` are the operands that exist (a btrfs mount,
    /// its device, a non-btrfs directory).
    static func fuzz(seed: UInt64, cases: Int, paths: [String]) throws {
        var rng = Random(state: seed)
        let commands = commandPaths()
        let binary = Array(Rig.sbtrfsPath.utf8)
        var failures: [String] = []
        for n in 0..<cases {
            let (path, command) = rng.pick(commands)
            // env -C execs the binary in /proc: relative paths (random bytes) resolve in procfs,
            // never on a filesystem a command could change.
            let argv = [Array("/usr/bin/env".utf8), Array("-C".utf8), Array("/proc".utf8), binary]
                + randomArguments(&rng, path: path, command: command, paths: paths)
            let outcome = try spawn(argv)
            if outcome.timedOut {
                failures.append("case \(n) timed out: \(describe(argv))")
            } else if let signal = outcome.signal {
                failures.append("case \(n) killed by signal \(signal): \(describe(argv))\n"
                                + String(decoding: outcome.stderr.suffix(400), as: UTF8.self))
            } else if String(decoding: outcome.stderr, as: UTF8.self).contains("Fatal error") {
                failures.append("case \(n) printed a Swift fatal error: \(describe(argv))")
            }
            if failures.count >= 10 { break }
        }
        #expect(failures.isEmpty, "seed \(seed): \(failures.count) failures\n\(failures.joined(separator: "\n"))")
    }

    /// The spawn helper itself sees a signal: a child that traps must count as a failure.
    @Test func spawnSeesSignals() throws {
        let trap = try Self.spawn([Array("/bin/sh".utf8), Array("-c".utf8), Array("kill -TRAP $$".utf8)])
        #expect(trap.signal == SIGTRAP)
        let exit = try Self.spawn([Array("/bin/sh".utf8), Array("-c".utf8), Array("exit 3".utf8)])
        #expect(exit.signal == nil && exit.status == 3)
        let hang = try Self.spawn([Array("/bin/sleep".utf8), Array("5".utf8)], timeout: 0.2)
        #expect(hang.timedOut)
    }

    /// Without a filesystem: operands are directories of pseudo filesystems and paths that do
    /// not exist. Never "/" or the working directory: on a machine whose root is btrfs a random
    /// destructive command line (subvolume delete, device stats -z) would act on it.
    @Test func randomArgumentsNeverTrap() throws {
        try Self.fuzz(seed: 0x5B7F_5001, cases: 1500, paths: ["/proc", "/sys", "/proc/self", "/nonexistent/x", "/dev/null"])
    }

    /// With a real btrfs: the scratch mount, a file in it and its loop devices among the operands;
    /// whatever a random command line changes, it changes on the scratch filesystem only.
    @Test(.needsRig) func randomArgumentsOnBtrfsNeverTrap() throws {
        try Rig.withFilesystem(FSSpec(devices: 2, deviceSize: 1 << 30, data: "raid1", metadata: "raid1")) { fs in
            try Rig.sh("echo hi > \(fs.mountPoint)/f && sync")
            try Self.fuzz(seed: 0x5B7F_5002, cases: 1500,
                          paths: [fs.mountPoint, fs.mountPoint + "/f", fs.devices[0], fs.devices[1], "/proc", "/nonexistent"])
        }
    }
}
