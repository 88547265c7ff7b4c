/// `sbtrfs completion bash`: a bash-completion script with the tree baked in as `case` tables.
/// Tokens resolve as the dispatcher resolves them (exact name, else the one prefix), so `fi <TAB>`
/// completes filesystem's commands. Every variable is `local` to `_sbtrfs`; the table functions
/// assign to those locals through bash's dynamic scoping, so nothing is left in the shell.
enum BashCompletion {
    static func script(_ model: CompletionModel) -> String {
        var s = ShellText()
        s.line("# bash completion for sbtrfs(8). Generated from its command tree by")
        s.line("# `sbtrfs completion bash`; do not edit: run `make completions`.")
        s.line()
        groupTable(model, &s)
        commandTable(model, &s)
        optionActionTable(model, &s)
        s.text(runtime)
        valuesFunction(model, &s)
        s.text(mainFunction(model))
        return s.result
    }

    /// `_sbtrfs_group PATH`: sets `names` (all children) and `shown` (offered); fails for a command.
    static func groupTable(_ model: CompletionModel, _ s: inout ShellText) {
        s.line("_sbtrfs_group() {")
        s.line("    case $1 in")
        for group in model.groups {
            s.line("    \(ShellText.quote(group.path)))")
            s.line("        names=\(ShellText.quote(group.names.joined(separator: " ")))")
            s.line("        shown=\(ShellText.quote(group.shown.map(\.name).joined(separator: " "))) ;;")
        }
        s.line("    *) return 1 ;;")
        s.line("    esac")
        s.line("}")
        s.line()
    }

    /// `_sbtrfs_command PATH`: the command's options (`flags` take no value, `valued` take one,
    /// `optional` only attached; `offer` those not hidden), operand actions, whether the last
    /// repeats and options permute.
    static func commandTable(_ model: CompletionModel, _ s: inout ShellText) {
        s.line("_sbtrfs_command() {")
        s.line("    case $1 in")
        for command in model.commands {
            func spellings(_ mode: CompletionModel.ValueMode) -> String {
                ShellText.spellings(command.options, mode).joined(separator: " ")
            }
            s.line("    \(ShellText.quote(command.path)))")
            let offer = command.options.filter { !$0.hidden }.flatMap(ShellText.spellings).joined(separator: " ")
            s.line("        flags=\(ShellText.quote(spellings(.none))) valued=\(ShellText.quote(spellings(.required)))"
                   + " optional=\(ShellText.quote(spellings(.optional))) offer=\(ShellText.quote(offer))")
            s.line("        operands=\(ShellText.quote(command.operands.map { id($0, model) }.joined(separator: " ")))"
                   + " repeat=\(command.repeating ? 1 : 0) permute=\(command.permutes ? 1 : 0) ;;")
        }
        s.line("    *) return 1 ;;")
        s.line("    esac")
        s.line("}")
        s.line()
    }

    /// `_sbtrfs_option_action PATH OPTION`: sets `action` for the value of OPTION (PATH empty: a
    /// global option).
    static func optionActionTable(_ model: CompletionModel, _ s: inout ShellText) {
        s.line("_sbtrfs_option_action() {")
        s.line("    case \"$1:$2\" in")
        let tables = [("", model.globals)] + model.commands.map { ($0.path, $0.options) }
        for (path, options) in tables {
            for option in options where option.value != .none && option.action != .none {
                let labels = ShellText.spellings(option).map { ShellText.quote(path + ":" + $0) }
                s.line("    \(labels.joined(separator: "|"))) action=\(id(option.action, model)) ;;")
            }
        }
        s.line("    *) action=none ;;")
        s.line("    esac")
        s.line("}")
        s.line()
    }

    /// An action's name in the script; word lists are numbered.
    static func id(_ action: ValueAction, _ model: CompletionModel) -> String {
        switch action {
        case .words, .sortKeys: return "\(action.name.prefix(5))\(model.actionsUsed.firstIndex(of: action) ?? 0)"
        default: return action.name
        }
    }

    /// `_sbtrfs_values ACTION`: fills COMPREPLY for `cur` (the value text alone).
    static func valuesFunction(_ model: CompletionModel, _ s: inout ShellText) {
        s.line("_sbtrfs_values() {")
        s.line("    case $1 in")
        s.line("    *+*) local part; for part in ${1//+/ }; do _sbtrfs_values \"$part\"; done ;;")
        for action in model.actionsUsed {
            switch action {
            case .words(let words):
                s.line("    \(id(action, model))) COMPREPLY+=($(compgen -W \(ShellText.quote(words.joined(separator: " "))) -- \"$cur\")) ;;")
            case .sortKeys(let keys):
                s.line("    \(id(action, model))) _sbtrfs_list \(ShellText.quote(keys.joined(separator: " "))) ;;")
            default: break
            }
        }
        s.line("    filters) _sbtrfs_filters \(ShellText.quote(ValueWords.balanceFilters.joined(separator: " ")))"
               + " \(ShellText.quote(ValueWords.profiles.joined(separator: " "))) ;;")
        s.line("    path) compopt -o filenames; _sbtrfs_mounts; _filedir -d ;;")
        s.line("    mount) compopt -o filenames; _sbtrfs_mounts ;;")
        s.line("    dir) _filedir -d ;;")
        s.line("    file) _filedir ;;")
        s.line("    device) compopt -o filenames; _sbtrfs_devices ;;")
        s.line("    uuid) _sbtrfs_sysfs uuid ;;")
        s.line("    label) _sbtrfs_sysfs label ;;")
        s.line("    esac")
        s.line("}")
        s.line()
    }

    /// Helpers that look at the machine; the same for every tree.
    static let runtime = #"""
        # Sets `child` to the child of the current group WORD names: exact, else the one prefix.
        _sbtrfs_resolve() {
            local name match= count=0
            child=
            for name in $names; do
                [[ $name == "$1" ]] && { child=$name; return 0; }
                [[ $name == "$1"* ]] && { match=$name; count=$((count + 1)); }
            done
            ((count == 1)) && child=$match
            [[ -n $child ]]
        }

        # Expands a long option as getopt_long does (exact, else a unique prefix) into `option`.
        _sbtrfs_long() {
            local name match= count=0
            option=$1
            for name in $flags $valued $optional; do
                [[ $name == "$1" ]] && return 0
                [[ $name == "$1"* ]] && { match=$name; count=$((count + 1)); }
            done
            ((count == 1)) && option=$match
            return 0
        }

        # Mount points of mounted btrfs filesystems that start with $cur.
        _sbtrfs_mounts() {
            local source target type rest
            while read -r source target type rest; do
                [[ $type == btrfs ]] || continue
                printf -v target '%b' "${target//\\/\\0}"
                [[ $target == "$cur"* ]] && COMPREPLY+=("$target")
            done </proc/self/mounts
        }

        # Block devices (and directories to walk to them, e.g. /dev/disk/by-id/).
        _sbtrfs_devices() {
            local IFS=$'\n' entry
            for entry in $(compgen -f -- "${cur:-/dev/}"); do
                if [[ -b $entry ]]; then
                    COMPREPLY+=("$entry")
                elif [[ -n $cur && -d $entry ]]; then
                    COMPREPLY+=("$entry")
                fi
            done
        }

        # UUIDs or labels of the btrfs filesystems the kernel knows.
        _sbtrfs_sysfs() {
            local dir word
            for dir in /sys/fs/btrfs/*-*-*-*-*; do
                [[ -d $dir ]] || continue
                if [[ $1 == uuid ]]; then
                    word=${dir##*/}
                else
                    read -r word <"$dir/label" 2>/dev/null || continue
                fi
                [[ -n $word && $word == "$cur"* ]] && COMPREPLY+=("$word")
            done
        }

        # A comma separated list of KEYS, each with an optional + or - (as --sort= takes).
        _sbtrfs_list() {
            local done= part=$cur sign= key
            [[ $cur == *,* ]] && { done=${cur%,*},; part=${cur##*,}; }
            [[ $part == [+-]* ]] && { sign=${part:0:1}; part=${part:1}; }
            for key in $1; do
                [[ $key == "$part"* ]] && COMPREPLY+=("$done$sign$key")
            done
            compopt -o nospace
        }

        # Balance filters FILTERS, comma separated; convert= takes one of PROFILES.
        _sbtrfs_filters() {
            local done= part=$cur word
            [[ $cur == *,* ]] && { done=${cur%,*},; part=${cur##*,}; }
            if [[ $part == convert=* ]]; then
                for word in $2; do
                    [[ convert=$word == "$part"* ]] && COMPREPLY+=("${done}convert=$word")
                done
            else
                for word in $1; do
                    [[ $word == "$part"* ]] && COMPREPLY+=("$done$word")
                done
            fi
            compopt -o nospace
        }

        # Completes the value of OPTION of command PATH; the value starts after PREFIX in $cur.
        _sbtrfs_value() {
            local action prefix=$3 whole=$cur
            _sbtrfs_option_action "$1" "$2"
            cur=${cur#"$prefix"}
            _sbtrfs_values "$action"
            # readline replaces only the text after the last '=' of the word.
            if [[ $whole == *=* ]]; then
                local trim=${whole%"${whole##*=}"} i
                for i in "${!COMPREPLY[@]}"; do
                    COMPREPLY[i]=${prefix}${COMPREPLY[i]}
                    COMPREPLY[i]=${COMPREPLY[i]#"$trim"}
                done
            elif [[ -n $prefix ]]; then
                for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$prefix${COMPREPLY[i]}; done
            fi
            cur=$whole
        }


        """#

    static func mainFunction(_ model: CompletionModel) -> String {
        let valuedGlobals = ShellText.spellings(model.globals, .required)
        let allGlobals = model.globals.flatMap(ShellText.spellings)
        return #"""
            _sbtrfs() {
                local cur prev words cword split
                _init_completion -s || return

                local i=1 word path= names shown child option action
                local flags valued optional offer operands repeat permute
                # Global options come before the first token.
                while ((i < cword)); do
                    word=${words[i]}
                    case $word in
                    \#(valuedGlobals.joined(separator: "|")))
                        ((i + 1 == cword)) && { _sbtrfs_value '' "$word" ''; return; }
                        i=$((i + 2)) ;;
                    -?*) i=$((i + 1)) ;;
                    *) break ;;
                    esac
                done
                if [[ $split == true && $i == "$cword" ]]; then
                    _sbtrfs_value '' "$prev" ''
                    return
                fi
                # One token per level, resolved among the group's children.
                while _sbtrfs_group "$path"; do
                    if ((i == cword)); then
                        if [[ -z $path && $cur == -* ]]; then
                            COMPREPLY=($(compgen -W \#(ShellText.quote(allGlobals.joined(separator: " "))) -- "$cur"))
                        else
                            COMPREPLY=($(compgen -W "$shown" -- "$cur"))
                        fi
                        return
                    fi
                    _sbtrfs_resolve "${words[i]}" || return
                    path=${path:+$path }$child
                    i=$((i + 1))
                done
                _sbtrfs_command "$path" || return

                # The command's words so far: options (and their values) and operands.
                local operand=0 only=0 j letter
                while ((i < cword)); do
                    word=${words[i]}
                    if ((only)) || [[ $word != -?* ]]; then
                        operand=$((operand + 1))
                        ((permute)) || only=1
                    elif [[ $word == -- ]]; then
                        only=1
                    elif [[ $word == --* ]]; then
                        _sbtrfs_long "$word"
                        if [[ $word != *=* && " $valued " == *" $option "* ]]; then
                            ((i + 1 == cword)) && { _sbtrfs_value "$path" "$option" ''; return; }
                            i=$((i + 1))
                        fi
                    else
                        for ((j = 1; j < ${#word}; j++)); do
                            letter=-${word:j:1}
                            [[ " $optional " == *" $letter "* ]] && break
                            if [[ " $valued " == *" $letter "* ]]; then
                                if ((j + 1 == ${#word})); then
                                    ((i + 1 == cword)) && { _sbtrfs_value "$path" "$letter" ''; return; }
                                    i=$((i + 1))
                                fi
                                break
                            fi
                        done
                    fi
                    i=$((i + 1))
                done

                if ((!only)) && [[ $split == true ]]; then
                    _sbtrfs_long "$prev"
                    _sbtrfs_value "$path" "$option" ''
                    return
                fi
                if ((!only)) && [[ $cur == -* ]]; then
                    if [[ $cur == -[!-]?* ]] && [[ " $valued $optional " == *" ${cur:0:2} "* ]]; then
                        _sbtrfs_value "$path" "${cur:0:2}" "${cur:0:2}"
                        return
                    fi
                    COMPREPLY=($(compgen -W "$offer" -- "$cur"))
                    return
                fi
                local -a kinds=($operands)
                ((${#kinds[@]})) || return
                if ((operand >= ${#kinds[@]})); then
                    ((repeat)) || return
                    operand=$((${#kinds[@]} - 1))
                fi
                _sbtrfs_values "${kinds[operand]}"
            } &&
                complete -F _sbtrfs sbtrfs

            """#
    }
}
