/// `sbtrfs completion`: shell completion scripts and man page sources, all generated from the
/// command tree the dispatcher runs (sbtrfs-only; progs has no such group).
enum CompletionCommands {
    static let group = Group(
        "completion", summary: "print shell completion scripts and manual page sources",
        entries: [.command("bash", bash), .command("zsh", zsh), .command("fish", fish), .command("man", man)])

    static let bash = script("bash", "Needs bash-completion. Load it with: source <(sbtrfs completion bash)",
                             BashCompletion.script)
    static let zsh = script("zsh", "Install it as _sbtrfs in a directory of $fpath.", ZshCompletion.script)
    static let fish = script("fish", "Load it with: sbtrfs completion fish | source", FishCompletion.script)

    /// `sbtrfs completion <shell>`: the script generated from the tree being run.
    static func script(_ shell: String, _ hint: String,
                       _ generate: @escaping @Sendable (CompletionModel) -> String) -> Command {
        Command(shell, synopsis: [""], summary: "Print the \(shell) completion script", description: [hint]) { invocation in
            invocation.out.write(generate(CompletionModel(root: invocation.context.root)))
            return 0
        }
    }

    /// For the build: the page names, or one page's scdoc source with a `@PROSE@` line where
    /// the hand-written part from Docs/man goes.
    static let man = Command(
        "man", synopsis: ["[<page>]"], summary: "Print the scdoc source of a manual page",
        operands: [OperandSpec("page", .string, optional: true)], hidden: true
    ) { invocation in
        let pages = ManPage.pages(invocation.context.root)
        guard let name = invocation.operands.first else {
            for page in pages { invocation.out.line(page.name) }
            return 0
        }
        guard let page = pages.first(where: { $0.name == name }) else {
            throw CommandExit.error("no manual page '\(name)'")
        }
        invocation.out.write(page.source)
        return 0
    }
}
