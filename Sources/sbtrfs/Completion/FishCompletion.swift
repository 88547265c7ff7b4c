/// `sbtrfs completion fish`: `complete` entries guarded by one state function that resolves the
/// words before the cursor as the dispatcher does (exact, else the one prefix). fish itself
/// completes option values from each option's `-x -a`; operands are matched by position.
/// Every variable is `set -l`.
enum FishCompletion {
    static func script(_ model: CompletionModel) -> String {
        var s = ShellText()
        s.line("# fish completion for sbtrfs(8). Generated from its command tree by")
        s.line("# `sbtrfs completion fish`; do not edit: run `make completions`.")
        s.line()
        tables(model, &s)
        s.text(runtime)
        s.line("complete -c sbtrfs -e")
        s.line("complete -c sbtrfs -f")
        for option in model.globals {
            s.line("complete -c sbtrfs -n '__sbtrfs_is group \"\"'" + optionFlags(option))
        }
        for group in model.groups {
            let condition = fishQuote("__sbtrfs_is group " + posixQuoted(group.path))
            for child in group.shown {
                s.line("complete -c sbtrfs -n \(condition) -a \(fishQuote(child.name)) -d \(fishQuote(child.summary))")
            }
        }
        for command in model.commands {
            let condition = fishQuote("__sbtrfs_is options " + posixQuoted(command.path))
            for option in command.options where !option.hidden {
                s.line("complete -c sbtrfs -n \(condition)" + optionFlags(option))
            }
            for (index, action) in command.operands.enumerated() where action != .none {
                let repeats = command.repeating && index == command.operands.count - 1
                let test = "__sbtrfs_is operand " + posixQuoted(command.path) + " \(index)" + (repeats ? "+" : "")
                s.line("complete -c sbtrfs -n \(fishQuote(test))" + argumentFlags(action))
            }
        }
        return s.result
    }

    /// `__sbtrfs_group PATH` prints the children names (hidden too); `__sbtrfs_valued PATH`
    /// prints the options that take a separate value, and a line `optional` then those taking
    /// only an attached one.
    static func tables(_ model: CompletionModel, _ s: inout ShellText) {
        s.line("function __sbtrfs_group")
        s.line("    switch $argv[1]")
        for group in model.groups {
            s.line("        case \(fishQuote(group.path))")
            s.line("            printf '%s\\n' \(group.names.map(fishQuote).joined(separator: " "))")
        }
        s.line("        case '*'")
        s.line("            return 1")
        s.line("    end")
        s.line("end")
        s.line()
        s.line("function __sbtrfs_valued")
        s.line("    switch $argv[1]")
        // '' is the global options, read before the first token.
        for (path, options) in [("", model.globals)] + model.commands.map({ ($0.path, $0.options) }) {
            let valued = ShellText.spellings(options, .required)
            let optional = ShellText.spellings(options, .optional)
            s.line("        case \(fishQuote(path))")
            s.line("            printf '%s\\n' \((valued + ["optional"] + optional).map(fishQuote).joined(separator: " "))")
        }
        s.line("        case '*'")
        s.line("            echo optional")
        s.line("    end")
        s.line("end")
        s.line()
        s.line("function __sbtrfs_permutes")
        let permuting = model.commands.filter(\.permutes).map { fishQuote($0.path) }
        if !permuting.isEmpty {
            s.line("    contains -- $argv[1] \(permuting.joined(separator: " ")); and echo 1; and return")
        }
        s.line("    echo 0")
        s.line("end")
        s.line()
    }

    static func optionFlags(_ option: CompletionModel.OptionEntry) -> String {
        var flags = ""
        if let short = option.short { flags += " -s \(fishQuote(String(short)))" }
        if let long = option.long { flags += " -l \(fishQuote(long))" }
        if option.value != .none { flags += argumentFlags(option.action) }
        return flags + " -d \(fishQuote(option.help))"
    }

    /// `-x` (exclusive: the value, no files) with what to offer, or `-r -F` for files.
    static func argumentFlags(_ action: ValueAction) -> String {
        switch action {
        case .none: return " -x"
        case .words(let words): return " -x -a \(fishQuote(words.joined(separator: " ")))"
        case .sortKeys(let keys): return " -x -a \(fishQuote("(__sbtrfs_list " + keys.joined(separator: " ") + ")"))"
        case .filters:
            return " -x -a \(fishQuote("(__sbtrfs_filters '" + ValueWords.balanceFilters.joined(separator: " ") + "' '" + ValueWords.profiles.joined(separator: " ") + "')"))"
        case .file: return " -r -F"
        case .btrfsPath, .mountPoint, .directory, .device, .uuid, .label, .either:
            return " -x -a '(\(lookup(action)))'"
        }
    }

    /// The commands that print the candidates of a looked-up action.
    static func lookup(_ action: ValueAction) -> String {
        switch action {
        case .btrfsPath: return "__sbtrfs_mounts; __fish_complete_directories (commandline -ct)"
        case .mountPoint: return "__sbtrfs_mounts"
        case .directory: return "__fish_complete_directories (commandline -ct)"
        case .device: return "__sbtrfs_devices"
        case .uuid: return "__sbtrfs_sysfs uuid"
        case .label: return "__sbtrfs_sysfs label"
        case .either(let parts): return parts.map(lookup).joined(separator: "; ")
        default: return "true"
        }
    }

    static func fishQuote(_ text: String) -> String { ShellText.fishQuote(text) }

    /// A path inside a fish single-quoted condition: double quotes (paths have no `"` or `$`).
    static func posixQuoted(_ text: String) -> String { "\"" + text + "\"" }

    static let runtime = #"""
        # Where the cursor is: `group PATH` (a token of group PATH comes next), `options PATH`
        # (a command's option may come next), `operand PATH N` (its operand N comes next).
        function __sbtrfs_state
            set -l words (commandline -opc)
            set -e words[1]
            set -l path ''
            # Global options (those that take a value take the next word unless given with =).
            while set -q words[1]; and string match -q -- '-*' $words[1]
                if contains -- $words[1] (__sbtrfs_valued '')
                    set -e words[1]
                end
                set -e words[1]
            end
            while set -l names (__sbtrfs_group "$path")
                if not set -q words[1]
                    echo group
                    echo $path
                    return
                end
                set -l child
                if contains -- $words[1] $names
                    set child $words[1]
                else
                    set -l matches (string match -- "$words[1]*" $names)
                    test (count $matches) -eq 1; or return 1
                    set child $matches[1]
                end
                set path (string join ' ' -- $path $child | string trim)
                set -e words[1]
            end
            set -l valued
            set -l optional
            set -l list valued
            for spelling in (__sbtrfs_valued "$path")
                if test $spelling = optional
                    set list optional
                else
                    set -a $list $spelling
                end
            end
            set -l permute (__sbtrfs_permutes "$path")
            set -l operand 0
            set -l only 0
            set -l pending 0
            for word in $words
                if test $pending -eq 1
                    set pending 0
                else if test $only -eq 1; or not string match -q -- '-?*' $word
                    set operand (math $operand + 1)
                    test $permute -eq 1; or set only 1
                else if test $word = --
                    set only 1
                else if string match -q -- '--*' $word
                    if not string match -q -- '*=*' $word
                        set -l long (string match -- "$word*" $valued $optional)
                        if contains -- $word $valued; or begin; test (count $long) -eq 1; and contains -- $long $valued; end
                            set pending 1
                        end
                    end
                else
                    for letter in (string split '' -- (string sub -s 2 -- $word))
                        contains -- -$letter $optional; and break
                        if contains -- -$letter $valued
                            string match -q -- "*$letter" $word; and set pending 1
                            break
                        end
                    end
                end
            end
            if test $pending -eq 1
                echo value
            else if test $only -eq 0
                echo options
            else
                echo operands
            end
            echo $path
            echo $operand
        end

        # __sbtrfs_is group PATH | options PATH | operand PATH N[+]
        function __sbtrfs_is
            set -l state (__sbtrfs_state); or return 1
            test "$state[2]" = "$argv[2]"; or return 1
            switch $argv[1]
                case group
                    test $state[1] = group
                case options
                    contains -- $state[1] options value
                case operand
                    contains -- $state[1] options operands; or return 1
                    string match -q -- '-*' (commandline -ct); and test $state[1] = options; and return 1
                    set -l n (string replace '+' '' -- $argv[3])
                    test $state[3] -eq $n; or begin; string match -q -- '*+' $argv[3]; and test $state[3] -ge $n; end
            end
        end

        function __sbtrfs_mounts
            while read -l source target type rest
                test "$type" = btrfs; and printf '%b\n' (string replace -a '\\' '\\0' -- $target)
            end </proc/self/mounts
        end

        function __sbtrfs_devices
            set -l cur (commandline -ct)
            test -n "$cur"; or set cur /dev/
            for entry in $cur*
                test -b $entry; and echo $entry
            end
            for entry in $cur*/
                test -n (commandline -ct); and echo $entry
            end
        end

        function __sbtrfs_sysfs
            for dir in /sys/fs/btrfs/*-*-*-*-*
                if test $argv[1] = uuid
                    basename $dir
                else
                    read -l label <$dir/label 2>/dev/null; and test -n "$label"; and echo $label
                end
            end
        end

        # Comma separated keys, each with an optional + or -.
        function __sbtrfs_list
            set -l cur (commandline -ct | string replace -r -- '^--?[^=]*=' '')
            set -l done (string replace -r -- '[^,]*$' '' $cur)
            for key in $argv
                printf '%s\n' $done$key $done+$key $done-$key
            end
        end

        # Balance filters (first argument) comma separated; convert= takes a profile (second).
        function __sbtrfs_filters
            set -l cur (commandline -ct | string replace -r -- '^-[a-z]' '')
            set -l done (string replace -r -- '[^,]*$' '' $cur)
            if string match -q -r -- '(^|,)convert=[^,]*$' $cur
                for profile in (string split ' ' -- $argv[2])
                    echo {$done}convert=$profile
                end
            else
                for filter in (string split ' ' -- $argv[1])
                    echo $done$filter
                end
            end
        end


        """#
}
