#!/usr/bin/env bash
# Leave-one-out + influence diagnostics of one meta-analysis of k studies (REML), whole process:
# `trialstats sensitivity --leave1out --influence` against metafor's leave1out(rma) + influence(rma).
# metafor refits with k x k matrices (each REML fit at k = 2,000 takes seconds), so at the large k its
# time is measured on a few refits and extrapolated to the 2k refits leave1out + influence make; the
# whole metafor run is timed at a smaller k where it finishes. Synthetic data, fixed seed (gen_batch.R).
# Needs R with metafor and GNU time.
# Usage: bench/compare/influence.sh [path/to/trialstats] [k = 2000] [k_small = 200] [refits timed = 3]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-build/release/trialstats}
k=${2:-2000}
k_small=${3:-200}
refits=${4:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
Rscript "$here/gen_batch.R" "$tmp/large.csv" 1 "$k"
Rscript "$here/gen_batch.R" "$tmp/small.csv" 1 "$k_small"
seconds() {  # elapsed seconds of a command
  /usr/bin/time -f '%e' -o "$tmp/time" "$@" >/dev/null
  cat "$tmp/time"
}
ts_large=$(seconds "$bin" sensitivity "$tmp/large.csv" --leave1out --influence --format json)
ts_small=$(seconds "$bin" sensitivity "$tmp/small.csv" --leave1out --influence --format json)
echo "trialstats k=$k: leave-one-out + influence: $ts_large s"
echo "trialstats k=$k_small: leave-one-out + influence: $ts_small s"
r_small_line=$(Rscript "$here/influence.R" "$tmp/small.csv")
echo "$r_small_line"
r_small=$(echo "$r_small_line" | sed -E 's/.*: ([0-9.]+) s$/\1/')
r_large_line=$(Rscript "$here/influence.R" "$tmp/large.csv" "$refits")
echo "$r_large_line"
r_large=$(echo "$r_large_line" | sed -E 's/.*extrapolated: ([0-9.]+) s$/\1/')
awk -v a="$r_small" -v b="$ts_small" -v k="$k_small" 'BEGIN { printf "ratio metafor / trialstats at k=%d (both whole runs): %.0f\n", k, a / (b > 0.005 ? b : 0.005) }'
awk -v a="$r_large" -v b="$ts_large" -v k="$k" 'BEGIN { printf "ratio metafor (extrapolated) / trialstats at k=%d: %.0f\n", k, a / (b > 0.005 ? b : 0.005) }'
