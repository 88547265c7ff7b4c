import Btrfs

/// `sbtrfs device`: manage and query devices in the filesystem (progs' cmds/device.c).
/// Commands in progs' order; each lives in DeviceXxx.swift.
enum DeviceCommands {
    static let group = Group(
        "device", summary: "manage and query devices in the filesystem",
        entries: [
            .command("add", add),
            .command("delete", delete),
            .command("remove", remove),
            .command("replace", ReplaceCommands.alias),
            .command("scan", scan),
            .command("ready", ready),
            .command("stats", stats),
            .command("usage", usage),
        ])
}
