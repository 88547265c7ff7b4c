import Foundation

/// What a finished process left behind.
public struct ProcessResult: Sendable, CustomStringConvertible {
    public var status: Int32
    public var stdoutBytes: [UInt8]
    public var stderrBytes: [UInt8]
    public var stdout: String { String(decoding: stdoutBytes, as: UTF8.self) }
    public var stderr: String { String(decoding: stderrBytes, as: UTF8.self) }
    public var description: String { "status \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}

/// Something the rig could not do; the message says what and why.
public struct RigError: Error, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Rig {
    /// Runs `argv` (argv[0] looked up in PATH) and waits; output goes through files, so nothing can deadlock.
    /// `asUser` runs it as that user through setpriv (the user's own uid and gid, no groups).
    public static func run(_ argv: [String], asUser: String? = nil, stdin: [UInt8]? = nil,
                           environment: [String: String]? = nil) throws -> ProcessResult {
        // The user's copy of the binary is written once per test process; a child forked by
        // another test while it was open for writing keeps that descriptor until its exec, and
        // executing the copy meanwhile fails with ETXTBSY: try again.
        var attempt = 0
        while true {
            let r = try runOnce(argv, asUser: asUser, stdin: stdin, environment: environment)
            guard asUser != nil, attempt < 7, r.stderrBytes.count < 300, r.stderr.contains("Text file busy") else { return r }
            attempt += 1
            usleep(useconds_t(50_000 * attempt))
        }
    }

    static func runOnce(_ argv: [String], asUser: String?, stdin: [UInt8]?,
                        environment: [String: String]?) throws -> ProcessResult {
        precondition(!argv.isEmpty)
        var full = argv
        if let user = asUser {
            // The checkout may sit where that user cannot reach (a CI clone under /root): use a copy.
            let original = sbtrfsPath
            if full.contains(original) {
                let copy = try userReachableSbtrfs()
                full = full.map { $0 == original ? copy : $0 }
            }
            guard let pw = getpwnam(user) else { throw RigError("no such user: \(user)") }
            full = ["setpriv", "--reuid=\(pw.pointee.pw_uid)", "--regid=\(pw.pointee.pw_gid)",
                    "--clear-groups", "--"] + full
        }
        let dir = FileManager.default.temporaryDirectory
        let tag = "sbtrfs-rig-\(getpid())-\(UInt64.random(in: 0...UInt64.max))"
        let outURL = dir.appendingPathComponent(tag + ".out")
        let errURL = dir.appendingPathComponent(tag + ".err")
        let inURL = dir.appendingPathComponent(tag + ".in")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: inURL.path, contents: Data(stdin ?? []))
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
            try? FileManager.default.removeItem(at: inURL)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = full
        if var environment {
            // Under `make test-asan` the sanitizer's options must reach every child, even one
            // given an environment of its own (without them, LeakSanitizer fails the run at exit).
            if environment["ASAN_OPTIONS"] == nil, let asan = ProcessInfo.processInfo.environment["ASAN_OPTIONS"] {
                environment["ASAN_OPTIONS"] = asan
            }
            process.environment = environment
        }
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let inHandle = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = inHandle
        try process.run()
        process.waitUntilExit()
        try? outHandle.close()
        try? errHandle.close()
        try? inHandle.close()
        let status: Int32 = process.terminationReason == .uncaughtSignal
            ? 128 + process.terminationStatus : process.terminationStatus
        return ProcessResult(status: status,
                             stdoutBytes: [UInt8](try Data(contentsOf: outURL)),
                             stderrBytes: [UInt8](try Data(contentsOf: errURL)))
    }

    /// Runs a shell script (/bin/sh -c) and throws with its output when it fails.
    @discardableResult
    public static func sh(_ script: String) throws -> ProcessResult {
        let r = try run(["/bin/sh", "-c", script])
        guard r.status == 0 else { throw RigError("shell script failed: \(script)\n\(r)") }
        return r
    }

    /// Runs python-btrfs's interpreter: `/usr/bin/python3 -c script args…`, `stdin` fed to it.
    public static func python(_ script: String, args: [String] = [], stdin: [UInt8] = []) throws -> ProcessResult {
        try run(["/usr/bin/python3", "-c", script] + args, stdin: stdin)
    }

    /// The sbtrfs binary under test: $SBTRFS_BIN, else the one built beside the test bundle, else .build/debug.
    public static var sbtrfsPath: String {
        if let p = ProcessInfo.processInfo.environment["SBTRFS_BIN"], !p.isEmpty { return p }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var candidates: [String] = []
        if !exe.isEmpty {
            // The bundle sits in .build/<triple>/debug/ next to the products.
            var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
            for _ in 0..<4 {
                candidates.append(url.appendingPathComponent("sbtrfs").path)
                url = url.deletingLastPathComponent()
            }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/sbtrfs").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates.last!
    }

    /// A copy of the binary under test in a world-readable directory, made once per test process
    /// and removed at exit, for runs as another user.
    static func userReachableSbtrfs() throws -> String {
        try reachableCopy.get()
    }

    private static let reachableCopy: Result<String, RigError> = {
        let dir = "/tmp/sbtrfs-rig-bin-\(getpid())"
        let copy = dir + "/sbtrfs"
        do {
            try? FileManager.default.removeItem(atPath: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o755])
            try FileManager.default.copyItem(atPath: sbtrfsPath, toPath: copy)
            chmod(copy, 0o755)
        } catch {
            return .failure(RigError("cannot copy \(sbtrfsPath) for another user: \(error)"))
        }
        atexit { try? FileManager.default.removeItem(atPath: "/tmp/sbtrfs-rig-bin-\(getpid())") }
        return .success(copy)
    }()

    /// Runs the sbtrfs under test.
    public static func sbtrfs(_ args: [String], asUser: String? = nil, stdin: [UInt8]? = nil) throws -> ProcessResult {
        let path = sbtrfsPath
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw RigError("sbtrfs binary not found at \(path): run `swift build` first")
        }
        return try run([path] + args, asUser: asUser, stdin: stdin)
    }
}

extension Rig {
    /// Starts `argv` (bytes; argv[0] is the program's path) with stdin from /dev/null and stdout
    /// and stderr into the given files, with every signal at its default and none blocked: the
    /// test runner may block or ignore some, and the child must meet a trap, SIGINT or a kill as
    /// it would from a shell. Returns its pid; the caller waits for it.
    public static func spawn(_ argv: [[UInt8]], stdout: String, stderr: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdout, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { bytes in
            let p = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count + 1)
            for (i, b) in bytes.enumerated() { p[i] = CChar(bitPattern: b) }
            p[bytes.count] = 0
            return p
        } + [nil]
        defer { for p in cArgs { p?.deallocate() } }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t(), allSignals = sigset_t()
        sigemptyset(&noSignals)
        sigfillset(&allSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let rc = cArgs.withUnsafeBufferPointer { args in
            posix_spawn(&pid, args[0]!, &actions, &attributes, UnsafeMutablePointer(mutating: args.baseAddress!), environ)
        }
        guard rc == 0 else { throw RigError("posix_spawn failed: \(rc)") }
        return pid
    }
}
