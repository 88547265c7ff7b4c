#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `sbtrfs property`: get, set and list the properties of btrfs objects (progs' cmds/property.c):
/// `ro` of a subvolume (libbtrfsutil), `label` of a filesystem or device, `compression` of an inode.
enum PropertyCommands {
    static let group = Group(
        "property", summary: "modify properties of filesystem objects",
        usage: ["get/set/list [-t <type>] <object> [<name>] [value]"],
        entries: [.command("get", get), .command("set", set), .command("list", list)])

    static let typeOption = OptionSpec("t", nil, value: .choice(["inode", "subvol", "filesystem", "device", "i", "s", "f", "d"]),
                                       help: "list properties for the given object type (inode, subvol, filesystem, device)",
                                       display: "-t <TYPE>")

    static let get = Command(
        "get", synopsis: ["[-t <type>] <object> [<name>]"], summary: "Get a property value of a btrfs object",
        description: ["Get a property value of a btrfs object. If no name is specified, all",
                      "properties for the given object are printed.",
                      "A filesystem object can be the filesystem itself, a subvolume,",
                      "an inode or a device. The option -t can be used to explicitly",
                      "specify what type of object you meant. This is only needed when a",
                      "property could be set for more then one object type."],
        options: [typeOption, OptionSpec("f", nil, help: "force", hidden: true)],
        operands: [OperandSpec("object", .path), OperandSpec("name", .choice(["ro", "label", "compression"]), optional: true)],
        help: [.text("Possible values for type are: inode, subvol, filesystem, device."),
               .text("They can be abbreviated to the first letter, i/s/f/d"), .text(""), .optionNamed("t")],
        supportsJSON: true, checksOperandCount: false, run: { try run($0, minimum: 1, maximum: 2) })

    static let set = Command(
        "set", synopsis: ["[-f] [-t <type>] <object> <name> <value>"], summary: "Set a property on a btrfs object",
        description: ["Set a property on a btrfs object where object is a path to file or",
                      "directory and can also represent the filesystem or device based on the type"],
        options: [typeOption, OptionSpec("f", nil, help: "force the change, could potentially break something")],
        operands: [OperandSpec("object", .path), OperandSpec("name", .choice(["ro", "label", "compression"])),
                   OperandSpec("value", .string)],
        checksOperandCount: false, run: { try run($0, minimum: 3, maximum: 3) })

    static let list = Command(
        "list", synopsis: ["[-t <type>] <object>"],
        summary: "Lists available properties with their descriptions for the given object",
        description: ["Lists available properties with their descriptions for the given object",
                      "See the help of 'sbtrfs property get' for a description of",
                      "objects and object types."],
        options: [typeOption, OptionSpec("f", nil, help: "force", hidden: true)],
        operands: [OperandSpec("object", .path)], help: [.optionNamed("t")],
        supportsJSON: true, checksOperandCount: false, run: { try run($0, minimum: 1, maximum: 1) })

    /// prop_object_type.
    struct ObjectTypes: OptionSet {
        let rawValue: Int
        static let device = ObjectTypes(rawValue: 1 << 0)
        static let root = ObjectTypes(rawValue: 1 << 1)
        static let subvolume = ObjectTypes(rawValue: 1 << 2)
        static let inode = ObjectTypes(rawValue: 1 << 3)
    }

    struct Property {
        var name: String
        var description: String
        var types: ObjectTypes
        var handler: (ObjectTypes, String, String, String?, Bool, Context) -> Int32
    }

    /// prop_handlers, in progs' order.
    nonisolated(unsafe) static let properties: [Property] = [
        Property(name: "ro", description: "read-only status of a subvolume", types: .subvolume, handler: readOnly),
        Property(name: "label", description: "label of the filesystem", types: [.device, .root], handler: label),
        Property(name: "compression", description: "compression algorithm for the file or directory", types: .inode,
                 handler: compression),
    ]

    @Sendable static func run(_ invocation: Invocation, minimum: Int, maximum: Int) throws -> Int32 {
        let context = invocation.context
        let force = invocation.has("f")
        try invocation.checkArgcMin(minimum)
        try invocation.checkArgcMax(maximum)
        var types: ObjectTypes = []
        if let t = invocation.value("t") {
            switch t {
            case "s", "subvol": types = .subvolume
            case "f", "filesystem": types = .root
            case "i", "inode": types = .inode
            case "d", "device": types = .device
            default: throw CommandExit.error("invalid object type: \(t)")
            }
        }
        let operands = invocation.operands
        let object = operands[0]
        if types.isEmpty {
            types = try detectTypes(object, context)
            if types.isEmpty { throw CommandExit.error("object is not a btrfs object: \(object)") }
        }
        let name = operands.count > 1 && maximum > 1 ? operands[1] : nil
        let value = operands.count > 2 ? operands[2] : nil
        if context.format == .json && value == nil {
            return printJSON(object, list: invocation.command.name == "list", only: name, types: types, context)
        }
        if invocation.command.name == "list" || name == nil {
            // dump_props: each property, each of its types the object has.
            let names = invocation.command.name == "list"
            for property in properties {
                for bit in [ObjectTypes.device, .root, .subvolume, .inode] where types.contains(bit) && property.types.contains(bit) {
                    if names {
                        context.verbose(Context.logDefault, cPad(property.name, -20) + property.description + "\n")
                    } else if property.handler(bit, object, property.name, nil, false, context) != 0 {
                        return 1
                    }
                }
            }
            return 0
        }
        guard let name, let property = properties.first(where: { $0.name == name }) else {
            throw CommandExit.error("unknown property: \(name ?? "")")
        }
        let matching = types.intersection(property.types)
        if matching.isEmpty { throw CommandExit.error("object is not compatible with property: \(property.name)") }
        if matching.rawValue.nonzeroBitCount > 1 { throw CommandExit.error("type of object is ambiguous, please use option -t") }
        return property.handler(matching, object, name, value, force, context) == 0 ? 0 : 1
    }

    /// autodetect_object_types: an inode on btrfs; a subvolume at inode 256; the filesystem where `..`
    /// is elsewhere; a device when a block device.
    static func detectTypes(_ object: String, _ context: Context) throws -> ObjectTypes {
        let isBtrfs = fsid(object, silent: false, context) != nil
        let st: stat
        switch SystemCall.stat(object) {
        case .success(let answer): st = answer
        case .failure(let e): throw CommandExit.error("failed to detect object type: \(errorText(e))")
        }
        var types: ObjectTypes = []
        if isBtrfs {
            types.insert(.inode)
            if st.st_ino == Subvolume.firstFreeID { types.insert(.subvolume) }
            if try isFilesystemRoot(object, context) { types.insert(.root) }
        }
        if (st.st_mode & S_IFMT) == S_IFBLK { types.insert(.device) }
        return types
    }

    /// get_fsid: FS_INFO's fsid and the errno when it fails (with progs' open error unless silent).
    static func fsid(_ path: String, silent: Bool, _ context: Context) -> (BtrfsUUID?, Int32) {
        do {
            return (try FileSystem(path: path).fsInfo().fsid, 0)
        } catch BtrfsError.cannotAccess(_, let e) {
            if !silent { context.error("failed to open \(path): \(errnoText(e))") }
            return (nil, e)
        } catch BtrfsError.notBtrfs {
            return (nil, ENOTTY)
        } catch {
            return (nil, (error as? BtrfsError)?.errno ?? EIO)
        }
    }

    static func fsid(_ path: String, silent: Bool, _ context: Context) -> BtrfsUUID? {
        let (id, _): (BtrfsUUID?, Int32) = fsid(path, silent: silent, context)
        return id
    }

    /// check_is_root, answered the right way round: is `object` the top of its mounted filesystem?
    static func isFilesystemRoot(_ object: String, _ context: Context) throws -> Bool {
        let real: String
        switch SystemCall.realPath(object) {
        case .success(let resolved): real = resolved
        case .failure(let e): throw CommandExit.error("failed to detect object type: \(errorText(e))")
        }
        if real == "/" { return true }
        let (mine, e1): (BtrfsUUID?, Int32) = fsid(object, silent: false, context)
        guard let mine else { throw CommandExit.error("failed to detect object type: \(errnoText(e1))") }
        let parent = object + (object.hasSuffix("/") ? ".." : "/..")
        let (theirs, e2): (BtrfsUUID?, Int32) = fsid(parent, silent: true, context)
        if e2 == ENOTTY { return true }
        if e2 == ENOTDIR { return false }
        guard let theirs else {
            context.error("get_fsid for \(parent) failed: \(errnoText(e2))")
            throw CommandExit.error("failed to detect object type: \(errnoText(e2))")
        }
        return mine != theirs
    }

    // MARK: handlers (0 success, non-zero failure; messages already printed)

    static func readOnly(_ type: ObjectTypes, _ object: String, _ name: String, _ value: String?, _ force: Bool,
                         _ context: Context) -> Int32 {
        guard let value else {
            guard let ro = readOnlyValue(object, context) else { return 1 }
            context.verbose(Context.logDefault, "ro=\(ro ? "true" : "false")\n")
            return 0
        }
        let readOnly: Bool
        switch value {
        case "true": readOnly = true
        case "false": readOnly = false
        default:
            context.error("invalid value for property: \(value)")
            return 1
        }
        do {
            let isRO = try Subvolume.isReadOnly(object)
            if isRO && readOnly { return 0 }
            var received = BtrfsUUID.zero
            do { received = try FileSystem(path: object).subvolumeInfo().receivedUUID } catch {
                context.warning("cannot read subvolume info")
            }
            var clearReceived = false
            if isRO && !received.isZero {
                context.verbose(Context.logInfo, "ro->rw switch but has set receive_uuid")
                guard force else {
                    context.error("cannot flip ro->rw with received_uuid set, use force if you really want that")
                    return 1
                }
                clearReceived = true
            }
            if !isRO && !received.isZero { context.warning("read-write subvolume with received_uuid, this is bad") }
            try Subvolume.setReadOnly(object, readOnly)
            if clearReceived {
                context.verbose(Context.logInfo, "force used, clearing received_uuid, previously \(received)")
                do { try FileSystem(path: object).clearReceivedUUID() } catch {
                    context.warning("failed to clear received_uuid: \(errorText(error, .strerrorOrDescription))")
                }
            }
            return 0
        } catch {
            context.error(errorText(error, .util))
            return 1
        }
    }

    /// Whether the label's object is a block device or an image file (an unmounted filesystem's
    /// label), not a mounted path.
    static func isDeviceOrImage(_ object: String) -> Bool {
        guard case .success(let st) = SystemCall.stat(object) else { return false }
        return st.st_mode & S_IFMT == S_IFBLK || st.st_mode & S_IFMT == S_IFREG
    }

    static func label(_ type: ObjectTypes, _ object: String, _ name: String, _ value: String?, _ force: Bool,
                      _ context: Context) -> Int32 {
        let isDevice = isDeviceOrImage(object)
        if let value {
            guard value.pathByteCount <= 255 else {
                context.error("label \(value) is too long (max 255)")
                return 1
            }
            if isDevice {
                context.error("setting the label of an unmounted device is not supported, use the mount point")
                return 1
            }
            do { try FileSystem(path: object).setLabel(value.pathBytes) } catch {
                context.error("unable to set label of \(object): \(errorText(error, .strerrorOrDescription))")
                return 1
            }
            return 0
        }
        guard let label = labelValue(object, isDevice: isDevice, context) else { return 1 }
        if context.shouldPrint(Context.logDefault) {
            context.out.write("label=")
            context.out.write(bytes: label)
            context.out.write(byte: 0x0A)
        }
        return 0
    }

    static func compression(_ type: ObjectTypes, _ object: String, _ name: String, _ value: String?, _ force: Bool,
                            _ context: Context) -> Int32 {
        let attribute = "btrfs." + name
        if let value {
            do { try setExtendedAttribute(path: object, name: attribute, value: value.pathBytes) } catch BtrfsError.cannotAccess(_, let e) {
                context.error("failed to open \(object): \(errnoText(e))")
                return 1
            } catch {
                context.error("failed to set compression for \(object): \(errorText(error, .strerrorOrDescription))")
                return 1
            }
            return 0
        }
        guard let current = compressionValue(object, context) else { return 1 }
        if let current, context.shouldPrint(Context.logDefault) {
            context.out.write("compression=")
            context.out.write(bytes: current)
            context.out.write(byte: 0x0A)
        }
        return 0
    }
}
