#!/bin/bash
# Drives a bash completion script as readline would: bash-complete.sh SCRIPT LINE...
# For each LINE (the text before the cursor) prints the candidates, one per line, then a line
# `--`. Finally prints `leaked: NAME` for every shell variable completion left behind.
script=$1
shift
# shellcheck disable=SC1091
source /usr/share/bash-completion/bash_completion || exit 2
# shellcheck disable=SC1090
source "$script" || exit 2
# compopt works only inside a real completion; record what was asked instead.
compopt() { :; }

__harness_complete() {
    local line=$1 word= char i
    local -a split=()
    # Split as readline does: blanks separate words, '=' and ':' are words of their own.
    for ((i = 0; i < ${#line}; i++)); do
        char=${line:i:1}
        case $char in
        ' ') [[ -n $word ]] && split+=("$word"); word= ;;
        [=:])
            [[ -n $word ]] && split+=("$word")
            word=$char
            while [[ ${line:i+1:1} == "$char" ]]; do word+=$char; i=$((i + 1)); done
            split+=("$word"); word= ;;
        *) word+=$char ;;
        esac
    done
    split+=("$word")
    COMP_WORDS=("${split[@]}")
    COMP_CWORD=$((${#split[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    COMPREPLY=()
    _sbtrfs sbtrfs "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    ((${#COMPREPLY[@]})) && printf '%s\n' "${COMPREPLY[@]}" | sort
    echo --
}

__harness_before=$(compgen -v | sort)
for __harness_line in "$@"; do
    __harness_complete "$__harness_line"
done
unset __harness_line
comm -13 <(echo "$__harness_before") <(compgen -v | grep -v '^__harness_before$' | sort) |
    grep -v -x -e COMPREPLY -e COMP_WORDS -e COMP_CWORD -e COMP_LINE -e COMP_POINT -e _ -e BASH_REMATCH |
    sed 's/^/leaked: /'
exit 0
