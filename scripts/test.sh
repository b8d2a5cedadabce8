#!/usr/bin/env bash
# Installs what is missing, builds, and runs the whole test suite: the Debug build with warnings as
# errors, the sanitizer build, and a smoke run of the benchmarks. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
jobs=$(nproc)
cmake --workflow --preset dev
cmake --workflow --preset asan
cmake --preset release -DTRIALSTATS_BUILD_TESTS=OFF -DCMAKE_BUILD_TYPE=Release >/dev/null  # no debug info: a smoke build
cmake --build --preset release -j "$jobs"
./scripts/bench_smoke.sh build/release
echo "test.sh: all tests passed"
