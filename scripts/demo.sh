#!/usr/bin/env bash
# The main job: re-derives every quantitative claim of the seed article on acupuncture for
# fibromyalgia from the bundled data (data/fibromyalgia/, synthetic; see its README) and writes a
# Markdown report with its plots (forest, MCID, scatter) into out/fibromyalgia/.
# On a fresh Debian machine it installs what is missing and builds the optimised binary first;
# TRIALSTATS_BUILD=DIR uses the binary already built in DIR instead.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z ${TRIALSTATS_BUILD:-} ]]; then
  ./scripts/setup.sh
  cmake --preset release >/dev/null
  cmake --build --preset release --target trialstats >/dev/null
fi
ts="${TRIALSTATS_BUILD:-build/release}/trialstats"
out=out/fibromyalgia
mkdir -p "$out"

run() { echo "\$ trialstats $*" >&2; "$ts" "$@"; }

# The verdict on every claim (exit 1 when any claim is not reproduced: expected here).
status=0
run reproduce examples/fibromyalgia/claims.toml --format md --no-provenance --digits 2 \
  --junit "$out/claims.xml" -o "$out/claims.md" || status=$?
run reproduce examples/published/claims.toml --format md --no-provenance --digits 3 -o "$out/published.md" || true

# The plots.
run pool data/fibromyalgia/rcts_pain.csv --measure ROM --col study=study --forest "$out/forest_pain.svg" \
  --favours "favours acupuncture,favours control" -o "$out/pool_pain.txt"
run pool data/fibromyalgia/rcts_fatigue.csv --measure MD --col study=study --mcid 2 --forest "$out/forest_fatigue.svg" \
  --favours "favours acupuncture,favours control" -o "$out/pool_fatigue.txt"
run mcid data/fibromyalgia/rcts_fatigue.csv --measure MD --instrument mfi20_general_fatigue \
  --plot "$out/mcid_fatigue.svg" -o "$out/mcid_fatigue.txt"
run corr data/fibromyalgia/hrv_trial.csv --pre rmssd_pre --post rmssd_post --pre fatigue_pre --post fatigue_post \
  --scatter "$out/scatter_hrv.svg" -o "$out/corr_hrv.txt"

{
  echo "# Acupuncture for fibromyalgia: the article's figures re-derived"
  echo
  echo "The data are **synthetic** (data/fibromyalgia/README.md): built to be consistent with the article's"
  echo "figures, they show whether those figures can coexist, not whether they are true. Each figure is judged"
  echo "as the article writes it (docs/methods.md, \"Reproducing claims\")."
  echo
  sed 's/^## /### /' "$out/claims.md"
  echo
  echo "## Plots"
  echo
  echo "Pain (VAS), ratio of means, 13 trials:"
  echo
  echo "![forest plot of pain](forest_pain.svg)"
  echo
  echo "Fatigue (MFI-20 general fatigue), mean difference, with the MCID of 2 points shaded:"
  echo
  echo "![forest plot of fatigue](forest_fatigue.svg)"
  echo
  echo "The pooled fatigue effect against the MCID:"
  echo
  echo "![MCID plot](mcid_fatigue.svg)"
  echo
  echo "Change in RMSSD against change in fatigue, 94 patients:"
  echo
  echo "![scatter plot](scatter_hrv.svg)"
  echo
  echo "## Published meta-analyses"
  echo
  sed 's/^## /### /' "$out/published.md"
} >"$out/report.md"

echo >&2
cat "$out/claims.md"
echo
echo "Report: $out/report.md (plots and JUnit file claims.xml next to it)"
exit 0
