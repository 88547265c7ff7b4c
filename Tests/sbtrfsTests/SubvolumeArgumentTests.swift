import Testing
@testable import sbtrfs
import Btrfs

/// The pure parts of the subvolume commands: progs' argument rules, without a filesystem.
@Suite struct SubvolumeArgumentTests {
    @Test func sortKeysParseAsProgs() {
        let parsed = SubvolumeListRequest.parseSort("gen,-ogen,+path,rootid")
        #expect(parsed?.map { "\($0.key)\($0.descending ? "-" : "+")" } == ["gen+", "ogen-", "path+", "rootid+"])
        #expect(SubvolumeListRequest.parseSort("")?.isEmpty == true)
        #expect(SubvolumeListRequest.parseSort("size") == nil)
        #expect(SubvolumeListRequest.parseSort("xgen") == nil)  // progs asserts here; refused instead
    }

    @Test func generationFiltersSplitTheirSign() {
        #expect(SubvolumeListRequest.splitComparison("+7") == (.atLeast, "7"))
        #expect(SubvolumeListRequest.splitComparison("-7") == (.atMost, "7"))
        #expect(SubvolumeListRequest.splitComparison("0x10") == (.equal, "0x10"))
    }

    @Test func posixBasenameAndDirname() {
        for (path, dir, base) in [("a", ".", "a"), ("a/b", "a", "b"), ("/a", "/", "a"), ("a/b/", "a", "b"),
                                  ("/", "/", "/"), ("//a//b//", "//a", "b"), ("", ".", ".")] {
            #expect(posixDirname(path) == dir, "dirname(\(path))")
            #expect(posixBasename(path) == base, "basename(\(path))")
        }
        #expect(!isSubvolumeName("..") && !isSubvolumeName(".") && !isSubvolumeName("") && isSubvolumeName("a b"))
    }

    @Test func uuidArgumentsParseStrictly() {
        let text = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
        #expect(SubvolumeCommands.parseUUID(text)?.description == text)
        #expect(SubvolumeCommands.parseUUID(text.uppercased())?.description == text)
        #expect(SubvolumeCommands.parseUUID("0f1e2d3c4b5a69788796a5b4c3d2e1f0") == nil)
        #expect(SubvolumeCommands.parseUUID("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fg") == nil)
        #expect(SubvolumeCommands.parseUUID("") == nil)
    }

    @Test func qgroupInheritSpecs() throws {
        #expect(try SubvolumeCommands.parseQgroupInherit("1/7") == (1 << 48 | 7))
        #expect(try SubvolumeCommands.parseQgroupInherit("0/257") == 257)
        #expect(throws: (any Error).self) { try SubvolumeCommands.parseQgroupInherit("257") }
        #expect(throws: (any Error).self) { try SubvolumeCommands.parseQgroupInherit("0/0") }
        #expect(throws: (any Error).self) { try SubvolumeCommands.parseQgroupInherit("1/281474976710656") }
    }

    @Test func listTextLayouts() {
        var e = SubvolumeListing.Entry(id: 257)
        e.generation = 9; e.otransid = 8; e.parentID = 5; e.topLevel = 5; e.path = Array("a b".utf8)
        let listing = SubvolumeListing(entries: [e], topID: 5, privileged: true)
        var request = SubvolumeListRequest()
        request.columns = [.id, .generation, .topLevel, .path, .uuid]
        var out = TextBuffer()
        request.render(request.rows(listing), into: out)
        #expect(out.text == "ID 257 gen 9 top level 5 uuid -" + String(repeating: " ", count: 35) + " path a b\n")
        request.layout = .table
        out = TextBuffer()
        request.render(request.rows(listing), into: out)
        #expect(out.text == "ID\tgen\ttop level\tuuid\tpath\t\n--\t---\t---------\t----\t----\t\n257\t9\t5\t\t-" + String(repeating: " ", count: 35) + "\ta b\n")
    }
}
