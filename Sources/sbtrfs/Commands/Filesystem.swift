#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `sbtrfs filesystem`: overall filesystem tasks and information (progs' cmds/filesystem.c).
/// Commands are listed in progs' order; a big one lives in FilesystemXxx.swift.
enum FilesystemCommands {
    static let group = Group(
        "filesystem", summary: "overall filesystem tasks and information",
        usage: ["[<group>] <command> [<args>]"],
        entries: [
            .command("df", df),
            .command("du", du),
            .command("show", show),
            .command("sync", sync),
            .command("defragment", defragment),
            .command("resize", resize),
            .command("label", label),
            .command("usage", usage),
            .command("usage-report", usageReport),
            .command("metrics", metrics),
            .command("space-calculator", spaceCalculator),
            .command("compsize", compsize),
            .command("dedupe", dedupe),
            .command("heatmap", heatmap),
        ])

    // MARK: df

    static let df = Command(
        "df", synopsis: ["[options] <path>"], summary: "Show space usage information for a mount point",
        units: .shortAndLong, operands: [OperandSpec("path", .path)],
        supportsJSON: true, badOption: .usage, run: runDf)

    @Sendable static func runDf(_ invocation: Invocation) throws -> Int32 {
        guard let path = invocation.operands.first else { throw CommandExit.usage }
        let fs = try FileSystem(path: path, requireDirectory: true)
        let context = invocation.context
        do {
            let spaces = try fs.spaceInfo()
            guard !spaces.isEmpty else { throw CommandExit.error("get_df failed: \(errnoText(ENOENT))") }
            // progs asks sysfs per row whether the fs is zoned; once is enough.
            let zoned = fs.isZoned() ? try? fs.sysfs() : nil
            // Asked per row, not collected into an array of optionals: the first `[UInt64?]`
            // registers Optional's prespecialized metadata, a sixth of `fi df`'s instructions.
            let unusable = { (flags: UInt64) in zoned?.zoneUnusable(flags: flags) }
            if context.format == .json {
                printDfJSON(spaces, zoneUnusable: unusable, to: context.out)
            } else {
                printDfText(spaces, zoneUnusable: unusable, mode: invocation.units, context: context)
            }
            warnMultipleProfiles(spaces, context: context)
        } catch BtrfsError.system(let code, _, _) {
            // get_df's two messages, and the warning's own get_df failing the same way.
            context.error("cannot get space info: \(errnoText(code))")
            context.error("get_df failed: \(errnoText(code))")
            context.error("cannot get space info: \(errnoText(code))")
            return 1
        }
        return 0
    }

    /// `zoneUnusable`: by a space's flags, what zones leave unusable (nil when not zoned).
    static func printDfText(_ spaces: [SpaceInfo], zoneUnusable: (UInt64) -> UInt64?, mode: UnitMode,
                            context: Context) {
        guard context.shouldPrint(Context.logDefault) else { return }
        let out = context.out
        for space in spaces {
            out.write(ProfileNames.typeName(space.flags))
            out.write(", ")
            out.write(ProfileNames.profileName(space.flags))
            out.write(": total=")
            out.write(size: space.totalBytes, mode: mode)
            out.write(", used=")
            out.write(size: space.usedBytes, mode: mode)
            if let zoneUnusable = zoneUnusable(space.flags) {
                out.write(", zone_unusable=")
                out.write(size: zoneUnusable, mode: mode)
            }
            out.write(byte: 0x0A)
        }
    }

    static func printDfJSON(_ spaces: [SpaceInfo], zoneUnusable unusable: (UInt64) -> UInt64?, to out: OutputStream) {
        var json = JSONWriter(out: out, style: .progs)
        json.start()
        json.beginGroup("filesystem-df", .array)
        for space in spaces {
            let zoneUnusable = unusable(space.flags)
            json.beginGroup(nil, .map)
            json.raw("bg-type", ProfileNames.typeName(space.flags))
            json.raw("bg-profile", ProfileNames.profileName(space.flags))
            json.number("total", space.totalBytes)
            json.number("used", space.usedBytes)
            if let zoneUnusable { json.number("zone_unusable", zoneUnusable) }
            json.endGroup()
        }
        json.endGroup()
        json.end()
    }

    /// btrfs_warn_multiple_profiles: warnings on stderr when a type has several profiles.
    /// progs asks the kernel again; the rows just printed say the same.
    static func warnMultipleProfiles(_ spaces: [SpaceInfo], context: Context) {
        let profiles = ProfileNames.multipleProfiles(spaces.map(\.flags))
        guard profiles.any else { return }
        context.warning("Multiple block group profiles detected, see 'man btrfs(5)'")
        if let data = profiles.data { context.warning("   Data: \(data)") }
        if let metadata = profiles.metadata { context.warning("   Metadata: \(metadata)") }
        if let mixed = profiles.mixed { context.warning("   Data+Metadata: \(mixed)") }
        if let system = profiles.system { context.warning("   System: \(system)") }
    }
}
