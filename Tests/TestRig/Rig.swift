import Foundation
import Testing

/// How to make a scratch filesystem.
public struct FSSpec: Sendable {
    public var devices: Int
    /// Size of each device image; `deviceSizes` overrides it per device.
    public var deviceSize: UInt64
    public var deviceSizes: [UInt64]?
    public var data: String?
    public var metadata: String?
    public var mixed: Bool
    public var label: String?
    public var mkfsOptions: [String]
    public var mountOptions: [String]
    /// The mkfs.btrfs to run; nil: the one on PATH (btrfs-progs 6.2).
    public var mkfsProgram: String?

    public init(devices: Int = 1, deviceSize: UInt64 = 1 << 30, deviceSizes: [UInt64]? = nil,
                data: String? = nil, metadata: String? = nil, mixed: Bool = false, label: String? = nil,
                mkfsOptions: [String] = [], mountOptions: [String] = []) {
        self.devices = deviceSizes?.count ?? devices
        self.deviceSize = deviceSize
        self.deviceSizes = deviceSizes
        self.data = data
        self.metadata = metadata
        self.mixed = mixed
        self.label = label
        self.mkfsOptions = mkfsOptions
        self.mountOptions = mountOptions
    }
}

/// A mounted scratch btrfs: its mount point, loop devices and backing images.
public struct ScratchFS: Sendable {
    public var mountPoint: String
    public var devices: [String]
    public var images: [String]
    /// The private directory holding images and the mount point.
    public var directory: String
}

/// The loop-device rig: sparse images, loop devices, mkfs.btrfs, mount; always torn down.
public enum Rig {
    /// Whether this is CI, where a test that cannot run must fail rather than skip.
    public static let isCI: Bool = {
        let v = ProcessInfo.processInfo.environment["CI"]?.lowercased() ?? ""
        return v == "true" || v == "1" || v == "yes"
    }()

    /// Whether the suite runs from the AddressSanitizer build (`make test-asan` sets this), where
    /// the unoptimised, instrumented code runs several times slower.
    public static let isSanitized = ProcessInfo.processInfo.environment["SBTRFS_TEST_SANITIZER"] != nil

    /// Why real-filesystem tests cannot run here, or nil when they can.
    public static let unavailableReason: String? = {
        if getuid() != 0 { return "needs root (loop devices, mkfs.btrfs, mount)" }
        if !FileManager.default.fileExists(atPath: "/dev/loop-control") { return "no /dev/loop-control" }
        let fs = (try? String(contentsOfFile: "/proc/filesystems", encoding: .utf8)) ?? ""
        if !fs.contains("btrfs") { return "the kernel has no btrfs (see /proc/filesystems)" }
        for tool in ["/usr/bin/mkfs.btrfs", "/sbin/mkfs.btrfs", "/usr/sbin/mkfs.btrfs"]
            where FileManager.default.isExecutableFile(atPath: tool) {
            return nil
        }
        return "mkfs.btrfs is not installed (btrfs-progs)"
    }()

    /// Makes the filesystem `spec` describes, runs `body` on it, and tears it all down whatever happens.
    public static func withFilesystem<T>(_ spec: FSSpec, _ body: (ScratchFS) throws -> T) throws -> T {
        if let reason = unavailableReason {
            throw RigError("real-btrfs test cannot run: \(reason)\(isCI ? " (CI=true: failing, not skipping)" : "")")
        }
        var template = Array("/tmp/sbtrfs-fs-XXXXXX".utf8CString)
        guard let dirPtr = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw RigError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        let dir = String(cString: dirPtr)
        chmod(dir, 0o755)  // other users (setpriv tests) must reach the mount point
        var images: [String] = []
        var devices: [String] = []
        let mountPoint = dir + "/mnt"
        var mounted = false
        defer {
            if mounted { unmount(mountPoint) }
            for dev in devices {
                _ = try? run(["btrfs", "device", "scan", "--forget", dev])
                detach(dev)
            }
            try? FileManager.default.removeItem(atPath: dir)
        }
        let sizes = spec.deviceSizes ?? Array(repeating: spec.deviceSize, count: max(spec.devices, 1))
        for (i, size) in sizes.enumerated() {
            let image = "\(dir)/dev\(i).img"
            guard FileManager.default.createFile(atPath: image, contents: nil),
                  truncate(image, off_t(clamping: size)) == 0 else {
                throw RigError("cannot create sparse image \(image)")
            }
            images.append(image)
            devices.append(try attach(image))
        }
        var mkfs = [spec.mkfsProgram ?? "mkfs.btrfs", "-f", "-q"]
        if spec.mixed { mkfs.append("--mixed") }
        if let d = spec.data { mkfs += ["-d", d] }
        if let m = spec.metadata { mkfs += ["-m", m] }
        if let l = spec.label { mkfs += ["-L", l] }
        mkfs += spec.mkfsOptions + devices
        let made = try run(mkfs)
        guard made.status == 0 else { throw RigError("mkfs failed: \(mkfs.joined(separator: " "))\n\(made)") }
        try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: false)
        // Naming every device spares relying on udev having scanned them.
        let options = devices.map { "device=\($0)" } + spec.mountOptions
        let m = try run(["mount", "-t", "btrfs", "-o", options.joined(separator: ","), devices[0], mountPoint])
        guard m.status == 0 else { throw RigError("mount failed\n\(m)") }
        mounted = true
        chmod(mountPoint, 0o755)
        return try body(ScratchFS(mountPoint: mountPoint, devices: devices, images: images, directory: dir))
    }

    /// Attaches `image` to a free loop device; retried, since parallel tests race for the same free one.
    static func attach(_ image: String) throws -> String {
        var last: ProcessResult?
        for attempt in 0..<8 {
            let r = try run(["losetup", "--find", "--show", image])
            if r.status == 0 {
                let dev = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                if !dev.isEmpty { return dev }
            }
            last = r
            usleep(useconds_t(50_000 * (attempt + 1)))
        }
        throw RigError("losetup failed for \(image)\n\(last.map { "\($0)" } ?? "")")
    }

    static func detach(_ device: String) {
        for attempt in 0..<10 {
            if let r = try? run(["losetup", "-d", device]), r.status == 0 { return }
            usleep(useconds_t(100_000 * (attempt + 1)))
        }
    }

    static func unmount(_ mountPoint: String) {
        for attempt in 0..<10 {
            if let r = try? run(["umount", mountPoint]), r.status == 0 { return }
            usleep(useconds_t(100_000 * (attempt + 1)))
        }
        _ = try? run(["umount", "-l", mountPoint])
    }
}

extension Trait where Self == ConditionTrait {
    /// Real-filesystem tests: skipped with the reason on a machine without root or loop devices,
    /// but run (and so failing, with the reason) under CI=true.
    public static var needsRig: Self {
        .enabled(if: Rig.unavailableReason == nil || Rig.isCI,
                 Comment(rawValue: "real-btrfs rig unavailable: \(Rig.unavailableReason ?? "")"))
    }

    /// Tests that need an installed program (any of `paths`): skipped with the reason where it is
    /// missing, but run (and so failing) under CI=true, where `make test` has installed it.
    public static func needsTool(_ paths: String..., what: String) -> Self {
        let present = paths.contains { FileManager.default.isExecutableFile(atPath: $0) }
        return .enabled(if: present || Rig.isCI, Comment(rawValue: "\(what) not installed"))
    }

    /// Tests whose premise the AddressSanitizer runtime cannot meet: skipped with the reason under
    /// `make test-asan` (which sets SBTRFS_TEST_SANITIZER), run by `make test` as usual.
    public static func notSanitized(_ why: String) -> Self {
        .enabled(if: !Rig.isSanitized,
                 Comment(rawValue: "under the address sanitizer: \(why)"))
    }

    /// Tests that need an installed file that is not a program (a shell library, a data file):
    /// skipped with the reason where it is missing, failing under CI=true as `needsTool` does.
    public static func needsFile(_ paths: String..., what: String) -> Self {
        let present = paths.contains { FileManager.default.fileExists(atPath: $0) }
        return .enabled(if: present || Rig.isCI, Comment(rawValue: "\(what) not installed"))
    }
}
