let tree = CommandTree.root()
let status = Dispatcher(root: tree).run(Dispatcher.commandLine())
exitProcess(status)
