#!/bin/sh
# Builds the manual pages: build-man.sh SBTRFS OUTDIR
# Each page's scdoc source comes from the command tree (`sbtrfs completion man PAGE`); its
# `@PROSE@` line is replaced by Docs/man/PAGE.scd when that file exists. scdoc converts.
set -eu
bin=$1
out=$2
docs=$(dirname "$0")/../Docs/man
mkdir -p "$out"
for page in $("$bin" completion man); do
    "$bin" completion man "$page" |
        sed -e "/^@PROSE@\$/{r $docs/$page.scd" -e 'd}' |
        scdoc >"$out/$page.8"
done
