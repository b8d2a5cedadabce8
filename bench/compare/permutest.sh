#!/usr/bin/env bash
# Whole-process comparison of a 1,000-permutation test of a one-moderator meta-regression on dat.bcg
# (log risk ratios on absolute latitude, REML): `trialstats regress --mods ablat --permutations 1000`
# against metafor's permutest(rma(yi, vi, mods = ~ ablat, data = dat), iter = 1000). Prints both
# times, the ratio and both p-values (random permutations: they agree within Monte Carlo error, not
# digit for digit). Needs R with metafor.
# Usage: bench/compare/permutest.sh [path/to/trialstats] [permutations]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
bin=${1:-build/release/trialstats}
n=${2:-1000}

source "$here/timing.sh"

args=("$root/data/bcg.csv" --measure RR --col ai=tpos --col bi=tneg --col ci=cpos --col di=cneg
      --mods ablat --permutations "$n" --seed 42)
t_ours=$(median_seconds 21 "$bin" regress "${args[@]}")
t_r=$(median_seconds 3 Rscript "$here/permutest.R" "$n")
p_ours=$("$bin" regress "${args[@]}" --format json |
         Rscript -e 'x <- jsonlite::fromJSON(file("stdin")); cat(sprintf("pval ablat %.4f, QMp %.4f", x$coefficients$permutation_p[2], x$moderator_test$permutation_p))')
p_r=$(Rscript "$here/permutest.R" "$n")
printf 'permutations=%s  trialstats %.4f s (median of 21)  metafor %.2f s (median of 3)  ratio %.0fx\n' "$n" "$t_ours" "$t_r" \
  "$(echo "$t_r / $t_ours" | bc -l)"
printf 'trialstats: %s\n%s\n' "$p_ours" "$p_r"
