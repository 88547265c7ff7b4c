#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `sbtrfs scrub`: verify checksums of data and metadata (progs' cmds/scrub.c). start and resume
/// live in ScrubStart.swift, the printed reports in ScrubReport.swift. The status file and the
/// progress socket are progs' own, so either tool reads the other's.
enum ScrubCommands {
    static let group = Group(
        "scrub", summary: "verify checksums of data and metadata", usage: ["<command> [options] <path>|<device>"],
        entries: [.command("start", start), .command("cancel", cancel), .command("resume", resume),
                  .command("status", status)])

    /// The filesystem a scrub command works on: a path on it, or one of its block devices (then
    /// only that device, as progs' get_fs_info), with its devices and fsid.
    struct Target {
        var fs: FileSystem
        var devices: [DevInfo]
        var fsid: String
    }

    /// open_path_or_dev_mnt: a mounted block device stands for its filesystem.
    static func open(_ path: String, context: Context, quiet: Bool = false) throws -> (FileSystem, UInt64?) {
        func fail(_ text: String) -> CommandExit { quiet ? .status(1) : .error(text) }
        if case .success(true) = MountedFilesystems.blockDeviceCheck(path) {
            let found: (mountPoint: String, devid: UInt64)?
            do { found = try MountedFilesystems.mount(ofDevice: path) } catch { throw fail("\(error)") }
            guard let found else {
                throw fail("'\(path)' is not a mounted btrfs device")
            }
            do { return (try FileSystem(path: found.mountPoint, requireDirectory: true), found.devid) } catch {
                throw fail("\(error)")
            }
        }
        do { return (try FileSystem(path: path, requireDirectory: true), nil) } catch { throw fail("\(error)") }
    }

    /// open and get_fs_info, with progs' messages (none under `quiet`). `forAnyUser`: a normal
    /// user, who may not search the chunk tree, gets the devices from FS_INFO and DEV_INFO.
    static func target(_ path: String, context: Context, quiet: Bool = false, forAnyUser: Bool = false) throws -> Target {
        let (fs, only) = try open(path, context: context, quiet: quiet)
        let devices: [DevInfo]
        let fsid: String
        do {
            fsid = try fs.fsInfo().fsid.description
            devices = try ProgsUsage.listedDevices(fs, only: only, unprivilegedFallback: forAnyUser).devices
        } catch {
            if !quiet {
                context.error("getting dev info for scrub failed: \(errorText(error))")
            }
            throw CommandExit.status(1)
        }
        if devices.isEmpty {
            if !quiet { context.error("no devices found") }
            throw CommandExit.status(1)
        }
        return Target(fs: fs, devices: devices, fsid: fsid)
    }

    /// is_scrub_running_in_kernel: does any of the devices answer SCRUB_PROGRESS?
    static func runningInKernel(_ target: Target) -> Bool {
        target.devices.contains { (try? target.fs.scrubProgress(devid: $0.devid)) != nil }
    }

    /// scrub_open_file_r + scrub_read_file: the records (nil for none), or the errno of the open.
    static func readStatusFile(fsid: String, context: Context, warn: Bool) -> Result<[ScrubRecord]?, SystemError> {
        switch ScrubStatusFile.read(fsid: fsid) {
        case .failure(let e): return .failure(e)
        case .success(nil): return .success(nil)
        case .success(let bytes?): return .success(decodeStatus(bytes, context: context, warn: warn, what: "status file"))
        }
    }

    static func decodeStatus(_ bytes: [UInt8], context: Context, warn: Bool, what: String) -> [ScrubRecord]? {
        let decoded = ScrubStatusFile.decode(bytes)
        if warn { for text in decoded.invalid { context.warning(text) } }
        if let failure = decoded.failure {
            if warn {
                context.warning("failed to read \(what): \(errnoText(failure == .empty ? ENODATA : ENOTSUP))")
            }
            return nil
        }
        return decoded.records
    }

    /// The record of `devid` (last_dev_scrub: the first one naming it).
    static func record(_ records: [ScrubRecord]?, devid: UInt64) -> ScrubRecord? {
        records?.first { $0.devid == devid }
    }

    // MARK: cancel

    static let cancel = Command(
        "cancel", synopsis: ["<path>|<device>"], summary: "Cancel a running scrub",
        operands: [OperandSpec("path|device", .path)], help: [.text("Global options:"), .quiet], badOption: .usage,
        run: runCancel)

    @Sendable static func runCancel(_ invocation: Invocation) throws -> Int32 {
        let path = invocation.operands[0]
        let (fs, _) = try open(path, context: invocation.context)
        do { try fs.cancelScrub() } catch let e as BtrfsError {
            let code = e.errno ?? EIO
            invocation.context.error("scrub cancel failed on \(path): \(code == ENOTCONN ? "not running" : errnoText(code))")
            return code == ENOTCONN ? 2 : 1
        }
        invocation.context.verbose(Context.logDefault, "scrub cancelled\n")
        return 0
    }

    // MARK: status

    static let status = Command(
        "status", synopsis: ["[-dR] <path>|<device>"], summary: "Show status of running or finished scrub",
        options: [OptionSpec("d", nil, help: "stats per device"), OptionSpec("R", nil, help: "print raw stats")],
        units: .long, operands: [OperandSpec("path|device", .path)],
        help: [.optionNamed("d"), .optionNamed("R"), .units], supportsJSON: true, permutesOperands: true,
        run: runStatus)

    @Sendable static func runStatus(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let perDevice = invocation.has("d"), raw = invocation.has("R")
        let target = try target(invocation.operands[0], context: context, forAnyUser: true)
        let spaces: [SpaceInfo]
        do { spaces = try target.fs.spaceInfo() } catch {
            throw CommandExit.error("cannot get space info: \(errorText(error))")
        }
        // A running scrub answers on its socket; else the status file.
        var records: [ScrubRecord]?
        switch ScrubProgressSocket.query(fsid: target.fsid) {
        case .success(let bytes):
            records = decodeStatus(bytes, context: context, warn: true, what: "status")
        case .failure:
            switch ScrubStatusFile.read(fsid: target.fsid) {
            case .failure(let e):
                // A normal user may not read root's record (mode 0600): that is an error, not a warning.
                if e.rawValue == EACCES || e.rawValue == EPERM {
                    context.error("failed to open status file: \(errorText(e))")
                } else {
                    context.warning("failed to open status file: \(errorText(e))")
                }
                return 1
            case .success(nil): break
            case .success(let bytes?): records = decodeStatus(bytes, context: context, warn: true, what: "status")
            }
        }
        let inProgress = runningInKernel(target)
        let json = context.format == .json
        if !json { context.verbose(Context.logDefault, "UUID:             \(target.fsid)\n") }
        // Used bytes times copies, per space (still slightly off for RAID56, as progs says).
        var total: UInt64 = 0
        for space in spaces {
            total &+= space.usedBytes &* UInt64(RaidAttributes.ncopies(flags: space.flags))
        }
        if perDevice {
            var rows: [(DevInfo, ScrubRecord?)] = []
            for device in target.devices {
                var last = record(records, devid: device.devid)
                last?.stats.inProgress = inProgress
                rows.append((device, last))
                guard !json else { continue }
                guard let last else {
                    printDevice(device, nil, raw: raw, append: nil, nil, units: invocation.units, context)
                    continue
                }
                printDevice(device, last.progress, raw: raw, append: last.stats.finished != 0 ? "history" : "status",
                            last.stats, units: invocation.units, context)
            }
            if json { printStatusJSON(fsid: target.fsid, devices: rows, fsStat: FsStat(), total: total, to: context.out) }
        } else {
            var fsStat = FsStat()
            fsStat.stats.inProgress = inProgress
            for device in target.devices {
                if let last = record(records, devid: device.devid) { fsStat.add(last.progress, last.stats) }
            }
            if json {
                printStatusJSON(fsid: target.fsid, devices: nil, fsStat: fsStat, total: total, to: context.out)
            } else {
                printFsStat(fsStat, raw: raw, total: total, units: invocation.units, context)
            }
        }
        return 0
    }
}
