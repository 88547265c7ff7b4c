#!/usr/bin/fish
# Drives a fish completion script: fish-complete.fish SCRIPT LINE...
# For each LINE (the text before the cursor) prints the candidates `complete -C` gives (without
# descriptions, sorted), then `--`. Finally `leaked: NAME` for each global or universal
# variable the completion left behind.
source $argv[1]; or exit 2
set -l __h_before (set -n)
for __h_line in $argv[2..-1]
    complete -C "$__h_line" | string replace -r '\t.*' '' | sort -u
    printf '%s\n' --
end
for name in (set -n)
    contains -- $name $__h_before __h_line __h_before; or echo "leaked: $name"
end
