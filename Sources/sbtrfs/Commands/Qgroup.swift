#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `sbtrfs qgroup`: manage quota groups (progs' cmds/qgroup.c). Every argument is read before the
/// filesystem is opened, so a bad one changes nothing. show lives in QgroupShow.swift.
enum QgroupCommands {
    static let group = Group(
        "qgroup", summary: "manage quota groups", usage: ["<command> [options] <path>"],
        entries: [
            .command("assign", assign), .command("remove", remove), .command("create", create),
            .command("clear-stale", clearStale), .command("destroy", destroy), .command("show", show),
            .command("limit", limit),
        ])

    static let show = QgroupShow.command

    // MARK: assign, remove

    static let rescanOptions = [
        OptionSpec(nil, "rescan", help: "schedule quota rescan if needed", getoptValue: 256),
        OptionSpec(nil, "no-rescan", help: "don't schedule quota rescan", getoptValue: 257),
    ]

    static let assign = Command(
        "assign", synopsis: ["[options] <src> <dst> <path>"], summary: "Assign SRC as the child qgroup of DST.",
        description: ["Assign SRC qgroup as the child qgroup of DST, where the level of DST",
                      "must be higher than SRC. The quota accounting will be inconsistent",
                      "until the next rescan."],
        options: rescanOptions,
        operands: [OperandSpec("src", .qgroupID), OperandSpec("dst", .qgroupID), OperandSpec("path", .path)],
        permutesOperands: true, run: { try runAssign($0, assign: true) })

    static let remove = Command(
        "remove", synopsis: ["[options] <src> <dst> <path>"], summary: "Remove the relation between child qgroup SRC from DST.",
        description: ["Remove the relation between SRC and DST qgroups. The quota accounting",
                      "will be inconsistent until the next rescan."],
        options: rescanOptions,
        operands: [OperandSpec("src", .qgroupID), OperandSpec("dst", .qgroupID), OperandSpec("path", .path)],
        permutesOperands: true, run: { try runAssign($0, assign: false) })

    @Sendable static func runAssign(_ invocation: Invocation, assign: Bool) throws -> Int32 {
        let rescan = invocation.options.last { $0.id == "rescan" || $0.id == "no-rescan" }?.id != "no-rescan"
        let source = try parseQgroupIDOrPath(invocation.operands[0])
        let destination = try parseQgroupIDOrPath(invocation.operands[1])
        let path = invocation.operands[2]
        if source >> 48 >= destination >> 48 { throw CommandExit.error("bad relation requested: \(path)") }
        let fs = try FileSystem(path: path, requireDirectory: true)
        let inconsistent: Bool
        do { inconsistent = try fs.assignQgroup(source, to: destination, assign: assign) } catch let e as BtrfsError {
            throw CommandExit.error("unable to assign quota group: \(errorText(e, .quota))")
        }
        guard inconsistent else { return 0 }
        if !rescan {
            invocation.context.warning("quotas may be inconsistent, rescan needed")
            return 0
        }
        invocation.out.write("Quota data changed, rescan scheduled\n")
        do { try fs.startQuotaRescan() } catch let e as BtrfsError {
            invocation.context.error("quota rescan failed: \(errorText(e))")
            // progs returns the ioctl's -1: exit status 255.
            return 255
        }
        // progs returns the assign ioctl's positive value, then the rescan's 0.
        return 0
    }

    // MARK: create, destroy

    static let create = Command(
        "create", synopsis: ["<qgroupid> <path>"], summary: "Create a subvolume quota group.",
        description: ["Create a subvolume quota group. The level can't be 0 as such qgroup is",
                      "created automatically for a subvolume. Higher level qgroups are supposed",
                      "to provide accounting for qgroups in a tree structure."],
        operands: [OperandSpec("qgroupid", .qgroupID), OperandSpec("path", .path)], help: [], badOption: .usage,
        run: { try runCreate($0, create: true) })

    static let destroy = Command(
        "destroy", synopsis: ["<qgroupid> <path>"], summary: "Destroy a quota group.",
        operands: [OperandSpec("qgroupid", .qgroupID), OperandSpec("path", .path)], help: [], badOption: .usage,
        run: { try runCreate($0, create: false) })

    @Sendable static func runCreate(_ invocation: Invocation, create: Bool) throws -> Int32 {
        guard let id = parseQgroupID(invocation.operands[0]) else {
            throw CommandExit.error("invalid qgroupid \(invocation.operands[0])")
        }
        let fs = try FileSystem(path: invocation.operands[1], requireDirectory: true)
        do { try fs.createQgroup(id, create: create) } catch let e as BtrfsError {
            throw CommandExit.error("unable to \(create ? "create" : "destroy") quota group: \(errorText(e, .quota))")
        }
        return 0
    }

    // MARK: clear-stale

    static let clearStale = Command(
        "clear-stale", synopsis: ["<path>"], summary: "Clear all stale qgroups (level 0/subvolid), without a subvolume.",
        description: ["Clear all stale qgroups whose subvolume does not exist anymore, this is the",
                      "level 0 qgroup like 0/subvolid. Higher level qgroups are not deleted even",
                      "if they don't have any child qgroups."],
        operands: [OperandSpec("path", .path)], help: [.text("Global options:"), .quiet], rawArguments: true, run: runClearStale)

    /// progs' handler calls no getopt: `-x` is a path.
    @Sendable static func runClearStale(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        try invocation.checkArgcExact(1)
        let fs = try FileSystem(path: invocation.operands[0], requireDirectory: true)
        let listing: QgroupListing
        do { listing = try QgroupShow.listing(fs) } catch CommandExit.error(let text) {
            // progs reports the failed listing twice: in the search and again here; a normal
            // user's refusal once.
            if !text.hasSuffix(errnoText(EPERM)) { context.error(text) }
            throw CommandExit.error(text)
        }
        var status: Int32 = 0
        for qgroup in listing.qgroups where qgroup.level == 0 && qgroup.path == nil {
            context.verbose(Context.logDefault, "Delete stale qgroup 0/\(qgroup.subvolumeID)\n")
            do { try fs.createQgroup(qgroup.id, create: false) } catch let e as BtrfsError {
                context.error("cannot delete qgroup 0/\(qgroup.subvolumeID): \(errorText(e))")
                status = 1
            }
        }
        return status
    }

    // MARK: limit

    static let limit = Command(
        "limit", synopsis: ["[options] <size>|none [<qgroupid>] <path>"], summary: "Set the limits a subvolume quota group.",
        options: [
            OptionSpec("c", nil, help: "limit amount of data after compression. This is the default, it is currently not possible to turn off this option"),
            OptionSpec("e", nil, help: "limit space exclusively assigned to this qgroup"),
        ],
        operands: [OperandSpec("size|none", .size), OperandSpec("qgroupid", .qgroupID, optional: true),
                   OperandSpec("path", .path)],
        checksOperandCount: false, permutesOperands: true, run: runLimit)

    @Sendable static func runLimit(_ invocation: Invocation) throws -> Int32 {
        try invocation.checkArgcMin(2)
        let operands = invocation.operands
        let sizeText = operands[0]
        let isNone = sizeText.utf8.count == 4 && sizeText.utf8.map { $0 | 0x20 } == Array("none".utf8)  // strcasecmp
        let size = isNone ? QgroupLimit.none : try parseSizeFromString(sizeText)
        var limit = QgroupLimit()
        if invocation.has("c") { limit.flags |= QgroupLimit.referencedCompressedFlag | QgroupLimit.exclusiveCompressedFlag }
        if invocation.has("e") {
            limit.flags |= QgroupLimit.maxExclusiveFlag
            limit.maxExclusive = size
        } else {
            limit.flags |= QgroupLimit.maxReferencedFlag
            limit.maxReferenced = size
        }
        var qgroupID: UInt64 = 0
        let path: String
        switch operands.count {
        case 2:
            // qgroupid 0: the subvolume the path is the root of.
            path = operands[1]
            do { try Subvolume.checkIsSubvolume(path) } catch { throw CommandExit.error(errorText(error, .util)) }
        case 3:
            qgroupID = try parseQgroupIDOrPath(operands[1])
            path = operands[2]
        default:
            throw CommandExit.usage
        }
        let fs = try FileSystem(path: path, requireDirectory: true)
        do { try fs.limitQgroup(qgroupID, limit) } catch let e as BtrfsError {
            throw CommandExit.error("unable to limit requested quota group: \(errorText(e, .quota))")
        }
        return 0
    }
}
