// The per-device, per-space and per-type parts of python-btrfs's fs_usage model. Sizes are
// `Int` as python's ints are signed (allocatable_left may go below zero); sums wrap instead
// of trapping on values no real filesystem has.

extension FsUsage {
    /// Physical usage of one space (type + profile) on one device (`DevSpaceUsage`).
    public struct DevSpaceUsage: Hashable, Sendable {
        /// The space's block group flags and the device.
        public var flags: UInt64
        public var devid: UInt64
        /// Allocated physical bytes.
        public var allocated = 0
        /// Allocated physical bytes reserved for parity.
        public var parity = 0
    }

    /// Physical usage of one device (`DevUsage`).
    public struct DevUsage: Hashable, Sendable {
        /// The device, its size, and its physical bytes allocated and unallocated.
        public var devid: UInt64
        public var total: Int
        public var allocated: Int
        public var unallocated: Int
        /// Per space, in the order chunks were first seen on this device.
        public var devSpaceUsage: [DevSpaceUsage] = []
        /// Unallocatable because of unbalanced allocations.
        public var unallocatableSoft = 0
        /// Unallocatable because of unequal device sizes.
        public var unallocatableHard = 0
        /// max(soft - hard, 0): what a balance could win back.
        public var unallocatableReclaimable = 0

        init(device: DevItem) {
            devid = device.devid
            total = Int(clamping: device.totalBytes)
            allocated = Int(clamping: device.bytesUsed)
            unallocated = total &- allocated
        }

        mutating func addUsage(flags: UInt64, allocated: Int, parity: Int) {
            if let i = devSpaceUsage.firstIndex(where: { $0.flags == flags }) {
                devSpaceUsage[i].allocated &+= allocated
                devSpaceUsage[i].parity &+= parity
            } else {
                devSpaceUsage.append(DevSpaceUsage(flags: flags, devid: devid, allocated: allocated, parity: parity))
            }
        }
    }

    /// Physical usage of one space (`RawSpaceUsage`): total × copies, plus parity from the chunks.
    public struct RawSpaceUsage: Hashable, Sendable {
        /// The space's block group flags; physical bytes allocated and used (used × copies); parity bytes.
        public var flags: UInt64
        public var allocated: Int
        public var used: Int
        public var parity = 0

        init(space: SpaceInfo) {
            flags = space.flags
            let ratio = RaidAttributes.ncopies(flags: space.flags)
            allocated = Int(clamping: space.totalBytes) &* ratio
            used = Int(clamping: space.usedBytes) &* ratio
        }
    }

    /// Physical usage per block group type, profiles summed (`BlockGroupTypeUsage`).
    public struct BlockGroupTypeUsage: Hashable, Sendable {
        /// The type bits; physical bytes allocated, of them parity, and used.
        public var type: UInt64
        public var allocated = 0
        public var parity = 0
        public var used = 0
    }

    /// Virtual usage of one space (`VirtualSpaceUsage`).
    public struct VirtualSpaceUsage: Hashable, Sendable {
        /// The space's block group flags; virtual bytes in its chunks and used.
        public var flags: UInt64
        public var total: Int
        public var used: Int
    }

    /// Virtual usage per block group type (`VirtualBlockGroupTypeUsage`).
    public struct VirtualBlockGroupTypeUsage: Hashable, Sendable {
        /// The type bits; virtual bytes in chunks of the type, used, and unused.
        public var type: UInt64
        public var total = 0
        public var used = 0
        public var unused: Int { total &- used }
    }

    /// What the model is computed from: the filesystem's spaces, device items and chunks, or
    /// (for the space calculator) devices of given sizes and nothing else.
    public struct Source: Sendable {
        /// Whether data and metadata share block groups, the SPACE_INFO rows, the device items and the
        /// chunks.
        public var mixedGroups: Bool
        public var spaces: [SpaceInfo]
        public var devices: [DevItem]
        public var chunks: [Chunk]

        /// A source from its parts (the space calculator's imaginary filesystem, tests).
        public init(mixedGroups: Bool, spaces: [SpaceInfo], devices: [DevItem], chunks: [Chunk]) {
            self.mixedGroups = mixedGroups
            self.spaces = spaces
            self.devices = devices
            self.chunks = chunks
        }

        /// Reads everything from a mounted filesystem (tree searches: needs CAP_SYS_ADMIN); space
        /// info the caller has already read is taken as it is.
        public init(_ fs: FileSystem, spaces: [SpaceInfo]? = nil) throws {
            mixedGroups = try fs.mixedGroups()
            self.spaces = try spaces ?? fs.spaceInfo()
            devices = try fs.deviceItems()
            chunks = try fs.usageChunks()
        }

        /// Empty devices of `sizes` bytes, devids 1…n: the space calculator's imaginary filesystem.
        public static func emptyDevices(_ sizes: [UInt64], mixedGroups: Bool) -> Source {
            Source(mixedGroups: mixedGroups, spaces: [],
                   devices: sizes.enumerated().map { DevItem(devid: UInt64($0.offset + 1), totalBytes: $0.element) },
                   chunks: [])
        }
    }
}
