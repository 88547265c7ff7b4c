#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CBtrfs

/// ioprio_set(2) for the calling thread, as btrfs-progs' scrub sets it on each device thread:
/// IOPRIO_PRIO_VALUE(class, data), whatever numbers the user gave (the kernel judges them).
public enum IOPriority {
    /// IOPRIO_CLASS_IDLE.
    public static let classIdle: Int32 = 3

    /// Sets the calling thread's I/O priority; the errno when the kernel refuses.
    public static func setForCurrentThread(class ioClass: Int32, data: Int32) -> Int32? {
        let value = (ioClass &<< 13) | data
        // IOPRIO_WHO_PROCESS with who 0: the calling thread.
        guard case .failure(let e) = SystemCall.value({ sb_ioprio_set(1, 0, value) }) else { return nil }
        return e.rawValue
    }
}
