#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `device scan` and `device ready` (progs' cmd_device_scan, cmd_device_ready): the kernel's
/// list of btrfs devices through /dev/btrfs-control, with progs' messages and exit statuses.
extension DeviceCommands {
    static let scan = Command(
        "scan", synopsis: ["[-d|--all-devices] <device> [<device>...]", "-u|--forget [<device>...]"],
        summary: "Scan or forget (unregister) devices of btrfs filesystems",
        description: ["Scan or forget (unregister) devices of btrfs filesystems. Multi-device",
                      "filesystems need to scan devices before mount. The blkid provides list",
                      "of devices in case no path is given. If blkid is no available, there's",
                      "a fallback to manual enumeration of device nodes."],
        options: [OptionSpec("d", "all-devices", help: "enumerate and register all devices, use as a fallback if blkid is not available"),
                  OptionSpec("u", "forget", help: "unregister a given device or all stale devices if no path",
                             display: "-u|--forget [<device>...]")],
        operands: [OperandSpec("device", .device, optional: true, repeating: true)],
        help: [.text("The reverse is done by the forget option, such devices must be unmounted."),
               .text("No argument will unregister all devices that are not part of a mounted filesystem."),
               .text(""), .optionNamed("all-devices"), .optionNamed("forget"), .globals, .verbose, .quiet],
        checksOperandCount: false, permutesOperands: true, run: runScan)

    @Sendable static func runScan(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let all = invocation.has("all-devices"), forget = invocation.has("forget")
        if all && forget { throw CommandExit.usage }
        if all && invocation.operands.count > 1 {
            context.err.line("\(context.commandPath): too many arguments: \(invocation.operands.count) but at most 1 expected")
            throw CommandExit.usage
        }
        if all || invocation.operands.isEmpty {
            return forget ? forgetAll(context) : scanAll(context)
        }
        var status: Int32 = 0
        for device in invocation.operands {
            guard MountedFilesystems.isBlockDevice(device) else {
                context.error("not a block device: \(device)")
                return 1
            }
            let path = MountedFilesystems.canonicalize(device)
            if forget {
                // progs keeps only the last device's answer.
                status = 0
                do { try BtrfsControl().forget(path.pathBytes) } catch {
                    context.error("cannot unregister device '\(path)': \(errorText(error, .ioctl))")
                    status = 1
                }
            } else {
                context.verbose(Context.logDefault, "Scanning for btrfs filesystems on '\(path)'\n")
                if !register(path, context: context) { return 1 }
            }
        }
        return status
    }

    static func forgetAll(_ context: Context) -> Int32 {
        do { try BtrfsControl().forget(nil) } catch {
            context.error("cannot unregister devices: \(errorText(error, .ioctl))")
            return 1
        }
        return 0
    }

    /// btrfs_scan_devices(1) and btrfs_register_all_devices: every btrfs device blkid knows.
    static func scanAll(_ context: Context) -> Int32 {
        context.verbose(Context.logDefault, "Scanning for Btrfs filesystems\n")
        let found: [DeviceScan.Found]
        switch DeviceScan.btrfsDevices() {
        case .failure(let e):
            context.error("blkid cache get failed: \(errorText(e))")
            // progs reports it and goes on to register nothing: status 0.
            context.error("error \(-e.rawValue) while scanning")
            return 0
        case .success(let devices): found = devices
        }
        var scanned: [String] = []
        for device in found {
            if let e = device.openErrno {
                context.error("cannot open \(device.path): \(errnoText(e))")
            } else if !device.isBtrfs {
                context.error("cannot scan \(device.path): \(errnoText(EIO))")
            } else {
                context.verbose(Context.logDefault, "registered: \(device.path)\n")
                scanned.append(device.path)
            }
        }
        let errors = scanned.filter { !register($0, context: context) }.count
        if errors > 0 {
            context.error("there were \(errors) errors while registering devices")
            return 1
        }
        return 0
    }

    /// /dev/btrfs-control opened, or nil after its one message: `failed to open …: why`. When
    /// `registering`, progs only warns (and skips registration); a normal user's refusal stays an ERROR.
    static func openControl(_ context: Context, registering: Bool = false) -> BtrfsControl? {
        do { return try BtrfsControl() } catch {
            let code = errnoOf(error)
            let opening = "failed to open \(BtrfsControl.path)"
            if registering && code != EACCES && code != EPERM {
                context.warning(opening + ", skipping device registration: " + errnoText(code))
            } else {
                context.error(opening + ": " + errnoText(code))
            }
            return nil
        }
    }

    /// btrfs_register_one_device.
    static func register(_ path: String, context: Context) -> Bool {
        guard let control = openControl(context, registering: true) else { return false }
        do { try control.scan(path.pathBytes) } catch {
            context.error("device scan failed on '\(path)': \(errorText(error, .ioctl))")
            return false
        }
        return true
    }

    static let ready = Command(
        "ready", synopsis: ["<device>"],
        summary: "Check and wait until a group of devices of a filesystem is ready for mount",
        operands: [OperandSpec("device", .device)], badOption: .usage, run: runReady)

    /// Exit status 0 when every device of the filesystem is known, 1 when not (or on error).
    @Sendable static func runReady(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        guard let control = openControl(context) else { return 1 }
        let path = MountedFilesystems.canonicalize(invocation.operands[0])
        guard MountedFilesystems.isBlockDevice(path) else {
            context.error("not a block device: \(path)")
            return 1
        }
        do { return try control.devicesReady(path.pathBytes) ? 0 : 1 } catch {
            context.error("unable to determine if device '\(path)' is ready for mount: "
                          + errorText(error, .ioctl))
            return 1
        }
    }
}
