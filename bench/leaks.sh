#!/usr/bin/env bash
# Leak check of the libpq layer with LeakSanitizer (valgrind 3.19 crashes on Swift 6.3 binaries):
# 1,000 failed connection attempts and 2,000 queries through `yilian serve`, built with
# AddressSanitizer into .build-asan. Prints what LSan reports; exits non-zero on a leak.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --sanitize=address --scratch-path .build-asan >/dev/null
binary=.build-asan/debug/yilian
home=$(mktemp -d /tmp/yilian-leaks-XXXXXX)
chmod 755 "$home"
trap 'YILIAN_HOME=$home $binary db stop >/dev/null 2>&1 || true; rm -rf "$home"' EXIT
requests() { for i in $(seq 1 "$1"); do echo "{\"jsonrpc\":\"2.0\",\"id\":$i,\"method\":\"specialty.list\"}"; done; }

check() {  # name, expected answer pattern, count, environment...
    local name=$1 pattern=$2 count=$3; shift 3
    local log; log=$(mktemp)
    local answered
    answered=$(requests "$count" | env ASAN_OPTIONS=detect_leaks=1 "$@" "$binary" serve 2>"$log" | grep -c "$pattern" || true)
    local summary; summary=$(grep SUMMARY "$log" || echo "no leaks reported")
    rm -f "$log"
    echo "$name: $answered of $count answered as expected; LeakSanitizer: $summary"
    [ "$summary" = "no leaks reported" ] && [ "$answered" = "$count" ]
}

YILIAN_HOME=$home $binary db start >/dev/null
check "failed connects" database_unavailable 1000 YILIAN_DATABASE_URL="postgresql:///x?host=/tmp/yilian-no-such-socket-dir"
check "queries" '"items"' 2000 YILIAN_HOME="$home"
