// btrfs-progs' scrub status file (/var/lib/btrfs/scrub.status.<fsid>) and its progress socket's
// answers: text another program wrote. Input: the file's bytes. Whatever decodes must encode
// and decode again to the same records (the file is sbtrfs's and progs' shared state).
import Btrfs

func fuzzOne(_ input: FuzzInput) {
    let decoded = ScrubStatusFile.decode(Array(input.rest))
    guard !decoded.records.isEmpty else { return }
    let again = ScrubStatusFile.decode(ScrubStatusFile.encode(decoded.records))
    precondition(again.records == decoded.records && again.invalid.isEmpty && again.failure == nil,
                 "scrub status records change on a write and a read")
}
