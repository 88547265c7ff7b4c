let tree = CommandTree.root()
let status = Dispatcher(root: tree).run(CommandLine.arguments)
exitProcess(status)
