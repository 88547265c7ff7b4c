#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `property get` and `list` with `--format json` (btrfs-progs 6.2 has none): the values the text
/// prints, typed (`ro` a boolean, `label` and `compression` strings, `compression` null when the
/// inode has none), and for `list` the names and descriptions. Schema in Docs/man/sbtrfs-property.scd.
extension PropertyCommands {
    /// The value a property has on the object, after the error text prints when it cannot be read.
    enum Value {
        case flag(Bool)
        case text([UInt8]?)
    }

    static func readOnlyValue(_ object: String, _ context: Context) -> Bool? {
        do { return try Subvolume.isReadOnly(object) } catch {
            context.error(errorText(error, .util))
            return nil
        }
    }

    static func labelValue(_ object: String, isDevice: Bool, _ context: Context) -> [UInt8]? {
        do {
            return isDevice ? try superblockLabel(device: object) : try FileSystem(path: object).label()
        } catch BtrfsError.cannotAccess(_, let e) {
            context.error("unable to access \(object): \(errnoText(e))")
        } catch {
            if (error as? BtrfsError)?.errno != ENOTTY { context.error("unable to get label of \(object): \(errorText(error, .strerrorOrDescription))") }
        }
        return nil
    }

    /// The compression xattr: .some(nil) when the inode has none, nil after an error.
    static func compressionValue(_ object: String, _ context: Context) -> [UInt8]?? {
        do { return .some(try FileSystem(path: object).extendedAttribute("btrfs.compression")) } catch BtrfsError.cannotAccess(_, let e) {
            context.error("failed to open \(object): \(errnoText(e))")
        } catch {
            context.error("failed to get compression for \(object): \(errorText(error, .strerrorOrDescription))")
        }
        return nil
    }

    static func value(of name: String, _ object: String, _ context: Context) -> Value? {
        switch name {
        case "ro": return readOnlyValue(object, context).map(Value.flag)
        case "label":
            return labelValue(object, isDevice: isDeviceOrImage(object), context).map { Value.text($0) }
        default: return compressionValue(object, context).map(Value.text)
        }
    }

    /// `{"property-get": {"object": …, "properties": {name: value}}}` or `{"property-list": {"object": …,
    /// "properties": [{"name", "description"}]}}`: the properties of the object's types, in progs' order.
    static func printJSON(_ object: String, list: Bool, only: String?, types: ObjectTypes, _ context: Context) -> Int32 {
        var chosen: [Property] = []
        for property in properties where only == nil || property.name == only {
            if !types.intersection(property.types).isEmpty && !chosen.contains(where: { $0.name == property.name }) {
                chosen.append(property)
            }
        }
        if let only, chosen.isEmpty {
            context.error(properties.contains { $0.name == only } ? "object is not compatible with property: \(only)"
                                                                     : "unknown property: \(only)")
            return 1
        }
        var values: [Value] = []
        if !list {
            for property in chosen {
                guard let value = value(of: property.name, object, context) else { return 1 }
                values.append(value)
            }
        }
        var json = JSONWriter(out: context.out, style: .native)
        json.start()
        json.beginGroup(list ? "property-list" : "property-get", .map)
        json.string("object", object)
        json.beginGroup("properties", list ? .array : .map)
        for (index, property) in chosen.enumerated() {
            if list {
                json.beginGroup(nil, .map)
                json.string("name", property.name)
                json.string("description", property.description)
                json.endGroup()
                continue
            }
            switch values[index] {
            case .flag(let flag): json.bool(property.name, flag)
            case .text(let bytes): json.string(property.name, bytes.map { String(pathBytes: $0) })
            }
        }
        json.endGroup()
        json.endGroup()
        json.end()
        return 0
    }
}
