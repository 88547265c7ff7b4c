/// The root of the command tree: every group and top-level command, listed once, here.
/// Add a group by adding its `Xxx.group` line (groups in progs' alphabetical order, help and
/// version last).
enum CommandTree {
    static func root() -> Group {
        Group(Tool.name, summary: "Use --help as an argument for information on a specific group or command.",
              usage: [rootUsage], entries: [
                  .group("balance", BalanceCommands.group),
                  .group("completion", CompletionCommands.group),
                  .group("device", DeviceCommands.group),
                  .group("filesystem", FilesystemCommands.group),
                  .group("inspect-internal", InspectCommands.group),
                  .group("property", PropertyCommands.group),
                  .group("qgroup", QgroupCommands.group),
                  .group("quota", QuotaCommands.group),
                  .command("receive", Receive.command),
                  .group("replace", ReplaceCommands.group),
                  .group("scrub", ScrubCommands.group),
                  .command("send", Send.command),
                  .group("subvolume", SubvolumeCommands.group),
                  .command("help", Help.command),
                  .command("version", Version.command),
              ])
    }

    static let rootUsage = """
        [global] <group> [<group>...] <command> [<args>]

        Global options:
          --format <format> if supported, print subcommand output in that format (text, json)
          -v|--verbose      increase verbosity of the subcommand
          -q|--quiet        print only errors
          --log <level>     set log level (default, info, verbose, debug, quiet)

        Options for the main command only:
          --help            print condensed help for all subcommands
          --version         print version string
        """
}
