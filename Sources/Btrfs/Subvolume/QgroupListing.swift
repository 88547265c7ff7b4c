#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One qgroup as the quota tree describes it: usage, limits and relations, plus the path of its
/// subvolume for level 0 (what btrfs-progs' qgroup show gathers).
public struct Qgroup: Hashable, Sendable {
    /// The qgroup id, its QGROUP_INFO and QGROUP_LIMIT items (nil when absent).
    public var id: UInt64
    public var info: QgroupInfoItem?
    public var limit: QgroupLimitItem?
    /// Qgroups this one is a member of, in key order.
    public var parents: [UInt64] = []
    /// Members of this qgroup, in key order.
    public var children: [UInt64] = []
    /// Level 0: the subvolume's path below the top level ("" for the top level itself); nil for
    /// higher levels and for a stale qgroup whose subvolume is gone.
    public var path: [UInt8]?

    /// A qgroup with no items yet.
    public init(id: UInt64) { self.id = id }

    /// Its level and subvolume id; referenced and exclusive bytes; limit flags and limits in bytes (0 when
    /// absent).
    public var level: UInt64 { id >> 48 }
    public var subvolumeID: UInt64 { id & ((1 << 48) - 1) }
    public var referenced: UInt64 { info?.rfer ?? 0 }
    public var exclusive: UInt64 { info?.excl ?? 0 }
    public var limitFlags: UInt64 { limit?.flags ?? 0 }
    public var maxReferenced: UInt64 { limit?.maxRfer ?? 0 }
    public var maxExclusive: UInt64 { limit?.maxExcl ?? 0 }
}

/// Every qgroup of a filesystem, by id, and the quota status item.
public struct QgroupListing: Sendable {
    /// The quota tree's status item (nil when quotas were never enabled).
    public var status: QgroupStatusItem?
    /// Sorted by id.
    public var qgroups: [Qgroup]

    /// The qgroup with `id`, if there is one.
    public func qgroup(_ id: UInt64) -> Qgroup? {
        var low = 0, high = qgroups.count
        while low < high {
            let mid = (low + high) / 2
            if qgroups[mid].id < id { low = mid + 1 } else { high = mid }
        }
        return low < qgroups.count && qgroups[low].id == id ? qgroups[low] : nil
    }
}

extension FileSystem {
    /// The quota tree's qgroups, nil when quotas are not enabled (there is no quota tree).
    /// Relations are taken from the (parent, RELATION, child) keys, as btrfs-progs does; a relation
    /// naming a qgroup without items is `.malformed`. With `resolvePaths` each level-0 qgroup gets
    /// its subvolume's path (root only, through INO_LOOKUP); a missing subvolume leaves it nil.
    public func qgroupListing(resolvePaths: Bool = true) throws -> QgroupListing? {
        var status: QgroupStatusItem?
        var byID: [UInt64: Qgroup] = [:]
        var relations: [(child: UInt64, parent: UInt64)] = []
        let statusType = ItemType.qgroupStatus.rawValue, infoType = ItemType.qgroupInfo.rawValue
        let limitType = ItemType.qgroupLimit.rawValue, relationType = ItemType.qgroupRelation.rawValue
        do {
            for item in search(TreeSearch(tree: ObjectID.quotaTree.rawValue,
                                           min: Key(0, statusType, 0), max: Key(.max, relationType, .max))) {
                let item = try item.get()
                let key = item.key
                // A compound range: items of other types between the ends are not ours.
                switch key.type {
                case statusType:
                    status = try QgroupStatusItem(key: key, reader: item.reader())
                case infoType:
                    byID[key.offset, default: Qgroup(id: key.offset)].info = try QgroupInfoItem(key: key, reader: item.reader())
                case limitType:
                    byID[key.offset, default: Qgroup(id: key.offset)].limit = try QgroupLimitItem(key: key, reader: item.reader())
                case relationType where key.objectID > key.offset:
                    relations.append((child: key.offset, parent: key.objectID))
                default:
                    continue
                }
            }
        } catch let e as BtrfsError where e.errno == ENOENT {
            return nil
        }
        for (child, parent) in relations {
            for id in [child, parent] where byID[id] == nil {
                throw BtrfsError.malformed(what: "cannot find the qgroup \(qgroupIDString(id))")
            }
            byID[child]?.parents.append(parent)
            byID[parent]?.children.append(child)
        }
        var qgroups = byID.values.sorted { $0.id < $1.id }
        if resolvePaths {
            for i in qgroups.indices where qgroups[i].level == 0 {
                do {
                    qgroups[i].path = try subvolumePath(id: qgroups[i].subvolumeID)
                } catch let e as BtrfsError where e.utilCode == .subvolumeNotFound {
                    qgroups[i].path = nil
                }
            }
        }
        return QgroupListing(status: status, qgroups: qgroups)
    }
}
