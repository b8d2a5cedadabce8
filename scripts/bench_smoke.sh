#!/usr/bin/env bash
# Runs every benchmark program once with a tiny minimum time and small inputs
# (TRIALSTATS_BENCH_SMOKE=1): they still build and run.
set -euo pipefail
dir=${1:-build/release}
shopt -s nullglob
for b in "$dir"/bench/*_bench; do
  echo "bench smoke: $(basename "$b")"
  TRIALSTATS_BENCH_SMOKE=1 "$b" --benchmark_min_time=0.001 >/dev/null
done
