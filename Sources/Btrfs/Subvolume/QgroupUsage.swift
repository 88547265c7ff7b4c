/// Usage and limits of one qgroup, from its QGROUP_INFO and QGROUP_LIMIT items in the quota tree.
public struct QgroupUsage: Hashable, Sendable {
    /// The qgroup id and its referenced and exclusive bytes.
    public var qgroupID: UInt64
    public var referenced: UInt64 = 0
    public var exclusive: UInt64 = 0
    /// 0 when no limit is set.
    public var maxReferenced: UInt64 = 0
    public var maxExclusive: UInt64 = 0
}

extension FileSystem {
    /// The usage of level-0 qgroup `qgroupID` (as btrfs-progs' btrfs_qgroup_query); nil when quotas are
    /// not enabled (no quota tree). Throws `.malformed` if quotas are on but the qgroup has no info item.
    public func qgroupUsage(qgroupID: UInt64) throws -> QgroupUsage? {
        let info = ItemType.qgroupInfo.rawValue, limit = ItemType.qgroupLimit.rawValue
        var usage = QgroupUsage(qgroupID: qgroupID)
        var foundInfo = false
        do {
            for item in search(TreeSearch(tree: ObjectID.quotaTree.rawValue,
                                           min: Key(0, info, qgroupID), max: Key(0, limit, qgroupID))) {
                let item = try item.get()
                // A compound range: keep only keys of this qgroup and these two types.
                guard item.key.offset == qgroupID else { continue }
                if item.key.type == info {
                    let parsed = try QgroupInfoItem(key: item.key, reader: item.reader())
                    usage.referenced = parsed.rfer
                    usage.exclusive = parsed.excl
                    foundInfo = true
                } else if item.key.type == limit {
                    let parsed = try QgroupLimitItem(key: item.key, reader: item.reader())
                    usage.maxReferenced = parsed.maxRfer
                    usage.maxExclusive = parsed.maxExcl
                }
            }
        } catch let e as BtrfsError where e.errno == ENOENT {
            return nil
        }
        guard foundInfo else { throw BtrfsError.malformed(what: "no QGROUP_INFO item for qgroup 0/\(qgroupID)") }
        return usage
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
