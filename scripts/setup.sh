#!/usr/bin/env bash
# Installs the Debian packages trialstats needs to build and test, when any is missing.
# Idempotent: does nothing when everything is there. Not root: prints the command and exits 1.
set -euo pipefail
packages=(cmake ninja-build g++ libeigen3-dev libboost-math-dev libcli11-dev libfmt-dev doctest-dev
          nlohmann-json3-dev libbenchmark-dev libfast-float-dev libtomlplusplus-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
((${#missing[@]} == 0)) && exit 0
command=(apt-get install -y --no-install-recommends "${missing[@]}")
if [[ $(id -u) -ne 0 ]]; then
  echo "trialstats needs these Debian packages; run as root:" >&2
  echo "  apt-get update && ${command[*]}" >&2
  exit 1
fi
echo "setup: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
"${command[@]}"
