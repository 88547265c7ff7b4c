import Btrfs

/// The two outputs of `qgroup show`: progs' fixed-then-grown column table and its JSON.
extension QgroupShow {
    static func idText(_ id: UInt64) -> String { "\(id >> 48)/\(id & ((1 << 48) - 1))" }

    /// The parent or child column's text, "-" for none; `width` is what progs counts for it
    /// (the ids and commas, 0 for none).
    static func relationText(_ ids: [UInt64]) -> (text: String, width: Int) {
        if ids.isEmpty { return ("-", 0) }
        let text = ids.map(idText).joined(separator: ",")
        return (text, text.utf8.count)
    }

    static func printTable(_ qgroups: [Qgroup], columns: Set<Column>, units: UnitMode, context: Context) {
        let out = context.out
        let shown = Column.allCases.filter { columns.contains($0) }
        // __update_columns_max_len: widths grow to fit the rows shown. The limit columns measure
        // the value even where "none" is printed, as progs does.
        var width = Dictionary(uniqueKeysWithValues: Column.allCases.map { ($0, $0.minimumWidth) })
        func grow(_ column: Column, _ length: Int) { width[column] = max(width[column] ?? 0, length) }
        for q in qgroups {
            for column in shown {
                switch column {
                case .qgroupid: grow(column, idText(q.id).utf8.count)
                case .rfer: grow(column, prettySize(q.referenced, mode: units).utf8.count)
                case .excl: grow(column, prettySize(q.exclusive, mode: units).utf8.count)
                case .maxRfer: grow(column, prettySize(q.maxReferenced, mode: units).utf8.count)
                case .maxExcl: grow(column, prettySize(q.maxExclusive, mode: units).utf8.count)
                case .parent: grow(column, relationText(q.parents).width)
                case .child: grow(column, relationText(q.children).width)
                case .path: break
                }
            }
        }
        // print_table_head: every shown column followed by a space, the path column too.
        for column in shown {
            let w = width[column] ?? 0
            out.write(cPad(column.title, column.leftAligned ? -w : w))
            out.write(" ")
        }
        out.write("\n")
        for column in shown {
            let w = width[column] ?? 0, dashes = String(repeating: "-", count: column.title.utf8.count)
            out.write(cPad(dashes, column.leftAligned ? -w : w))
            out.write(" ")
        }
        out.write("\n")
        for q in qgroups {
            for column in shown {
                let w = width[column] ?? 0
                switch column {
                case .qgroupid: out.write(cPad(idText(q.id), -w))
                case .rfer: out.write(cPad(prettySize(q.referenced, mode: units), w))
                case .excl: out.write(cPad(prettySize(q.exclusive, mode: units), w))
                case .maxRfer:
                    let limited = q.limitFlags & QgroupLimit.maxReferencedFlag != 0
                    out.write(cPad(limited ? prettySize(q.maxReferenced, mode: units) : "none", w))
                case .maxExcl:
                    let limited = q.limitFlags & QgroupLimit.maxExclusiveFlag != 0
                    out.write(cPad(limited ? prettySize(q.maxExclusive, mode: units) : "none", w))
                case .parent: out.write(cPad(relationText(q.parents).text, -w))
                case .child: out.write(cPad(relationText(q.children).text, -w))
                case .path: printPath(q, context: context)
                }
                if column != .path { out.write(" ") }
            }
            out.write("\n")
        }
    }

    /// print_path_column, at the default log level (so -q leaves it out). For a higher level
    /// progs 6.2 lists the qgroup's parents, not its members, and ends the count's singular
    /// with a NUL byte (`%c` of '\0'); both are kept byte for byte.
    static func printPath(_ q: Qgroup, context: Context) {
        guard context.shouldPrint(Context.logDefault) else { return }
        let out = context.out
        out.write("  ")
        if q.level > 0 {
            for (i, parent) in q.parents.enumerated() {
                if i > 0 { out.write(" ") }
                // A level-0 parent cannot be; progs would print its path.
                out.write(parent >> 48 == 0 ? "<stale>" : idText(parent))
            }
            out.write("<\(q.parents.count) member qgroup")
            out.write(byte: q.parents.count != 1 ? UInt8(ascii: "s") : 0)
            out.write(">")
        } else if let path = q.path {
            if path.isEmpty { out.write("<toplevel>") } else { out.write(bytes: path) }
        } else {
            out.write("<stale>")
        }
    }

    /// print_all_qgroups_json.
    static func printJSON(_ qgroups: [Qgroup], to out: OutputStream) {
        var json = JSONWriter(out: out, style: .progs)
        json.start()
        json.beginGroup("qgroup-show", .array)
        for q in qgroups {
            json.beginGroup(nil, .map)
            json.raw("qgroupid", idText(q.id))
            json.number("referenced", q.referenced)
            // progs 6.2 aborts here on a limit (a size row without its unit argument); later
            // progs print the number, as this does.
            if q.limitFlags & QgroupLimit.maxReferencedFlag != 0 {
                json.number("max_referenced", q.maxReferenced)
            } else {
                json.raw("max_referenced", "none")
            }
            json.number("exclusive", q.exclusive)
            if q.limitFlags & QgroupLimit.maxExclusiveFlag != 0 {
                json.number("max_exclusive", q.maxExclusive)
            } else {
                json.raw("max_exclusive", "none")
            }
            json.string("path", String(pathBytes: q.level == 0 ? q.path ?? [] : []))
            json.beginGroup("parents", .array)
            for id in q.parents { json.raw(nil, idText(id)) }
            json.endGroup()
            json.beginGroup("children", .array)
            for id in q.children { json.raw(nil, idText(id)) }
            json.endGroup()
            json.endGroup()
        }
        json.endGroup()
        json.end()
    }
}
