import Btrfs

/// `device remove` and its alias `device delete` (progs' _cmd_device_remove). progs asks the
/// kernel for one device after the other and skips an argument that is neither a devid, a block
/// device, `missing` nor `cancel`; sbtrfs checks every argument first and removes nothing when
/// one is refused (Docs/DIFFERENCES.md). The messages are progs'.
extension DeviceCommands {
    static let removeDescription = [
        "Remove a device from a filesystem, specified by a path to the device or",
        "as a device id in the filesystem. The btrfs signature is removed from",
        "the device.",
        "If 'missing' is specified for <device>, the first device that is",
        "described by the filesystem metadata, but not present at the mount",
        "time will be removed. (only in degraded mode)",
        "If 'cancel' is specified as the only device to delete, request cancellation",
        "of a previously started device deletion and wait until kernel finishes",
        "any pending work. This will not delete the device and the size will be",
        "restored to previous state. When deletion is not running, this will fail.",
    ]

    static let remove = Command(
        "remove", synopsis: ["<device>|<devid> [<device>|<devid>...] <path>"],
        summary: "Remove a device from a filesystem", description: removeDescription,
        options: [enqueueOption],
        operands: [OperandSpec("device|devid", .device, repeating: true), OperandSpec("path", .path)],
        permutesOperands: true, run: runRemove)

    static let delete = Command(
        "delete", synopsis: ["<device>|<devid> [<device>|<devid>...] <path>"],
        summary: "Remove a device from a filesystem (alias of \"sbtrfs device remove\")", description: removeDescription,
        options: [enqueueOption],
        operands: [OperandSpec("device|devid", .device, repeating: true), OperandSpec("path", .path)],
        alias: true, permutesOperands: true, run: runRemove)

    /// progs' string_is_numerical: digits only, at least one.
    static func isNumerical(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { (0x30...0x39).contains($0) }
    }

    @Sendable static func runRemove(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        guard let mountPoint = invocation.operands.last else { return 1 }
        let arguments = invocation.operands.dropLast()
        let fs = try FileSystem(path: mountPoint, requireDirectory: true)
        var cancel = false
        for argument in arguments {
            if cancel {
                context.error("cancel requested but another device specified: \(argument)\n")
                return 1
            }
            if argument == "cancel" {
                cancel = true
                context.verbose(Context.logDefault, "Request to cancel running device deletion\n")
            }
        }
        if !cancel,
           let status = ExclusiveOperation.check(fs, starting: "device remove", enqueue: invocation.has("enqueue"), context: context) {
            return status
        }
        var specs: [(argument: String, spec: DeviceSpec)] = []
        var refused = 0
        for argument in arguments {
            if isNumerical(argument) {
                specs.append((argument, .devid(try argStrtou64(argument))))
            } else if argument == "missing" || cancel || MountedFilesystems.isBlockDevice(argument) {
                specs.append((argument, .name(argument.pathBytes)))
            } else {
                context.error("not a block device: \(argument)")
                refused += 1
            }
        }
        defer { warnMultipleProfiles(fs, context: context) }
        if refused > 0 { return 1 }
        var failed = 0
        for (argument, spec) in specs {
            let code: Int32
            do { code = try fs.removeDevice(spec) } catch let error as BtrfsError {
                if case .system(let e, "device delete by id", _) = error {
                    context.error("device delete by id failed: \(errnoText(e))")
                } else {
                    report(argument, spec, errorText(error, .ioctl), context: context)
                }
                failed += 1
                continue
            }
            if code > 0 {
                report(argument, spec, btrfsErrorCodeText(code) ?? "unknown error \(code)", context: context)
                failed += 1
            }
        }
        return failed > 0 ? 1 : 0
    }

    static func report(_ argument: String, _ spec: DeviceSpec, _ why: String, context: Context) {
        if case .devid(let devid) = spec {
            context.error("error removing devid \(devid): \(why)")
        } else {
            context.error("error removing device '\(argument)': \(why)")
        }
    }
}
