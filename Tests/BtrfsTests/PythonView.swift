@testable import Btrfs

/// Our parsed items in the shape Tests/Oracles/pydump.py gives python-btrfs's objects: class
/// name, python attribute names, ints as decimal strings, bytes as hex. One canonical JSON line
/// per item, so the two can be compared line for line and field for field.
indirect enum PV {
    case s(String)
    case a([PV])
    case o([String: PV])

    var json: String {
        switch self {
        case .s(let v): return "\"\(v)\""
        case .a(let v): return "[" + v.map(\.json).joined(separator: ",") + "]"
        case .o(let d): return "{" + d.keys.sorted().map { "\"\($0)\":\(d[$0]!.json)" }.joined(separator: ",") + "}"
        }
    }
}

private func n<T: BinaryInteger>(_ v: T) -> PV { .s(String(v)) }
private func hex(_ b: [UInt8]) -> PV { .s(b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()) }
private func key(_ k: Key) -> PV { .a([n(k.objectID), n(k.type), n(k.offset)]) }
private func time(_ t: TimeSpec) -> PV { .a([n(t.sec), n(t.nsec)]) }
private func uuid(_ u: BtrfsUUID) -> PV { .s(u.description) }

enum PythonView {
    static func inode(_ i: InodeItem) -> [String: PV] {
        var d: [String: PV] = [
            "__class__": .s("InodeItem"), "generation": n(i.generation), "transid": n(i.transid), "size": n(i.size),
            "nbytes": n(i.nbytes), "block_group": n(i.blockGroup), "nlink": n(i.nlink), "uid": n(i.uid), "gid": n(i.gid),
            "mode": n(i.mode), "rdev": n(i.rdev), "flags": n(i.flags), "sequence": n(i.sequence),
            "atime": time(i.atime), "ctime": time(i.ctime), "mtime": time(i.mtime), "otime": time(i.otime),
        ]
        if let k = i.key { d["key"] = key(k); d["objectid"] = n(k.objectID) }
        return d
    }

    static func dirItem(_ x: DirItem, xattr: Bool) -> PV {
        .o(["__class__": .s(xattr ? "XAttrItem" : "DirItem"), "location": key(x.location), "transid": n(x.transid),
            "data_len": n(x.dataLen), "name_len": n(x.nameLen), "type": n(x.type), "name": hex(x.name), "data": hex(x.data)])
    }

    static func edr(_ r: ExtentDataRef) -> PV {
        var d: [String: PV] = ["__class__": .s(r.key == nil ? "InlineExtentDataRef" : "ExtentDataRef"), "root": n(r.root),
                               "objectid": n(r.objectid), "offset": n(r.offset), "count": n(r.count)]
        if let k = r.key { d["key"] = key(k) }
        return .o(d)
    }
    static func sdr(_ r: SharedDataRef) -> PV {
        var d: [String: PV] = ["__class__": .s(r.key == nil ? "InlineSharedDataRef" : "SharedDataRef"), "parent": n(r.parent), "count": n(r.count)]
        if let k = r.key { d["key"] = key(k) }
        return .o(d)
    }
    static func tbr(_ r: TreeBlockRef) -> PV {
        var d: [String: PV] = ["__class__": .s(r.key == nil ? "InlineTreeBlockRef" : "TreeBlockRef"), "root": n(r.root)]
        if let k = r.key { d["key"] = key(k) }
        return .o(d)
    }
    static func sbr(_ r: SharedBlockRef) -> PV {
        var d: [String: PV] = ["__class__": .s(r.key == nil ? "InlineSharedBlockRef" : "SharedBlockRef"), "parent": n(r.parent)]
        if let k = r.key { d["key"] = key(k) }
        return .o(d)
    }

    static func view(_ item: Item, dataLength: Int) -> PV {
        let k = item.key
        var d: [String: PV] = ["key": key(k)]
        switch item {
        case .inode(let i): return .o(inode(i))
        case .inodeRef(let l):
            d["__class__"] = .s("InodeRefList"); d["objectid"] = n(l.objectid); d["parent_objectid"] = n(l.parentObjectid)
            d["__items__"] = .a(l.refs.map { .o(["__class__": .s("InodeRef"), "index": n($0.index), "name_len": n($0.nameLen), "name": hex($0.name)]) })
        case .inodeExtref(let l):
            d["__class__"] = .s("InodeExtrefList"); d["objectid"] = n(l.objectid); d["extref_hash"] = n(l.extrefHash)
            d["__items__"] = .a(l.refs.map {
                .o(["__class__": .s("InodeExtref"), "parent_objectid": n($0.parentObjectid), "index": n($0.index),
                    "name_len": n($0.nameLen), "name": hex($0.name)])
            })
        case .dirItem(let l):
            d["__class__"] = .s("DirItemList"); d["objectid"] = n(l.objectid); d["name_hash"] = n(l.nameHash)
            d["__items__"] = .a(l.items.map { dirItem($0, xattr: l.isXAttr) })
        case .dirIndex(let x):
            d["__class__"] = .s("DirIndex"); d["objectid"] = n(x.objectid); d["index"] = n(x.index)
            d["location"] = key(x.location); d["transid"] = n(x.transid); d["data_len"] = n(x.dataLen)
            d["name_len"] = n(x.nameLen); d["type"] = n(x.type); d["name"] = hex(x.name)
        case .fileExtent(let f):
            d["__class__"] = .s("FileExtentItem"); d["objectid"] = n(f.objectid); d["logical_offset"] = n(f.logicalOffset)
            d["generation"] = n(f.generation); d["ram_bytes"] = n(f.ramBytes); d["compression"] = n(f.compression)
            d["encryption"] = n(f.encryption); d["type"] = n(f.type)
            if f.isInline { d["_inline_encoded_nbytes"] = n(f.inlineEncodedNbytes) } else {
                d["disk_bytenr"] = n(f.diskBytenr); d["disk_num_bytes"] = n(f.diskNumBytes); d["offset"] = n(f.offset); d["num_bytes"] = n(f.numBytes)
            }
        case .root(let r):
            d["__class__"] = .s("RootItem"); d["objectid"] = n(r.objectid); d["inode"] = .o(inode(r.inode))
            d["generation"] = n(r.generation); d["root_dirid"] = n(r.rootDirid); d["bytenr"] = n(r.bytenr)
            d["byte_limit"] = n(r.byteLimit); d["bytes_used"] = n(r.bytesUsed); d["last_snapshot"] = n(r.lastSnapshot)
            d["flags"] = n(r.flags); d["refs"] = n(r.refs); d["drop_progress"] = key(r.dropProgress)
            d["drop_level"] = n(r.dropLevel); d["level"] = n(r.level); d["generation_v2"] = n(r.generationV2)
            d["uuid"] = uuid(r.uuid); d["parent_uuid"] = uuid(r.parentUUID); d["received_uuid"] = uuid(r.receivedUUID)
            d["ctransid"] = n(r.ctransid); d["otransid"] = n(r.otransid); d["stransid"] = n(r.stransid); d["rtransid"] = n(r.rtransid)
            d["ctime"] = time(r.ctime); d["otime"] = time(r.otime); d["stime"] = time(r.stime); d["rtime"] = time(r.rtime)
        case .rootRef(let r) where !r.isBackref:
            d["__class__"] = .s("RootRef"); d["parent_tree"] = n(r.parentTree); d["tree"] = n(r.tree)
            d["dirid"] = n(r.dirid); d["sequence"] = n(r.sequence); d["name_len"] = n(r.nameLen); d["name"] = hex(r.name)
        case .orphan(let o): d["__class__"] = .s("OrphanItem"); d["objectid"] = n(o.objectid)
        case .extent(let e):
            d["__class__"] = .s("ExtentItem"); d["vaddr"] = n(e.vaddr); d["length"] = n(e.length)
            d["refs"] = n(e.refs); d["generation"] = n(e.generation); d["flags"] = n(e.flags)
            if e.dataRefsLoaded {
                d["extent_data_refs"] = .a(e.extentDataRefs.map(edr)); d["shared_data_refs"] = .a(e.sharedDataRefs.map(sdr))
            }
            if e.metadataRefsLoaded {
                if let t = e.treeBlockInfo { d["tree_block_info"] = .o(["__class__": .s("TreeBlockInfo"), "key": key(t.key), "level": n(t.level)]) }
                d["tree_block_refs"] = .a(e.treeBlockRefs.map(tbr)); d["shared_block_refs"] = .a(e.sharedBlockRefs.map(sbr))
            }
        case .metadata(let m):
            d["__class__"] = .s("MetaDataItem"); d["vaddr"] = n(m.vaddr); d["skinny_level"] = n(m.skinnyLevel)
            d["refs"] = n(m.refs); d["generation"] = n(m.generation); d["flags"] = n(m.flags)
            if m.refsLoaded { d["tree_block_refs"] = .a(m.treeBlockRefs.map(tbr)); d["shared_block_refs"] = .a(m.sharedBlockRefs.map(sbr)) }
        case .treeBlockRef(let r): return tbr(r)
        case .sharedBlockRef(let r): return sbr(r)
        case .extentDataRef(let r): return edr(r)
        case .sharedDataRef(let r): return sdr(r)
        case .blockGroup(let b):
            d["__class__"] = .s("BlockGroupItem"); d["vaddr"] = n(b.vaddr); d["length"] = n(b.length)
            d["used"] = n(b.used); d["chunk_objectid"] = n(b.chunkObjectid); d["flags"] = n(b.flags)
        case .freeSpaceInfo(let f):
            d["__class__"] = .s("FreeSpaceInfo"); d["vaddr"] = n(f.vaddr); d["length"] = n(f.length)
            d["extent_count"] = n(f.extentCount); d["flags"] = n(f.flags)
        case .freeSpaceExtent(let kk):
            d["__class__"] = .s("FreeSpaceExtent"); d["vaddr"] = n(kk.objectID); d["length"] = n(kk.offset)
        case .freeSpaceBitmap(let b):
            d["__class__"] = .s("FreeSpaceBitmap"); d["vaddr"] = n(b.vaddr); d["length"] = n(b.length); d["bitmap"] = hex(b.bitmap)
        case .devExtent(let x):
            d["__class__"] = .s("DevExtent"); d["devid"] = n(x.devid); d["paddr"] = n(x.paddr); d["chunk_tree"] = n(x.chunkTree)
            d["chunk_objectid"] = n(x.chunkObjectid); d["chunk_offset"] = n(x.chunkOffset); d["length"] = n(x.length)
            d["chunk_tree_uuid"] = uuid(x.chunkTreeUUID)
        case .devItem(let x):
            d["__class__"] = .s("DevItem"); d["devid"] = n(x.devid); d["total_bytes"] = n(x.totalBytes); d["bytes_used"] = n(x.bytesUsed)
            d["io_align"] = n(x.ioAlign); d["io_width"] = n(x.ioWidth); d["sector_size"] = n(x.sectorSize); d["type"] = n(x.type)
            d["generation"] = n(x.generation); d["start_offset"] = n(x.startOffset); d["dev_group"] = n(x.devGroup)
            d["seek_speed"] = n(x.seekSpeed); d["bandwidth"] = n(x.bandwidth); d["uuid"] = uuid(x.uuid); d["fsid"] = uuid(x.fsid)
        case .chunk(let c):
            d["__class__"] = .s("Chunk"); d["vaddr"] = n(c.vaddr); d["length"] = n(c.length); d["owner"] = n(c.owner)
            d["stripe_len"] = n(c.stripeLen); d["type"] = n(c.type); d["io_align"] = n(c.ioAlign); d["io_width"] = n(c.ioWidth)
            d["sector_size"] = n(c.sectorSize); d["num_stripes"] = n(c.numStripes); d["sub_stripes"] = n(c.subStripes)
            d["stripes"] = .a(c.stripes.map { .o(["__class__": .s("Stripe"), "devid": n($0.devid), "offset": n($0.offset), "uuid": uuid($0.devUUID)]) })
        default:
            // Types python-btrfs leaves unparsed: only its class and the data length compare.
            d["__class__"] = .s(UnparsedItemText.pythonUnparsedClass(k)?.description ?? "?"); d["_data_len"] = n(dataLength)
        }
        return .o(d)
    }
}
