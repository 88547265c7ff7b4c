import Btrfs

/// One option as the user gave it, in command-line order.
public struct ParsedOption: Hashable, Sendable {
    /// The spec's id (long name, else short letter).
    public var id: String
    public var value: String?
}

/// Why getopt_long returned '?', with what progs' messages need: `token` is argv[optind - 1]
/// at that moment and `optopt` getopt's optopt: the offending letter's byte, the `val` of a long
/// option that lacks or refuses a value, 0 for an unknown or ambiguous long option.
public struct OptionError: Error, Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        case unrecognized, ambiguous, invalidShort, missingValue, unexpectedValue
    }
    public var kind: Kind
    public var token: String
    public var optopt: UInt8
    /// getopt's optopt was not 0: a long option's `val` of 256 (GETOPT_VAL_FIRST) has a zero
    /// low byte, yet progs prints it as a letter (a NUL), not as an unrecognized option.
    public var optoptIsSet: Bool

    public init(kind: Kind, token: String, optopt: UInt8 = 0, optoptIsSet: Bool? = nil) {
        self.kind = kind
        self.token = token
        self.optopt = optopt
        self.optoptIsSet = optoptIsSet ?? (optopt != 0)
    }
}

/// getopt_long(3) as glibc implements it, hand-rolled: short clusters (`-acu`), attached values
/// (`-t5`, `-dusage=50`), long options with `=` or a separate value, unambiguous abbreviations of
/// long options, `--` ending options, and (unless `stopAtFirstOperand`, getopt's `+`)
/// operands mixed with options. It never prints; callers word the error as progs does.
public struct OptionParser {
    public var specs: [OptionSpec]
    public var stopAtFirstOperand: Bool

    public init(_ specs: [OptionSpec], stopAtFirstOperand: Bool = false) {
        self.specs = specs
        self.stopAtFirstOperand = stopAtFirstOperand
    }

    public struct Result: Hashable, Sendable {
        public var options: [ParsedOption] = []
        public var operands: [String] = []
        /// How many arguments the options took (getopt's optind - 1), a `--` included.
        public var consumed: Int = 0
    }

    /// Parses `arguments` (argv without the program or command token). `previous` stands for
    /// argv[0], which getopt names when an invalid letter sits inside the first cluster.
    public func parse(_ arguments: [String], previous: String = "") throws(OptionError) -> Result {
        let (result, error) = scan(arguments, previous: previous)
        if let error { throw error }
        return result
    }

    /// Like `parse`, but hands back what was parsed before an error too (progs acts on global
    /// options one by one, so an earlier bad `--format` wins over a later unknown option).
    public func scan(_ arguments: [String], previous: String = "") -> (Result, OptionError?) {
        var result = Result()
        do throws(OptionError) {
            try scanAll(arguments, previous: previous, into: &result)
            return (result, nil)
        } catch {
            return (result, error)
        }
    }

    private func scanAll(_ arguments: [String], previous: String,
                         into result: inout Result) throws(OptionError) {
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                index += 1
                break
            }
            guard argument.hasPrefix("-"), argument != "-" else {
                if stopAtFirstOperand { break }
                result.operands.append(argument)
                index += 1
                continue
            }
            if argument.hasPrefix("--") {
                index = try parseLong(arguments, at: index, into: &result)
            } else {
                index = try parseCluster(arguments, at: index, previous: previous, into: &result)
            }
            result.consumed = index
        }
        result.consumed = index
        result.operands.append(contentsOf: arguments[index...])
    }

    private func parseLong(_ arguments: [String], at index: Int,
                           into result: inout Result) throws(OptionError) -> Int {
        let argument = arguments[index]
        let body = argument.dropFirst(2)
        let name: Substring
        let attached: Substring?
        if let eq = body.firstIndex(of: "=") {
            name = body[..<eq]
            attached = body[body.index(after: eq)...]
        } else {
            name = body
            attached = nil
        }
        guard let spec = try matchLong(name, token: argument) else {
            throw OptionError(kind: .unrecognized, token: argument)
        }
        var next = index + 1
        var value: String? = nil
        if spec.takesValue {
            if let attached {
                value = String(attached)
            } else if next < arguments.count {
                value = arguments[next]
                next += 1
            } else {
                throw OptionError(kind: .missingValue, token: argument, optopt: spec.getoptByte, optoptIsSet: spec.hasGetoptValue)
            }
        } else if let attached {
            guard spec.valueOptional else {
                throw OptionError(kind: .unexpectedValue, token: argument, optopt: spec.getoptByte, optoptIsSet: spec.hasGetoptValue)
            }
            value = String(attached)
        }
        result.options.append(ParsedOption(id: spec.id, value: value))
        return next
    }

    /// An exact name wins; else a unique prefix, or several prefixes that mean the same option
    /// (glibc does not call those ambiguous).
    private func matchLong(_ name: Substring, token: String) throws(OptionError) -> OptionSpec? {
        if let exact = specs.first(where: { $0.long.map { $0[...] == name } ?? false }) { return exact }
        if name.isEmpty { return nil }
        var found: OptionSpec? = nil
        for spec in specs {
            guard let long = spec.long, long.hasPrefix(name) else { continue }
            if let first = found {
                let sameOption = first.id == spec.id
                    || (first.short != nil && first.short == spec.short && first.takesValue == spec.takesValue)
                if !sameOption {
                    throw OptionError(kind: .ambiguous, token: token)
                }
            } else {
                found = spec
            }
        }
        return found
    }

    /// A cluster of short options, byte by byte as getopt walks it.
    private func parseCluster(_ arguments: [String], at index: Int, previous: String,
                              into result: inout Result) throws(OptionError) -> Int {
        let argument = arguments[index]
        let bytes = argument.pathBytes
        var at = 1
        while at < bytes.count {
            let letter = bytes[at]
            at += 1
            let isLast = at == bytes.count
            guard let spec = specs.first(where: { $0.short?.asciiValue == letter }) else {
                // glibc advances optind only when the bad letter ends the cluster; before that,
                // argv[optind - 1] is what precedes it once skipped operands are moved up to it.
                let before = result.operands.last ?? (index > 0 ? arguments[index - 1] : previous)
                throw OptionError(kind: .invalidShort, token: isLast ? argument : before, optopt: letter)
            }
            let rest = String(pathBytes: bytes[at...])
            if spec.takesValue {
                if !isLast {
                    result.options.append(ParsedOption(id: spec.id, value: rest))
                    return index + 1
                }
                guard index + 1 < arguments.count else {
                    throw OptionError(kind: .missingValue, token: argument, optopt: letter)
                }
                result.options.append(ParsedOption(id: spec.id, value: arguments[index + 1]))
                return index + 2
            }
            if spec.valueOptional && !isLast {
                result.options.append(ParsedOption(id: spec.id, value: rest))
                return index + 1
            }
            result.options.append(ParsedOption(id: spec.id, value: nil))
        }
        return index + 1
    }
}
