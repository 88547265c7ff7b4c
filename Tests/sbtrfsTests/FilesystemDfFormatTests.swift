import Testing
import Btrfs
@testable import sbtrfs

/// The zoned form of df's rows (print_df_text / print_df_json with zone_unusable), which the rig
/// cannot produce without a zoned device; the layout follows progs' format strings.
struct FilesystemDfFormatTests {
    static let spaces = [SpaceInfo(flags: 1, totalBytes: 1 << 30, usedBytes: 1536),
                         SpaceInfo(flags: 1 << 49, totalBytes: 5 << 20, usedBytes: 0)]
    /// 4 KiB unusable in the data space, none (not zoned) in the global reserve.
    static func firstRowUnusable(_ flags: UInt64) -> UInt64? { flags == 1 ? 4096 : nil }

    @Test func textWithZoneUnusable() {
        let context = Context.capturing()
        FilesystemCommands.printDfText(Self.spaces, zoneUnusable: Self.firstRowUnusable, mode: .default, context: context)
        #expect(context.out.capturedText == """
            Data, single: total=1.00GiB, used=1.50KiB, zone_unusable=4.00KiB
            GlobalReserve, single: total=5.00MiB, used=0.00B

            """)
        let quiet = Context.capturing()
        quiet.verbosity = Context.verbosityQuiet
        FilesystemCommands.printDfText(Self.spaces, zoneUnusable: Self.firstRowUnusable, mode: .default, context: quiet)
        #expect(quiet.out.capturedText == "")
    }

    @Test func jsonWithZoneUnusable() {
        let out = OutputStream.capture()
        FilesystemCommands.printDfJSON(Self.spaces, zoneUnusable: Self.firstRowUnusable, to: out)
        #expect(out.capturedText == """
            {
              "__header": {
                "version": "1"
              },
              "filesystem-df": [
                {
                  "bg-type": "Data",
                  "bg-profile": "single",
                  "total": "1073741824",
                  "used": "1536",
                  "zone_unusable": "4096"
                },
                {
                  "bg-type": "GlobalReserve",
                  "bg-profile": "single",
                  "total": "5242880",
                  "used": "0"
                }
              ]
            }

            """)
    }
}
