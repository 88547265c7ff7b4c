#!/bin/sh
# Runs each fuzz target built by build.sh for FUZZ_SECONDS (default 60) seconds, or FUZZ_RUNS
# inputs, over its committed seeds (Fuzz/Corpus/NAME, read only) and its growing work corpus
# (.build-asan/fuzz/corpus/NAME, kept between runs). A crash, a sanitizer report, a leak or a
# timeout fails the run and leaves the input in .build-asan/fuzz/crashes/ (Docs/FUZZING.md).
set -eu
cd "$(dirname "$0")/../.."
OUT=${SCRATCH:-.build-asan}/fuzz
SECONDS_EACH=${FUZZ_SECONDS:-60}
targets=${FUZZ_TARGETS:-$(ls Fuzz/Targets | sed -n 's/\.swift$//p')}
mkdir -p "$OUT/crashes"
failed=""
for target in $targets; do
    mkdir -p "$OUT/corpus/$target" "Fuzz/Corpus/$target"
    limit="-max_total_time=$SECONDS_EACH"
    [ -n "${FUZZ_RUNS:-}" ] && limit="-runs=$FUZZ_RUNS"
    start=$(date +%s)
    # -timeout: one input may take at most 10 s (a hang is a finding too).
    if "$OUT/$target" $limit -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$OUT/crashes/$target-" "$OUT/corpus/$target" "Fuzz/Corpus/$target" \
        >"$OUT/$target.run.log" 2>&1; then
        echo "fuzz $target: $(grep -E '^stat::number_of_executed_units' "$OUT/$target.run.log" | awk '{print $2}') inputs," \
             "$(ls "$OUT/corpus/$target" | wc -l) in the work corpus, $(( $(date +%s) - start )) s, no crash"
    else
        echo "fuzz $target: FAILED, see $OUT/$target.run.log" >&2
        grep -E 'ERROR|Fatal error|SUMMARY|Test unit written|artifact' "$OUT/$target.run.log" | head -20 >&2
        failed="$failed $target"
    fi
done
[ -z "$failed" ] || { echo "fuzz: failed:$failed" >&2; exit 1; }
