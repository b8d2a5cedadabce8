#!/usr/bin/env bash
# One meta-analysis of k studies (default 100,000), REML with Q-profile CIs: wall time and peak memory
# of `trialstats pool`, beside metafor's rma + confint at a k it can still hold (default 2,000), since
# metafor builds k x k matrices. Needs R with metafor and GNU time.
# Usage: bench/compare/pool_large.sh [path/to/trialstats] [k] [k_metafor]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-build/release/trialstats}
k=${2:-100000}
k_r=${3:-2000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
Rscript "$here/gen_batch.R" "$tmp/large.csv" 1 "$k"
Rscript "$here/gen_batch.R" "$tmp/small.csv" 1 "$k_r"
measure() {  # prints "seconds peak_MB" of a command
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" >/dev/null || return 1
  awk '{printf "%.2f s, peak %.0f MB", $1, $2 / 1024}' "$tmp/time"
}
echo "trialstats k=$k:  $(measure "$bin" pool "$tmp/large.csv" --no-studies --format json)"
echo "trialstats k=$k_r: $(measure "$bin" pool "$tmp/small.csv" --no-studies --format json)"
echo "metafor    k=$k_r, rma only: $(measure Rscript -e "suppressPackageStartupMessages(library(metafor));
  d <- read.csv('$tmp/small.csv'); fit <- rma(yi, vi, data = d)")"
# metafor's confint() refits with k x k matrices at every step of its search: minutes at this k.
echo "metafor    k=$k_r, rma + confint (stopped after ${confint_limit:=120} s): $(measure timeout "$confint_limit" Rscript -e "
  suppressPackageStartupMessages(library(metafor)); d <- read.csv('$tmp/small.csv'); fit <- rma(yi, vi, data = d);
  print(confint(fit))" || echo "did not finish")"
