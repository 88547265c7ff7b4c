import Foundation
import Testing

/// The oracles Debian 12 does not ship, unpacked (never installed) by scripts/fetch-oracles.sh into
/// .build/oracles: python-btrfs 15 from PyPI and bookworm-backports' btrfs-progs, whose mkfs makes
/// filesystems with a block group tree. `make test` fetches them; a test that needs one fetches them
/// once per test process when they are missing, and fails with the script's output when it cannot.
extension Rig {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    /// Where the fetched oracles live.
    public static let oracleDirectory = repository + "/.build/oracles"

    private static let fetched: Result<String, RigError> = {
        do {
            let r = try run(["/bin/sh", repository + "/scripts/fetch-oracles.sh", oracleDirectory])
            guard r.status == 0 else { return .failure(RigError("scripts/fetch-oracles.sh failed\n\(r)")) }
            return .success(oracleDirectory)
        } catch {
            return .failure(RigError("cannot run scripts/fetch-oracles.sh: \(error)"))
        }
    }()

    /// The directory to put on PYTHONPATH for python-btrfs 15.
    public static func pythonBtrfs15() throws -> String {
        try fetched.get() + "/python-btrfs-15"
    }

    /// bookworm-backports' mkfs.btrfs (it knows `-O block-group-tree`).
    public static func backportsMkfs() throws -> String {
        try fetched.get() + "/btrfs-progs-backports/sbin/mkfs.btrfs"
    }

    /// Runs `/usr/bin/python3 -c script args…` with python-btrfs 15 first on its path.
    public static func python15(_ script: String, args: [String] = [], stdin: [UInt8] = []) throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = try pythonBtrfs15()
        return try run(["/usr/bin/python3", "-c", script] + args, stdin: stdin, environment: environment)
    }

    /// Runs a python-btrfs 15 program from the sdist's bin/ (btrfs-search-metadata …).
    public static func python15Program(_ name: String, _ args: [String]) throws -> ProcessResult {
        let root = try pythonBtrfs15()
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = root
        return try run(["/usr/bin/python3", root + "/bin/" + name] + args, environment: environment)
    }

    /// A filesystem whose block group items live in their own tree (compat_ro BLOCK_GROUP_TREE),
    /// made by the backports mkfs, with the free space tree that the feature requires.
    public static func blockGroupTreeSpec(_ spec: FSSpec = FSSpec()) throws -> FSSpec {
        var s = spec
        s.mkfsProgram = try backportsMkfs()
        s.mkfsOptions += ["-O", "block-group-tree"]
        return s
    }
}
