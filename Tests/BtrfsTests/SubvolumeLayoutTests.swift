import Testing
import CBtrfs
@testable import Btrfs

/// The root-tree lister reads ROOT_ITEM and ROOT_REF fields at fixed offsets: pin them to the uapi
/// structs, and make sure short or hostile items throw instead of trapping.
@Suite struct SubvolumeLayoutTests {
    @Test func rootItemOffsetsMatchTheUapiStruct() {
        #expect(RootItem.kernelSize == MemoryLayout<btrfs_root_item>.size)
        #expect(RootRef.size == MemoryLayout<btrfs_root_ref>.size)
        #expect(MemoryLayout<btrfs_root_item>.offset(of: \btrfs_root_item.generation) == RootItem.Offset.generation)
        #expect(MemoryLayout<btrfs_root_item>.offset(of: \btrfs_root_item.flags) == RootItem.Offset.flags)
        #expect(MemoryLayout<btrfs_root_item>.offset(of: \btrfs_root_item.uuid) == RootItem.Offset.uuid)
        #expect(MemoryLayout<btrfs_root_item>.offset(of: \btrfs_root_item.parent_uuid) == RootItem.Offset.parentUUID)
        #expect(MemoryLayout<btrfs_root_item>.offset(of: \btrfs_root_item.received_uuid) == RootItem.Offset.receivedUUID)
        #expect(MemoryLayout<btrfs_root_item>.offset(of: \btrfs_root_item.otransid) == RootItem.Offset.otransid)
        #expect(MemoryLayout<btrfs_root_item>.offset(of: \btrfs_root_item.otime) == RootItem.Offset.otime)
        #expect(MemoryLayout<btrfs_root_item>.offset(of: \btrfs_root_item.drop_progress) == RootItem.Offset.dropProgress)
    }

    /// The lister's picks at RootItem.Offset agree with the item model's full parse of the same bytes.
    @Test func offsetsAgreeWithTheItemParser() throws {
        let bytes: [UInt8] = (0..<RootItem.kernelSize).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
        try bytes.withUnsafeBytes { raw in
            let r = ItemReader(raw)
            let item = try RootItem(key: Key(256, 132, 0), reader: r)
            #expect(item.generation == (try r.getInteger(at: RootItem.Offset.generation)))
            #expect(item.flags == (try r.getInteger(at: RootItem.Offset.flags)))
            #expect(item.otransid == (try r.getInteger(at: RootItem.Offset.otransid)))
            #expect(item.otime.sec == (try r.getInteger(at: RootItem.Offset.otime)))
            #expect(item.uuid.bytes == (try r.getBytes(at: RootItem.Offset.uuid, length: 16)))
            #expect(item.parentUUID.bytes == (try r.getBytes(at: RootItem.Offset.parentUUID, length: 16)))
            #expect(item.receivedUUID.bytes == (try r.getBytes(at: RootItem.Offset.receivedUUID, length: 16)))
            var d = r
            d.offset = RootItem.Offset.dropProgress
            #expect(item.dropProgress == (try d.readDiskKey()))
        }
    }

    @Test func uuidWordsRoundTrip() {
        let bytes: [UInt8] = (0..<16).map { UInt8($0 * 17) }
        let uuid = BtrfsUUID(bytes: bytes)
        #expect(BtrfsUUID(words: uuid.words) == uuid)
        #expect(BtrfsUUID(words: uuid.words).description == uuid.description)
    }

    /// resolvePaths on a hand-made listing: nesting, a stop below the top, a broken chain (deleted).
    @Test func pathsResolveAsProgsResolveRoot() throws {
        func entry(_ id: UInt64, parent: UInt64, path: String) -> SubvolumeListing.Entry {
            var e = SubvolumeListing.Entry(id: id)
            e.parentID = parent
            e.pathInParent = parent == 0 ? nil : Array(path.utf8)
            return e
        }
        let entries = [entry(5, parent: 0, path: ""), entry(256, parent: 5, path: "a"),
                       entry(257, parent: 256, path: "d/b"), entry(258, parent: 257, path: "c"),
                       entry(259, parent: 0, path: ""), entry(260, parent: 999, path: "x")]
        var listing = SubvolumeListing(entries: entries, index: Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.id, $0) }),
                                       topID: 256, privileged: true, ioctlCount: 0)
        try listing.resolvePaths(stopAt: 256)
        let byID = Dictionary(uniqueKeysWithValues: listing.entries.map { ($0.id, (String(decoding: $0.path, as: UTF8.self), $0.topLevel, $0.isDeleted)) })
        #expect(try #require(byID[5]) == ("TOPLEVEL", 0, false))
        #expect(try #require(byID[256]) == ("a", 5, false))
        #expect(try #require(byID[257]) == ("d/b", 256, false))
        #expect(try #require(byID[258]) == ("d/b/c", 257, false))
        #expect(try #require(byID[259]) == ("DELETED", 0, true))
        #expect(try #require(byID[260]) == ("DELETED", 999, true))
        try listing.resolvePaths(stopAt: 0)
        #expect(String(decoding: listing.entries[3].path, as: UTF8.self) == "a/d/b/c")
    }
}
