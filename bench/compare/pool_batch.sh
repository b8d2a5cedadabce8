#!/usr/bin/env bash
# Whole-process comparison of `trialstats pool --by` with a metafor loop (split + rma) over the same
# file of 10,000 meta-analyses of k = 13 (REML with Knapp-Hartung, and DL). Prints both times, the
# ratio, and the largest difference between the two sets of estimates. Needs R with metafor.
# Usage: bench/compare/pool_batch.sh [path/to/trialstats] [analyses]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-build/release/trialstats}
n=${2:-10000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
Rscript "$here/gen_batch.R" "$tmp/batch.csv" "$n" 13

source "$here/timing.sh"

for spec in "REML knha" "DL z"; do
  set -- $spec
  method=$1 test=$2
  t_ours=$(median_seconds 11 "$bin" pool "$tmp/batch.csv" --by analysis --method "$method" --test "$test" \
                         --format csv --no-provenance -o "$tmp/ours.csv")
  t_r=$(seconds Rscript "$here/metafor_batch.R" "$tmp/batch.csv" "$method" "$test" "$tmp/r.csv")
  diff=$(Rscript -e "a <- read.csv('$tmp/ours.csv'); b <- read.csv('$tmp/r.csv');
                     m <- merge(a, b, by = 'analysis'); ok <- !is.na(m\$estimate.y);
                     cat(sprintf('%.2g over %d analyses (%d metafor failures)', max(abs(m\$estimate.x - m\$estimate.y)[ok]), sum(ok), sum(!ok)))")
  printf '%-5s %-5s analyses=%s  trialstats %.3f s (median of 11)  metafor %.1f s  ratio %.0fx  max |estimate diff| %s\n' \
    "$method" "$test" "$n" "$t_ours" "$t_r" "$(echo "$t_r / $t_ours" | bc -l)" "$diff"
done
