import Foundation

extension Rig {
    /// Loop devices on sparse images of `sizes` with nothing on them, for a test to add to a
    /// filesystem or replace a device with; forgotten by the kernel and detached after `body`,
    /// whatever happens (a device still in a mounted filesystem is left to the filesystem's own
    /// teardown, which must come first: nest this inside `withFilesystem`).
    public static func withSpareDevices<T>(_ sizes: [UInt64], _ body: ([String]) throws -> T) throws -> T {
        if let reason = unavailableReason {
            throw RigError("real-btrfs test cannot run: \(reason)\(isCI ? " (CI=true: failing, not skipping)" : "")")
        }
        var template = Array("/tmp/sbtrfs-spare-XXXXXX".utf8CString)
        guard let dirPtr = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw RigError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        let dir = String(cString: dirPtr)
        var devices: [String] = []
        defer {
            for dev in devices {
                _ = try? run(["btrfs", "device", "scan", "--forget", dev])
                detach(dev)
            }
            try? FileManager.default.removeItem(atPath: dir)
        }
        for (i, size) in sizes.enumerated() {
            let image = "\(dir)/spare\(i).img"
            guard FileManager.default.createFile(atPath: image, contents: nil),
                  truncate(image, off_t(clamping: size)) == 0 else {
                throw RigError("cannot create sparse image \(image)")
            }
            devices.append(try attach(image))
        }
        return try body(devices)
    }
}
