#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `filesystem sync` and `filesystem label` (progs' cmds/filesystem.c and common/filesystem-utils.c).
extension FilesystemCommands {
    static let sync = Command(
        "sync", synopsis: ["<path>"], summary: "Force a sync on a filesystem",
        operands: [OperandSpec("path", .path)], badOption: .usage, run: runSync)

    @Sendable static func runSync(_ invocation: Invocation) throws -> Int32 {
        guard let path = invocation.operands.first else { throw CommandExit.usage }
        do { try syncFilesystem(path: path) } catch {
            invocation.context.error(errorText(error, .util))
            return 1
        }
        return 0
    }

    static let label = Command(
        "label", synopsis: ["[<device>|<mount_point>] [<newlabel>]"],
        summary: "Get or change the label of a filesystem",
        description: ["With one argument, get the label of filesystem on <device>.",
                      "If <newlabel> is passed, set the filesystem label to <newlabel>."],
        operands: [OperandSpec("device|mount_point", .path), OperandSpec("newlabel", .label, optional: true)],
        help: [], supportsJSON: true, badOption: .usage, run: runLabel)

    /// progs' exit status for a C `return ret` with a negative ret (exit's low byte).
    static func negativeStatus(_ errno: Int32) -> Int32 { Int32(UInt8(truncatingIfNeeded: -errno)) }

    /// progs' path_is_reg_or_block_device: 1 for a file or block device, 0 for anything else
    /// (a missing path included), -errno when stat fails otherwise.
    static func isFileOrBlockDevice(_ path: String) -> Int32 {
        let st: stat
        switch SystemCall.stat(path) {
        case .success(let answer): st = answer
        case .failure(let e): return e.rawValue == ENOENT ? 0 : -e.rawValue
        }
        let type = st.st_mode & S_IFMT
        return type == S_IFREG || type == S_IFBLK ? 1 : 0
    }

    @Sendable static func runLabel(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let operands = invocation.operands
        guard let object = operands.first else { throw CommandExit.usage }
        if operands.count > 1 {
            let value = operands[1]
            guard value.pathByteCount <= 255 else {
                context.error("label \(value) is too long (max 255)")
                return 255
            }
            let kind = isFileOrBlockDevice(object)
            if kind < 0 { return negativeStatus(-kind) }
            if kind > 0 {
                // progs rewrites an unmounted superblock itself; sbtrfs writes through the kernel only.
                context.error("setting the label of an unmounted device is not supported, use the mount point")
                return 255
            }
            do { try setFilesystemLabel(path: object, label: value.pathBytes) } catch BtrfsError.cannotAccess(_, let e) {
                context.error("unable to access \(object): \(errnoText(e))")
                return 255
            } catch {
                context.error("unable to set label of \(object): \(errorText(error, .strerrorOrDescription))")
                return 255
            }
            return 0
        }
        let kind = isFileOrBlockDevice(object)
        if kind < 0 { return negativeStatus(-kind) }
        let label: [UInt8]
        if kind > 0 {
            // open_ctree's refusal of a device without a btrfs superblock, word for word.
            do {
                let size = try byteSize(path: object)
                guard size >= 65536 else {
                    context.error("superblock bytenr 65536 is larger than device size \(size)")
                    return 255
                }
                guard try hasBtrfsSuperblock(device: object) else {
                    context.err.write("No valid Btrfs found on \(object)\n")
                    return 255
                }
                label = try superblockLabel(device: object)
            } catch {
                context.error(errorText(error, .strerrorOrDescription))
                return 255
            }
        } else {
            do { label = try filesystemLabel(path: object) } catch BtrfsError.cannotAccess(_, let e) {
                context.error("unable to access \(object): \(errnoText(e))")
                return 255
            } catch {
                let e = (error as? BtrfsError)?.errno ?? EIO
                if e != ENOTTY { context.error("unable to get label of \(object): \(errnoText(e))") }
                return negativeStatus(e)
            }
        }
        if context.format == .json {
            // progs 6.2 has no JSON here: `{"filesystem-label": {"path": …, "label": …}}`.
            printSimpleJSON("filesystem-label", to: context.out) { json in
                json.string("path", object)
                json.string("label", String(pathBytes: label))
            }
        } else if context.shouldPrint(Context.logDefault) {
            context.out.write(bytes: label)
            context.out.write(byte: 0x0A)
        }
        return 0
    }
}
