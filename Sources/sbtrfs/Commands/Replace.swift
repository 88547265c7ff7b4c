#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `sbtrfs replace` (progs' cmds/replace.c): start, status and cancel of a device replace
/// through DEV_REPLACE; `device replace` is its alias. Messages and exit statuses are progs'.
enum ReplaceCommands {
    static let group = Group(
        "replace", summary: "replace a device in the filesystem",
        entries: [
            .command("start", start),
            .command("status", status),
            .command("cancel", cancel),
        ])

    /// `device replace`: progs' CMD_ALIAS of the top-level group.
    static let alias = Command(
        "replace", synopsis: ["<command> [...]\n\tReplace a device (alias of \"sbtrfs replace\")"],
        summary: "Please see \"sbtrfs replace --help\" for more information.",
        help: [], supportsJSON: true, alias: true, rawArguments: true,
        run: { invocation in
            Dispatcher.delegate(to: group, path: invocation.context.commandPath, arguments: invocation.operands,
                                context: invocation.context)
        })

    static let cancel = Command(
        "cancel", synopsis: ["<mount_point>"], summary: "Cancel a running device replace operation.",
        operands: [OperandSpec("mount_point", .mountPoint)], permutesOperands: true, run: runCancel)

    /// Exit status 0 when a replace was canceled, 2 when none was running (progs' INFO line).
    @Sendable static func runCancel(_ invocation: Invocation) throws -> Int32 {
        let path = invocation.operands[0]
        let fs = try FileSystem(path: path, requireDirectory: true)
        let reply = fs.devReplaceCancel()
        if let e = reply.errno {
            reportFailure("DEV_REPLACE_CANCEL", path: path, errno: e, result: reply.result, context: invocation.context)
            return 1
        }
        if reply.result == .notStarted {
            invocation.out.line("INFO: ioctl(DEV_REPLACE_CANCEL)\"\(path)\": \(reply.result.text)")
            return 2
        }
        return 0
    }

    /// progs' message for a failed DEV_REPLACE call: the errno, then on a line of its own the
    /// kernel's result when it set one (an empty line when not).
    static func reportFailure(_ call: String, path: String, errno: Int32, result: DevReplaceResult, context: Context) {
        context.error("ioctl(\(call)) failed on \"\(path)\": \(errnoText(errno))")
        context.err.line(result == .noResult ? "" : ", \(result.text)")
    }

    /// DEV_REPLACE_STATUS with progs' two refusals (the call failed, or the kernel set a result):
    /// the status, or nil once the error is written.
    static func checkedStatus(_ fs: FileSystem, path: String, context: Context) -> DevReplaceStatus? {
        let reply = fs.devReplaceStatus()
        if let e = reply.errno {
            reportFailure("DEV_REPLACE_STATUS", path: path, errno: e, result: reply.result, context: context)
            return nil
        }
        if reply.result != .noError {
            context.error("ioctl(DEV_REPLACE_STATUS) on '\(path)' returns error: \(reply.result.text)")
            return nil
        }
        return reply.status
    }

    /// open_path_or_dev_mnt: a mounted device stands for its filesystem's mount point.
    static func openPathOrDeviceMount(_ path: String, context: Context) throws -> FileSystem? {
        switch MountedFilesystems.blockDeviceCheck(path) {
        case .success(false):
            return try FileSystem(path: path, requireDirectory: true)
        case .failure(let e):
            context.error("cannot check \(path): \(errorText(e))")
        case .success(true):
            if let mount = try? MountedFilesystems.mount(ofDevice: path) {
                do { return try FileSystem(path: mount.mountPoint) } catch let error as BtrfsError {
                    context.error("can't access '\(path)': \(errorText(error, .ioctl))")
                    return nil
                }
            }
        }
        context.error("'\(path)' is not a mounted btrfs device")
        return nil
    }
}
