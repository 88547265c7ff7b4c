import Btrfs

/// Qgroup ids from the command line as btrfs-progs reads them (common/parse-utils.c).

/// parse_qgroupid: `<level>/<id>`, each read by strtoull (leading blanks and a sign taken), the id
/// below 2^48 and the level below 2^16; nil for anything else.
func parseQgroupID(_ text: String) -> UInt64? {
    guard let slash = text.firstIndex(of: "/") else { return nil }
    let levelText = String(text[..<slash]), idText = String(text[text.index(after: slash)...])
    let level = strtoull(levelText, base: 10), id = strtoull(idText, base: 10)
    // The level's number must end at the slash; the id's at the end of the text.
    guard level.consumed > 0, level.consumed == levelText.pathByteCount,
          id.consumed > 0, id.consumed == idText.pathByteCount else { return nil }
    guard id.value < (1 << 48), level.value < (1 << 16) else { return nil }
    return level.value << 48 | id.value
}

/// parse_qgroupid_or_path: `level/id`, or (absolute) the path of a subvolume root; anything else
/// exits 255 with progs' message.
func parseQgroupIDOrPath(_ text: String) throws -> UInt64 {
    var id: UInt64? = nil
    if text.hasPrefix("/") {
        if (try? Subvolume.checkIsSubvolume(text)) != nil { id = try? Subvolume.id(of: text) }
    } else {
        id = parseQgroupID(text)
    }
    guard let id else { throw CommandExit.message("ERROR: invalid qgroupid or subvolume path: \(text)", status: 255) }
    return id
}
