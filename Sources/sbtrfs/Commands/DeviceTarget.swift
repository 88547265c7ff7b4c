#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// A device about to join a filesystem (`device add`, the target of `replace start`): progs'
/// test_dev_for_mkfs with its messages, and btrfs_prepare_device's writes.
enum DeviceTarget {
    /// test_dev_for_mkfs: true when `file` may be used; otherwise its messages are printed.
    static func check(_ file: String, force: Bool, context: Context) -> Bool {
        switch DeviceChecks.isSwap(file) {
        case .failure(let e):
            context.error("checking status of \(file): \(errorText(e))")
            return false
        case .success(true):
            context.error("\(file) is a swap device")
            return false
        case .success(false): break
        }
        if !force && holdsSomething(file, context: context) {
            context.error("use the -f option to force overwrite of \(file)")
            return false
        }
        switch DeviceChecks.isMounted(file) {
        case .failure(let e):
            // progs says it twice; a refusal of privileges is one line here (DIFFERENCES.md).
            if e.rawValue != EACCES && e.rawValue != EPERM {
                context.error("mount check: cannot open \(file): \(errorText(e))")
            }
            context.error("cannot check mount status of \(file): \(errorText(e))")
            return false
        case .success(true):
            context.error("\(file) is mounted")
            return false
        case .success(false): break
        }
        switch DeviceChecks.openExclusively(file) {
        case .failure(let e):
            context.error("unable to open \(file): \(errorText(e))")
            return false
        case .success(false):
            context.error("\(file) is not a block device")
            return false
        case .success(true): return true
        }
    }

    /// check_overwrite: does blkid (or, where it sees nothing, a zoned btrfs magic at the start)
    /// find something on `file`? An unreadable device counts as holding something.
    static func holdsSomething(_ file: String, context: Context) -> Bool {
        switch DeviceChecks.probeSignature(file) {
        case .filesystem(let type):
            context.error("\(file) appears to contain an existing filesystem (\(type))")
            return true
        case .partitionTable(let type):
            context.error("\(file) appears to contain a partition table (\(type))")
            return true
        case .unknown:
            context.error("\(file) appears to contain something weird according to blkid")
            return true
        case .probeFailed:
            context.error("probe of \(file) failed, cannot detect existing filesystem")
        case .nothing: break
        }
        switch DeviceChecks.hasZonedBtrfsSignature(file) {
        case .success(true):
            context.warning("\(file) contains zoned btrfs signature but was not detected by blkid, please update")
            return true
        case .failure:
            context.warning("cannot read superblock on \(file), please check manually\n")
            return true
        case .success(false):
            return false
        }
    }

    /// btrfs_prepare_device for a device opened read-write: the TRIM line and discard unless
    /// `discard` is false (or the device cannot), then the zeros. false after its message.
    static func prepare(_ device: DevicePreparation, name: String, discard: Bool, context: Context) -> Bool {
        let size: UInt64
        do { size = try device.size() } catch {
            context.error("unable to stat \(name): \(errorText(error, .ioctl))")
            return false
        }
        if size == 0 {
            context.error("unable to determine size of \(name)")
            return false
        }
        if discard && DevicePreparation.discardSupported(name) {
            context.out.line("Performing full device TRIM \(name) (\(prettySize(size, mode: .default))) ...")
            context.out.flush()
            device.discard(size: size)
        }
        do { try device.zeroSuperblockAreas(size: size) } catch {
            context.error("failed to zero device '\(name)': \(errorText(error, .ioctl))")
            return false
        }
        return true
    }
}
