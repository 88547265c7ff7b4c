#!/bin/zsh -f
# Drives a zsh completion function in a real interactive zsh on a pseudo-terminal:
# zsh-complete.zsh DIR LINE...   (DIR holds _sbtrfs). For each LINE (the text before the cursor)
# prints every candidate offered (one per line, sorted), then `--`. Finally `leaked: NAME` for
# each global parameter the completion left behind.
zmodload zsh/zpty || exit 2
dir=$1
shift
out=$(mktemp)
trap 'rm -f $out; zpty -d z 2>/dev/null' EXIT

zpty z zsh -f -i
zpty -w z "PROMPT= RPROMPT= PS2=; fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-grouped false; zstyle ':completion:*' insert-tab false"
zpty -w z "zmodload zsh/parameter; typeset -g __h_before=\${(j: :)\${(ok)parameters}}"
# Record what each completion adds, as completion would see it, instead of inserting.
# Calls that only ask for matches (-O, -A, -D before the words) are passed through.
zpty -w z 'compadd() { if [[ " ${@[1,(i)(-|--)]} " == *" "-[a-zA-Z]#[OAD]" "* ]]; then builtin compadd "$@"; return; fi; local -a __h; builtin compadd -O __h "$@"; (( $#__h )) && print -rl -- $__h >>'$out'; builtin compadd "$@" }'
zpty -w z '__h_done() { print -r -- "--" >>'$out'; compstate[insert]=; compstate[list]=; }'
zpty -w z '__h_widget() { comppostfuncs=(__h_done); _main_complete }'
zpty -w z 'zle -C __h_complete complete-word __h_widget; bindkey "^I" __h_complete; bindkey "^U" kill-whole-line'
zpty -w z 'print -r -- "--ready" >>'$out
repeat 200; do
  grep -q -x -- --ready $out && break
  sleep 0.05
done
integer n=0
for line in "$@"; do
  zpty -w -n z "$line"$'\t'$'\x15'
  # Wait until this completion wrote its end marker.
  n+=1
  repeat 200; do
    (( $(grep -c -x -- -- $out) >= n )) && break
    sleep 0.05
  done
done
zpty -w z 'for __h_p in ${(ok)parameters}; do [[ $__h_p == __h_before || " $__h_before " == *" $__h_p "* ]] || print -r -- "leaked: $__h_p" >>'$out'; done; print -r -- "--end" >>'$out
repeat 200; do
  grep -q -x -- --end $out && break
  sleep 0.05
done
# Candidates of each line sorted and unique, markers kept.
local -a block
for l in "${(@f)$(<$out)}"; do
  case $l in
    --) print -rl -- ${(ou)block}; print -r -- --; block=() ;;
    --end) break ;;
    --ready) ;;
    leaked:*) print -r -- $l ;;
    *) block+=($l) ;;
  esac
done
