import Foundation
import Testing
import TestRig

/// The library's public face, read from the compiled module the tests link (swift-symbolgraph-extract
/// on .build's Btrfs.swiftmodule): no public signature may name a C type of the system-library
/// targets (CBtrfs, CBlkid …), only plain libc types a Swift program has from Glibc anyway; and none
/// may name what belongs to the command line (a type of the sbtrfs tool, progs-only helpers).
struct PublicAPITests {
    static let extractor = "/opt/swift/usr/bin/swift-symbolgraph-extract"

    /// libc's types: Glibc imports them for every Swift program on Linux.
    static let libcTypes: Set<String> = [
        "mode_t", "stat", "statfs", "pthread_t", "dev_t", "ino_t", "off_t", "pid_t", "uid_t", "gid_t",
        "time_t", "timespec", "FILE", "DIR", "dirent",
    ]

    /// Library names that exist only to serve the command line (issue 15): none may come back.
    static let toolOnlyNames: Set<String> = ["take(from:)", "utilProgsText", "errorText", "utilText"]

    /// The Modules directory of the build the tests run from (the bundle sits beside it).
    static func modulesDirectory() throws -> String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? ""
        var url = URL(fileURLWithPath: exe).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent("Modules").path
            if FileManager.default.fileExists(atPath: candidate + "/Btrfs.swiftmodule") { return candidate }
            url = url.deletingLastPathComponent()
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/Modules").path
    }

    /// The symbols of `module` at `access` and above, as the symbol graph's JSON lists them.
    static func symbols(_ module: String, access: String) throws -> [[String: Any]] {
        let modules = try modulesDirectory()
        let build = URL(fileURLWithPath: modules).deletingLastPathComponent().path
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let output = FileManager.default.temporaryDirectory
            .appendingPathComponent("sbtrfs-symbols-\(getpid())-\(module)").path
        try? FileManager.default.removeItem(atPath: output)
        try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: output) }
        // The C targets' module maps, and the headers their pkg-config names put elsewhere.
        var args = [extractor, "-module-name", module, "-target", "x86_64-unknown-linux-gnu", "-I", modules,
                    "-minimum-access-level", access, "-output-dir", output]
        let sources = try FileManager.default.contentsOfDirectory(atPath: root + "/Sources")
        for target in sources.sorted() where target.hasPrefix("C") {
            args += ["-I", "\(root)/Sources/\(target)"]
            let generated = "\(build)/\(target).build/module.modulemap"
            if FileManager.default.fileExists(atPath: generated) { args += ["-Xcc", "-fmodule-map-file=" + generated] }
        }
        let flags = try Rig.run(["pkg-config", "--cflags", "blkid", "libbtrfsutil", "lzo2", "zlib", "libzstd"])
        for flag in flags.stdout.split(whereSeparator: \.isWhitespace) { args += ["-Xcc", String(flag)] }
        let run = try Rig.run(args)
        #expect(run.status == 0, "\(run)")
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(output)/\(module).symbols.json"))
        let graph = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return graph?["symbols"] as? [[String: Any]] ?? []
    }

    static func path(_ symbol: [String: Any]) -> String {
        (symbol["pathComponents"] as? [String] ?? []).joined(separator: ".")
    }

    static func typeFragments(_ symbol: [String: Any]) -> [(spelling: String, usr: String)] {
        (symbol["declarationFragments"] as? [[String: Any]] ?? []).compactMap { f in
            guard f["kind"] as? String == "typeIdentifier", let spelling = f["spelling"] as? String else { return nil }
            return (spelling, f["preciseIdentifier"] as? String ?? "")
        }
    }

    @Test(.needsTool(extractor, what: "swift-symbolgraph-extract"))
    func noCTypeOrToolNameInPublicSignatures() throws {
        let library = try Self.symbols("Btrfs", access: "public")
        // Enough symbols that an empty or broken graph cannot pass.
        #expect(library.count > 1000, "only \(library.count) public symbols read")
        let tool = try Self.symbols("sbtrfs", access: "internal")
        let toolTypes = Set(tool.compactMap { s -> String? in
            let components = s["pathComponents"] as? [String] ?? []
            let kind = (s["kind"] as? [String: Any])?["identifier"] as? String ?? ""
            let isType = ["swift.struct", "swift.class", "swift.enum", "swift.protocol", "swift.typealias"].contains(kind)
            return components.count == 1 && isType ? components[0] : nil
        })
        #expect(toolTypes.contains("JSONWriter") && toolTypes.contains("Invocation"), "tool graph: \(toolTypes.count) types")
        var leaks: [String] = []
        for symbol in library {
            let name = Self.path(symbol)
            for (spelling, usr) in Self.typeFragments(symbol) where usr.hasPrefix("c:") && !Self.libcTypes.contains(spelling) {
                leaks.append("\(name) names C type \(spelling)")
            }
            for component in symbol["pathComponents"] as? [String] ?? []
            where toolTypes.contains(component) || Self.toolOnlyNames.contains(component) {
                leaks.append("\(name) is named as the tool's \(component)")
            }
            for (spelling, _) in Self.typeFragments(symbol) where toolTypes.contains(spelling) {
                leaks.append("\(name) names the tool's type \(spelling)")
            }
        }
        #expect(leaks.isEmpty, "\(leaks.joined(separator: "\n"))")
    }
}
