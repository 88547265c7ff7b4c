import Btrfs

/// `--format json` of the inspect-internal look-ups btrfs-progs 6.2 prints as text only
/// (inode-resolve, logical-resolve, subvolid-resolve, rootid, min-dev-size): native style,
/// numbers as numbers, paths as strings. Schemas in Docs/man/sbtrfs-inspect-internal.scd.
extension InspectCommands {
    /// One reference logical-resolve found: the inode, its offset and subvolume; the subvolume's
    /// path and the inode's paths unless -P (null then), or when the subvolume is not reachable.
    struct ResolvedRef {
        var inode: UInt64
        var offset: UInt64
        var root: UInt64
        var subvolume: String? = nil
        var paths: [String]? = nil
    }

    static func printInodeResolveJSON(inode: UInt64, paths: [String], to out: OutputStream) {
        printSimpleJSON("inode-resolve", to: out) { json in
            json.number("inode", inode)
            writePaths(&json, paths)
        }
    }

    static func printLogicalResolveJSON(logical: UInt64, refs: [ResolvedRef], to out: OutputStream) {
        printSimpleJSON("logical-resolve", to: out) { json in
            json.number("logical", logical)
            json.beginGroup("refs", .array)
            for ref in refs {
                json.beginGroup(nil, .map)
                json.number("inode", ref.inode)
                json.number("offset", ref.offset)
                json.number("root", ref.root)
                json.string("subvolume", ref.subvolume)
                if let paths = ref.paths { writePaths(&json, paths) } else { json.null("paths") }
                json.endGroup()
            }
            json.endGroup()
        }
    }

    static func writePaths(_ json: inout JSONWriter, _ paths: [String]) {
        json.beginGroup("paths", .array)
        for path in paths { json.string(nil, path) }
        json.endGroup()
    }
}

/// A native document of one map named `name`, its members written by `body`.
func printSimpleJSON(_ name: String, to out: OutputStream, _ body: (inout JSONWriter) -> Void) {
    var json = JSONWriter(out: out, style: .native)
    json.start()
    json.beginGroup(name, .map)
    body(&json)
    json.endGroup()
    json.end()
}
