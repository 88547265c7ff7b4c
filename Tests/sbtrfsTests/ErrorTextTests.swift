import Foundation
import Testing
import TestRig
import Btrfs
@testable import sbtrfs

/// errorText's wordings, each the rule the call sites it replaced used (their messages are
/// compared with btrfs-progs by the commands' suites), and scrub's thread-failure messages
/// against the format strings in btrfs-progs 6.2's binary.
@Suite struct ErrorTextTests {
    @Test("each wording takes the errno, or words, progs' call sites take")
    func wordings() {
        let search = UtilErrorCode.searchFailed
        let util = BtrfsError.util(code: search.rawValue, message: search.message, errno: EPERM, path: "/m")
        #expect(errorText(util, .util) == "\(search.message): \(errnoText(EPERM))")
        #expect(errorText(util, .utilOrStrerror) == "\(search.message): \(errnoText(EPERM))")
        #expect(errorText(util) == errnoText(EPERM))
        let system = BtrfsError.system(errno: EACCES, call: "tree search", path: "/m")
        #expect(errorText(system, .util) == system.description)
        #expect(errorText(system, .utilOrStrerror) == errnoText(EACCES))
        let notBtrfs = BtrfsError.notBtrfs(path: "/m")
        #expect(errorText(notBtrfs, .ioctl) == errnoText(ENOTTY))
        #expect(errnoOf(notBtrfs) == ENOTTY)
        #expect(errorText(notBtrfs) == errnoText(EIO))
        #expect(errorText(notBtrfs, .strerror(orElse: EINVAL)) == errnoText(EINVAL))
        #expect(errorText(notBtrfs, .strerrorOrDescription) == notBtrfs.description)
        let noQuota = BtrfsError.system(errno: ENOTCONN, call: "qgroup", path: "/m")
        #expect(errorText(noQuota, .quota) == "quota not enabled")
        #expect(errorText(noQuota) == errnoText(ENOTCONN))
        #expect(errorText(BtrfsError.invalidArgument("x"), .quota) == errnoText(EIO))
        #expect(errorText(SystemError(ENOENT)) == errnoText(ENOENT))
        #expect(errorText(ProgsError("its own words"), .util) == "its own words")
    }

    @Test("scrub's thread failures: progs 6.2's messages with pthread_create's code",
          .needsTool("/usr/bin/btrfs", what: "btrfs-progs"))
    func scrubThreadFailure() throws {
        let binary = try Data(contentsOf: URL(fileURLWithPath: "/usr/bin/btrfs"))
        func hasFormat(_ format: String) -> Bool { binary.range(of: Data(format.utf8)) != nil }
        let device = ScrubRun.ThreadFailure(devid: 7, code: SystemError(EAGAIN))
        #expect(hasFormat(device.message.replacingOccurrences(of: "[7]", with: "[%llu]") + ": %m"))
        let progress = ScrubRun.ThreadFailure(devid: nil, code: SystemError(EAGAIN))
        #expect(hasFormat(progress.message + ": %m"))
    }
}
