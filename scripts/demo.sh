#!/usr/bin/env bash
# On a fresh Debian machine: installs what is missing, builds the optimised binary and runs the
# main job on bundled data: a random-effects meta-analysis of the BCG vaccine trials.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release --target trialstats >/dev/null
echo "$ trialstats pool data/bcg.csv --measure RR --col ai=tpos --col bi=tneg --col ci=cpos --col di=cneg --col study=author" >&2
build/release/trialstats pool data/bcg.csv --measure RR --col ai=tpos --col bi=tneg --col ci=cpos --col di=cneg --col study=author
