#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `replace start` (progs' cmd_replace_start): every check before the target is written, then
/// the replace in the background (progs' daemon()) or, with -B, here. SIGINT or SIGTERM under -B
/// cancels the replace (exit 130); on a terminal -B draws a progress line on stderr.
extension ReplaceCommands {
    static let start = Command(
        "start", synopsis: ["[-Bfr] <srcdev>|<devid> <targetdev> <mount_point>"],
        summary: "Replace device of a btrfs filesystem.",
        description: ["On a live filesystem, duplicate the data to the target device which",
                      "is currently stored on the source device. If the source device is not",
                      "available anymore, or if the -r option is set, the data is built",
                      "only using the RAID redundancy mechanisms. After completion of the",
                      "operation, the source device is removed from the filesystem.",
                      "If the <srcdev> is a numerical value, it is assumed to be the device id",
                      "of the filesystem which is mounted at <mount_point>, otherwise it is",
                      "the path to the source device. If the source device is disconnected,",
                      "from the system, you have to use the <devid> parameter format.",
                      "The <targetdev> needs to be same size or larger than the <srcdev>."],
        options: [OptionSpec("r", nil, help: "only read from <srcdev> if no other zero-defect mirror exists "
                                + "(enable this if your drive has lots of read errors, the access would be very slow)"),
                  OptionSpec("f", nil, help: "force using and overwriting <targetdev> even if it looks like "
                                + "containing a valid btrfs filesystem. A valid filesystem is assumed if a btrfs "
                                + "superblock is found which contains a correct checksum. Devices which are currently "
                                + "mounted are never allowed to be used as the <targetdev>"),
                  OptionSpec("B", nil, help: "do not background"),
                  DeviceCommands.enqueueOption,
                  OptionSpec("K", "nodiscard", help: "do not perform whole device TRIM")],
        operands: [OperandSpec("srcdev|devid", .device), OperandSpec("targetdev", .device),
                   OperandSpec("mount_point", .mountPoint)],
        permutesOperands: true, run: runStart)

    @Sendable static func runStart(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let source = invocation.operands[0], path = invocation.operands[2]
        guard let fs = try openPathOrDeviceMount(path, context: context) else { return 1 }
        let zoned: Bool
        do { zoned = try fs.features().incompat & FeatureFlags.incompatZoned != 0 } catch {
            context.error("zoned: ioctl(GET_FEATURES) on '\(path)' returns error: \(errorText(error, .ioctl))")
            return 1
        }
        guard let before = checkedStatus(fs, path: path, context: context) else { return 1 }
        if before.state == .started {
            context.error("device replace on '\(path)' already started")
            return 1
        }
        let target = invocation.operands[1]
        if target.isEmpty {
            context.error("cannot canonicalize path '': \(errnoText(ENOENT))")
            return 1
        }
        let targetPath = MountedFilesystems.canonicalize(target)
        var request = DevReplaceStart(sourceDevid: 0, sourceName: [], targetName: targetPath.pathBytes,
                                      avoidReadingFromSource: invocation.has("r"))
        let sourceSize: UInt64
        if DeviceCommands.isNumerical(source) {
            request.sourceDevid = try argStrtou64(source)
            let devices: [DevInfo]
            do { devices = try fs.devInfos() } catch {
                context.error("failed to get device info: \(errorText(error, .ioctl))")
                return 1
            }
            if devices.isEmpty {
                context.error("no devices found")
                return 1
            }
            guard let device = devices.first(where: { $0.devid == request.sourceDevid }) else {
                context.error("'\(source)' is not a valid devid for filesystem '\(path)'")
                return 1
            }
            sourceSize = device.totalBytes
        } else if MountedFilesystems.isBlockDevice(source) {
            request.sourceName = source.pathBytes
            sourceSize = DevicePreparation.partitionSize(source)
        } else {
            context.error("source device must be a block device or a devid")
            return 1
        }
        guard DeviceTarget.check(targetPath, force: invocation.has("f"), context: context) else { return 1 }
        if sourceSize > DevicePreparation.partitionSize(targetPath) {
            context.error("target device smaller than source device (required \(sourceSize) bytes)")
            return 1
        }
        let prepared: DevicePreparation
        do { prepared = try DevicePreparation(path: targetPath) } catch {
            context.error("unable to open \(targetPath): \(errorText(error, .ioctl))")
            return 1
        }
        if let status = ExclusiveOperation.check(fs, starting: "device replace", enqueue: invocation.has("enqueue"),
                                                 context: context) {
            return status
        }
        guard DeviceTarget.prepare(prepared, name: targetPath, discard: !invocation.has("nodiscard") && !zoned, context: context) else {
            return 1
        }
        if !invocation.has("B") {
            context.out.flush()
            context.err.flush()
            if case .failure(let e) = SystemCall.value(retryOnInterrupt: false, { daemon(0, 0) }) {
                context.error("backgrounding failed: \(errorText(e))")
                return 1
            }
            closeInheritedDescriptors(keeping: fs.descriptor.rawValue)
            _ = fs.devReplaceStart(request)
            return 0
        }
        return runForeground(fs, request, path: path, context: context)
    }

    /// -B: the replace runs in this thread; a watcher cancels it on SIGINT or SIGTERM and, on a
    /// terminal, redraws the progress line every second.
    static func runForeground(_ fs: FileSystem, _ request: DevReplaceStart, path: String, context: Context) -> Int32 {
        let live = isatty(2) == 1
        var canceled = false
        let watcher = SignalWatcher(whileSignaled: {
            if !canceled { canceled = fs.devReplaceCancel().errno == nil }
        }, tick: {
            guard live else { return }
            let status = fs.devReplaceStatus().status
            guard status.state == .started else { return }
            drawLive("\(progressText(status.progress1000)) done, \(status.numWriteErrors) write errs, "
                     + "\(status.numUncorrectableReadErrors) uncorr. read errs")
        })
        let reply = fs.devReplaceStart(request)
        watcher.stop()
        if live { drawLive(nil) }
        let interrupted = watcher.interrupted
        if let e = reply.errno {
            reportFailure("DEV_REPLACE_START", path: path, errno: e, result: reply.result, context: context)
            if e == EOPNOTSUPP { context.warning("device replace of RAID5/6 not supported with this kernel") }
            return interrupted ? 130 : 1
        }
        if reply.returnValue > 0 {
            context.error("ioctl(DEV_REPLACE_START) '\(path)': \(btrfsErrorCodeText(reply.returnValue) ?? "unknown error \(reply.returnValue)")")
            return interrupted ? 130 : 1
        }
        if reply.result != .noResult && reply.result != .noError {
            context.error("ioctl(DEV_REPLACE_START) on '\(path)' returns error: \(reply.result.text)")
            return interrupted ? 130 : 1
        }
        return interrupted ? 130 : 0
    }

    /// In the daemon: every descriptor but the standard ones and `keep` closed, so a pipe the
    /// caller handed down (a test runner's, a shell's) is not held open until the replace ends.
    static func closeInheritedDescriptors(keeping keep: Int32) {
        guard let directory = opendir("/proc/self/fd") else { return }
        var open: [Int32] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if let fd = Int32(name), fd > 2, fd != keep { open.append(fd) }
        }
        let own = dirfd(directory)
        closedir(directory)
        for fd in open where fd != own { close(fd) }
    }

    /// The live line on stderr (a terminal): `text`, or nil to clear it.
    static func drawLive(_ text: String?) {
        let line = "\r\u{1B}[K" + (text ?? "")
        _ = Array(line.utf8).withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    }
}
