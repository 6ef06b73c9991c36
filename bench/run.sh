#!/usr/bin/env bash
# Every figure of docs/performance.md in one run: builds the release binary as it is deployed
# (the Dockerfile's build: Swift's runtime linked in, --static-swift-stdlib), then bench/run.py
# starts its own throwaway PostgreSQL (fsync and synchronous_commit on) and prints each figure
# with its reference (pgbench, psql) measured in the same run. Options go to bench/run.py.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product yilian --static-swift-stdlib --scratch-path .build-static >/dev/null
exec python3 bench/run.py --binary "$(swift build -c release --product yilian --static-swift-stdlib --scratch-path .build-static --show-bin-path)/yilian" "$@"
