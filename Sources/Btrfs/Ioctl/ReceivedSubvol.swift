import CBtrfs

extension FileSystem {
    /// BTRFS_IOC_SET_RECEIVED_SUBVOL on the subvolume this descriptor is the root of, as
    /// python-btrfs's `set_received_subvol`: records `uuid` as the received UUID, with the sent
    /// generation and time. The kernel stamps the receive side and returns it: (rtransid, rtime).
    /// A zero UUID clears the received state. Refused (EINVAL) on a descriptor that is not a
    /// subvolume root, EROFS on a read-only subvolume.
    public func setReceivedSubvol(uuid: BtrfsUUID, stransid: UInt64, stime: TimeSpec) throws -> (rtransid: UInt64, rtime: TimeSpec) {
        var args = btrfs_ioctl_received_subvol_args()
        let bytes = uuid.bytes
        withUnsafeMutableBytes(of: &args.uuid) { raw in
            for (i, byte) in bytes.prefix(raw.count).enumerated() { raw[i] = byte }
        }
        args.stransid = stransid
        args.stime.sec = stime.sec
        args.stime.nsec = stime.nsec
        try descriptor.ioctl(SB_IOC_SET_RECEIVED_SUBVOL, &args, name: "set received subvol", retryOnInterrupt: false)
        return (args.rtransid, TimeSpec(sec: args.rtime.sec, nsec: args.rtime.nsec))
    }
}
