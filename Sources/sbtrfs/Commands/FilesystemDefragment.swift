#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Btrfs

/// `filesystem defragment` (progs' cmd_filesystem_defrag and defrag_callback): DEFRAG_RANGE on each
/// file named, or with -r on each regular file below a directory, walked as progs' nftw walks it
/// (FTW_PHYS | FTW_MOUNT: symlinks not followed, nothing on another st_dev, so neither other
/// subvolumes nor mounts). Errors are per file; the walk goes on, and a count ends the run.
extension FilesystemCommands {
    static let defragment = Command(
        "defragment", synopsis: ["[options] <file>|<dir> [<file>|<dir>...]"],
        summary: "Defragment a file or a directory",
        options: [
            OptionSpec("v", nil, help: "deprecated, alias for global -v option"),
            OptionSpec("r", nil, help: "defragment files recursively"),
            OptionSpec("c", nil, value: .choice(compressionChoices), valueName: "algo", optionalValue: true,
                       help: "compress the file while defragmenting, optional parameter (no space in between)",
                       display: "-c[\(compressionChoices.joined(separator: ","))]"),
            OptionSpec("L", "level", value: .number, valueName: "level",
                       help: "use given compression level if enabled (zlib: 1..9, zstd: -15..15, and 0 selects the default level)",
                       display: "-L|--level level"),
            OptionSpec("f", nil, help: "flush data to disk immediately after defragmenting"),
            OptionSpec("s", nil, value: .size, valueName: "start", help: "defragment only from byte onward",
                       display: "-s start"),
            OptionSpec("l", nil, value: .size, valueName: "len", help: "defragment only up to len bytes",
                       display: "-l len"),
            OptionSpec("t", nil, value: .size, valueName: "size", help: "target extent size hint (default: 32M)",
                       display: "-t size"),
        ],
        operands: [OperandSpec("file|dir", .path, repeating: true)],
        help: [.optionNamed("r"), .optionNamed("c"), .optionNamed("level"), .optionNamed("f"), .optionNamed("s"),
               .optionNamed("l"), .optionNamed("t"), .optionNamed("v"), .globals, .verbose, .text(""),
               .text("Warning: most Linux kernels will break up the ref-links of COW data"),
               .text("(e.g., files copied with 'cp --reflink', snapshots) which may cause"),
               .text("considerable increase of space usage. See btrfs-filesystem(8) for"),
               .text("more information.")],
        permutesOperands: true, run: runDefragment)

    /// progs' default target extent size: better results than the kernel's 256 KiB.
    static let defragDefaultThreshold: UInt64 = 32 << 20
    /// `-c`'s values: the library's algorithm names.
    static let compressionChoices = CompressionType.algorithms.map(CompressionType.name)

    @Sendable static func runDefragment(_ invocation: Invocation) throws -> Int32 {
        let context = invocation.context
        // progs: a global -v shows the names, so it counts one more here (-v -v: LOG_VERBOSE).
        if context.verbosity != Context.verbosityUnset { context.verbosity += 1 }
        var range = DefragRange(extentThreshold: UInt32(truncatingIfNeeded: defragDefaultThreshold))
        var recursive = false
        var compression: UInt8?
        var level: Int8 = 0
        // In command-line order, as getopt hands them to progs: the first bad value ends the run.
        for option in invocation.options {
            switch option.id {
            case "v":
                context.verbosity = context.verbosity == Context.verbosityUnset ? Context.logInfo : context.verbosity + 1
            case "r": recursive = true
            case "f": range.flags.insert(.startIO)
            case "c":
                guard let name = option.value else { compression = CompressionType.zlib; continue }
                guard let type = CompressionType.named(name) else {
                    throw CommandExit.error("unknown compression type: \(name)")
                }
                compression = type
            case "level": level = clampedLevel(option.value ?? "")
            case "s": range.start = try parseSizeFromString(option.value ?? "")
            case "l": range.length = try parseSizeFromString(option.value ?? "")
            case "t":
                let size = try parseSizeFromString(option.value ?? "")
                if size > UInt64(UInt32.max) {
                    context.warning("target extent size \(size) too big, trimmed to \(UInt32.max)")
                }
                range.extentThreshold = UInt32(clamping: size)
            default: break
            }
        }
        // As progs: a level only goes with a compression, and 0 is the kernel's default level.
        range.compression = compression
        range.level = compression != nil && level != 0 ? level : nil

        let paths = invocation.operands
        if !recursive { warnAboutDirectories(paths, context: context) }
        var walk = DefragWalk(range: range, context: context)
        operands: for path in paths {
            switch walk.defragOperand(path, recursive: recursive) {
            case .goOn: continue
            case .stop: break operands
            case .exit:
                if let shortage = walk.shortage { context.error(shortage) }
                return 1
            }
        }
        if walk.failures > 0 && context.shouldPrint(Context.logDefault) {
            context.err.line("total \(walk.failures) failures")
        }
        return walk.failures > 0 ? 1 : 0
    }

    /// progs' `atoi(optarg)` clipped to the s8 of the API: leading blanks, a sign, digits, the rest ignored.
    static func clampedLevel(_ text: String) -> Int8 {
        var bytes = text.pathBytes[...]
        while let first = bytes.first, first == 0x20 || (0x09...0x0D).contains(first) { bytes = bytes.dropFirst() }
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var value = 0
        for byte in bytes {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { break }
            value = min(value * 10 + Int(byte - UInt8(ascii: "0")), 1000)
        }
        return Int8(clamping: negative ? -value : value)
    }

    /// progs warns once per directory named without -r, then explains (stat errors stay silent).
    static func warnAboutDirectories(_ paths: [String], context: Context) {
        var found = false
        for path in paths {
            guard case .success(let st) = SystemCall.stat(path) else { continue }
            if st.st_mode & S_IFMT == S_IFDIR {
                context.warning("directory specified but recursive mode not requested: \(path)")
                found = true
            }
        }
        if found {
            context.warning("a directory passed to the defrag ioctl will not process the files\n"
                            + "recursively but will defragment the subvolume tree and the extent tree.\n"
                            + "If this is not intended, please use option -r .")
        }
    }
}

/// One run's state: the arguments for every file, the failures so far.
struct DefragWalk {
    let range: DefragRange
    let context: Context
    var failures: Int32 = 0
    /// Set when a descriptor could not be had (EMFILE/ENFILE): that says nothing about the file,
    /// so the run ends there with this one line, as every command does (Docs/DIFFERENCES.md).
    var shortage: String?

    enum Next { case goOn, stop, exit }

    static let notSupported = "defrag range ioctl not supported in this kernel version, 2.6.33 and newer is required"

    /// One operand, as progs' loop body: open it as open_file_or_dir3 does, then walk or defrag it.
    mutating func defragOperand(_ path: String, recursive: Bool) -> Next {
        let opened = SystemCall.stat(path).flatMap { st -> Result<CInt, SystemError> in
            switch st.st_mode & S_IFMT {
            case S_IFDIR: return SystemCall.open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            case S_IFREG, S_IFLNK: return SystemCall.open(path, O_RDONLY | O_CLOEXEC)
            default: return .failure(SystemError(EINVAL))
            }
        }
        let fd: CInt
        switch opened {
        case .success(let descriptor): fd = descriptor
        case .failure(let e):
            if isDescriptorShortage(e.rawValue) { return outOfDescriptors(path, e.rawValue) ? .goOn : .exit }
            context.error("cannot open \(path): \(errorText(e))")
            failures += 1
            return .goOn
        }
        defer { close(fd) }
        let st: stat
        switch SystemCall.fstat(fd) {
        case .success(let answer): st = answer
        case .failure(let e):
            context.error("failed to stat \(path): \(errorText(e))")
            failures += 1
            return .goOn
        }
        let type = st.st_mode & S_IFMT
        guard type == S_IFDIR || type == S_IFREG else {
            context.error("\(path) is not a directory or a regular file")
            failures += 1
            return .goOn
        }
        if recursive && type == S_IFDIR {
            return walkTree(path) ? .goOn : .exit
        }
        context.verbose(Context.logInfo, path + "\n")
        if case .failure(let e) = range.apply(fd: fd) {
            if e.rawValue == ENOTTY {
                context.error(Self.notSupported)
                failures += 1
                return .stop
            }
            context.error("defrag failed on \(path): \(errorText(e))")
            failures += 1
        }
        return .goOn
    }

    /// nftw(path, FTW_MOUNT | FTW_PHYS) with only regular files acted on. False after ENOTTY
    /// (progs then exits 1 at once, without the count of failures).
    mutating func walkTree(_ path: String) -> Bool {
        guard case .success(let st) = SystemCall.lstat(path) else { return true }
        switch st.st_mode & S_IFMT {
        case S_IFREG: return defragFile(at: AT_FDCWD, name: path, path: path)
        case S_IFDIR: break
        default: return true
        }
        // nftw names children after the path without its trailing slashes ("/" stays "/").
        var base = path
        while base.count > 1 && base.hasSuffix("/") { base.removeLast() }
        let fd: CInt
        switch SystemCall.open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) {
        case .success(let opened): fd = opened
        case .failure(let e): return unreadableDirectory(base, e.rawValue)
        }
        defer { close(fd) }
        return walkDirectory(fd, path: base, device: st.st_dev)
    }

    /// The entries of one open directory in readdir order, each handled before the next, depth first.
    mutating func walkDirectory(_ fd: CInt, path: String, device: dev_t) -> Bool {
        let prefix = path.hasSuffix("/") ? path : path + "/"
        let names: [String]
        switch Self.entryNames(fd) {
        case .success(let read): names = read
        case .failure(let e): return unreadableDirectory(path, e.rawValue)
        }
        for name in names {
            let child = prefix + name
            var st = stat()
            // FTW_NS (no stat) is skipped by progs' callback, as is anything on another device.
            guard case .success = name.withPathCString({ p in SystemCall.value { fstatat(fd, p, &st, AT_SYMLINK_NOFOLLOW) } }),
                  st.st_dev == device else { continue }
            switch st.st_mode & S_IFMT {
            case S_IFREG:
                if !defragFile(at: fd, name: name, path: child) { return false }
            case S_IFDIR:
                let sub: CInt
                switch SystemCall.openAt(fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) {
                case .success(let opened): sub = opened
                case .failure(let e):
                    if unreadableDirectory(child, e.rawValue) { continue }
                    return false
                }
                let goOn = walkDirectory(sub, path: child, device: device)
                close(sub)
                if !goOn { return false }
            default:
                continue
            }
        }
        return true
    }

    /// progs' defrag_callback for a regular file: name it at -v, open it, defrag it.
    mutating func defragFile(at directory: CInt, name: String, path: String) -> Bool {
        context.verbose(Context.logInfo, path + "\n")
        let fd: CInt
        switch SystemCall.openAt(directory, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC) {
        case .success(let opened): fd = opened
        case .failure(let e):
            let code = e.rawValue
            if isDescriptorShortage(code) { return outOfDescriptors(path, code) }
            context.error("defrag failed on \(path): \(errnoText(code))")
            failures += 1
            return true
        }
        let result = range.apply(fd: fd)
        close(fd)
        if case .failure(let e) = result {
            if e.rawValue == ENOTTY {
                context.error(Self.notSupported)
                failures += 1
                return false
            }
            context.error("defrag failed on \(path): \(errorText(e))")
            failures += 1
        }
        return true
    }

    /// progs' nftw skips a directory it cannot read (FTW_DNR) in silence; sbtrfs says so and
    /// counts it, as its files were not defragmented (DIFFERENCES.md).
    mutating func unreadableDirectory(_ path: String, _ code: Int32) -> Bool {
        if isDescriptorShortage(code) { return outOfDescriptors(path, code) }
        context.error("cannot open \(path): \(errnoText(code))")
        failures += 1
        return true
    }

    /// Ends the run (false): see `shortage`.
    mutating func outOfDescriptors(_ path: String, _ code: Int32) -> Bool {
        shortage = "cannot open \(path): \(errnoText(code))"
        return false
    }

    /// The names in a directory but `.` and `..`, in readdir order, or why it cannot be read.
    static func entryNames(_ fd: CInt) -> Result<[String], SystemError> {
        let copy: CInt
        switch SystemCall.value({ dup(fd) }) {
        case .success(let duplicate): copy = duplicate
        case .failure(let e): return .failure(e)
        }
        let dir: OpaquePointer
        switch SystemCall.pointer({ fdopendir(copy) }) {
        case .success(let opened): dir = opened
        case .failure(let e):
            close(copy)
            return .failure(e)
        }
        defer { closedir(dir) }
        var names: [String] = []
        while true {
            let entry: UnsafeMutablePointer<dirent>
            switch SystemCall.clearingErrno({ readdir(dir) }) {
            case .failure(let e): return .failure(e)
            case .success(nil): return .success(names)
            case .success(let found?): entry = found
            }
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in String(pathBytes: raw.prefix { $0 != 0 }) }
            if name != "." && name != ".." { names.append(name) }
        }
    }
}
