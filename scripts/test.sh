#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite in the sanitizer build (Debug, warnings
# as errors, address and undefined-behaviour sanitizers: the dev preset's build and more, so it is not
# built a second time), then a smoke run of the benchmarks. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
jobs=$(nproc)
cmake --workflow --preset asan
cmake --preset release -DTRIALSTATS_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null  # no debug info: a smoke build
cmake --build --preset release -j "$jobs"
./scripts/bench_smoke.sh build/release
echo "test.sh: all tests passed"
