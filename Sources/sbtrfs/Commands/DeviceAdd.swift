#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `device add` (progs' cmd_device_add). progs checks and adds one device after the other, so a
/// bad device after a good one leaves the good one added; sbtrfs checks every device first and
/// adds none when one is refused (Docs/DIFFERENCES.md). The messages are progs'.
extension DeviceCommands {
    static let enqueueOption = OptionSpec(nil, "enqueue", help: "wait if there's another exclusive operation running, otherwise continue")

    /// -K, and --nodiscard which getopt lets take a value (`optional_argument`, ignored).
    static let noDiscardOptions = [
        OptionSpec("K", nil, help: "do not perform whole device TRIM on devices that report such capability", hidden: true),
        OptionSpec(nil, "nodiscard", value: .string, optionalValue: true,
                   help: "do not perform whole device TRIM on devices that report such capability", display: "-K|--nodiscard"),
    ]

    static let add = Command(
        "add", synopsis: ["[options] <device> [<device>...] <path>"],
        summary: "Add one or more devices to a mounted filesystem.",
        options: noDiscardOptions + [OptionSpec("f", "force", help: "force overwrite existing filesystem on the disk"), enqueueOption],
        operands: [OperandSpec("device", .device, repeating: true), OperandSpec("path", .path)],
        permutesOperands: true, run: runAdd)

    @Sendable static func runAdd(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let discard = !invocation.has("K") && !invocation.has("nodiscard")
        let force = invocation.has("force")
        guard let mountPoint = invocation.operands.last else { return 1 }
        let devices = invocation.operands.dropLast()
        let fs = try FileSystem(path: mountPoint, requireDirectory: true)
        if let status = ExclusiveOperation.check(fs, starting: "device add", enqueue: invocation.has("enqueue"), context: context) {
            return status
        }
        let zoned: Bool
        do { zoned = try fs.features().incompat & FeatureFlags.incompatZoned != 0 } catch {
            context.error("error getting feature flags '\(mountPoint)': \(errorText(error, .ioctl))")
            return 1
        }
        var refused = 0
        for device in devices {
            if !zoned && DeviceChecks.isHostManagedZoned(device) == nil {
                context.error("zoned: unable to stat \(device)")
            } else if !zoned && DeviceChecks.isHostManagedZoned(device) == true {
                context.error("zoned: cannot add host-managed zoned device to non-zoned filesystem '\(device)'")
                refused += 1
                continue
            }
            if !DeviceTarget.check(device, force: force, context: context) { refused += 1 }
        }
        defer { warnMultipleProfiles(fs, context: context) }
        if refused > 0 { return 1 }
        for device in devices {
            let prepared: DevicePreparation
            do { prepared = try DevicePreparation(path: device) } catch {
                context.error("unable to open device '\(device)'")
                return 1
            }
            guard DeviceTarget.prepare(prepared, name: device, discard: discard && !zoned, context: context) else { return 1 }
            let path = MountedFilesystems.canonicalize(device)
            do { try fs.addDevice(path.pathBytes) } catch {
                context.error("error adding device '\(path)': \(errorText(error, .ioctl))")
                refused += 1
            }
        }
        return refused > 0 ? 1 : 0
    }

    /// btrfs_warn_multiple_profiles after the change (progs asks the kernel once more).
    static func warnMultipleProfiles(_ fs: FileSystem, context: Context) {
        if let spaces = try? fs.spaceInfo() { FilesystemCommands.warnMultipleProfiles(spaces, context: context) }
    }
}
