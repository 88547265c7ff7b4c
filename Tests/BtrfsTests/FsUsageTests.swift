import Foundation
import Testing
import TestRig
@testable import Btrfs

/// python-btrfs's `FsUsage` and ours on the same mount, every field of every part compared.
@Suite(.needsRig) struct FsUsageTests {
    static let pythonDump = """
    import btrfs, sys
    fs = btrfs.FileSystem(sys.argv[1])
    u = fs.usage()
    names = ['target_profile_system', 'target_profile_metadata', 'target_profile_data', 'target_profile_mixed',
             'total', 'allocated', 'parity', 'virtual_total', 'virtual_used', 'default_data_metadata_ratio',
             'unallocatable_soft', 'estimated_allocatable_virtual_metadata', 'estimated_allocatable_virtual_data',
             'estimated_allocatable_virtual_mixed', 'unallocatable_hard', 'estimated_full_allocatable_virtual_metadata',
             'estimated_full_allocatable_virtual_data', 'estimated_full_allocatable_virtual_mixed',
             'unallocatable_reclaimable', 'allocatable', 'allocatable_left', 'free_metadata', 'free_data', 'free_mixed']
    for n in names:
        print(n, getattr(u, n, None))
    for devid, d in u.dev_usage.items():
        print('dev', devid, d.total, d.allocated, d.unallocated, d.unallocatable_soft, d.unallocatable_hard,
              d.unallocatable_reclaimable)
        for flags, s in d.dev_space_usage.items():
            print('devspace', s.devid, flags, s.allocated, s.parity)
    for flags, r in u.raw_space_usage.items():
        print('raw', flags, r.allocated, r.used, r.parity)
    for t, b in u.block_group_type_usage.items():
        print('bgtype', t, b.allocated, b.parity, b.used)
    for flags, v in u.virtual_space_usage.items():
        print('vspace', flags, v.total, v.used)
    for t, v in u.virtual_block_group_type_usage.items():
        print('vbgtype', t, v.total, v.used, v.unused)
    print('ratio', repr(float(u._data_metadata_ratio())) if not u._mixed_groups else None)
    """

    static func ourDump(_ u: FsUsage) -> String {
        func opt(_ v: UInt64?) -> String { v.map { "\($0)" } ?? "None" }
        let m = u.mixedGroups
        func mixedOnly(_ v: Int) -> String { m ? "\(v)" : "None" }
        func plainOnly(_ v: Int) -> String { m ? "None" : "\(v)" }
        var lines: [String] = [
            "target_profile_system \(opt(u.targetProfileSystem))",
            "target_profile_metadata \(opt(u.targetProfileMetadata))",
            "target_profile_data \(opt(u.targetProfileData))",
            "target_profile_mixed \(opt(u.targetProfileMixed))",
            "total \(u.total)", "allocated \(u.allocated)", "parity \(u.parity)",
            "virtual_total \(u.virtualTotal)", "virtual_used \(u.virtualUsed)",
            "default_data_metadata_ratio \(u.defaultDataMetadataRatio)",
            "unallocatable_soft \(u.unallocatableSoft)",
            "estimated_allocatable_virtual_metadata \(plainOnly(u.estimatedAllocatableVirtualMetadata))",
            "estimated_allocatable_virtual_data \(plainOnly(u.estimatedAllocatableVirtualData))",
            "estimated_allocatable_virtual_mixed \(mixedOnly(u.estimatedAllocatableVirtualMixed))",
            "unallocatable_hard \(u.unallocatableHard)",
            "estimated_full_allocatable_virtual_metadata \(plainOnly(u.estimatedFullAllocatableVirtualMetadata))",
            "estimated_full_allocatable_virtual_data \(plainOnly(u.estimatedFullAllocatableVirtualData))",
            "estimated_full_allocatable_virtual_mixed \(mixedOnly(u.estimatedFullAllocatableVirtualMixed))",
            "unallocatable_reclaimable \(u.unallocatableReclaimable)",
            "allocatable \(u.allocatable)", "allocatable_left \(u.allocatableLeft)",
            "free_metadata \(plainOnly(u.freeMetadata))", "free_data \(plainOnly(u.freeData))",
            "free_mixed \(mixedOnly(u.freeMixed))",
        ]
        for d in u.devUsage {
            lines.append("dev \(d.devid) \(d.total) \(d.allocated) \(d.unallocated) \(d.unallocatableSoft) "
                         + "\(d.unallocatableHard) \(d.unallocatableReclaimable)")
            for s in d.devSpaceUsage { lines.append("devspace \(s.devid) \(s.flags) \(s.allocated) \(s.parity)") }
        }
        for r in u.rawSpaceUsage { lines.append("raw \(r.flags) \(r.allocated) \(r.used) \(r.parity)") }
        for b in u.blockGroupTypeUsage { lines.append("bgtype \(b.type) \(b.allocated) \(b.parity) \(b.used)") }
        for v in u.virtualSpaceUsage { lines.append("vspace \(v.flags) \(v.total) \(v.used)") }
        for v in u.virtualBlockGroupTypeUsage { lines.append("vbgtype \(v.type) \(v.total) \(v.used) \(v.unused)") }
        lines.append("ratio " + (m ? "None" : pythonFloatRepr(u.simulationDataMetadataRatio)))
        return lines.joined(separator: "\n") + "\n"
    }

    /// python's repr of a float (shortest round-trip digits); Swift's description is the same
    /// algorithm, with python's spelling of large and small exponents.
    static func pythonFloatRepr(_ v: Double) -> String {
        var s = v.description
        if let e = s.firstIndex(of: "e") {
            let mantissa = s[..<e], exponent = s[s.index(after: e)...]
            let sign = exponent.hasPrefix("-") ? "-" : "+"
            let digits = exponent.trimmingCharacters(in: CharacterSet(charactersIn: "+-"))
            s = "\(mantissa)e\(sign)\(digits.count < 2 ? "0" + digits : digits)"
        }
        return s
    }

    static let specs: [FSSpec] = [
        FSSpec(deviceSize: 1 << 30, data: "single", metadata: "dup"),
        FSSpec(deviceSizes: [1 << 30, 3 << 29], data: "raid1", metadata: "raid1"),
        FSSpec(deviceSizes: [768 << 20, 1 << 30, 3 << 29], data: "raid5", metadata: "raid1c3"),
        FSSpec(deviceSizes: [768 << 20, 1 << 30, 1 << 30, 3 << 29], data: "raid6", metadata: "raid10"),
        FSSpec(deviceSizes: [1 << 30, 1 << 30, 3 << 29, 2 << 30], data: "raid10", metadata: "raid1c4"),
        FSSpec(deviceSizes: [1 << 30, 3 << 29], data: "raid0", metadata: "raid1"),
        FSSpec(deviceSizes: [1 << 30, 3 << 29], mixed: true),
    ]

    @Test(arguments: specs)
    func matchesPythonFieldByField(spec: FSSpec) throws {
        try Rig.withFilesystem(spec) { scratch in
            try Rig.sh("head -c 150000000 /dev/urandom > \(scratch.mountPoint)/big && mkdir \(scratch.mountPoint)/d && "
                       + "for i in $(seq 300); do echo $i > \(scratch.mountPoint)/d/$i; done && sync")
            let theirs = try Rig.python(Self.pythonDump, args: [scratch.mountPoint])
            #expect(theirs.status == 0, "\(theirs)")
            let ours = Self.ourDump(try FsUsage(FileSystem(path: scratch.mountPoint)))
            expectSameText(ours, theirs.stdout, "FsUsage fields")
        }
    }

    @Test func chunkAndDevItemsMatchPython() throws {
        try Rig.withFilesystem(FSSpec(deviceSizes: [768 << 20, 1 << 30, 3 << 29], data: "raid5", metadata: "raid1")) { scratch in
            try Rig.sh("head -c 50000000 /dev/urandom > \(scratch.mountPoint)/f && sync")
            let theirs = try Rig.python("""
                import btrfs, sys
                fs = btrfs.FileSystem(sys.argv[1])
                for c in fs.chunks():
                    print('chunk', c.vaddr, c.length, c.owner, c.stripe_len, c.type, c.io_align, c.io_width,
                          c.sector_size, c.num_stripes, c.sub_stripes,
                          ' '.join('%d:%d:%s' % (s.devid, s.offset, s.uuid) for s in c.stripes))
                for d in fs.devices():
                    print('dev', d.devid, d.total_bytes, d.bytes_used, d.io_align, d.io_width, d.sector_size, d.type,
                          d.generation, d.start_offset, d.dev_group, d.seek_speed, d.bandwidth, d.uuid, d.fsid)
                """, args: [scratch.mountPoint])
            #expect(theirs.status == 0, "\(theirs)")
            let fs = try FileSystem(path: scratch.mountPoint)
            var ours = ""
            for c in try fs.usageChunks() {
                let stripes = c.stripes.map { "\($0.devid):\($0.offset):\($0.devUUID)" }.joined(separator: " ")
                ours += "chunk \(c.vaddr) \(c.length) \(c.owner) \(c.stripeLen) \(c.type) \(c.ioAlign) \(c.ioWidth) "
                    + "\(c.sectorSize) \(c.numStripes) \(c.subStripes) \(stripes)\n"
            }
            for d in try fs.deviceItems() {
                ours += "dev \(d.devid) \(d.totalBytes) \(d.bytesUsed) \(d.ioAlign) \(d.ioWidth) \(d.sectorSize) \(d.type) "
                    + "\(d.generation) \(d.startOffset) \(d.devGroup) \(d.seekSpeed) \(d.bandwidth) \(d.uuid) \(d.fsid)\n"
            }
            expectSameText(ours, theirs.stdout, "chunk and dev items")
        }
    }
}
