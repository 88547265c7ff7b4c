#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `filesystem resize` (progs' cmd_filesystem_resize and check_resize_args). progs goes on to the
/// ioctl after its own check of the size has failed (check_resize_args returns 0 whatever it
/// found), so the kernel's refusal follows progs' message; sbtrfs stops at the first (DIFFERENCES.md).
extension FilesystemCommands {
    static let resize = Command(
        "resize", synopsis: ["[options] [devid:][+/-]<newsize>[kKmMgGtTpPeE]|[devid:]max <path>"],
        summary: "Resize a filesystem",
        description: ["If 'max' is passed, the filesystem will occupy all available space",
                      "on the device 'devid'.",
                      "[kK] means KiB, which denotes 1KiB = 1024B, 1MiB = 1024KiB, etc."],
        options: [OptionSpec(nil, "enqueue", help: "wait if there's another exclusive operation running, otherwise continue")],
        operands: [OperandSpec("size", .size), OperandSpec("path", .path)],
        rawArguments: true, run: runResize)

    /// The size of one argument the kernel takes (BTRFS_VOL_NAME_MAX).
    static let volumeNameMax = 255

    @Sendable static func runResize(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        // progs' own loop: long options only, as "-1G" is a size, not an option.
        var enqueue = false
        var rest = invocation.operands[...]
        while let argument = rest.first {
            if argument == "--enqueue" {
                enqueue = true
            } else if argument == "--" {
            } else if argument.hasPrefix("--") {
                context.err.line("\(context.commandPath): unrecognized option '\(argument)'")
                context.err.line("Try '\(context.commandPath) --help' for more information")
                return 1
            } else {
                break
            }
            rest = rest.dropFirst()
        }
        let operands = Array(rest)
        guard operands.count == 2 else {
            throw CommandExit.message(
                "\(context.commandPath): exactly 2 arguments expected, \(operands.count) given", status: 1)
        }
        let amount = operands[0], path = operands[1]
        guard amount.pathByteCount > 0 && amount.pathByteCount < volumeNameMax else {
            throw CommandExit.error("resize value too long (\(amount))")
        }
        let fs: FileSystem
        do { fs = try FileSystem(path: path, requireDirectory: true) } catch BtrfsError.notDirectory(let p) {
            context.error("not a directory: \(p)")
            context.error("resize works on mounted filesystems and accepts only\n"
                          + "directories as argument. Passing file containing a btrfs image\n"
                          + "would resize the underlying filesystem instead of the image.\n")
            return 1
        }
        if amount != "cancel", let sysfs = try? fs.sysfs(), let running = sysfs.exclusiveOperation, running != "none" {
            if !enqueue {
                throw CommandExit.error("unable to start resize, another exclusive operation '\(running)' in progress")
            }
            while let now = sysfs.exclusiveOperation, now != "none" { sleep(1) }
        }
        guard let plan = try resizePlan(amount, fs: fs, context: context) else { return 1 }
        if context.shouldPrint(Context.logDefault) { context.out.line(plan) }
        let code: Int32
        do { code = try fs.resize(amount.pathBytes) } catch {
            let e = (error as? BtrfsError)?.errno ?? EIO
            context.error(e == EFBIG ? "unable to resize '\(path)': no enough free space"
                                     : "unable to resize '\(path)': \(errnoText(e))")
            return 1
        }
        if code > 0 {
            context.error("resizing of '\(path)' failed: \(btrfsErrorCodeText(code) ?? "unknown error \(code)")")
            return 1
        }
        return 0
    }

    /// check_resize_args: the line announcing the resize, or nil after printing why it cannot be.
    static func resizePlan(_ amount: String, fs: FileSystem, context: Context) throws -> String? {
        let info: FsInfo, devices: [DevInfo]
        do {
            info = try fs.fsInfo()
            devices = try fs.devInfos(maxID: info.maxID)
        } catch {
            context.error("unable to retrieve fs info")
            return nil
        }
        return try resizePlan(amount, info: info, devices: devices, context: context)
    }

    /// The plan for `amount` ([DEVID:][+/-]SIZE, max, cancel) on these devices: pure, so the
    /// argument's parse is tested and fuzzed without a filesystem (Fuzz/Targets/arguments.swift).
    static func resizePlan(_ amount: String, info: FsInfo, devices: [DevInfo], context: Context) throws -> String? {
        if devices.isEmpty {
            context.error("no devices found")
            return nil
        }
        var devid: UInt64 = 1
        var sizeText = amount
        if let colon = amount.firstIndex(of: ":") {
            let devText = String(amount[..<colon])
            sizeText = String(amount[amount.index(after: colon)...])
            let parsed = strtoull(devText, base: 10)
            if parsed.overflow {
                context.error("failed to parse devid \(devText): \(errnoText(ERANGE))")
                return nil
            }
            devid = parsed.value
        }
        guard let device = devices.first(where: { $0.devid == devid }) else {
            context.error("cannot find devid: \(Int64(bitPattern: devid))")
            return nil
        }
        let target: String
        if sizeText == "max" {
            target = "max"
        } else if sizeText == "cancel" {
            return "Request to cancel resize"
        } else {
            var sign = 0
            if sizeText.hasPrefix("-") { sign = -1 } else if sizeText.hasPrefix("+") { sign = 1 }
            if sign != 0 { sizeText.removeFirst() }
            let diff = try parseSizeFromString(sizeText)
            if diff == 0 {
                context.error("failed to parse size \(sizeText)")
                return nil
            }
            let old = device.totalBytes
            var newSize = diff
            if sign < 0 {
                guard diff <= old else {
                    context.error("current size is \(prettySize(old, mode: .default)) which is smaller than \(prettySize(diff, mode: .default))")
                    return nil
                }
                newSize = old - diff
            } else if sign > 0 {
                guard diff <= UInt64.max - old else {
                    context.error("increasing \(prettySize(diff, mode: .default)) is out of range")
                    return nil
                }
                newSize = old + diff
            }
            let sector = UInt64(max(info.sectorsize, 1))
            newSize -= newSize % sector
            target = prettySize(newSize, mode: .default)
        }
        return "Resize device id \(Int64(bitPattern: devid)) (\(device.path)) from \(prettySize(device.totalBytes, mode: .default)) to \(target)"
    }
}
