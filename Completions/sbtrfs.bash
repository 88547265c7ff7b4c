# bash completion for sbtrfs(8). Generated from its command tree by
# `sbtrfs completion bash`; do not edit: run `make completions`.

_sbtrfs_group() {
    case $1 in
    '')
        names='balance completion device filesystem inspect-internal property qgroup quota receive replace scrub send subvolume help version'
        shown='balance completion device filesystem inspect-internal property qgroup quota receive replace scrub send subvolume help version' ;;
    'balance')
        names='start pause cancel resume status least-used --full-balance'
        shown='start pause cancel resume status least-used' ;;
    'completion')
        names='bash zsh fish man'
        shown='bash zsh fish' ;;
    'device')
        names='add delete remove replace scan ready stats usage'
        shown='add delete remove replace scan ready stats usage' ;;
    'filesystem')
        names='df du show sync defragment resize label usage usage-report metrics space-calculator compsize dedupe heatmap'
        shown='df du show sync defragment resize label usage usage-report metrics space-calculator compsize dedupe heatmap' ;;
    'inspect-internal')
        names='inode-resolve logical-resolve subvolid-resolve rootid min-dev-size file-csum tree-sizes free-space-fragmentation block-group-files search-metadata'
        shown='inode-resolve logical-resolve subvolid-resolve rootid min-dev-size file-csum tree-sizes free-space-fragmentation block-group-files search-metadata' ;;
    'property')
        names='get set list'
        shown='get set list' ;;
    'qgroup')
        names='assign remove create clear-stale destroy show limit'
        shown='assign remove create clear-stale destroy show limit' ;;
    'quota')
        names='enable disable rescan'
        shown='enable disable rescan' ;;
    'replace')
        names='start status cancel'
        shown='start status cancel' ;;
    'scrub')
        names='start cancel resume status'
        shown='start cancel resume status' ;;
    'subvolume')
        names='create delete list snapshot get-default set-default find-new show sync orphan-cleaner-progress set-received-uuid'
        shown='create delete list snapshot get-default set-default find-new show sync orphan-cleaner-progress set-received-uuid' ;;
    *) return 1 ;;
    esac
}

_sbtrfs_command() {
    case $1 in
    'balance start')
        flags='-f --force --full-balance --background --bg --enqueue -v --verbose' valued='' optional='-d --data -m --metadata -s --system' offer='-d --data -m --metadata -s --system -f --force --full-balance --background --enqueue -v --verbose'
        operands='path' repeat=0 permute=1 ;;
    'balance pause')
        flags='' valued='' optional='' offer=''
        operands='path' repeat=0 permute=0 ;;
    'balance cancel')
        flags='' valued='' optional='' offer=''
        operands='path' repeat=0 permute=0 ;;
    'balance resume')
        flags='' valued='' optional='' offer=''
        operands='path' repeat=0 permute=0 ;;
    'balance status')
        flags='-v --verbose' valued='' optional='' offer='-v --verbose'
        operands='path' repeat=0 permute=1 ;;
    'balance least-used')
        flags='--dry-run' valued='-u --usage' optional='' offer='-u --usage --dry-run'
        operands='path' repeat=0 permute=1 ;;
    'balance --full-balance')
        flags='' valued='' optional='' offer=''
        operands='' repeat=0 permute=0 ;;
    'completion bash')
        flags='' valued='' optional='' offer=''
        operands='' repeat=0 permute=0 ;;
    'completion zsh')
        flags='' valued='' optional='' offer=''
        operands='' repeat=0 permute=0 ;;
    'completion fish')
        flags='' valued='' optional='' offer=''
        operands='' repeat=0 permute=0 ;;
    'completion man')
        flags='' valued='' optional='' offer=''
        operands='none' repeat=0 permute=0 ;;
    'device add')
        flags='-K -f --force --enqueue' valued='' optional='--nodiscard' offer='--nodiscard -f --force --enqueue'
        operands='device path' repeat=0 permute=1 ;;
    'device delete')
        flags='--enqueue' valued='' optional='' offer='--enqueue'
        operands='device path' repeat=0 permute=1 ;;
    'device remove')
        flags='--enqueue' valued='' optional='' offer='--enqueue'
        operands='device path' repeat=0 permute=1 ;;
    'device replace')
        flags='' valued='' optional='' offer=''
        operands='' repeat=0 permute=0 ;;
    'device scan')
        flags='-d --all-devices -u --forget' valued='' optional='' offer='-d --all-devices -u --forget'
        operands='device' repeat=1 permute=1 ;;
    'device ready')
        flags='' valued='' optional='' offer=''
        operands='device' repeat=0 permute=0 ;;
    'device stats')
        flags='-c --check -z --reset -T' valued='' optional='' offer='-c --check -z --reset -T'
        operands='path+device' repeat=0 permute=1 ;;
    'device usage')
        flags='-b --raw -h --human-readable -H --iec --si -k --kbytes -m --mbytes -g --gbytes -t --tbytes' valued='' optional='' offer='-b --raw -h --human-readable -H --iec --si -k --kbytes -m --mbytes -g --gbytes -t --tbytes'
        operands='path' repeat=1 permute=0 ;;
    'filesystem df')
        flags='-b --raw -h --human-readable -H --iec --si -k --kbytes -m --mbytes -g --gbytes -t --tbytes' valued='' optional='' offer='-b --raw -h --human-readable -H --iec --si -k --kbytes -m --mbytes -g --gbytes -t --tbytes'
        operands='path' repeat=0 permute=0 ;;
    'filesystem du')
        flags='--raw --human-readable --iec --si --kbytes --mbytes --gbytes --tbytes -s --summarize' valued='' optional='' offer='--raw --human-readable --iec --si --kbytes --mbytes --gbytes --tbytes -s --summarize'
        operands='path' repeat=1 permute=1 ;;
    'filesystem show')
        flags='--raw --human-readable --iec --si --kbytes --mbytes --gbytes --tbytes -d --all-devices -m --mounted' valued='' optional='' offer='--raw --human-readable --iec --si --kbytes --mbytes --gbytes --tbytes -d --all-devices -m --mounted'
        operands='path+uuid+device+label' repeat=0 permute=1 ;;
    'filesystem sync')
        flags='' valued='' optional='' offer=''
        operands='path' repeat=0 permute=0 ;;
    'filesystem defragment')
        flags='-v -r -f' valued='-L --level -s -l -t' optional='-c' offer='-v -r -c -L --level -f -s -l -t'
        operands='path' repeat=1 permute=1 ;;
    'filesystem resize')
        flags='--enqueue' valued='' optional='' offer='--enqueue'
        operands='none path' repeat=0 permute=0 ;;
    'filesystem label')
        flags='' valued='' optional='' offer=''
        operands='device label' repeat=0 permute=0 ;;
    'filesystem usage')
        flags='-b --raw -h --human-readable -H --iec --si -k --kbytes -m --mbytes -g --gbytes -t --tbytes -T' valued='' optional='' offer='-b --raw -h --human-readable -H --iec --si -k --kbytes -m --mbytes -g --gbytes -t --tbytes -T'
        operands='path' repeat=1 permute=1 ;;
    'filesystem usage-report')
        flags='' valued='' optional='' offer=''
        operands='path' repeat=0 permute=0 ;;
    'filesystem metrics')
        flags='-a --all --node-exporter-names' valued='-o --output' optional='' offer='-a --all -o --output --node-exporter-names'
        operands='path' repeat=1 permute=1 ;;
    'filesystem space-calculator')
        flags='-M --mixed' valued='-m --metadata -d --data -r --ratio' optional='' offer='-m --metadata -d --data -M --mixed -r --ratio'
        operands='none' repeat=1 permute=1 ;;
    'filesystem compsize')
        flags='-b --bytes -x --one-file-system' valued='' optional='' offer='-b --bytes -x --one-file-system'
        operands='path' repeat=1 permute=1 ;;
    'filesystem dedupe')
        flags='' valued='' optional='' offer=''
        operands='file none none file none none' repeat=1 permute=0 ;;
    'filesystem heatmap')
        flags='-v --verbose -q --quiet' valued='--order --size --sort --blockgroup --curve -o --output' optional='' offer='--order --size --sort --blockgroup --curve -o --output -v --verbose -q --quiet'
        operands='path' repeat=0 permute=1 ;;
    'inspect-internal inode-resolve')
        flags='-v' valued='' optional='' offer='-v'
        operands='none path' repeat=0 permute=1 ;;
    'inspect-internal logical-resolve')
        flags='-P -o -v' valued='-s' optional='' offer='-P -o -s -v'
        operands='none path' repeat=0 permute=1 ;;
    'inspect-internal subvolid-resolve')
        flags='' valued='' optional='' offer=''
        operands='none path' repeat=0 permute=0 ;;
    'inspect-internal rootid')
        flags='' valued='' optional='' offer=''
        operands='path' repeat=0 permute=0 ;;
    'inspect-internal min-dev-size')
        flags='' valued='--id' optional='' offer='--id'
        operands='path' repeat=0 permute=1 ;;
    'inspect-internal file-csum')
        flags='' valued='' optional='' offer=''
        operands='file' repeat=0 permute=0 ;;
    'inspect-internal tree-sizes')
        flags='' valued='' optional='' offer=''
        operands='path' repeat=0 permute=0 ;;
    'inspect-internal free-space-fragmentation')
        flags='' valued='' optional='' offer=''
        operands='none path' repeat=0 permute=0 ;;
    'inspect-internal block-group-files')
        flags='' valued='' optional='' offer=''
        operands='none path' repeat=0 permute=0 ;;
    'inspect-internal search-metadata')
        flags='' valued='--format -t --tree --inum --min-key --max-key --vaddr' optional='' offer='--format -t --tree --inum --min-key --max-key --vaddr'
        operands='words16 path' repeat=0 permute=1 ;;
    'property get')
        flags='-f' valued='-t' optional='' offer='-t'
        operands='path words18' repeat=0 permute=0 ;;
    'property set')
        flags='-f' valued='-t' optional='' offer='-t -f'
        operands='path words18 none' repeat=0 permute=0 ;;
    'property list')
        flags='-f' valued='-t' optional='' offer='-t'
        operands='path' repeat=0 permute=0 ;;
    'qgroup assign')
        flags='--rescan --no-rescan' valued='' optional='' offer='--rescan --no-rescan'
        operands='none none path' repeat=0 permute=1 ;;
    'qgroup remove')
        flags='--rescan --no-rescan' valued='' optional='' offer='--rescan --no-rescan'
        operands='none none path' repeat=0 permute=1 ;;
    'qgroup create')
        flags='' valued='' optional='' offer=''
        operands='none path' repeat=0 permute=0 ;;
    'qgroup clear-stale')
        flags='' valued='' optional='' offer=''
        operands='path' repeat=0 permute=0 ;;
    'qgroup destroy')
        flags='' valued='' optional='' offer=''
        operands='none path' repeat=0 permute=0 ;;
    'qgroup show')
        flags='--raw --human-readable --iec --si --kbytes --mbytes --gbytes --tbytes -p -c -r -e -F -f --sync' valued='--sort' optional='' offer='--raw --human-readable --iec --si --kbytes --mbytes --gbytes --tbytes -p -c -r -e -F -f --sort --sync'
        operands='path' repeat=0 permute=1 ;;
    'qgroup limit')
        flags='-c -e' valued='' optional='' offer='-c -e'
        operands='none none path' repeat=0 permute=1 ;;
    'quota enable')
        flags='' valued='' optional='' offer=''
        operands='path' repeat=0 permute=0 ;;
    'quota disable')
        flags='' valued='' optional='' offer=''
        operands='path' repeat=0 permute=0 ;;
    'quota rescan')
        flags='-s --status -w --wait -W --wait-norescan' valued='' optional='' offer='-s --status -w --wait -W --wait-norescan'
        operands='path' repeat=0 permute=1 ;;
    'receive')
        flags='-q --quiet -e -C --chroot --force-decompress --dump -v' valued='-f -E --max-errors -m' optional='' offer='-q --quiet -f -e -C --chroot -E --max-errors -m --force-decompress --dump -v'
        operands='mount' repeat=0 permute=1 ;;
    'replace start')
        flags='-r -f -B --enqueue -K --nodiscard' valued='' optional='' offer='-r -f -B --enqueue -K --nodiscard'
        operands='device device mount' repeat=0 permute=1 ;;
    'replace status')
        flags='-1' valued='' optional='' offer='-1'
        operands='mount' repeat=0 permute=1 ;;
    'replace cancel')
        flags='' valued='' optional='' offer=''
        operands='mount' repeat=0 permute=1 ;;
    'scrub start')
        flags='-B -d -r -R -f -q' valued='-c -n' optional='' offer='-B -d -r -R -c -n -f -q'
        operands='path+device' repeat=0 permute=0 ;;
    'scrub cancel')
        flags='' valued='' optional='' offer=''
        operands='path+device' repeat=0 permute=0 ;;
    'scrub resume')
        flags='-B -d -r -R -q -f' valued='-c -n' optional='' offer='-B -d -r -R -c -n -q'
        operands='path+device' repeat=0 permute=0 ;;
    'scrub status')
        flags='--raw --human-readable --iec --si --kbytes --mbytes --gbytes --tbytes -d -R' valued='' optional='' offer='--raw --human-readable --iec --si --kbytes --mbytes --gbytes --tbytes -d -R'
        operands='path+device' repeat=0 permute=1 ;;
    'send')
        flags='-e --no-data --compressed-data -v --verbose -q --quiet' valued='-p -c -f --proto -i' optional='' offer='-e -p -c -f --no-data --proto --compressed-data -v --verbose -q --quiet'
        operands='dir' repeat=1 permute=1 ;;
    'subvolume create')
        flags='-p --parents' valued='-i -c' optional='' offer='-i'
        operands='path' repeat=1 permute=1 ;;
    'subvolume delete')
        flags='-c --commit-after -C --commit-each -v --verbose' valued='-i --subvolid' optional='' offer='-c --commit-after -C --commit-each -i --subvolid -v --verbose'
        operands='dir' repeat=1 permute=1 ;;
    'subvolume list')
        flags='-o -a -p -c -g -u -q -R -s -r -d -t' valued='-G -C --sort' optional='' offer='-o -a -p -c -g -u -q -R -s -r -d -t -G -C --sort'
        operands='path' repeat=0 permute=1 ;;
    'subvolume snapshot')
        flags='-r' valued='-c -i' optional='' offer='-r -i'
        operands='dir path' repeat=0 permute=1 ;;
    'subvolume get-default')
        flags='' valued='' optional='' offer=''
        operands='path' repeat=0 permute=0 ;;
    'subvolume set-default')
        flags='' valued='' optional='' offer=''
        operands='none dir' repeat=0 permute=0 ;;
    'subvolume find-new')
        flags='' valued='' optional='' offer=''
        operands='dir none' repeat=0 permute=0 ;;
    'subvolume show')
        flags='-b --raw -h --human-readable -H --iec --si -k --kbytes -m --mbytes -g --gbytes -t --tbytes' valued='-r --rootid -u --uuid' optional='' offer='-b --raw -h --human-readable -H --iec --si -k --kbytes -m --mbytes -g --gbytes -t --tbytes -r --rootid -u --uuid'
        operands='path' repeat=0 permute=1 ;;
    'subvolume sync')
        flags='' valued='-s' optional='' offer='-s'
        operands='path none' repeat=1 permute=1 ;;
    'subvolume orphan-cleaner-progress')
        flags='' valued='' optional='' offer=''
        operands='mount' repeat=0 permute=0 ;;
    'subvolume set-received-uuid')
        flags='' valued='' optional='' offer=''
        operands='uuid none none dir' repeat=0 permute=0 ;;
    'help')
        flags='--full --box' valued='' optional='' offer='--full --box'
        operands='' repeat=0 permute=0 ;;
    'version')
        flags='' valued='' optional='' offer=''
        operands='' repeat=0 permute=0 ;;
    *) return 1 ;;
    esac
}

_sbtrfs_option_action() {
    case "$1:$2" in
    ':--format') action=words1 ;;
    ':--log') action=words2 ;;
    'balance start:-d'|'balance start:--data') action=filters ;;
    'balance start:-m'|'balance start:--metadata') action=filters ;;
    'balance start:-s'|'balance start:--system') action=filters ;;
    'filesystem defragment:-c') action=words8 ;;
    'filesystem metrics:-o'|'filesystem metrics:--output') action=file ;;
    'filesystem space-calculator:-m'|'filesystem space-calculator:--metadata') action=words11 ;;
    'filesystem space-calculator:-d'|'filesystem space-calculator:--data') action=words11 ;;
    'filesystem heatmap:--sort') action=words12 ;;
    'filesystem heatmap:--curve') action=words13 ;;
    'filesystem heatmap:-o'|'filesystem heatmap:--output') action=file ;;
    'inspect-internal search-metadata:--format') action=words14 ;;
    'inspect-internal search-metadata:-t'|'inspect-internal search-metadata:--tree') action=words15 ;;
    'property get:-t') action=words17 ;;
    'property set:-t') action=words17 ;;
    'property list:-t') action=words17 ;;
    'qgroup show:--sort') action=words19 ;;
    'receive:-f') action=file ;;
    'receive:-m') action=mount ;;
    'send:-p') action=dir ;;
    'send:-c') action=dir ;;
    'send:-f') action=file ;;
    'subvolume list:--sort') action=sort22 ;;
    'subvolume show:-u'|'subvolume show:--uuid') action=uuid ;;
    *) action=none ;;
    esac
}

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

_sbtrfs_values() {
    case $1 in
    *+*) local part; for part in ${1//+/ }; do _sbtrfs_values "$part"; done ;;
    words1) COMPREPLY+=($(compgen -W 'text json' -- "$cur")) ;;
    words2) COMPREPLY+=($(compgen -W 'default info verbose debug quiet' -- "$cur")) ;;
    words8) COMPREPLY+=($(compgen -W 'zlib lzo zstd' -- "$cur")) ;;
    words11) COMPREPLY+=($(compgen -W 'raid10 raid1 raid1c3 raid1c4 dup raid0 single raid5 raid6' -- "$cur")) ;;
    words12) COMPREPLY+=($(compgen -W 'physical virtual' -- "$cur")) ;;
    words13) COMPREPLY+=($(compgen -W 'hilbert linear snake' -- "$cur")) ;;
    words14) COMPREPLY+=($(compgen -W 'keys short long json' -- "$cur")) ;;
    words15) COMPREPLY+=($(compgen -W 'root extent chunk dev fs csum quota uuid free_space block_group tree_log tree_log_fixup tree_reloc data_reloc' -- "$cur")) ;;
    words16) COMPREPLY+=($(compgen -W 'chunks block_groups dev_extents file inode devices orphans dump block_group_contents block_group_free_space' -- "$cur")) ;;
    words17) COMPREPLY+=($(compgen -W 'inode subvol filesystem device i s f d' -- "$cur")) ;;
    words18) COMPREPLY+=($(compgen -W 'ro label compression' -- "$cur")) ;;
    words19) COMPREPLY+=($(compgen -W 'qgroupid -qgroupid path -path rfer -rfer excl -excl max_rfer -max_rfer max_excl -max_excl' -- "$cur")) ;;
    sort22) _sbtrfs_list 'gen ogen rootid path' ;;
    filters) _sbtrfs_filters 'profiles= usage= devid= drange= vrange= convert= soft limit= stripes=' 'raid10 raid1 raid1c3 raid1c4 dup raid0 single raid5 raid6' ;;
    path) compopt -o filenames; _sbtrfs_mounts; _filedir -d ;;
    mount) compopt -o filenames; _sbtrfs_mounts ;;
    dir) _filedir -d ;;
    file) _filedir ;;
    device) compopt -o filenames; _sbtrfs_devices ;;
    uuid) _sbtrfs_sysfs uuid ;;
    label) _sbtrfs_sysfs label ;;
    esac
}

_sbtrfs() {
    local cur prev words cword split
    _init_completion -s || return

    local i=1 word path= names shown child option action
    local flags valued optional offer operands repeat permute
    # Global options come before the first token.
    while ((i < cword)); do
        word=${words[i]}
        case $word in
        --format|--log)
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
                COMPREPLY=($(compgen -W '--help --version --format --full -v --verbose -q --quiet --log' -- "$cur"))
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
