/// Usage and limits of one qgroup, from its QGROUP_INFO and QGROUP_LIMIT items in the quota tree.
public struct QgroupUsage: Hashable, Sendable {
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
        let quotaTree: UInt64 = 8
        let infoKey: UInt8 = 242, limitKey: UInt8 = 244
        var usage = QgroupUsage(qgroupID: qgroupID)
        var foundInfo = false
        do {
            var cursor = search(TreeSearch(tree: quotaTree, min: Key(0, infoKey, qgroupID), max: Key(0, limitKey, qgroupID)))
            while let item = try cursor.next() {
                // A compound range: keep only keys of this qgroup and these two types.
                guard item.key.offset == qgroupID else { continue }
                let r = item.reader(context: item.key.type == infoKey ? "QGROUP_INFO" : "QGROUP_LIMIT")
                if item.key.type == infoKey {
                    usage.referenced = try r.getInteger(at: 8)
                    usage.exclusive = try r.getInteger(at: 24)
                    foundInfo = true
                } else if item.key.type == limitKey {
                    usage.maxReferenced = try r.getInteger(at: 8)
                    usage.maxExclusive = try r.getInteger(at: 16)
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
