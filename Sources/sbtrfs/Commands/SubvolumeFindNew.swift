#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `subvolume find-new`: the file extents of a subvolume written in or after a generation, as
/// btrfs-progs 6.2's btrfs_list_find_updated_files prints them.
extension SubvolumeCommands {
    static let findNew = Command(
        "find-new", synopsis: ["<path> <lastgen>"], summary: "List the recently modified files in a filesystem",
        operands: [OperandSpec("path", .subvolume), OperandSpec("lastgen", .number)],
        help: [], supportsJSON: true, badOption: .usage, run: runFindNew)

    /// What progs' v1 search (3992-byte buffer) hands back with length 0: an item that cannot fit alone.
    static let v1ItemLimit = 3992 - 32

    @Sendable static func runFindNew(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        let path = invocation.operands[0]
        let lastGen = try argStrtou64(invocation.operands[1])
        do { try Subvolume.checkIsSubvolume(path) } catch { throw CommandExit.error(errorText(error, .util)) }
        let fs = try FileSystem(path: path, requireDirectory: true)
        do { try fs.sync() } catch { throw CommandExit.error(errorText(error, .util)) }

        let marker = try rootGeneration(fs, context)
        var names = NameCache(fs: fs, context: context)
        var status: Int32 = 0
        // progs 6.2 has no JSON here: the same extents as a stream of maps, then the marker.
        var json: JSONWriter? = context.format == .json ? JSONWriter(out: context.out, style: .native) : nil
        json?.start()
        json?.beginGroup("subvolume-find-new", .map)
        json?.beginGroup("extents", .array)
        do {
            for item in fs.search(TreeSearch(tree: 0, min: .min, max: Key(.max, 108, .max), minTransid: lastGen)) {
                let item = try item.get()
                guard item.key.type == 108 else { continue }
                let length = item.data.count > v1ItemLimit ? 0 : item.data.count
                let r = ItemReader(UnsafeRawBufferPointer(rebasing: item.data.prefix(length)), context: "EXTENT_DATA")
                let generation: UInt64 = length >= 8 ? try r.getInteger(at: 0) : 0
                guard generation >= lastGen else { continue }
                try printExtent(item.key, r, generation, &names, context, json: &json)
            }
        } catch let e as BtrfsError {
            context.error("can't perform the search: \(errorText(e))")
            status = 1
        }
        if var json {
            json.endGroup()
            json.number("transid-marker", marker)
            json.endGroup()
            json.end()
            return status
        }
        context.verbose(Context.logDefault, "transid marker was \(marker)\n")
        return status
    }

    static func printExtent(_ key: Key, _ r: ItemReader, _ generation: UInt64, _ names: inout NameCache,
                            _ context: Context, json: inout JSONWriter?) throws {
        guard let name = names.path(of: key.objectID) else { return }
        let type: UInt8 = r.count > 20 ? try r.getInteger(at: 20) : 0
        let compression: UInt8 = r.count > 16 ? try r.getInteger(at: 16) : 0
        var length: UInt64 = 0, diskStart: UInt64 = 0, diskOffset: UInt64 = 0
        switch type {
        case 1, 2:  // regular, prealloc
            diskStart = try r.getInteger(at: 21)
            diskOffset = try r.getInteger(at: 37)
            length = try r.getInteger(at: 45)
        case 0:     // inline
            length = r.count >= 16 ? try r.getInteger(at: 8) : 0
        default:
            context.error("unhandled extent type \(type) for inode \(key.objectID) file offset \(key.offset) gen \(generation)")
            return
        }
        if json != nil {
            json?.beginGroup(nil, .map)
            json?.number("inode", key.objectID)
            json?.number("file-offset", key.offset)
            json?.number("len", length)
            json?.number("disk-start", diskStart)
            json?.number("offset", diskOffset)
            json?.number("gen", generation)
            json?.beginGroup("flags", .array)
            if compression != 0 { json?.string(nil, "COMPRESS") }
            if type == 2 { json?.string(nil, "PREALLOC") }
            if type == 0 { json?.string(nil, "INLINE") }
            json?.endGroup()
            json?.string("path", String(pathBytes: name))
            json?.endGroup()
            return
        }
        guard context.shouldPrint(Context.logDefault) else { return }
        let out = context.out
        out.write("inode \(key.objectID) file offset \(key.offset) len \(length) disk start \(diskStart) offset \(diskOffset) gen \(generation) flags ")
        var flags = 0
        if compression != 0 { out.write("COMPRESS"); flags += 1 }
        if type == 2 { out.write(flags > 0 ? "|PREALLOC" : "PREALLOC"); flags += 1 }
        if type == 0 { out.write(flags > 0 ? "|INLINE" : "INLINE"); flags += 1 }
        if flags == 0 { out.write("NONE") }
        out.write(byte: 32)
        out.write(bytes: name)
        out.write(byte: 0x0A)
    }

    /// find_root_gen: the highest generation among the subvolume's ROOT_ITEMs (0 on failure, reported).
    static func rootGeneration(_ fs: FileSystem, _ context: Context) throws -> UInt64 {
        let id: UInt64
        do { id = try fs.subvolumeID() } catch {
            context.error("failed to lookup path for dirid 256: \(errorText(error, .strerrorOrDescription))")
            return 0
        }
        var best: UInt64 = 0
        do {
            for item in fs.search(TreeSearch(tree: ObjectID.rootTree.rawValue, min: Key(id, .rootItem, 0), max: Key(id, .rootItem, .max))) {
                let item = try item.get()
                let generation: UInt64 = try item.reader(context: "ROOT_ITEM").getInteger(at: RootItem.Offset.generation)
                best = max(best, generation)
            }
        } catch {
            // A normal user's refusal stops here; progs goes on and reports it twice.
            if (error as? BtrfsError)?.errno == EPERM { throw CommandExit.error("can't perform the search: \(errorText(error, .strerrorOrDescription))") }
            context.error("can't perform the search: \(errorText(error, .strerrorOrDescription))")
            return 0
        }
        return best
    }

    /// ino_resolve with progs' caches: an inode's first INODE_REF, and its directory's path.
    struct NameCache {
        let fs: FileSystem
        let context: Context
        var lastInode: UInt64 = 0
        var lastName: [UInt8]? = nil
        var directories: [UInt64: [UInt8]] = [:]

        init(fs: FileSystem, context: Context) {
            self.fs = fs
            self.context = context
        }

        mutating func path(of inode: UInt64) -> [UInt8]? {
            if inode == lastInode, let lastName { return lastName }
            lastInode = inode
            lastName = resolve(inode)
            return lastName
        }

        private mutating func resolve(_ inode: UInt64) -> [UInt8]? {
            var cursor = fs.search(TreeSearch(tree: 0, min: Key(inode, .inodeRef, 0), max: Key(inode, .inodeRef, .max),
                                              limit: 1))
            guard let item = try? cursor.next(), item.key.itemType == .inodeRef else { return nil }
            var refs = InodeRefIterator(reader: item.reader(context: "INODE_REF"))
            guard let first = try? refs.next() else { return nil }
            let name = Array(first.name)
            let directory = item.key.offset
            if let cached = directories[directory] { return cached + name }
            let prefix: [UInt8]
            do { prefix = try fs.inoLookup(objectid: directory).path } catch {
                context.error("failed to lookup path for dirid \(directory): \(errorText(error))")
                return nil
            }
            directories[directory] = prefix
            return prefix + name
        }
    }
}
