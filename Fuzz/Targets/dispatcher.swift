// argv through the command tree: global options, token resolution (prefixes, ambiguity), --help at
// every level, each command's option parser, unit options and operand counts, with the
// dispatcher's parse-only switch on, so no handler runs and nothing is touched. Input: the
// arguments after the program name, separated by NUL bytes (argv's own separator).
@testable import sbtrfs

private let tree = CommandTree.root()

func fuzzOne(_ input: FuzzInput) {
    let arguments = input.rest.split(separator: 0, omittingEmptySubsequences: false)
        .map { String(pathBytes: Array($0)) }
    var dispatcher = Dispatcher(root: tree)
    dispatcher.parseOnly = true
    _ = dispatcher.run(["sbtrfs"] + arguments, context: Context.capturing())
}
