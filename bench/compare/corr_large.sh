#!/usr/bin/env bash
# Pearson + Spearman + Kendall of a 10-million-row CSV (patient,hrv_change,fatigue_change), end to end
# (reading included): `trialstats corr` beside pandas.read_csv + scipy.stats (pearsonr, spearmanr,
# kendalltau), wall time and peak resident memory (GNU time), and the coefficients of both.
# Needs Debian's python3-pandas and python3-scipy (/usr/bin/python3) and GNU time.
# Usage: bench/compare/corr_large.sh [path/to/trialstats] [rows]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${1:-build/release/trialstats}
n=${2:-10000000}
py=/usr/bin/python3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" "$here/corr_gen.py" "$tmp/large.csv" "$n"
echo "input: $n rows, $(du -m "$tmp/large.csv" | cut -f1) MB; numeric data $((n * 3 * 8 / 1000000)) MB as doubles (3 columns), $((n * 2 * 8 / 1000000)) MB for the 2 correlated"
measure() {  # runs a command, prints "seconds peak_MB"; its output goes to $tmp/out
  /usr/bin/time -f '%e %M' -o "$tmp/time" "$@" > "$tmp/out"
  awk '{printf "%.2f %.0f\n", $1, $2 / 1024}' "$tmp/time"
}
cat "$tmp/large.csv" > /dev/null  # both start from the page cache
read -r t_ts m_ts < <(measure "$bin" corr "$tmp/large.csv" --x hrv_change --y fatigue_change \
  --method pearson,spearman,kendall --format csv --no-provenance)
echo "trialstats:     ${t_ts} s, peak ${m_ts} MB"
cut -d, -f1-7,11 "$tmp/out" | column -t -s,
read -r t_py m_py < <(measure "$py" "$here/corr_scipy.py" "$tmp/large.csv")
echo "pandas + scipy: ${t_py} s, peak ${m_py} MB"
cat "$tmp/out"
awk -v a="$t_py" -v b="$t_ts" -v c="$m_py" -v d="$m_ts" \
  'BEGIN { printf "ratio: trialstats is %.1fx faster, with %.2fx the memory\n", a / b, d / c }'
