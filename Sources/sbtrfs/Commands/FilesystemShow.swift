#if canImport(Glibc)
import Glibc
#endif
import Btrfs

// `sbtrfs filesystem show`: progs' btrfs_scan_kernel part of cmd_filesystem_show, byte for byte:
// mounted filesystems only (no scan of unmounted devices). A normal user, for whom progs prints
// nothing, gets the filesystems from FS_INFO and DEV_INFO.
extension FilesystemCommands {
    static let show = Command(
        "show", synopsis: ["[options] [<path>|<uuid>|<device>|label]"],
        summary: "Show the structure of a filesystem",
        options: [
            // Accepted for progs' help text; refused when given (no scan of unmounted devices).
            OptionSpec("d", "all-devices", help: "show only disks under /dev containing btrfs filesystem"),
            OptionSpec("m", "mounted", help: "show only mounted btrfs"),
        ],
        units: .long, operands: [OperandSpec("path|uuid|device|label", .string, optional: true)],
        help: [.optionNamed("all-devices"), .optionNamed("mounted"), .units, .text(""),
               .text("If no argument is given, structure of all present filesystems is shown.")],
        supportsJSON: true, checksOperandCount: false, permutesOperands: true, run: runShow)

    struct ShownFilesystem {
        var label: [UInt8]
        var fsid: BtrfsUUID
        var numDevices: UInt64
        var bytesUsed: UInt64
        var devices: [(info: DevInfo, reachable: Bool, path: String)]
    }

    @Sendable static func runShow(_ invocation: Invocation) throws -> Int32 {
        // progs' check_argc_max(argc, optind + 1) counts its own argv[0] and the options too.
        if invocation.operands.count > 1 {
            let options = invocation.options.count
            throw CommandExit.message("\(invocation.context.commandPath): too many arguments: "
                                      + "\(1 + options + invocation.operands.count) but at most \(options + 2) expected", status: 1)
        }
        if invocation.has("all-devices") {
            throw CommandExit.error("scanning unmounted devices (-d) is not supported: only mounted filesystems are shown")
        }
        var search = invocation.operands.first
        if let s = search {
            if s.isEmpty { throw CommandExit.usage }
            if let real = realPath(s) { search = real }
            if let s = search, MountedFilesystems.isBlockDevice(s) {
                guard let found = try MountedFilesystems.mount(ofDevice: s) else {
                    throw CommandExit.error("no mounted btrfs on \(s)")
                }
                search = found.mountPoint
            }
        }
        var seen = Set<BtrfsUUID>()
        var shown = [ShownFilesystem]()
        for mount in try MountedFilesystems.all() {
            let fs: FileSystem
            do { fs = try FileSystem(path: mount.mountPoint) } catch let e as BtrfsError where e.isDescriptorShortage {
                throw e
            } catch { continue }
            let info = try fs.fsInfo()
            if seen.contains(info.fsid) { continue }
            let label = (try? fs.label()) ?? []
            if let search, !matches(search, fsid: info.fsid, mountPoint: mount.mountPoint, label: label) { continue }
            seen.insert(info.fsid)
            let listed = try ProgsUsage.listedDevices(fs, unprivilegedFallback: true)
            let used = try fs.spaceInfo().reduce(UInt64(0)) { $0 &+ $1.usedBytes }
            shown.append(ShownFilesystem(
                label: label, fsid: info.fsid, numDevices: listed.numDevices, bytesUsed: used,
                devices: try listed.devices.map { d in
                    (d, try ProgsUsage.deviceReachable(d.path), MountedFilesystems.canonicalize(d.path))
                }))
        }
        if let search, shown.isEmpty { throw CommandExit.error("not a valid btrfs filesystem: \(search)") }
        if invocation.format == .json {
            writeShowJSON(shown, to: invocation.out)
        } else {
            let mode = invocation.units
            var t = ""
            for f in shown {
                t += f.label.isEmpty ? "Label: none " : "Label: '" + String(pathBytes: f.label) + "' "
                t += " uuid: \(f.fsid)\n\tTotal devices \(f.numDevices) FS bytes used \(prettySize(f.bytesUsed, mode: mode))\n"
                for d in f.devices {
                    let devid = cPad(String(d.info.devid), 4)
                    if !d.reachable {
                        t += "\tdevid \(devid) size 0 used 0 path \(d.info.path) MISSING\n"
                    } else {
                        t += "\tdevid \(devid) size \(prettySize(d.info.totalBytes, mode: mode)) "
                            + "used \(prettySize(d.info.bytesUsed, mode: mode)) path \(d.path)\n"
                    }
                }
                t += "\n"
            }
            invocation.context.verbose(Context.logDefault, t)
        }
        return 0
    }

    /// progs' match_search_item_kernel: a uuid prefix, the label, or the mount point.
    static func matches(_ search: String, fsid: BtrfsUUID, mountPoint: String, label: [UInt8]) -> Bool {
        let uuid = Array(fsid.description.utf8)
        let wanted = Array(search.pathBytes.prefix(37))
        // strncmp over at most 37 bytes: a longer search meets the uuid's terminating NUL.
        if uuid.starts(with: wanted) { return true }
        if !label.isEmpty && label == search.pathBytes { return true }
        return mountPoint == search
    }

    static func writeShowJSON(_ shown: [ShownFilesystem], to out: OutputStream) {
        var json = JSONWriter(out: out, style: .native)
        json.start()
        json.beginGroup("filesystem-show", .array)
        for f in shown {
            json.beginGroup(nil, .map)
            json.string("label", f.label.isEmpty ? nil : String(pathBytes: f.label))
            json.string("uuid", f.fsid.description)
            json.number("total-devices", f.numDevices)
            json.number("bytes-used", f.bytesUsed)
            json.beginGroup("devices", .array)
            for d in f.devices {
                json.beginGroup(nil, .map)
                json.number("devid", d.info.devid)
                // As the text: progs prints a missing device as `size 0 used 0 … MISSING`.
                json.number("size", d.reachable ? d.info.totalBytes : 0)
                json.number("used", d.reachable ? d.info.bytesUsed : 0)
                json.string("path", d.reachable ? d.path : d.info.path)
                json.bool("missing", !d.reachable)
                json.endGroup()
            }
            json.endGroup()
            json.endGroup()
        }
        json.endGroup()
        json.end()
    }
}
