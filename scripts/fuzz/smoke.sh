#!/bin/sh
# `make test`'s fuzz step: build the targets and run each for FUZZ_SECONDS over the committed seeds
# and the work corpus. A toolchain without libFuzzer skips it with the reason, except under CI=true,
# where that fails like any other failure to run.
set -u
cd "$(dirname "$0")/../.."
start=$(date +%s)
sh scripts/fuzz/build.sh
status=$?
if [ $status = 3 ] && [ "${CI:-}" != true ]; then
    echo "fuzz: SKIPPED (no libFuzzer in this toolchain; under CI=true this fails)" >&2
    exit 0
fi
[ $status = 0 ] || { echo "fuzz: the build failed (status $status)" >&2; exit 1; }
built=$(date +%s)
sh scripts/fuzz/run.sh || exit 1
echo "fuzz: build $((built - start)) s, runs $(( $(date +%s) - built )) s"
