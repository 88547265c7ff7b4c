/// `sbtrfs completion zsh`: an autoloadable `_sbtrfs`. Tokens resolve as the dispatcher does
/// (exact, else the one prefix); a command's words then go to `_arguments` with one spec per
/// option, so clusters, attached values and `--` behave as zsh users expect. Everything is local
/// to the function; helpers are functions, not variables.
enum ZshCompletion {
    static func script(_ model: CompletionModel) -> String {
        var s = ShellText()
        s.line("#compdef sbtrfs")
        s.line("# zsh completion for sbtrfs(8). Generated from its command tree by")
        s.line("# `sbtrfs completion zsh`; do not edit: run `make completions`.")
        s.line()
        groupTable(model, &s)
        commandTable(model, &s)
        s.text(runtime)
        s.text(main(model))
        return s.result
    }

    /// `_sbtrfs_group PATH`: sets `names` (all children) and `shown` (`name:summary` entries).
    static func groupTable(_ model: CompletionModel, _ s: inout ShellText) {
        s.line("_sbtrfs_group() {")
        s.line("  case $1 in")
        for group in model.groups {
            s.line("  \(ShellText.quote(group.path)))")
            s.line("    names=(\(group.names.map(ShellText.quote).joined(separator: " ")))")
            let shown = group.shown.map { ShellText.quote(describeEscape($0.name) + ":" + $0.summary) }
            s.line("    shown=(\(shown.joined(separator: " "))) ;;")
        }
        s.line("  *) return 1 ;;")
        s.line("  esac")
        s.line("}")
        s.line()
    }

    /// `_sbtrfs_command PATH`: runs `_arguments` with the command's specs on the shifted words.
    static func commandTable(_ model: CompletionModel, _ s: inout ShellText) {
        s.line("_sbtrfs_command() {")
        s.line("  case $1 in")
        for command in model.commands {
            var specs = command.options.flatMap(optionSpecs)
            for (index, action) in command.operands.enumerated() {
                let name = command.operandNames.indices.contains(index) ? command.operandNames[index] : "arg"
                let repeats = command.repeating && index == command.operands.count - 1
                specs.append((repeats ? "*" : "\(index + 1)") + ":" + specEscape(name) + ":" + zshAction(action))
            }
            // A non-permuting command takes no option after its first operand (progs' getopt '+').
            let flags = command.permutes ? "-s -S" : "-s -S -A '-*'"
            s.line("  \(ShellText.quote(command.path)))")
            if specs.isEmpty {
                s.line("    _message 'no arguments' ;;")
            } else {
                s.line("    _arguments \(flags) : \\")
                for (i, spec) in specs.enumerated() {
                    s.line("      \(ShellText.quote(spec))" + (i == specs.count - 1 ? " ;;" : " \\"))
                }
            }
        }
        s.line("  *) return 1 ;;")
        s.line("  esac")
        s.line("}")
        s.line()
    }

    /// One `_arguments` spec per spelling: `-t+[help]:value:action`, `--tree=[help]:value:action`.
    static func optionSpecs(_ option: CompletionModel.OptionEntry) -> [String] {
        let exclusive = ShellText.spellings(option)
        let group = exclusive.count > 1 && option.value != .optional && !option.hidden
            ? "(\(exclusive.joined(separator: " ")))" : ""
        let help = "[" + specEscape(option.help) + "]"
        var specs: [String] = []
        if let short = option.short {
            switch option.value {
            case .none: specs.append("*-\(short)\(help)")
            case .required: specs.append("\(group)-\(short)+\(help):value:\(zshAction(option.action))")
            case .optional: specs.append("-\(short)-\(help)::value:\(zshAction(option.action))")
            }
        }
        if let long = option.long {
            switch option.value {
            case .none: specs.append("\(group)--\(long)\(help)")
            case .required: specs.append("\(group)--\(long)=\(help):value:\(zshAction(option.action))")
            case .optional: specs.append("--\(long)=-\(help)::value:\(zshAction(option.action))")
            }
        }
        // `!`: recognised on the line, never offered.
        return option.hidden ? specs.map { "!" + ($0.hasPrefix("*") ? String($0.dropFirst()) : $0) } : specs
    }

    /// The action part of a spec.
    static func zshAction(_ action: ValueAction) -> String {
        switch action {
        case .none: return " "
        case .words(let words): return "(" + words.map(specEscape).joined(separator: " ") + ")"
        case .sortKeys(let keys): return "_sbtrfs_list '" + keys.joined(separator: " ") + "'"
        case .filters:
            return "_sbtrfs_filters '\(ValueWords.balanceFilters.joined(separator: " "))' '\(ValueWords.profiles.joined(separator: " "))'"
        case .btrfsPath: return "_sbtrfs_paths"
        case .mountPoint: return "_sbtrfs_mounts"
        case .directory: return "_directories"
        case .file: return "_files"
        case .device: return "_sbtrfs_devices"
        case .uuid: return "_sbtrfs_sysfs uuid"
        case .label: return "_sbtrfs_sysfs label"
        case .either(let parts): return "_sbtrfs_either '" + parts.map(\.name).joined(separator: " ") + "'"
        }
    }

    /// `_arguments` text: `[`, `]`, `:` and `\` are special in help and messages.
    static func specEscape(_ text: String) -> String {
        var out = ""
        for ch in text {
            if "[]:\\()".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// `_describe` entries split at the first unescaped `:`.
    static func describeEscape(_ text: String) -> String { text.replacing(":", with: "\\:") }

    static let runtime = #"""
        # Sets `child` to the child of the current group WORD names: exact, else the one prefix.
        _sbtrfs_resolve() {
          local name match= count=0
          child=
          for name in $names; do
            [[ $name == $1 ]] && { child=$name; return 0 }
            [[ $name == $1* ]] && { match=$name; (( count++ )) }
          done
          (( count == 1 )) && child=$match
          [[ -n $child ]]
        }

        # Mount points of mounted btrfs filesystems.
        _sbtrfs_mount_list() {
          local source target type rest
          while read -r source target type rest; do
            [[ $type == btrfs ]] && print -r -- "${(g::)target}"
          done </proc/self/mounts
        }

        _sbtrfs_mounts() {
          local -a mounts
          mounts=("${(@f)$(_sbtrfs_mount_list)}")
          _wanted mounts expl 'mounted btrfs' compadd -a mounts
        }

        _sbtrfs_paths() {
          _alternative 'mounts:mounted btrfs:_sbtrfs_mounts' 'directories:directory:_directories'
        }

        # Several kinds at once (the last argument names them: path device uuid label mount).
        _sbtrfs_either() {
          local kind
          local -a alternatives
          for kind in ${=@[-1]}; do
            case $kind in
              path) alternatives+=('mounts:mounted btrfs:_sbtrfs_mounts' 'directories:directory:_directories') ;;
              mount) alternatives+=('mounts:mounted btrfs:_sbtrfs_mounts') ;;
              device) alternatives+=('devices:block device:_sbtrfs_devices') ;;
              uuid) alternatives+=('uuids:btrfs uuid:_sbtrfs_sysfs uuid') ;;
              label) alternatives+=('labels:btrfs label:_sbtrfs_sysfs label') ;;
            esac
          done
          _alternative $alternatives
        }

        # Block devices anywhere under /dev (symlinks to them too: /dev/disk/by-id/…).
        _sbtrfs_devices() {
          local -a devices
          devices=(/dev/**/*(N-%b))
          _wanted devices expl 'block device' compadd -a devices
        }

        _sbtrfs_sysfs() {
          local dir word
          local -a words
          for dir in /sys/fs/btrfs/*-*-*-*-*(N/); do
            if [[ $@[-1] == uuid ]]; then
              words+=(${dir:t})
            else
              word=$(<$dir/label) 2>/dev/null
              [[ -n $word ]] && words+=($word)
            fi
          done
          _wanted $@[-1] expl "btrfs $@[-1]" compadd -a words
        }

        # Functions named in _arguments actions get compadd options first: their own
        # arguments are the last ones.

        # A comma separated list of the keys in the last argument, each with an optional + or -.
        _sbtrfs_list() {
          compset -P '*,'
          compset -P '[+-]'
          local -a keys
          keys=(${=@[-1]})
          _wanted keys expl 'sort key' compadd -S '' -a keys
        }

        # Balance filters (first word list), comma separated; convert= takes a profile (second).
        _sbtrfs_filters() {
          compset -P '*,'
          if compset -P 'convert='; then
            _wanted profiles expl 'profile' compadd -- ${=@[-1]}
          else
            _wanted filters expl 'filter' compadd -S '' -- ${=@[-2]}
          fi
        }


        """#

    static func main(_ model: CompletionModel) -> String {
        let globals = model.globals.flatMap(optionSpecs).map(ShellText.quote).joined(separator: " \\\n      ")
        let valued = "(" + ShellText.spellings(model.globals, .required).joined(separator: "|") + ")"
        return #"""
            _sbtrfs() {
              local cmdpath= child curcontext=$curcontext state line ret=1
              local -a names shown
              integer i=2
              # Global options, then one token per level.
              while (( i < CURRENT )) && [[ $words[i] == -* ]]; do
                [[ $words[i] == \#(valued) ]] && (( i++ ))
                (( i++ ))
              done
              if (( i >= CURRENT )) && [[ $PREFIX == -* || $words[CURRENT-1] == \#(valued) ]]; then
                _arguments -s : \
                  \#(globals)
                return
              fi
              while _sbtrfs_group "$cmdpath"; do
                if (( i == CURRENT )); then
                  _describe -t commands 'sbtrfs command' shown
                  return
                fi
                _sbtrfs_resolve $words[i] || return 1
                cmdpath=${cmdpath:+$cmdpath }$child
                (( i++ ))
              done
              # The command's own words: $words[1] becomes the command path for _arguments.
              shift $(( i - 2 )) words
              (( CURRENT -= i - 2 ))
              words[1]="sbtrfs $cmdpath"
              curcontext="${curcontext%:*:*}:sbtrfs-${cmdpath// /-}:"
              _sbtrfs_command "$cmdpath"
            }

            if [[ $zsh_eval_context[-1] == loadautofunc ]]; then
              _sbtrfs "$@"
            else
              compdef _sbtrfs sbtrfs
            fi

            """#
    }
}
