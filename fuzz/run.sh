#!/usr/bin/env bash
# Coverage-guided fuzzing (libFuzzer, built into the Swift toolchain) of the parsers that face
# input: the JSON parser and writer, the line reader, criteria parsing and evaluation, and the
# hospital CSV reader. Each target is built with AddressSanitizer into .build-fuzz/ and run for
# SECONDS (default 60) from its seeds in fuzz/corpus/TARGET and what earlier runs found in
# .build-fuzz/corpus/TARGET (new inputs go there); crashes are written to .build-fuzz/crashes/.
# Usage: fuzz/run.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("${@:-json lines criteria csv}")
targets=(${targets[@]})
out=.build-fuzz
mkdir -p "$out/crashes"
PATH="/opt/swift/usr/bin:$PATH"
# The sources go into one module per target; their imports of Yilian's modules find empty ones.
echo "" > "$out/empty.swift"
for module in YilianJSON YilianCore; do
    swiftc -emit-module -module-name "$module" -emit-module-path "$out/$module.swiftmodule" "$out/empty.swift"
done
flags=(-sanitize=fuzzer,address -parse-as-library -O -g -swift-version 6 -I "$out" -module-name Fuzz)
json=(Sources/YilianJSON/*.swift)
core=($(find Sources/YilianCore -name '*.swift'))
for target in "${targets[@]}"; do
    case $target in
        json) sources=("${json[@]}") ;;
        lines) sources=(Sources/YilianRPC/LineReader.swift) ;;
        criteria | csv) sources=("${json[@]}" "${core[@]}") ;;
        *) echo "unknown target $target" >&2; exit 64 ;;
    esac
    swiftc "${flags[@]}" "${sources[@]}" "fuzz/$target.swift" -o "$out/$target"
    mkdir -p "$out/corpus/$target"
    echo "fuzzing $target for ${seconds}s" >&2
    SWIFT_BACKTRACE=enable=no "$out/$target" -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix="$out/crashes/$target-" "$out/corpus/$target" "fuzz/corpus/$target" 2>&1 | grep -E "^(stat::|#[0-9]+ +DONE|==[0-9]+==|SUMMARY|artifact)" || true
done
