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
        // Computed first, stored after: the parent lookups read `entries` while they are walked.
        var resolved: [(path: [UInt8], topLevel: UInt64, isDeleted: Bool)] = []
        resolved.reserveCapacity(entries.count)
        for i in entries.indices {
            resolved.append(Self.resolvedPath(id: entries[i].id, parentID: entries[i].parentID,
                                              pathInParent: entries[i].pathInParent, stopAt: stopAt) { id in
                guard let p = index[id], entries[p].parentID != 0, let part = entries[p].pathInParent else { return nil }
                return (entries[p].parentID, part)
            })
        }
        for (i, r) in resolved.enumerated() {
            entries[i].path = r.path
            entries[i].topLevel = r.topLevel
            entries[i].isDeleted = r.isDeleted
        }
    }

    static let topLevelPath = Array("TOPLEVEL".utf8)
    static let deletedPath = Array("DELETED".utf8)

    /// btrfs-progs' resolve_root for one subvolume whose place in its parent is known (`parentID`,
    /// `pathInParent`): its path, top level and whether it is deleted. `parent(id)` gives a parent
    /// subvolume's own parent and path in it, nil where the chain breaks. The one walk behind both
    /// `resolvePaths` (parents from the listing) and `FileSystem.forEachSubvolume` (parents searched).
    static func resolvedPath(id: UInt64, parentID: UInt64, pathInParent: [UInt8]?, stopAt: UInt64,
                             parent: (UInt64) throws -> (parentID: UInt64, part: [UInt8])?) rethrows
        -> (path: [UInt8], topLevel: UInt64, isDeleted: Bool) {
        let isTop = id == Subvolume.topLevelID
        guard parentID != 0, let first = pathInParent else {
            return (isTop ? topLevelPath : deletedPath, 0, !isTop)
        }
        // Most subvolumes sit right below the stop or the top level: their path is their path in the parent.
        var next = parentID
        if next == stopAt || next == Subvolume.topLevelID { return (first, parentID, false) }
        var parts: [[UInt8]] = [first]
        var steps = 0
        while true {
            // A cycle cannot happen on a sane filesystem; stop rather than loop on a broken one.
            steps += 1
            guard steps <= 1 << 16, let found = try parent(next) else {
                return (isTop ? topLevelPath : deletedPath, parentID, !isTop)
            }
            parts.append(found.part)
            next = found.parentID
            if next == stopAt || next == Subvolume.topLevelID { break }
        }
        var path: [UInt8] = []
        path.reserveCapacity(parts.reduce(parts.count) { $0 + $1.count })
        for (n, part) in parts.reversed().enumerated() {
            if n > 0 { path.append(UInt8(ascii: "/")) }
            path.append(contentsOf: part)
        }
        return (path, parentID, false)
    }
}
