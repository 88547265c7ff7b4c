# fish completion for sbtrfs(8). Generated from its command tree by
# `sbtrfs completion fish`; do not edit: run `make completions`.

function __sbtrfs_group
    switch $argv[1]
        case ''
            printf '%s\n' 'balance' 'completion' 'device' 'filesystem' 'inspect-internal' 'property' 'qgroup' 'quota' 'receive' 'replace' 'scrub' 'send' 'subvolume' 'help' 'version'
        case 'balance'
            printf '%s\n' 'start' 'pause' 'cancel' 'resume' 'status' 'least-used' '--full-balance'
        case 'completion'
            printf '%s\n' 'bash' 'zsh' 'fish' 'man'
        case 'device'
            printf '%s\n' 'add' 'delete' 'remove' 'replace' 'scan' 'ready' 'stats' 'usage'
        case 'filesystem'
            printf '%s\n' 'df' 'du' 'show' 'sync' 'defragment' 'resize' 'label' 'usage' 'usage-report' 'metrics' 'space-calculator' 'compsize' 'dedupe' 'heatmap'
        case 'inspect-internal'
            printf '%s\n' 'inode-resolve' 'logical-resolve' 'subvolid-resolve' 'rootid' 'min-dev-size' 'file-csum' 'tree-sizes' 'free-space-fragmentation' 'block-group-files' 'search-metadata'
        case 'property'
            printf '%s\n' 'get' 'set' 'list'
        case 'qgroup'
            printf '%s\n' 'assign' 'remove' 'create' 'clear-stale' 'destroy' 'show' 'limit'
        case 'quota'
            printf '%s\n' 'enable' 'disable' 'rescan'
        case 'replace'
            printf '%s\n' 'start' 'status' 'cancel'
        case 'scrub'
            printf '%s\n' 'start' 'cancel' 'resume' 'status'
        case 'subvolume'
            printf '%s\n' 'create' 'delete' 'list' 'snapshot' 'get-default' 'set-default' 'find-new' 'show' 'sync' 'orphan-cleaner-progress' 'set-received-uuid'
        case '*'
            return 1
    end
end

function __sbtrfs_valued
    switch $argv[1]
        case ''
            printf '%s\n' '--format' '--log' 'optional'
        case 'balance start'
            printf '%s\n' 'optional' '-d' '--data' '-m' '--metadata' '-s' '--system'
        case 'balance pause'
            printf '%s\n' 'optional'
        case 'balance cancel'
            printf '%s\n' 'optional'
        case 'balance resume'
            printf '%s\n' 'optional'
        case 'balance status'
            printf '%s\n' 'optional'
        case 'balance least-used'
            printf '%s\n' '-u' '--usage' 'optional'
        case 'balance --full-balance'
            printf '%s\n' 'optional'
        case 'completion bash'
            printf '%s\n' 'optional'
        case 'completion zsh'
            printf '%s\n' 'optional'
        case 'completion fish'
            printf '%s\n' 'optional'
        case 'completion man'
            printf '%s\n' 'optional'
        case 'device add'
            printf '%s\n' 'optional' '--nodiscard'
        case 'device delete'
            printf '%s\n' 'optional'
        case 'device remove'
            printf '%s\n' 'optional'
        case 'device replace'
            printf '%s\n' 'optional'
        case 'device scan'
            printf '%s\n' 'optional'
        case 'device ready'
            printf '%s\n' 'optional'
        case 'device stats'
            printf '%s\n' 'optional'
        case 'device usage'
            printf '%s\n' 'optional'
        case 'filesystem df'
            printf '%s\n' 'optional'
        case 'filesystem du'
            printf '%s\n' 'optional'
        case 'filesystem show'
            printf '%s\n' 'optional'
        case 'filesystem sync'
            printf '%s\n' 'optional'
        case 'filesystem defragment'
            printf '%s\n' '-L' '--level' '-s' '-l' '-t' 'optional' '-c'
        case 'filesystem resize'
            printf '%s\n' 'optional'
        case 'filesystem label'
            printf '%s\n' 'optional'
        case 'filesystem usage'
            printf '%s\n' 'optional'
        case 'filesystem usage-report'
            printf '%s\n' 'optional'
        case 'filesystem metrics'
            printf '%s\n' '-o' '--output' 'optional'
        case 'filesystem space-calculator'
            printf '%s\n' '-m' '--metadata' '-d' '--data' '-r' '--ratio' 'optional'
        case 'filesystem compsize'
            printf '%s\n' 'optional'
        case 'filesystem dedupe'
            printf '%s\n' 'optional'
        case 'filesystem heatmap'
            printf '%s\n' '--order' '--size' '--sort' '--blockgroup' '--curve' '-o' '--output' 'optional'
        case 'inspect-internal inode-resolve'
            printf '%s\n' 'optional'
        case 'inspect-internal logical-resolve'
            printf '%s\n' '-s' 'optional'
        case 'inspect-internal subvolid-resolve'
            printf '%s\n' 'optional'
        case 'inspect-internal rootid'
            printf '%s\n' 'optional'
        case 'inspect-internal min-dev-size'
            printf '%s\n' '--id' 'optional'
        case 'inspect-internal file-csum'
            printf '%s\n' 'optional'
        case 'inspect-internal tree-sizes'
            printf '%s\n' 'optional'
        case 'inspect-internal free-space-fragmentation'
            printf '%s\n' 'optional'
        case 'inspect-internal block-group-files'
            printf '%s\n' 'optional'
        case 'inspect-internal search-metadata'
            printf '%s\n' '--format' '-t' '--tree' '--inum' '--min-key' '--max-key' '--vaddr' 'optional'
        case 'property get'
            printf '%s\n' '-t' 'optional'
        case 'property set'
            printf '%s\n' '-t' 'optional'
        case 'property list'
            printf '%s\n' '-t' 'optional'
        case 'qgroup assign'
            printf '%s\n' 'optional'
        case 'qgroup remove'
            printf '%s\n' 'optional'
        case 'qgroup create'
            printf '%s\n' 'optional'
        case 'qgroup clear-stale'
            printf '%s\n' 'optional'
        case 'qgroup destroy'
            printf '%s\n' 'optional'
        case 'qgroup show'
            printf '%s\n' '--sort' 'optional'
        case 'qgroup limit'
            printf '%s\n' 'optional'
        case 'quota enable'
            printf '%s\n' 'optional'
        case 'quota disable'
            printf '%s\n' 'optional'
        case 'quota rescan'
            printf '%s\n' 'optional'
        case 'receive'
            printf '%s\n' '-f' '-E' '--max-errors' '-m' 'optional'
        case 'replace start'
            printf '%s\n' 'optional'
        case 'replace status'
            printf '%s\n' 'optional'
        case 'replace cancel'
            printf '%s\n' 'optional'
        case 'scrub start'
            printf '%s\n' '-c' '-n' 'optional'
        case 'scrub cancel'
            printf '%s\n' 'optional'
        case 'scrub resume'
            printf '%s\n' '-c' '-n' 'optional'
        case 'scrub status'
            printf '%s\n' 'optional'
        case 'send'
            printf '%s\n' '-p' '-c' '-f' '--proto' '-i' 'optional'
        case 'subvolume create'
            printf '%s\n' '-i' '-c' 'optional'
        case 'subvolume delete'
            printf '%s\n' '-i' '--subvolid' 'optional'
        case 'subvolume list'
            printf '%s\n' '-G' '-C' '--sort' 'optional'
        case 'subvolume snapshot'
            printf '%s\n' '-c' '-i' 'optional'
        case 'subvolume get-default'
            printf '%s\n' 'optional'
        case 'subvolume set-default'
            printf '%s\n' 'optional'
        case 'subvolume find-new'
            printf '%s\n' 'optional'
        case 'subvolume show'
            printf '%s\n' '-r' '--rootid' '-u' '--uuid' 'optional'
        case 'subvolume sync'
            printf '%s\n' '-s' 'optional'
        case 'subvolume orphan-cleaner-progress'
            printf '%s\n' 'optional'
        case 'subvolume set-received-uuid'
            printf '%s\n' 'optional'
        case 'help'
            printf '%s\n' 'optional'
        case 'version'
            printf '%s\n' 'optional'
        case '*'
            echo optional
    end
end

function __sbtrfs_permutes
    contains -- $argv[1] 'balance start' 'balance status' 'balance least-used' 'device add' 'device delete' 'device remove' 'device scan' 'device stats' 'filesystem du' 'filesystem show' 'filesystem defragment' 'filesystem usage' 'filesystem metrics' 'filesystem space-calculator' 'filesystem compsize' 'filesystem heatmap' 'inspect-internal inode-resolve' 'inspect-internal logical-resolve' 'inspect-internal min-dev-size' 'inspect-internal search-metadata' 'qgroup assign' 'qgroup remove' 'qgroup show' 'qgroup limit' 'quota rescan' 'receive' 'replace start' 'replace status' 'replace cancel' 'scrub status' 'send' 'subvolume create' 'subvolume delete' 'subvolume list' 'subvolume snapshot' 'subvolume show' 'subvolume sync'; and echo 1; and return
    echo 0
end

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

complete -c sbtrfs -e
complete -c sbtrfs -f
complete -c sbtrfs -n '__sbtrfs_is group ""' -l 'help' -d 'print condensed help for all subcommands'
complete -c sbtrfs -n '__sbtrfs_is group ""' -l 'version' -d 'print version string'
complete -c sbtrfs -n '__sbtrfs_is group ""' -l 'format' -x -a 'text json' -d 'if supported, print subcommand output in that format (text, json)'
complete -c sbtrfs -n '__sbtrfs_is group ""' -l 'full' -d 'with --help, print the full usage of every command'
complete -c sbtrfs -n '__sbtrfs_is group ""' -s 'v' -l 'verbose' -d 'increase verbosity of the subcommand'
complete -c sbtrfs -n '__sbtrfs_is group ""' -s 'q' -l 'quiet' -d 'print only errors'
complete -c sbtrfs -n '__sbtrfs_is group ""' -l 'log' -x -a 'default info verbose debug quiet' -d 'set log level (default, info, verbose, debug, quiet)'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'balance' -d 'balance data across devices, or change block groups using filters'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'completion' -d 'print shell completion scripts and manual page sources'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'device' -d 'manage and query devices in the filesystem'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'filesystem' -d 'overall filesystem tasks and information'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'inspect-internal' -d 'query various internal information'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'property' -d 'modify properties of filesystem objects'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'qgroup' -d 'manage quota groups'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'quota' -d 'manage filesystem quota settings'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'receive' -d 'Receive subvolumes from a stream'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'replace' -d 'replace a device in the filesystem'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'scrub' -d 'verify checksums of data and metadata'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'send' -d 'Send the subvolume(s) to stdout.'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'subvolume' -d 'manage subvolumes: create, delete, list, etc'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'help' -d 'Display help information'
complete -c sbtrfs -n '__sbtrfs_is group ""' -a 'version' -d 'Display sbtrfs version'
complete -c sbtrfs -n '__sbtrfs_is group "balance"' -a 'start' -d 'Balance chunks across the devices'
complete -c sbtrfs -n '__sbtrfs_is group "balance"' -a 'pause' -d 'Pause running balance'
complete -c sbtrfs -n '__sbtrfs_is group "balance"' -a 'cancel' -d 'Cancel running or paused balance'
complete -c sbtrfs -n '__sbtrfs_is group "balance"' -a 'resume' -d 'Resume interrupted balance'
complete -c sbtrfs -n '__sbtrfs_is group "balance"' -a 'status' -d 'Show status of running or paused balance'
complete -c sbtrfs -n '__sbtrfs_is group "balance"' -a 'least-used' -d 'Balance data block groups one at a time, least used first'
complete -c sbtrfs -n '__sbtrfs_is group "completion"' -a 'bash' -d 'Print the bash completion script'
complete -c sbtrfs -n '__sbtrfs_is group "completion"' -a 'zsh' -d 'Print the zsh completion script'
complete -c sbtrfs -n '__sbtrfs_is group "completion"' -a 'fish' -d 'Print the fish completion script'
complete -c sbtrfs -n '__sbtrfs_is group "device"' -a 'add' -d 'Add one or more devices to a mounted filesystem.'
complete -c sbtrfs -n '__sbtrfs_is group "device"' -a 'delete' -d 'Remove a device from a filesystem (alias of "sbtrfs device remove")'
complete -c sbtrfs -n '__sbtrfs_is group "device"' -a 'remove' -d 'Remove a device from a filesystem'
complete -c sbtrfs -n '__sbtrfs_is group "device"' -a 'replace' -d 'Please see "sbtrfs replace --help" for more information.'
complete -c sbtrfs -n '__sbtrfs_is group "device"' -a 'scan' -d 'Scan or forget (unregister) devices of btrfs filesystems'
complete -c sbtrfs -n '__sbtrfs_is group "device"' -a 'ready' -d 'Check and wait until a group of devices of a filesystem is ready for mount'
complete -c sbtrfs -n '__sbtrfs_is group "device"' -a 'stats' -d 'Show device IO error statistics'
complete -c sbtrfs -n '__sbtrfs_is group "device"' -a 'usage' -d 'Show detailed information about internal allocations in devices.'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'df' -d 'Show space usage information for a mount point'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'du' -d 'Summarize disk usage of each file.'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'show' -d 'Show the structure of a filesystem'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'sync' -d 'Force a sync on a filesystem'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'defragment' -d 'Defragment a file or a directory'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'resize' -d 'Resize a filesystem'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'label' -d 'Get or change the label of a filesystem'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'usage' -d 'Show detailed information about internal filesystem usage .'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'usage-report' -d 'Show python-btrfs\'s detailed usage report: physical and virtual usage, estimated free and unallocatable space'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'metrics' -d 'Print Prometheus metrics of filesystems (for node_exporter\'s textfile collector)'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'space-calculator' -d 'Calculate usable and unallocatable space of a filesystem of devices with the given sizes'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'compsize' -d 'Show disk usage and compression of files, as compsize does'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'dedupe' -d 'Share the extents of identical file ranges'
complete -c sbtrfs -n '__sbtrfs_is group "filesystem"' -a 'heatmap' -d 'Draw a heatmap picture (PNG) of the filesystem\'s space, as btrfs-heatmap does'
complete -c sbtrfs -n '__sbtrfs_is group "inspect-internal"' -a 'inode-resolve' -d 'Get file system paths for the given inode'
complete -c sbtrfs -n '__sbtrfs_is group "inspect-internal"' -a 'logical-resolve' -d 'Get file system paths for the given logical address'
complete -c sbtrfs -n '__sbtrfs_is group "inspect-internal"' -a 'subvolid-resolve' -d 'Get file system paths for the given subvolume ID.'
complete -c sbtrfs -n '__sbtrfs_is group "inspect-internal"' -a 'rootid' -d 'Get tree ID of the containing subvolume of path.'
complete -c sbtrfs -n '__sbtrfs_is group "inspect-internal"' -a 'min-dev-size' -d 'Get the minimum size the device can be shrunk to'
complete -c sbtrfs -n '__sbtrfs_is group "inspect-internal"' -a 'file-csum' -d 'Show the data checksums of a file, extent by extent'
complete -c sbtrfs -n '__sbtrfs_is group "inspect-internal"' -a 'tree-sizes' -d 'Show the size of each metadata tree, per level'
complete -c sbtrfs -n '__sbtrfs_is group "inspect-internal"' -a 'free-space-fragmentation' -d 'Show data block groups whose free space is fragmented'
complete -c sbtrfs -n '__sbtrfs_is group "inspect-internal"' -a 'block-group-files' -d 'List the files using each data extent of a block group'
complete -c sbtrfs -n '__sbtrfs_is group "inspect-internal"' -a 'search-metadata' -d 'Search and print metadata items, as python-btrfs\'s btrfs-search-metadata'
complete -c sbtrfs -n '__sbtrfs_is group "property"' -a 'get' -d 'Get a property value of a btrfs object'
complete -c sbtrfs -n '__sbtrfs_is group "property"' -a 'set' -d 'Set a property on a btrfs object'
complete -c sbtrfs -n '__sbtrfs_is group "property"' -a 'list' -d 'Lists available properties with their descriptions for the given object'
complete -c sbtrfs -n '__sbtrfs_is group "qgroup"' -a 'assign' -d 'Assign SRC as the child qgroup of DST.'
complete -c sbtrfs -n '__sbtrfs_is group "qgroup"' -a 'remove' -d 'Remove the relation between child qgroup SRC from DST.'
complete -c sbtrfs -n '__sbtrfs_is group "qgroup"' -a 'create' -d 'Create a subvolume quota group.'
complete -c sbtrfs -n '__sbtrfs_is group "qgroup"' -a 'clear-stale' -d 'Clear all stale qgroups (level 0/subvolid), without a subvolume.'
complete -c sbtrfs -n '__sbtrfs_is group "qgroup"' -a 'destroy' -d 'Destroy a quota group.'
complete -c sbtrfs -n '__sbtrfs_is group "qgroup"' -a 'show' -d 'List subvolume quota groups.'
complete -c sbtrfs -n '__sbtrfs_is group "qgroup"' -a 'limit' -d 'Set the limits a subvolume quota group.'
complete -c sbtrfs -n '__sbtrfs_is group "quota"' -a 'enable' -d 'Enable subvolume quota support for a filesystem.'
complete -c sbtrfs -n '__sbtrfs_is group "quota"' -a 'disable' -d 'Disable subvolume quota support for a filesystem.'
complete -c sbtrfs -n '__sbtrfs_is group "quota"' -a 'rescan' -d 'Trash all qgroup numbers and scan the metadata again with the current config.'
complete -c sbtrfs -n '__sbtrfs_is group "replace"' -a 'start' -d 'Replace device of a btrfs filesystem.'
complete -c sbtrfs -n '__sbtrfs_is group "replace"' -a 'status' -d 'Print status and progress information of a running device replace operation'
complete -c sbtrfs -n '__sbtrfs_is group "replace"' -a 'cancel' -d 'Cancel a running device replace operation.'
complete -c sbtrfs -n '__sbtrfs_is group "scrub"' -a 'start' -d 'Start a new scrub. If a scrub is already running, the new one fails.'
complete -c sbtrfs -n '__sbtrfs_is group "scrub"' -a 'cancel' -d 'Cancel a running scrub'
complete -c sbtrfs -n '__sbtrfs_is group "scrub"' -a 'resume' -d 'Resume previously canceled or interrupted scrub'
complete -c sbtrfs -n '__sbtrfs_is group "scrub"' -a 'status' -d 'Show status of running or finished scrub'
complete -c sbtrfs -n '__sbtrfs_is group "subvolume"' -a 'create' -d 'Create a subvolume'
complete -c sbtrfs -n '__sbtrfs_is group "subvolume"' -a 'delete' -d 'Delete subvolume(s)'
complete -c sbtrfs -n '__sbtrfs_is group "subvolume"' -a 'list' -d 'List subvolumes and snapshots in the filesystem.'
complete -c sbtrfs -n '__sbtrfs_is group "subvolume"' -a 'snapshot' -d ''
complete -c sbtrfs -n '__sbtrfs_is group "subvolume"' -a 'get-default' -d 'Get the default subvolume of a filesystem'
complete -c sbtrfs -n '__sbtrfs_is group "subvolume"' -a 'set-default' -d 'Set the default subvolume of the filesystem mounted as default.'
complete -c sbtrfs -n '__sbtrfs_is group "subvolume"' -a 'find-new' -d 'List the recently modified files in a filesystem'
complete -c sbtrfs -n '__sbtrfs_is group "subvolume"' -a 'show' -d 'Show more information about the subvolume (UUIDs, generations, times, snapshots)'
complete -c sbtrfs -n '__sbtrfs_is group "subvolume"' -a 'sync' -d 'Wait until given subvolume(s) are completely removed from the filesystem.'
complete -c sbtrfs -n '__sbtrfs_is group "subvolume"' -a 'orphan-cleaner-progress' -d 'Report the cleaner\'s progress on deleted subvolumes (python-btrfs\' btrfs-orphan-cleaner-progress)'
complete -c sbtrfs -n '__sbtrfs_is group "subvolume"' -a 'set-received-uuid' -d 'Set the received UUID, sent generation and sent time of a subvolume'
complete -c sbtrfs -n '__sbtrfs_is options "balance start"' -s 'd' -l 'data' -x -a '(__sbtrfs_filters \'profiles= usage= devid= drange= vrange= convert= soft limit= stripes=\' \'raid10 raid1 raid1c3 raid1c4 dup raid0 single raid5 raid6\')' -d 'act on data chunks with optional filters (no space in between)'
complete -c sbtrfs -n '__sbtrfs_is options "balance start"' -s 'm' -l 'metadata' -x -a '(__sbtrfs_filters \'profiles= usage= devid= drange= vrange= convert= soft limit= stripes=\' \'raid10 raid1 raid1c3 raid1c4 dup raid0 single raid5 raid6\')' -d 'act on metadata chunks with optinal filters (no space in between)'
complete -c sbtrfs -n '__sbtrfs_is options "balance start"' -s 's' -l 'system' -x -a '(__sbtrfs_filters \'profiles= usage= devid= drange= vrange= convert= soft limit= stripes=\' \'raid10 raid1 raid1c3 raid1c4 dup raid0 single raid5 raid6\')' -d 'act on system chunks (only under -f) with optional filters (no space in between)'
complete -c sbtrfs -n '__sbtrfs_is options "balance start"' -s 'f' -l 'force' -d 'force a reduction of metadata integrity, or skip timeout when converting to RAID56 profiles'
complete -c sbtrfs -n '__sbtrfs_is options "balance start"' -l 'full-balance' -d 'do not print warning and do not delay start'
complete -c sbtrfs -n '__sbtrfs_is options "balance start"' -l 'background' -d 'run the balance as a background process'
complete -c sbtrfs -n '__sbtrfs_is options "balance start"' -l 'enqueue' -d 'wait if there\'s another exclusive operation running, otherwise continue'
complete -c sbtrfs -n '__sbtrfs_is options "balance start"' -s 'v' -l 'verbose' -d 'deprecated, alias for global -v option'
complete -c sbtrfs -n '__sbtrfs_is operand "balance start" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "balance pause" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "balance cancel" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "balance resume" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "balance status"' -s 'v' -l 'verbose' -d 'deprecated, alias for global -v option'
complete -c sbtrfs -n '__sbtrfs_is operand "balance status" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "balance least-used"' -s 'u' -l 'usage' -x -d 'only block groups at most this percent used (0..100, default 100)'
complete -c sbtrfs -n '__sbtrfs_is options "balance least-used"' -l 'dry-run' -d 'list, in order, the block groups it would balance and change nothing'
complete -c sbtrfs -n '__sbtrfs_is operand "balance least-used" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "device add"' -l 'nodiscard' -x -d 'do not perform whole device TRIM on devices that report such capability'
complete -c sbtrfs -n '__sbtrfs_is options "device add"' -s 'f' -l 'force' -d 'force overwrite existing filesystem on the disk'
complete -c sbtrfs -n '__sbtrfs_is options "device add"' -l 'enqueue' -d 'wait if there\'s another exclusive operation running, otherwise continue'
complete -c sbtrfs -n '__sbtrfs_is operand "device add" 0' -x -a '(__sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is operand "device add" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "device delete"' -l 'enqueue' -d 'wait if there\'s another exclusive operation running, otherwise continue'
complete -c sbtrfs -n '__sbtrfs_is operand "device delete" 0' -x -a '(__sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is operand "device delete" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "device remove"' -l 'enqueue' -d 'wait if there\'s another exclusive operation running, otherwise continue'
complete -c sbtrfs -n '__sbtrfs_is operand "device remove" 0' -x -a '(__sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is operand "device remove" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "device scan"' -s 'd' -l 'all-devices' -d 'enumerate and register all devices, use as a fallback if blkid is not available'
complete -c sbtrfs -n '__sbtrfs_is options "device scan"' -s 'u' -l 'forget' -d 'unregister a given device or all stale devices if no path'
complete -c sbtrfs -n '__sbtrfs_is operand "device scan" 0+' -x -a '(__sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is operand "device ready" 0' -x -a '(__sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is options "device stats"' -s 'c' -l 'check' -d 'return non-zero if any stat counter is not zero'
complete -c sbtrfs -n '__sbtrfs_is options "device stats"' -s 'z' -l 'reset' -d 'show current stats and reset values to zero'
complete -c sbtrfs -n '__sbtrfs_is options "device stats"' -s 'T' -d 'show current stats in tabular format'
complete -c sbtrfs -n '__sbtrfs_is operand "device stats" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct); __sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is options "device usage"' -s 'b' -l 'raw' -d 'raw numbers in bytes'
complete -c sbtrfs -n '__sbtrfs_is options "device usage"' -s 'h' -l 'human-readable' -d 'human friendly numbers, base 1024 (default)'
complete -c sbtrfs -n '__sbtrfs_is options "device usage"' -s 'H' -d 'human friendly numbers, base 1000'
complete -c sbtrfs -n '__sbtrfs_is options "device usage"' -l 'iec' -d 'use 1024 as a base (KiB, MiB, GiB, TiB)'
complete -c sbtrfs -n '__sbtrfs_is options "device usage"' -l 'si' -d 'use 1000 as a base (kB, MB, GB, TB)'
complete -c sbtrfs -n '__sbtrfs_is options "device usage"' -s 'k' -l 'kbytes' -d 'show sizes in KiB, or kB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "device usage"' -s 'm' -l 'mbytes' -d 'show sizes in MiB, or MB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "device usage"' -s 'g' -l 'gbytes' -d 'show sizes in GiB, or GB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "device usage"' -s 't' -l 'tbytes' -d 'show sizes in TiB, or TB with --si'
complete -c sbtrfs -n '__sbtrfs_is operand "device usage" 0+' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem df"' -s 'b' -l 'raw' -d 'raw numbers in bytes'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem df"' -s 'h' -l 'human-readable' -d 'human friendly numbers, base 1024 (default)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem df"' -s 'H' -d 'human friendly numbers, base 1000'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem df"' -l 'iec' -d 'use 1024 as a base (KiB, MiB, GiB, TiB)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem df"' -l 'si' -d 'use 1000 as a base (kB, MB, GB, TB)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem df"' -s 'k' -l 'kbytes' -d 'show sizes in KiB, or kB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem df"' -s 'm' -l 'mbytes' -d 'show sizes in MiB, or MB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem df"' -s 'g' -l 'gbytes' -d 'show sizes in GiB, or GB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem df"' -s 't' -l 'tbytes' -d 'show sizes in TiB, or TB with --si'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem df" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem du"' -l 'raw' -d 'raw numbers in bytes'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem du"' -l 'human-readable' -d 'human friendly numbers, base 1024 (default)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem du"' -l 'iec' -d 'use 1024 as a base (KiB, MiB, GiB, TiB)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem du"' -l 'si' -d 'use 1000 as a base (kB, MB, GB, TB)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem du"' -l 'kbytes' -d 'show sizes in KiB, or kB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem du"' -l 'mbytes' -d 'show sizes in MiB, or MB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem du"' -l 'gbytes' -d 'show sizes in GiB, or GB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem du"' -l 'tbytes' -d 'show sizes in TiB, or TB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem du"' -s 's' -l 'summarize' -d 'display only a total for each argument'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem du" 0+' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem show"' -l 'raw' -d 'raw numbers in bytes'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem show"' -l 'human-readable' -d 'human friendly numbers, base 1024 (default)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem show"' -l 'iec' -d 'use 1024 as a base (KiB, MiB, GiB, TiB)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem show"' -l 'si' -d 'use 1000 as a base (kB, MB, GB, TB)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem show"' -l 'kbytes' -d 'show sizes in KiB, or kB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem show"' -l 'mbytes' -d 'show sizes in MiB, or MB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem show"' -l 'gbytes' -d 'show sizes in GiB, or GB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem show"' -l 'tbytes' -d 'show sizes in TiB, or TB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem show"' -s 'd' -l 'all-devices' -d 'show only disks under /dev containing btrfs filesystem'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem show"' -s 'm' -l 'mounted' -d 'show only mounted btrfs'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem show" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct); __sbtrfs_sysfs uuid; __sbtrfs_devices; __sbtrfs_sysfs label)'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem sync" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem defragment"' -s 'v' -d 'deprecated, alias for global -v option'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem defragment"' -s 'r' -d 'defragment files recursively'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem defragment"' -s 'c' -x -a 'zlib lzo zstd' -d 'compress the file while defragmenting, optional parameter (no space in between)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem defragment"' -s 'L' -l 'level' -x -d 'use given compression level if enabled (zlib: 1..9, zstd: -15..15, and 0 selects the default level)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem defragment"' -s 'f' -d 'flush data to disk immediately after defragmenting'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem defragment"' -s 's' -x -d 'defragment only from byte onward'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem defragment"' -s 'l' -x -d 'defragment only up to len bytes'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem defragment"' -s 't' -x -d 'target extent size hint (default: 32M)'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem defragment" 0+' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem resize"' -l 'enqueue' -d 'wait if there\'s another exclusive operation running, otherwise continue'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem resize" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem label" 0' -x -a '(__sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem label" 1' -x -a '(__sbtrfs_sysfs label)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem usage"' -s 'b' -l 'raw' -d 'raw numbers in bytes'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem usage"' -s 'h' -l 'human-readable' -d 'human friendly numbers, base 1024 (default)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem usage"' -s 'H' -d 'human friendly numbers, base 1000'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem usage"' -l 'iec' -d 'use 1024 as a base (KiB, MiB, GiB, TiB)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem usage"' -l 'si' -d 'use 1000 as a base (kB, MB, GB, TB)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem usage"' -s 'k' -l 'kbytes' -d 'show sizes in KiB, or kB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem usage"' -s 'm' -l 'mbytes' -d 'show sizes in MiB, or MB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem usage"' -s 'g' -l 'gbytes' -d 'show sizes in GiB, or GB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem usage"' -s 't' -l 'tbytes' -d 'show sizes in TiB, or TB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem usage"' -s 'T' -d 'show data in tabular format'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem usage" 0+' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem usage-report" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem metrics"' -s 'a' -l 'all' -d 'every mounted btrfs filesystem'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem metrics"' -s 'o' -l 'output' -r -F -d 'write to <file> atomically (temporary file, fsync, rename) instead of stdout'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem metrics"' -l 'node-exporter-names' -d 'also print node_exporter\'s node_btrfs_* metrics (for hosts whose btrfs collector is off)'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem metrics" 0+' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem space-calculator"' -s 'm' -l 'metadata' -x -a 'raid10 raid1 raid1c3 raid1c4 dup raid0 single raid5 raid6' -d 'metadata profile: single, dup, raid0, raid1, raid1c3, raid1c4, raid5, raid6, raid10'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem space-calculator"' -s 'd' -l 'data' -x -a 'raid10 raid1 raid1c3 raid1c4 dup raid0 single raid5 raid6' -d 'data profile, as for metadata'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem space-calculator"' -s 'M' -l 'mixed' -d 'use mixed block groups (data and metadata profile must match)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem space-calculator"' -s 'r' -l 'ratio' -x -d 'data to metadata ratio for a non-mixed filesystem (default 200)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem compsize"' -s 'b' -l 'bytes' -d 'display raw bytes instead of human-readable sizes'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem compsize"' -s 'x' -l 'one-file-system' -d 'don\'t cross filesystem boundaries'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem compsize" 0+' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem dedupe" 0' -r -F
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem dedupe" 3' -r -F
complete -c sbtrfs -n '__sbtrfs_is options "filesystem heatmap"' -l 'order' -x -d 'Hilbert curve order, 0 to 12 (default: chosen from the size of the filesystem)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem heatmap"' -l 'size' -x -d 'picture size, 0 to 14: height and width are 2^size (default: 10)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem heatmap"' -l 'sort' -x -a 'physical virtual' -d 'sort on dev extent (physical, default) or chunk (virtual)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem heatmap"' -l 'blockgroup' -x -d 'instead of the filesystem, show the extents inside the block group at vaddr'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem heatmap"' -l 'curve' -x -a 'hilbert linear snake' -d 'space filling curve (default: hilbert)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem heatmap"' -s 'o' -l 'output' -r -F -d 'PNG file name or directory (\'-\': standard output; default: name chosen)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem heatmap"' -s 'v' -l 'verbose' -d 'more lines (-v block groups, -vv shares of pixels, -vvv pixel colours)'
complete -c sbtrfs -n '__sbtrfs_is options "filesystem heatmap"' -s 'q' -l 'quiet' -d 'fewer lines'
complete -c sbtrfs -n '__sbtrfs_is operand "filesystem heatmap" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal inode-resolve"' -s 'v' -d 'deprecated, alias for global -v option'
complete -c sbtrfs -n '__sbtrfs_is operand "inspect-internal inode-resolve" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal logical-resolve"' -s 'P' -d 'skip the path resolving and print the inodes instead'
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal logical-resolve"' -s 'o' -d 'ignore offsets when matching references (requires v2 ioctl support in the kernel 4.15+)'
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal logical-resolve"' -s 's' -x -d 'set inode container\'s size. This is used to increase inode container\'s size in case it is not enough to read all the resolved results. The max value one can set is 64k with the v1 ioctl. Sizes over 64k will use the v2 ioctl (kernel 4.15+)'
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal logical-resolve"' -s 'v' -d 'deprecated, alias for global -v option'
complete -c sbtrfs -n '__sbtrfs_is operand "inspect-internal logical-resolve" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "inspect-internal subvolid-resolve" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "inspect-internal rootid" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal min-dev-size"' -l 'id' -x -d 'specify the device id to query'
complete -c sbtrfs -n '__sbtrfs_is operand "inspect-internal min-dev-size" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "inspect-internal file-csum" 0' -r -F
complete -c sbtrfs -n '__sbtrfs_is operand "inspect-internal tree-sizes" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "inspect-internal free-space-fragmentation" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "inspect-internal block-group-files" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal search-metadata"' -l 'format' -x -a 'keys short long json' -d 'keys only, a short line per item (default), every field, or JSON'
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal search-metadata"' -s 't' -l 'tree' -x -a 'root extent chunk dev fs csum quota uuid free_space block_group tree_log tree_log_fixup tree_reloc data_reloc' -d 'ID or name of the metadata tree to search'
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal search-metadata"' -l 'inum' -x -d 'inode number to search for, e.g. 257'
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal search-metadata"' -l 'min-key' -x -d 'tree key to start at, e.g. \'(257 DIR_ITEM 0)\''
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal search-metadata"' -l 'max-key' -x -d 'tree key to stop at, e.g. \'(257 DIR_ITEM -1)\''
complete -c sbtrfs -n '__sbtrfs_is options "inspect-internal search-metadata"' -l 'vaddr' -x -d 'virtual address of the start of a block group'
complete -c sbtrfs -n '__sbtrfs_is operand "inspect-internal search-metadata" 0' -x -a 'chunks block_groups dev_extents file inode devices orphans dump block_group_contents block_group_free_space'
complete -c sbtrfs -n '__sbtrfs_is operand "inspect-internal search-metadata" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "property get"' -s 't' -x -a 'inode subvol filesystem device i s f d' -d 'list properties for the given object type (inode, subvol, filesystem, device)'
complete -c sbtrfs -n '__sbtrfs_is operand "property get" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "property get" 1' -x -a 'ro label compression'
complete -c sbtrfs -n '__sbtrfs_is options "property set"' -s 't' -x -a 'inode subvol filesystem device i s f d' -d 'list properties for the given object type (inode, subvol, filesystem, device)'
complete -c sbtrfs -n '__sbtrfs_is options "property set"' -s 'f' -d 'force the change, could potentially break something'
complete -c sbtrfs -n '__sbtrfs_is operand "property set" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "property set" 1' -x -a 'ro label compression'
complete -c sbtrfs -n '__sbtrfs_is options "property list"' -s 't' -x -a 'inode subvol filesystem device i s f d' -d 'list properties for the given object type (inode, subvol, filesystem, device)'
complete -c sbtrfs -n '__sbtrfs_is operand "property list" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup assign"' -l 'rescan' -d 'schedule quota rescan if needed'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup assign"' -l 'no-rescan' -d 'don\'t schedule quota rescan'
complete -c sbtrfs -n '__sbtrfs_is operand "qgroup assign" 2' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup remove"' -l 'rescan' -d 'schedule quota rescan if needed'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup remove"' -l 'no-rescan' -d 'don\'t schedule quota rescan'
complete -c sbtrfs -n '__sbtrfs_is operand "qgroup remove" 2' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "qgroup create" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "qgroup clear-stale" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "qgroup destroy" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -l 'raw' -d 'raw numbers in bytes'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -l 'human-readable' -d 'human friendly numbers, base 1024 (default)'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -l 'iec' -d 'use 1024 as a base (KiB, MiB, GiB, TiB)'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -l 'si' -d 'use 1000 as a base (kB, MB, GB, TB)'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -l 'kbytes' -d 'show sizes in KiB, or kB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -l 'mbytes' -d 'show sizes in MiB, or MB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -l 'gbytes' -d 'show sizes in GiB, or GB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -l 'tbytes' -d 'show sizes in TiB, or TB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -s 'p' -d 'print parent qgroup id'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -s 'c' -d 'print child qgroup id'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -s 'r' -d 'print limit of referenced size of qgroup'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -s 'e' -d 'print limit of exclusive size of qgroup'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -s 'F' -d 'list all qgroups which impact the given path (including ancestral qgroups)'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -s 'f' -d 'list all qgroups which impact the given path (excluding ancestral qgroups)'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -l 'sort' -x -a 'qgroupid -qgroupid path -path rfer -rfer excl -excl max_rfer -max_rfer max_excl -max_excl' -d 'list qgroups sorted by specified items you can use \'+\' or \'-\' in front of each item. (+:ascending, -:descending, ascending default)'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup show"' -l 'sync' -d 'force sync of the filesystem before getting info'
complete -c sbtrfs -n '__sbtrfs_is operand "qgroup show" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup limit"' -s 'c' -d 'limit amount of data after compression. This is the default, it is currently not possible to turn off this option'
complete -c sbtrfs -n '__sbtrfs_is options "qgroup limit"' -s 'e' -d 'limit space exclusively assigned to this qgroup'
complete -c sbtrfs -n '__sbtrfs_is operand "qgroup limit" 2' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "quota enable" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "quota disable" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "quota rescan"' -s 's' -l 'status' -d 'show status of a running rescan operation'
complete -c sbtrfs -n '__sbtrfs_is options "quota rescan"' -s 'w' -l 'wait' -d 'start rescan and wait for it to finish (can be already in progress)'
complete -c sbtrfs -n '__sbtrfs_is options "quota rescan"' -s 'W' -l 'wait-norescan' -d 'wait for rescan to finish without starting it'
complete -c sbtrfs -n '__sbtrfs_is operand "quota rescan" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "receive"' -s 'q' -l 'quiet' -d 'suppress all messages, except errors'
complete -c sbtrfs -n '__sbtrfs_is options "receive"' -s 'f' -r -F -d 'read the stream from FILE instead of stdin'
complete -c sbtrfs -n '__sbtrfs_is options "receive"' -s 'e' -d 'terminate after receiving an <end cmd> marker in the stream. Without this option the receiver side terminates only in case of an error on end of file.'
complete -c sbtrfs -n '__sbtrfs_is options "receive"' -s 'C' -l 'chroot' -d 'confine the process to <mount> using chroot'
complete -c sbtrfs -n '__sbtrfs_is options "receive"' -s 'E' -l 'max-errors' -x -d 'terminate as soon as NERR errors occur while stream processing commands from the stream. Default value is 1. A value of 0 means no limit.'
complete -c sbtrfs -n '__sbtrfs_is options "receive"' -s 'm' -x -a '(__sbtrfs_mounts)' -d 'the root mount point of the destination filesystem. If /proc is not accessible, use this to tell us where this file system is mounted.'
complete -c sbtrfs -n '__sbtrfs_is options "receive"' -l 'force-decompress' -d 'if the stream contains compressed data, always decompress it instead of writing it with encoded I/O'
complete -c sbtrfs -n '__sbtrfs_is options "receive"' -l 'dump' -d 'dump stream metadata, one line per operation, does not require the MOUNT parameter'
complete -c sbtrfs -n '__sbtrfs_is options "receive"' -s 'v' -d 'deprecated, alias for global -v option'
complete -c sbtrfs -n '__sbtrfs_is operand "receive" 0' -x -a '(__sbtrfs_mounts)'
complete -c sbtrfs -n '__sbtrfs_is options "replace start"' -s 'r' -d 'only read from <srcdev> if no other zero-defect mirror exists (enable this if your drive has lots of read errors, the access would be very slow)'
complete -c sbtrfs -n '__sbtrfs_is options "replace start"' -s 'f' -d 'force using and overwriting <targetdev> even if it looks like containing a valid btrfs filesystem. A valid filesystem is assumed if a btrfs superblock is found which contains a correct checksum. Devices which are currently mounted are never allowed to be used as the <targetdev>'
complete -c sbtrfs -n '__sbtrfs_is options "replace start"' -s 'B' -d 'do not background'
complete -c sbtrfs -n '__sbtrfs_is options "replace start"' -l 'enqueue' -d 'wait if there\'s another exclusive operation running, otherwise continue'
complete -c sbtrfs -n '__sbtrfs_is options "replace start"' -s 'K' -l 'nodiscard' -d 'do not perform whole device TRIM'
complete -c sbtrfs -n '__sbtrfs_is operand "replace start" 0' -x -a '(__sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is operand "replace start" 1' -x -a '(__sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is operand "replace start" 2' -x -a '(__sbtrfs_mounts)'
complete -c sbtrfs -n '__sbtrfs_is options "replace status"' -s '1' -d 'print once instead of print continuously until the replace operation finishes (or is canceled)'
complete -c sbtrfs -n '__sbtrfs_is operand "replace status" 0' -x -a '(__sbtrfs_mounts)'
complete -c sbtrfs -n '__sbtrfs_is operand "replace cancel" 0' -x -a '(__sbtrfs_mounts)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub start"' -s 'B' -d 'do not background'
complete -c sbtrfs -n '__sbtrfs_is options "scrub start"' -s 'd' -d 'stats per device (-B only)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub start"' -s 'r' -d 'read only mode'
complete -c sbtrfs -n '__sbtrfs_is options "scrub start"' -s 'R' -d 'raw print mode, print full data instead of summary'
complete -c sbtrfs -n '__sbtrfs_is options "scrub start"' -s 'c' -x -d 'set ioprio class (see ionice(1) manpage)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub start"' -s 'n' -x -d 'set ioprio classdata (see ionice(1) manpage)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub start"' -s 'f' -d 'force starting new scrub even if a scrub is already running this is useful when scrub stats record file is damaged'
complete -c sbtrfs -n '__sbtrfs_is options "scrub start"' -s 'q' -d 'deprecated, alias for global -q option'
complete -c sbtrfs -n '__sbtrfs_is operand "scrub start" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct); __sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is operand "scrub cancel" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct); __sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub resume"' -s 'B' -d 'do not background'
complete -c sbtrfs -n '__sbtrfs_is options "scrub resume"' -s 'd' -d 'stats per device (-B only)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub resume"' -s 'r' -d 'read only mode'
complete -c sbtrfs -n '__sbtrfs_is options "scrub resume"' -s 'R' -d 'raw print mode, print full data instead of summary'
complete -c sbtrfs -n '__sbtrfs_is options "scrub resume"' -s 'c' -x -d 'set ioprio class (see ionice(1) manpage)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub resume"' -s 'n' -x -d 'set ioprio classdata (see ionice(1) manpage)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub resume"' -s 'q' -d 'deprecated, alias for global -q option'
complete -c sbtrfs -n '__sbtrfs_is operand "scrub resume" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct); __sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub status"' -l 'raw' -d 'raw numbers in bytes'
complete -c sbtrfs -n '__sbtrfs_is options "scrub status"' -l 'human-readable' -d 'human friendly numbers, base 1024 (default)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub status"' -l 'iec' -d 'use 1024 as a base (KiB, MiB, GiB, TiB)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub status"' -l 'si' -d 'use 1000 as a base (kB, MB, GB, TB)'
complete -c sbtrfs -n '__sbtrfs_is options "scrub status"' -l 'kbytes' -d 'show sizes in KiB, or kB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "scrub status"' -l 'mbytes' -d 'show sizes in MiB, or MB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "scrub status"' -l 'gbytes' -d 'show sizes in GiB, or GB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "scrub status"' -l 'tbytes' -d 'show sizes in TiB, or TB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "scrub status"' -s 'd' -d 'stats per device'
complete -c sbtrfs -n '__sbtrfs_is options "scrub status"' -s 'R' -d 'print raw stats'
complete -c sbtrfs -n '__sbtrfs_is operand "scrub status" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct); __sbtrfs_devices)'
complete -c sbtrfs -n '__sbtrfs_is options "send"' -s 'e' -d 'if sending multiple subvols at once, use the new format and omit the end-cmd between the subvols'
complete -c sbtrfs -n '__sbtrfs_is options "send"' -s 'p' -x -a '(__fish_complete_directories (commandline -ct))' -d 'send an incremental stream from <parent> to <subvol>'
complete -c sbtrfs -n '__sbtrfs_is options "send"' -s 'c' -x -a '(__fish_complete_directories (commandline -ct))' -d 'Use this snapshot as a clone source for an incremental send (multiple allowed)'
complete -c sbtrfs -n '__sbtrfs_is options "send"' -s 'f' -r -F -d 'Output is normally written to stdout. To write to a file, use this option. An alternative would be to use pipes.'
complete -c sbtrfs -n '__sbtrfs_is options "send"' -l 'no-data' -d 'send in NO_FILE_DATA mode, Note: the output stream does not contain any file data and thus cannot be used to transfer changes. This mode is faster and useful to show the differences in metadata.'
complete -c sbtrfs -n '__sbtrfs_is options "send"' -l 'proto' -x -d 'use protocol version N, or 0 to use the highest version supported by the sending kernel (default: 1)'
complete -c sbtrfs -n '__sbtrfs_is options "send"' -l 'compressed-data' -d 'send data that is compressed on the filesystem directly without decompressing it'
complete -c sbtrfs -n '__sbtrfs_is options "send"' -s 'v' -l 'verbose' -d 'deprecated, alias for global -v option'
complete -c sbtrfs -n '__sbtrfs_is options "send"' -s 'q' -l 'quiet' -d 'deprecated, alias for global -q option'
complete -c sbtrfs -n '__sbtrfs_is operand "send" 0+' -x -a '(__fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume create"' -s 'i' -x -d 'add the newly created subvolume to a qgroup. This option can be given multiple times.'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume create" 0+' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume delete"' -s 'c' -l 'commit-after' -d 'wait for transaction commit at the end of the operation'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume delete"' -s 'C' -l 'commit-each' -d 'wait for transaction commit after deleting each subvolume'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume delete"' -s 'i' -l 'subvolid' -x -d 'subvolume id of the to be removed subvolume'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume delete"' -s 'v' -l 'verbose' -d 'deprecated, alias for global -v option'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume delete" 0+' -x -a '(__fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'o' -d 'print only subvolumes below specified path'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'a' -d 'print all the subvolumes in the filesystem and distinguish absolute and relative path with respect to the given <path>'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'p' -d 'print parent ID'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'c' -d 'print the ogeneration of the subvolume'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'g' -d 'print the generation of the subvolume'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'u' -d 'print the uuid of subvolumes (and snapshots)'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'q' -d 'print the parent uuid of the snapshots'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'R' -d 'print the uuid of the received snapshots'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 's' -d 'list only snapshots'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'r' -d 'list readonly subvolumes (including snapshots)'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'd' -d 'list deleted subvolumes that are not yet cleaned'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 't' -d 'print the result as a table'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'G' -x -d 'filter the subvolumes by generation (+value: >= value; -value: <= value; value: = value)'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -s 'C' -x -d 'filter the subvolumes by ogeneration (+value: >= value; -value: <= value; value: = value)'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume list"' -l 'sort' -x -a '(__sbtrfs_list gen ogen rootid path)' -d 'list the subvolume in order of gen, ogen, rootid or path you also can add \'+\' or \'-\' in front of each items. (+:ascending, -:descending, ascending default)'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume list" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume snapshot"' -s 'r' -d 'make the new snapshot readonly'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume snapshot"' -s 'i' -x -d 'Add the new snapshot to a qgroup (a quota group). This option can be given multiple times.'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume snapshot" 0' -x -a '(__fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume snapshot" 1' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume get-default" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume set-default" 1' -x -a '(__fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume find-new" 0' -x -a '(__fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume show"' -s 'b' -l 'raw' -d 'raw numbers in bytes'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume show"' -s 'h' -l 'human-readable' -d 'human friendly numbers, base 1024 (default)'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume show"' -s 'H' -d 'human friendly numbers, base 1000'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume show"' -l 'iec' -d 'use 1024 as a base (KiB, MiB, GiB, TiB)'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume show"' -l 'si' -d 'use 1000 as a base (kB, MB, GB, TB)'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume show"' -s 'k' -l 'kbytes' -d 'show sizes in KiB, or kB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume show"' -s 'm' -l 'mbytes' -d 'show sizes in MiB, or MB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume show"' -s 'g' -l 'gbytes' -d 'show sizes in GiB, or GB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume show"' -s 't' -l 'tbytes' -d 'show sizes in TiB, or TB with --si'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume show"' -s 'r' -l 'rootid' -x -d 'root id of the subvolume'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume show"' -s 'u' -l 'uuid' -x -a '(__sbtrfs_sysfs uuid)' -d 'UUID of the subvolum'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume show" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "subvolume sync"' -s 's' -x -d 'sleep N seconds between checks (default: 1)'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume sync" 0' -x -a '(__sbtrfs_mounts; __fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume orphan-cleaner-progress" 0' -x -a '(__sbtrfs_mounts)'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume set-received-uuid" 0' -x -a '(__sbtrfs_sysfs uuid)'
complete -c sbtrfs -n '__sbtrfs_is operand "subvolume set-received-uuid" 3' -x -a '(__fish_complete_directories (commandline -ct))'
complete -c sbtrfs -n '__sbtrfs_is options "help"' -l 'full' -d 'display detailed help on every command'
complete -c sbtrfs -n '__sbtrfs_is options "help"' -l 'box' -d 'show list of built-in tools (busybox style)'
