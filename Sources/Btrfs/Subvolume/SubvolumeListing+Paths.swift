extension SubvolumeListing {
    /// Builds each entry's listing path as btrfs-progs' resolve_root does: from the subvolume up through its
    /// parents, stopping below `stopAt` (a subvolume id, or 0 for none) or at the top level. A subvolume whose
    /// chain breaks is deleted ("DELETED"); the top level itself gets "TOPLEVEL".
    ///
    /// An unprivileged listing knows paths only relative to `topID`; with `stopAt` other than `topID` it
    /// needs `topPath`, the top's own path from the top level (empty when the top is the top level).
    public mutating func resolvePaths(stopAt: UInt64, topPath: [UInt8]? = nil) throws {
        if !privileged {
            let slash = UInt8(ascii: "/")
            for i in entries.indices {
                entries[i].topLevel = entries[i].parentID
                let relative = entries[i].pathInParent ?? entries[i].name
                if stopAt == topID || topID == Subvolume.topLevelID {
                    entries[i].path = relative
                } else if let topPath {
                    entries[i].path = topPath.isEmpty ? relative : topPath + [slash] + relative
                } else {
                    throw BtrfsError.invalidArgument(
                        "cannot resolve the full path of subvolume \(topID) without privileges")
                }
            }
            return
        }
        for i in entries.indices {
            let (path, topLevel) = resolve(i, stopAt: stopAt)
            if let path {
                entries[i].path = path
                entries[i].isDeleted = false
            } else if entries[i].id != Subvolume.topLevelID {
                entries[i].path = Array("DELETED".utf8)
                entries[i].isDeleted = true
            } else {
                entries[i].path = Array("TOPLEVEL".utf8)
                entries[i].isDeleted = false
            }
            entries[i].topLevel = topLevel
        }
    }

    private func resolve(_ start: Int, stopAt: UInt64) -> (path: [UInt8]?, topLevel: UInt64) {
        // Most subvolumes sit right below the stop or the top level: their path is their path in the parent.
        let first = entries[start]
        guard first.parentID != 0, let firstPart = first.pathInParent else { return (nil, 0) }
        if first.parentID == stopAt || first.parentID == Subvolume.topLevelID { return (firstPart, first.parentID) }
        var parts: [[UInt8]] = []
        var topLevel: UInt64 = 0
        var current = start
        var steps = 0
        while true {
            let found = entries[current]
            guard found.parentID != 0, let part = found.pathInParent else { return (nil, topLevel) }
            parts.append(part)
            if topLevel == 0 { topLevel = found.parentID }
            let next = found.parentID
            if next == stopAt || next == Subvolume.topLevelID { break }
            // A cycle cannot happen on a sane filesystem; stop rather than loop on a broken one.
            steps += 1
            guard steps <= entries.count, let parentIndex = index[next] else { return (nil, topLevel) }
            current = parentIndex
        }
        if parts.count == 1 { return (parts[0], topLevel) }
        var path: [UInt8] = []
        path.reserveCapacity(parts.reduce(parts.count) { $0 + $1.count })
        for (n, part) in parts.reversed().enumerated() {
            if n > 0 { path.append(UInt8(ascii: "/")) }
            path.append(contentsOf: part)
        }
        return (path, topLevel)
    }
}
