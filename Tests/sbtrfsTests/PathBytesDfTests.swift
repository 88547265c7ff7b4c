import Btrfs
import Foundation
import Testing
import TestRig

/// Runs `program` with arguments that are any bytes but NUL. Foundation's Process takes Strings
/// only (and would send their UTF-8), so a shell builds the arguments with printf from octal
/// escapes (a trailing `x`, removed after, keeps trailing newlines from `$(...)`).
func runWithByteArguments(_ program: String, _ args: [[UInt8]], asUser: String? = nil) throws -> ProcessResult {
    var script = ""
    var list = ""
    for (i, arg) in args.enumerated() {
        precondition(!arg.contains(0), "argv cannot hold NUL")
        let octal = arg.map { String(format: "\\%03o", $0) }.joined()
        script += "a\(i)=$(printf '\(octal)x'); a\(i)=${a\(i)%x}; "
        list += " \"$a\(i)\""
    }
    script += "exec \"$0\"" + list
    return try Rig.run(["/bin/sh", "-c", script, program], asUser: asUser)
}

/// Bytes that print readably in a failed expectation (`\xff` for what is not printable ASCII).
struct ShownBytes: Equatable, CustomStringConvertible {
    var bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    var description: String {
        bytes.map { (0x20...0x7E).contains($0) || $0 == 0x0A ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16) }
            .joined()
    }
}

/// `sbtrfs args` and `btrfs args` with byte arguments: same status, and stdout and stderr the same
/// bytes once progs' program name reads sbtrfs (oracle before and after ours, up to 3 tries, as
/// `expectSameAsProgs`). `firstLine`: only the first line of stderr (where progs lists command
/// groups sbtrfs does not have yet).
func expectSameBytesAsProgs(_ args: [[UInt8]], firstLine: Bool = false,
                            sourceLocation: SourceLocation = #_sourceLocation) throws {
    func normalised(_ bytes: [UInt8]) -> [UInt8] {
        let text = asSbtrfs(String(pathBytes: bytes)).pathBytes
        return firstLine ? Array(text.prefix { $0 != 0x0A }) : text
    }
    func cut(_ bytes: [UInt8]) -> [UInt8] { firstLine ? Array(bytes.prefix { $0 != 0x0A }) : bytes }
    var last: (ProcessResult, ProcessResult)?
    for _ in 0..<3 {
        let before = try runWithByteArguments("btrfs", args)
        let ours = try runWithByteArguments(Rig.sbtrfsPath, args)
        let after = try runWithByteArguments("btrfs", args)
        for theirs in [before, after] where ours.status == theirs.status
            && (firstLine || ours.stdoutBytes == normalised(theirs.stdoutBytes))
            && cut(ours.stderrBytes) == normalised(theirs.stderrBytes) {
            return
        }
        last = (ours, before)
    }
    guard let (ours, theirs) = last else { return }
    let what = "sbtrfs \(args.map { ShownBytes($0).description }.joined(separator: " "))"
    #expect(ours.status == theirs.status, "\(what): status", sourceLocation: sourceLocation)
    if !firstLine {
        #expect(ShownBytes(ours.stdoutBytes) == ShownBytes(normalised(theirs.stdoutBytes)), "\(what): stdout",
                sourceLocation: sourceLocation)
    }
    #expect(ShownBytes(cut(ours.stderrBytes)) == ShownBytes(normalised(theirs.stderrBytes)), "\(what): stderr",
            sourceLocation: sourceLocation)
}

/// Paths that are not UTF-8 reach the kernel as the user's bytes and come back in messages as
/// those bytes, next to btrfs-progs on a real filesystem.
@Suite(.needsRig) struct PathBytesDfTests {
    /// Directory names: Latin-1, bytes never valid in UTF-8, the escapes' own UTF-8
    /// (U+10FFFF), an overlong '/', a truncated sequence, and valid UTF-8 for contrast.
    static let names: [[UInt8]] = [
        Array("caf".utf8) + [0xE9], [0xFF, 0xFE], [0xF4, 0x8F, 0xBF, 0xBF], [0xC0, 0xAF],
        Array("x".utf8) + [0xE2, 0x82], Array("café-€".utf8), [0x80, 0x0A, 0xBF],
    ]

    static func octal(_ bytes: [UInt8]) -> String { bytes.map { String(format: "\\%03o", $0) }.joined() }

    @Test func dfOnDirectoriesWithByteNames() throws {
        try Rig.withFilesystem(FSSpec(deviceSize: 512 << 20)) { fs in
            let m = Array(fs.mountPoint.utf8)
            for name in Self.names {
                try Rig.sh("d=$(printf '\(fs.mountPoint)/\(Self.octal(name))x'); d=${d%x}; mkdir \"$d\" && echo hi > \"$d/f\"")
            }
            try Rig.sh("sync")
            for name in Self.names {
                let path = m + [0x2F] + name
                // the path is reached: df succeeds with rows (not just "the same error as progs")
                let ours = try runWithByteArguments(Rig.sbtrfsPath, [Array("filesystem".utf8), Array("df".utf8), path])
                #expect(ours.status == 0 && ours.stdout.contains("Data, single: total="), "\(ours)")
                try expectSameBytesAsProgs([Array("filesystem".utf8), Array("df".utf8), path])
                try expectSameBytesAsProgs([Array("fi".utf8), Array("df".utf8), Array("-h".utf8), path])
                try expectSameBytesAsProgs([Array("--format=json".utf8), Array("fi".utf8), Array("df".utf8), path])
                // a file below it: progs' "not a directory" message names the path
                try expectSameBytesAsProgs([Array("fi".utf8), Array("df".utf8), path + Array("/f".utf8)])
                // missing below it
                try expectSameBytesAsProgs([Array("fi".utf8), Array("df".utf8), path + [0x2F] + name])
            }
        }
    }

    /// Errors that echo an argument, byte for byte as progs: a missing path, a directory on
    /// another filesystem, unknown tokens, global options and values.
    @Test func errorsEchoTheBytes() throws {
        let scratch = FileManager.default.temporaryDirectory.path + "/sbtrfs-bytes-\(getpid())-"
        let notBtrfs = Array(scratch.utf8) + [0xFF, 0x41, 0xE9]
        try Rig.sh("d=$(printf '\(Self.octal(notBtrfs))x'); d=${d%x}; mkdir \"$d\"")
        defer { _ = try? Rig.sh("d=$(printf '\(Self.octal(notBtrfs))x'); d=${d%x}; rmdir \"$d\"") }
        let df: [[UInt8]] = [Array("filesystem".utf8), Array("df".utf8)]
        let ascii = { (text: String) in Array(text.utf8) }
        let cases: [[[UInt8]]] = [
            df + [ascii("/nonexistent/") + [0xFF, 0xFE]],
            df + [ascii("/nonexistent/caf") + [0xE9]],
            df + [ascii("/nonexistent/") + [0xF4, 0x8F, 0xBF, 0xBF, 0xC3]],
            df + [notBtrfs],
            df + [[0xFF]],
            [ascii("-") + [0xFF], ascii("fi"), ascii("df"), ascii("/")],
            [ascii("--") + [0xFF, 0xFE], ascii("fi"), ascii("df"), ascii("/")],
            [ascii("--format=") + [0xFF], ascii("fi"), ascii("df"), ascii("/")],
            [ascii("--log"), [0xE9], ascii("fi"), ascii("df"), ascii("/")],
        ]
        for args in cases { try expectSameBytesAsProgs(args) }
        // unknown tokens: progs then lists groups sbtrfs has not got yet; the echo is the first line
        let tokens: [[[UInt8]]] = [
            [ascii("fi") + [0xFF], ascii("df"), ascii("/")],
            [ascii("fi"), [0xE9]],
            [[0xC3], ascii("df")],
            [[0xF4, 0x8F, 0xBF, 0xBF]],
        ]
        for args in tokens { try expectSameBytesAsProgs(args, firstLine: true) }
    }
}
