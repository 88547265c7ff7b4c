extension Sysfs {
    /// One space of allocation/ (data, metadata, system, or mixed): what any user may read there.
    /// A counter the kernel does not have is nil.
    public struct Space: Hashable, Sendable {
        /// The directory's name: "data", "metadata", "system" or "mixed".
        public var type: String
        /// Virtual bytes of the space's block groups, and of them in use.
        public var totalBytes: UInt64?
        public var bytesUsed: UInt64?
        /// Raw bytes on the devices, and of them in use: virtual × copies (for RAID5/6 the kernel
        /// counts one copy, parity left out).
        public var diskTotal: UInt64?
        public var diskUsed: UInt64?
        /// Reserved for writes in flight, pinned until the commit, read-only block groups,
        /// reservations that may become allocations, unusable in zones.
        public var bytesReserved: UInt64?
        public var bytesPinned: UInt64?
        public var bytesReadonly: UInt64?
        public var bytesMayUse: UInt64?
        public var bytesZoneUnusable: UInt64?
        /// The profile directories (allocation/<type>/<profile>/), in profile-name order.
        public var profiles: [Profile]
    }

    /// allocation/<type>/<profile>/: a profile's virtual size and use.
    public struct Profile: Hashable, Sendable {
        /// The kernel's name: "single", "dup", "raid1", "raid1c3", "raid1c4", "raid0", "raid10", "raid5", "raid6".
        public var name: String
        public var totalBytes: UInt64?
        public var usedBytes: UInt64?
    }

    static let profileNames = ["single", "dup", "raid0", "raid1", "raid1c3", "raid1c4", "raid10", "raid5", "raid6"]

    /// The spaces of allocation/ that exist, in the order data, metadata, system, mixed.
    public func allocation() -> [Space] {
        ["data", "metadata", "system", "mixed"].compactMap { type -> Space? in
            let dir = "allocation/\(type)"
            guard exists(dir) else { return nil }
            let profiles = Self.profileNames.filter { exists("\(dir)/\($0)") }.map { name in
                Profile(name: name, totalBytes: number("\(dir)/\(name)/total_bytes"),
                        usedBytes: number("\(dir)/\(name)/used_bytes"))
            }
            return Space(type: type, totalBytes: number("\(dir)/total_bytes"), bytesUsed: number("\(dir)/bytes_used"),
                         diskTotal: number("\(dir)/disk_total"), diskUsed: number("\(dir)/disk_used"),
                         bytesReserved: number("\(dir)/bytes_reserved"), bytesPinned: number("\(dir)/bytes_pinned"),
                         bytesReadonly: number("\(dir)/bytes_readonly"), bytesMayUse: number("\(dir)/bytes_may_use"),
                         bytesZoneUnusable: number("\(dir)/bytes_zone_unusable"), profiles: profiles)
        }
    }

    /// The sysfs name of the space a block group's flags belong to (nil for the global reserve).
    public static func spaceType(flags: UInt64) -> String? {
        let data = flags & BlockGroupFlags.data != 0, metadata = flags & BlockGroupFlags.metadata != 0
        if data && metadata { return "mixed" }
        if data { return "data" }
        if metadata { return "metadata" }
        if flags & BlockGroupFlags.system != 0 { return "system" }
        return nil
    }

    /// devinfo/<devid>/: the kernel's flags for one device (nil where the file is absent).
    public struct DeviceState: Hashable, Sendable {
        /// The device's sysfs flags (nil when the file is absent): missing, replace target, writeable.
        public var missing: Bool?
        public var replaceTarget: Bool?
        public var writeable: Bool?
    }

    /// The sysfs flags of device `devid`.
    public func deviceState(devid: UInt64) -> DeviceState {
        let dir = "devinfo/\(devid)"
        return DeviceState(missing: number("\(dir)/missing").map { $0 != 0 },
                           replaceTarget: number("\(dir)/replace_target").map { $0 != 0 },
                           writeable: number("\(dir)/writeable").map { $0 != 0 })
    }
}

extension Sysfs {
    /// A small file's text; nil when it cannot be opened.
    public func text(_ relativePath: String) -> String? {
        MountedFilesystems.readFile(directory + "/" + relativePath)
    }

    /// Whether quotas are on: qgroups/enabled, else the absence of qgroups/ (the kernel adds it when
    /// quotas are enabled and removes it when they are disabled, since 5.9); nil on a kernel too old
    /// to tell (bg_reclaim_threshold, 5.19, stands for new enough).
    public var quotasEnabled: Bool? {
        if let enabled = number("qgroups/enabled") { return enabled != 0 }
        return !exists("qgroups") && exists("bg_reclaim_threshold") ? false : nil
    }
}
