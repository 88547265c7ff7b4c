import Btrfs

/// progs' check_running_fs_exclop for every command that starts an exclusive operation
/// (balance, device add and remove, replace): another one running refuses the start, or with
/// --enqueue is waited for (the kernel notifies changes of sysfs' exclusive_operation).
enum ExclusiveOperation {
    /// progs' exclop_def: the operations it knows (an unknown word lets the command go on).
    static let known: Set<String> = ["none", "balance", "balance paused", "device add", "device remove",
                                     "device replace", "resize", "swap activate"]

    /// nil: go on; else the status to exit with after progs' message. `starting` is progs'
    /// name of the operation ("balance", "device add" …).
    static func check(_ fs: FileSystem, starting: String, enqueue: Bool, context: Context) -> Int32? {
        guard let sysfs = try? fs.sysfs() else { return nil }
        var running = sysfs.exclusiveOperation
        func busy(_ op: String?) -> Bool {
            guard let op, known.contains(op), op != "none" else { return false }
            // A device may be added while a balance is paused (kernel 5.17).
            return !(starting == "device add" && op == "balance paused")
        }
        guard busy(running) else { return nil }
        if !enqueue {
            context.error("unable to start \(starting), another exclusive operation '\(running ?? "")' in progress")
            return 1
        }
        while busy(running) {
            sysfs.waitForExclusiveOperationChange(milliseconds: 60_000)
            running = sysfs.exclusiveOperation
        }
        return nil
    }
}
