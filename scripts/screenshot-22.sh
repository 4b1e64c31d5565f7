#!/usr/bin/env bash
# All 22 methods compared at the default window size: docs/comparison-22.png (the comparison grid
# and the agreement matrix as the window shows them) and docs/agreement-22.png (the matrix as
# `s4scope-cli figure` exports it). Then the explorer under a German locale (numbers must keep their
# decimal point): docs/main-de.png. Usage: scripts/screenshot-22.sh [output folder] [clip]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs}
clip=${2:-resources/clips/yes.wav}
mkdir -p "$out"
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
methods=$(build/src/cli/s4scope-cli methods | awk '/^[a-z]/ {print $1}' | paste -sd, -)  # parameter lines are indented
run() {
  env XDG_CONFIG_HOME="$home/config" XDG_DATA_HOME="$home/data" XDG_RUNTIME_DIR="$home" "${locale_env[@]}" \
    xvfb-run -a -s "-screen 0 1600x1000x24" \
    build/src/app/s4scope "$clip" --size 1500x950 --method lrp_epsilon "$@"
}
locale_env=()
run --compare "$methods" --screenshot-compare "$out/comparison-22.png"
build/src/cli/s4scope-cli figure "$clip" -m "$methods" --view agreement -o "$out/agreement-22.png" --width 900 --height 800
rm -rf "${home:?}"/config
locale_env=(LANG=de_DE.UTF-8 LC_ALL=de_DE.UTF-8 LANGUAGE=de)
run --screenshot "$out/main-de.png"
