#!/bin/sh
# Builds the fuzz targets (Docs/FUZZING.md): the library and the tool compiled once with
# AddressSanitizer and libFuzzer's coverage into .build-asan (the build `make test-asan` runs the
# suite from), then each Fuzz/Targets/NAME.swift linked with Fuzz/Support.swift and libFuzzer into
# .build-asan/fuzz/NAME, and the seed capturer into .build-asan/fuzz/capture.
# FUZZ_TARGETS="items search" builds only those.
set -eu
cd "$(dirname "$0")/../.."
SWIFT=${SWIFT:-swift}
SCRATCH=${SCRATCH:-.build-asan}
# -sanitize=fuzzer's own instrumentation, spelled so that the objects link without libFuzzer
# too (the asan test runner of `make test-asan` has a main of its own).
SANITIZE="-Xswiftc -sanitize=address -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table"
# The Makefile's test-asan builds with the same flags, so the two share one build.
if [ "${1:-}" = --print-flags ]; then echo "$SANITIZE"; exit 0; fi

runtime=$(dirname "$(readlink -f "$(command -v "$SWIFT")")")/../lib/clang
if ! ls "$runtime"/*/lib/*/libclang_rt.fuzzer-*.a >/dev/null 2>&1; then
    echo "fuzz: this Swift toolchain has no libFuzzer runtime (libclang_rt.fuzzer) under $runtime" >&2
    exit 3
fi

"$SWIFT" build --scratch-path "$SCRATCH" --target sbtrfs $SANITIZE
BIN="$SCRATCH/debug"
SWIFTC="$(dirname "$(readlink -f "$(command -v "$SWIFT")")")/swiftc"
OUT="$SCRATCH/fuzz"
mkdir -p "$OUT"
MODULES="-I $BIN/Modules -Xcc -fmodule-map-file=Sources/CBtrfs/module.modulemap
    -Xcc -fmodule-map-file=Sources/CZlib/module.modulemap
    -Xcc -fmodule-map-file=Sources/CBlkid/module.modulemap -Xcc -fmodule-map-file=Sources/CZstd/module.modulemap
    -Xcc -fmodule-map-file=Sources/CLzo/module.modulemap $(pkg-config --cflags blkid lzo2 libzstd | sed 's/-I/-Xcc -I/g')
    -Xcc -fmodule-map-file=$BIN/CStartup.build/module.modulemap -Xcc -I -Xcc Sources/CStartup/include"
OBJECTS=$(ls "$BIN"/Btrfs.build/*.o "$BIN"/sbtrfs.build/*.o "$BIN"/CStartup.build/*.o)

# Links $1 with sanitizers $2 and swiftc flags $3 from the sources that follow, unless it is
# newer than every input.
link() {
    out=$1 sanitize=$2 flags=$3
    shift 3
    if [ -f "$out" ] && [ -z "$(find $OBJECTS "$@" -newer "$out" | head -1)" ]; then return 0; fi
    rm -f "$out"
    "$SWIFTC" -sanitize="$sanitize" -g -Onone $flags $MODULES "$@" $OBJECTS -lbtrfsutil -lz -lblkid -lzstd -llzo2 -o "$out" \
        2>"$out.log" || true
    # ld.gold warns about every local asan symbol; those warnings say nothing.
    grep -v 'Cannot export local symbol' "$out.log" >&2 || true
    if [ ! -x "$out" ]; then echo "fuzz: linking $out failed" >&2; exit 1; fi
}

targets=${FUZZ_TARGETS:-$(ls Fuzz/Targets | sed -n 's/\.swift$//p')}
for target in $targets; do
    link "$OUT/$target" fuzzer,address "-parse-as-library -module-name fuzz_$target" Fuzz/Support.swift "Fuzz/Targets/$target.swift"
done
link "$OUT/capture" address "-module-name capture" Fuzz/Capture/main.swift
echo "fuzz targets in $OUT: $targets"
