#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension DiskUsage {
    /// du_calc_file_space for one file: its total and shared bytes, and (when `collect`, i.e.
    /// inside a directory argument) its shared ranges for the argument's Set shared.
    func fileSpace(tree: Int, ino: UInt64, path: [UInt8], collect: Bool,
                   intervals: inout [(start: UInt64, last: UInt64)],
                   warning: (String) -> Void) -> (UInt64, UInt64) {
        if let index = indexes[tree], let position = index.position(of: ino) {
            let refs = extentRefs[subvolumes.trees[tree].filesystem]
            let lastSnapshot = lastSnapshots[tree]
            var total: UInt64 = 0
            var shared: UInt64 = 0
            let mark = intervals.count
            var decided = true
            for record in index.extents(at: position) where !record.isInline && !record.isHole && record.numBytes != 0 {
                guard let extent = refs?.refs(at: record.diskBytenr), extent.references > 0 else {
                    decided = false     // not in the committed extent tree yet: the kernel knows
                    break
                }
                let isShared: Bool
                if extent.references > 1 {
                    isShared = true
                } else if !extent.onlyReferenceIsShared && record.leafGeneration > lastSnapshot {
                    isShared = false
                } else {
                    decided = false     // only the tree blocks above the leaf can tell
                    break
                }
                total &+= record.numBytes
                if isShared {
                    shared &+= record.numBytes
                    // FIEMAP's physical address: a compressed extent's start, else where the item's bytes are.
                    let start = record.compression != 0 ? record.diskBytenr : record.diskBytenr &+ record.extentOffset
                    if collect { intervals.append((start, start &+ record.numBytes &- 1)) }
                }
            }
            if decided { return (total, shared) }
            intervals.removeSubrange(mark...)
        }
        return fiemapSpace(path: path, collect: collect, intervals: &intervals, warning: warning)
    }

    /// progs' own way: FIEMAP on the file, skipping inline, delalloc and unknown extents.
    func fiemapSpace(path: [UInt8], collect: Bool, intervals: inout [(start: UInt64, last: UInt64)],
                     warning: (String) -> Void) -> (UInt64, UInt64) {
        let text = String(pathBytes: path)
        let fd: CInt
        switch SystemCall.open(text, O_RDONLY | O_CLOEXEC) {
        case .success(let opened): fd = opened
        case .failure(let e):
            warning("cannot access '\(text)': \(errnoText(e.rawValue))\n")
            return (0, 0)
        }
        defer { close(fd) }
        let extents: [FiemapExtent]
        switch Fiemap.extents(fd: fd) {
        case .success(let found): extents = found
        case .failure(let failure):
            warning("cannot access '\(text)': \(errnoText(failure.rawValue))\n")
            return (0, 0)
        }
        var total: UInt64 = 0
        var shared: UInt64 = 0
        let skip = FiemapExtent.unknown | FiemapExtent.delalloc | FiemapExtent.dataInline
        for extent in extents where extent.flags & skip == 0 {
            if extent.length == 0 {
                warning("extent \(extent.physical) has length 0, skipping")
                continue
            }
            total &+= extent.length
            if extent.flags & FiemapExtent.shared != 0 {
                shared &+= extent.length
                if collect { intervals.append((extent.physical, extent.physical &+ extent.length &- 1)) }
            }
        }
        return (total, shared)
    }
}
