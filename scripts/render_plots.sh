#!/usr/bin/env bash
# Renders every plot type of trialstats from the bundled data to SVG, then to PNG with headless
# Chromium, into docs/img/ (the pictures docs/methods.md shows). A documentation tool, not part of
# the tests. Usage: scripts/render_plots.sh [path/to/trialstats]   (default: build/dev/trialstats)
# Needs chromium (Debian: apt-get install -y chromium).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/build/dev/trialstats}
out=$root/docs/img
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
[ -x "$bin" ] || { echo "render_plots.sh: no trialstats binary at $bin" >&2; exit 2; }
command -v chromium > /dev/null || { echo "render_plots.sh: chromium is not installed (apt-get install -y chromium)" >&2; exit 2; }
mkdir -p "$out"

# SVG → PNG at the document's own size (width and height attributes of <svg>).
png() {
  local svg=$1 name=$2 size
  size=$(sed -n 's/.*<svg[^>]* width="\([0-9.]*\)" height="\([0-9.]*\)".*/\1 \2/p' "$svg" | head -1 |
         awk '{ printf "%d,%d", ($1 == int($1)) ? $1 : int($1) + 1, ($2 == int($2)) ? $2 : int($2) + 1 }')
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --hide-scrollbars --user-data-dir="$(mktemp -d -p "$work")" \
    --screenshot="$out/$name.png" --window-size="$size" "file://$svg" > /dev/null 2>&1
  echo "docs/img/$name.png ($size)"
}

# Whether a subcommand has an option (grep reads the whole help: no early exit under pipefail).
has_option() { "$bin" "$1" --help 2>/dev/null | grep -e "$2" > /dev/null; }

bcg=(data/bcg.csv --measure RR --col ai=tpos --col bi=tneg --col ci=cpos --col di=cneg --col study=author)

"$bin" pool "${bcg[@]}" --forest "$work/forest_bcg.svg" --forest-columns year \
  --favours "Favours vaccine,Favours control" --mcid 0.8 > /dev/null
png "$work/forest_bcg.svg" forest_bcg

"$bin" pool data/normand1999.csv --measure SMD --col study=source --forest "$work/forest_normand.svg" \
  --favours "Favours specialist care,Favours routine care" > /dev/null
png "$work/forest_normand.svg" forest_normand

"$bin" pool "${bcg[@]}" --funnel "$work/funnel_bcg.svg" > /dev/null
png "$work/funnel_bcg.svg" funnel_bcg

# Subgroups, Baujat, trim-and-fill and bubble plots come from their own subcommands when present.
if has_option pool '--subgroup'; then
  "$bin" pool "${bcg[@]}" --subgroup alloc --forest "$work/forest_subgroups.svg" --forest-columns year > /dev/null
  png "$work/forest_subgroups.svg" forest_subgroups
fi
if has_option bias '--funnel'; then
  "$bin" bias "${bcg[@]}" --funnel "$work/funnel_trimfill.svg" > /dev/null
  png "$work/funnel_trimfill.svg" funnel_trimfill
fi
if has_option sensitivity "--baujat-plot"; then
  "$bin" sensitivity "${bcg[@]}" --baujat-plot "$work/baujat_bcg.svg" > /dev/null
  png "$work/baujat_bcg.svg" baujat_bcg
fi
if has_option regress '--bubble'; then
  "$bin" regress "${bcg[@]}" --mods ablat --bubble "$work/bubble_bcg.svg" > /dev/null
  png "$work/bubble_bcg.svg" bubble_bcg
fi
if has_option corr '--scatter'; then
  hrv=(tests/inputs/corr/hrv_fatigue.csv --pre hf_pre --post hf_post --pre fatigue_pre --post fatigue_post)
  "$bin" corr "${hrv[@]}" --scatter "$work/scatter.svg" > /dev/null
  png "$work/scatter.svg" scatter
  "$bin" corr "${hrv[@]}" --by arm --scatter "$work/scatter_by.svg" > /dev/null
  png "$work/scatter_by.svg" scatter_by
fi
if has_option mcid '--plot'; then
  "$bin" mcid tests/inputs/mcid/fatigue_trials.csv --measure MD --instrument mfi20_general_fatigue --prior-sd 2 \
    --plot "$work/mcid.svg" > /dev/null
  png "$work/mcid.svg" mcid
fi
